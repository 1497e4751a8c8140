/// What ``ReceiverHandler`` must do for one request: the decision ``ReceiverState`` made, without I/O.
struct ReceiverReply: Sendable {
    enum Action: Sendable {
        /// Write this answer; `Content-Length` and `Connection` are added by the handler.
        case respond(status: Int, headers: [(String, String)], body: [UInt8])
        /// Close the connection with a TCP reset.
        case reset
        /// Do nothing until the connection closes.
        case hang
    }

    var action: Action
    /// How long to wait before carrying out `action`.
    var delay: Duration

    /// What ``ReceivedRequest/response`` records for this reply.
    var recorded: ReceiverResponse {
        switch action {
        case .respond(let status, _, _): .status(status)
        case .reset: .reset
        case .hang: .hang
        }
    }
}
