import NIOCore

/// Closes a metrics connection when `IdleStateHandler` reports it has been silent too long.
///
/// Without it a client that opens a connection and never sends (or never finishes) a request
/// would hold a socket and a task until shutdown.
final class IdleConnectionCloser: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
