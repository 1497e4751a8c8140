import NIOCore
import NIOHTTP1

/// Serves one connection of a ``WebhookReceiver``: aggregates each request, asks the receiver what
/// to answer, and carries that out (answer, delay, reset or silence).
///
/// A plain channel handler rather than an async loop: delays are event-loop timers and a reset is a
/// socket option and a close on the spot, so the receiver controls the wire exactly and needs no
/// task per connection. Keep-alive and pipelining come from NIO's `HTTPServerPipelineHandler` in
/// front of it, which holds a pipelined request until the answer to the one before is complete.
final class ReceiverHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let receiver: WebhookReceiver
    private let connection: Int
    private let maximumBodyBytes: Int

    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var oversized = false
    /// A delayed answer not yet carried out, cancelled if the connection closes first.
    private var pending: Scheduled<Void>?

    init(receiver: WebhookReceiver, connection: Int, maximumBodyBytes: Int) {
        self.receiver = receiver
        self.connection = connection
        self.maximumBodyBytes = maximumBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
            oversized = false
        case .body(let chunk):
            // Past the limit, keep reading but drop the bytes: answering 413 before the body has been
            // read would make the kernel reset the connection, and the client would never see the 413.
            guard !oversized else { return }
            if body.count + chunk.readableBytes > maximumBodyBytes {
                oversized = true
                body = []
            } else {
                body.append(contentsOf: chunk.readableBytesView)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let request = ReceivedRequest(
                method: head.method.rawValue,
                path: head.uri,
                headers: head.headers.map { ReceivedRequest.Header(name: $0.name, value: $0.value) },
                body: body,
                arrival: .now,
                connection: connection)
            body = []
            let reply = oversized ? receiver.receiveOversized(request) : receiver.receive(request)
            carryOut(reply, for: head, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending?.cancel()
        pending = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A client that resets or sends garbage ends its own connection; nothing to report to the test.
        context.close(promise: nil)
    }

    private func carryOut(_ reply: ReceiverReply, for head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard reply.delay > .zero else {
            perform(reply.action, for: head, context: context)
            return
        }
        pending = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(reply.delay)) {
            self.pending = nil
            self.perform(reply.action, for: head, context: context)
        }
    }

    private func perform(_ action: ReceiverReply.Action, for head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        switch action {
        case .respond(let status, let extraHeaders, let body):
            write(status: status, headers: extraHeaders, body: body, for: head, context: context)
        case .reset:
            WebhookReceiver.reset(context.channel)
        case .hang:
            break
        }
    }

    private func write(
        status: Int, headers extraHeaders: [(String, String)], body: [UInt8], for head: HTTPRequestHead,
        context: ChannelHandlerContext
    ) {
        let responseStatus = HTTPResponseStatus(statusCode: status)
        var headers = HTTPHeaders(extraHeaders)
        if !headers.contains(name: "Content-Type") {
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        }
        let closes = !head.isKeepAlive || headers[canonicalForm: "Connection"].contains("close")
        if closes, !headers.contains(name: "Connection") {
            headers.add(name: "Connection", value: "close")
        } else if !closes, head.version == .http1_0, !headers.contains(name: "Connection") {
            // HTTP/1.0 closes by default; say the connection stays open since the client asked for keep-alive.
            headers.add(name: "Connection", value: "keep-alive")
        }
        // A 204 or 304 has no body and must not announce one; NIO's encoder drops framing headers for them.
        let hasBody = responseStatus.mayHaveResponseBody && head.method != .HEAD
        if responseStatus.mayHaveResponseBody {
            headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: responseStatus, headers: headers))),
            promise: nil)
        if hasBody, !body.isEmpty {
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if closes {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
