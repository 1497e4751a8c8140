#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a notification did not reach systemd: the step that failed, the socket, and the cause.
///
/// Rendered as one line for the log, for example
/// `sd_notify to /run/systemd/notify failed at sendto: Connection refused (errno 111)`. The daemon
/// logs it and goes on; systemd acts on what it does not hear (start-up or watchdog timeouts).
package struct SystemdNotifierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The step of sending that failed.
    package enum Kind: String, Sendable, Hashable {
        /// `socket(AF_UNIX, SOCK_DGRAM)` failed (descriptor limit, or the address family is filtered).
        case socket
        /// The socket name does not fit in `sockaddr_un.sun_path`.
        case addressTooLong
        /// `sendto` failed or sent part of the datagram (no listener, permission, queue full).
        case send
    }

    /// The step that failed.
    package var kind: Kind
    /// The socket as `$NOTIFY_SOCKET` named it.
    package var socket: String
    /// The `errno` of the failing call, when there was one.
    package var errno: Int32?
    /// The cause in words.
    package var cause: String

    /// An error with a cause in words.
    package init(_ kind: Kind, socket: String, cause: String) {
        self.kind = kind
        self.socket = socket
        self.errno = nil
        self.cause = cause
    }

    /// An error from a failed system call, described by `strerror`.
    package init(_ kind: Kind, socket: String, errno code: Int32) {
        self.kind = kind
        self.socket = socket
        self.errno = code
        self.cause = "\(String(cString: strerror(code))) (errno \(code))"
    }

    /// One line: `sd_notify to SOCKET failed at STEP: CAUSE`, plus a hint where one helps.
    package var description: String {
        let step =
            switch kind {
            case .socket: "socket"
            case .addressTooLong: "address"
            case .send: "sendto"
            }
        var line = "sd_notify to \(socket) failed at \(step): \(cause)"
        if kind == .send, errno == EACCES || errno == EPERM {
            // The usual reason is NotifyAccess=main while a helper process sends.
            line += "; check NotifyAccess= in the unit"
        }
        return line
    }
}
