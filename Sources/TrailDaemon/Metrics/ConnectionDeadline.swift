import NIOCore
import NIOHTTP1

/// Closes a metrics connection at an absolute deadline: `idle` after it opened or after its last
/// response, while no request has begun, and `request` after a request's head arrived, until its
/// response is written.
///
/// The deadlines are absolute on purpose: an idle timer that restarts on every byte lets a client
/// that trickles a byte a minute hold a socket (and a descriptor the spool needs) for ever. A
/// request head that never completes is cut at the idle deadline, since no `.head` has arrived.
final class ConnectionDeadline: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let idle: TimeAmount
    private let request: TimeAmount
    private var timer: Scheduled<Void>?

    init(idle: TimeAmount, request: TimeAmount) {
        self.idle = idle
        self.request = request
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(idle, context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(idle, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { arm(request, context: context) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { arm(idle, context: context) }
        context.write(data, promise: promise)
    }

    private func arm(_ amount: TimeAmount, context: ChannelHandlerContext) {
        timer?.cancel()
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: amount) { channel.close(promise: nil) }
    }
}
