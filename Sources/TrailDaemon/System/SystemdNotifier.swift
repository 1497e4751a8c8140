#if canImport(Glibc)
    import Glibc
    // timespec's and timeval's fields are declared in SwiftOverlayShims: a release build with
    // MemberImportVisibility asks for it by name since TrailDaemon imports TrailEngine and
    // TrailDelivery (a debug build does not).
    import SwiftOverlayShims
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tells systemd about the daemon's state over `$NOTIFY_SOCKET`, without linking libsystemd.
///
/// The protocol is one `AF_UNIX` datagram of newline-separated `KEY=VALUE` lines (systemd's
/// `sd_notify(3)` notes call it stable and meant to be reimplemented). A `NOTIFY_SOCKET` starting
/// with `/` is a path socket, one starting with `@` is in the abstract namespace; anything else
/// (`vsock:` for VMs, a relative path) is ignored, and so is a missing variable: then every
/// `send` is a no-op, which is what running outside systemd should look like.
///
/// Sending is best effort. A failure is a value the caller logs; it never stops the daemon,
/// because a missed `STATUS=` must not take down alert delivery. (A missed `WATCHDOG=1` is
/// systemd's to judge, which is the point of the watchdog.)
package struct SystemdNotifier: Sendable {
    /// One notification: a `KEY=VALUE` line (or two) in the datagram.
    package enum Message: Sendable, Hashable {
        /// `READY=1`: start-up (or a reload) is complete.
        case ready
        /// `RELOADING=1` with `MONOTONIC_USEC=`: a reload started; send `.ready` when it is done.
        ///
        /// systemd ≥ 253 matches the timestamp against its own reload request; without it a
        /// `systemctl reload` can be reported finished too early or hang.
        case reloading
        /// `STOPPING=1`: shutdown has begun.
        case stopping
        /// `STATUS=…`: one line of free text for `systemctl status`; newlines become spaces.
        case status(String)
        /// `WATCHDOG=1`: the pipeline made progress within the watchdog interval.
        case watchdog
        /// `WATCHDOG=trigger`: the daemon declares itself wedged; systemd applies the restart policy.
        case watchdogTrigger
        /// `EXTEND_TIMEOUT_USEC=…`: the start, reload or stop in progress needs this much more time.
        case extendTimeout(Duration)
        /// `ERRNO=…`: the errno-style reason for a failure, shown by `systemctl status`.
        case errno(Int32)
        /// `MAINPID=…`: the process systemd should treat as the main process.
        case mainPID(Int32)
    }

    /// Where the datagrams go.
    enum Address: Sendable, Hashable {
        /// A socket in the file system (`/run/systemd/notify`).
        case path(String)
        /// A socket in the abstract namespace (the name without the leading `@`).
        case abstract(String)
    }

    let address: Address?

    /// The watchdog interval systemd expects pings within, when the watchdog applies to this process.
    ///
    /// `nil` when `WATCHDOG_USEC` is unset, not a positive number, or `WATCHDOG_PID` names another
    /// process (the variables leaked into a child). Ping at half this interval at most, and only
    /// when the pipeline has shown progress.
    package let watchdogInterval: Duration?

    /// Whether `$NOTIFY_SOCKET` named a socket this notifier can use.
    package var isEnabled: Bool { address != nil }

    /// The socket notifications go to, as systemd wrote it (`/run/systemd/notify`, `@name`), for logs.
    package var socketDescription: String? {
        switch address {
        case .path(let path): path
        case .abstract(let name): "@" + name
        case nil: nil
        }
    }

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    ///
    /// - Parameters:
    ///   - environment: The process environment (pass `ProcessInfo.processInfo.environment`).
    ///   - processID: This process's id, compared with `WATCHDOG_PID`; tests pass their own.
    package init(environment: [String: String], processID: Int32 = getpid()) {
        address = Self.address(from: environment["NOTIFY_SOCKET"])
        watchdogInterval = Self.watchdogInterval(
            microseconds: environment["WATCHDOG_USEC"], pid: environment["WATCHDOG_PID"], processID: processID)
    }

    /// Sends `messages` as one datagram; does nothing when the notifier is disabled or `messages` is empty.
    ///
    /// systemd reads one datagram atomically, so `[.reloading, .status("Reloading rules.")]` is seen
    /// as a single state change.
    ///
    /// - Throws: ``SystemdNotifierError`` naming the socket and the failing call; log it and go on.
    package func send(_ messages: [Message]) throws(SystemdNotifierError) {
        guard let address, !messages.isEmpty else { return }
        let datagram = Self.datagram(messages, monotonicMicroseconds: Self.monotonicMicroseconds())
        try Self.send(datagram, to: address)
    }

    /// Sends one message as its own datagram; best effort like the list form.
    package func send(_ message: Message) throws(SystemdNotifierError) {
        try send([message])
    }

    /// The datagram's text for `messages`: one `KEY=VALUE` per line, with a trailing newline.
    ///
    /// - Parameter monotonicMicroseconds: The `CLOCK_MONOTONIC` reading that `.reloading` carries.
    package static func datagram(_ messages: [Message], monotonicMicroseconds: UInt64) -> String {
        var lines: [String] = []
        for message in messages {
            switch message {
            case .ready: lines.append("READY=1")
            case .reloading:
                lines.append("RELOADING=1")
                lines.append("MONOTONIC_USEC=\(monotonicMicroseconds)")
            case .stopping: lines.append("STOPPING=1")
            case .status(let text): lines.append("STATUS=" + singleLine(text))
            case .watchdog: lines.append("WATCHDOG=1")
            case .watchdogTrigger: lines.append("WATCHDOG=trigger")
            case .extendTimeout(let duration): lines.append("EXTEND_TIMEOUT_USEC=\(microseconds(duration))")
            case .errno(let code): lines.append("ERRNO=\(code)")
            case .mainPID(let pid): lines.append("MAINPID=\(pid)")
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// `CLOCK_MONOTONIC` in microseconds: the clock systemd compares `MONOTONIC_USEC=` against.
    package static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    // MARK: - Parsing the environment

    static func address(from value: String?) -> Address? {
        guard let value, let first = value.first else { return nil }
        switch first {
        case "/": return .path(value)
        // A bare "@" would name the empty abstract socket, which systemd never uses.
        case "@" where value.count > 1: return .abstract(String(value.dropFirst()))
        // "vsock:CID:PORT" is for VMs and containers talking to a host systemd; not our case.
        default: return nil
        }
    }

    static func watchdogInterval(microseconds: String?, pid: String?, processID: Int32) -> Duration? {
        guard let microseconds, let value = UInt64(microseconds), value > 0 else { return nil }
        // systemd sets WATCHDOG_PID to the main process; a child that inherited the variables
        // must not ping on its parent's behalf. An unset PID means "whoever reads this".
        if let pid {
            guard let owner = Int32(pid), owner == processID else { return nil }
        }
        guard value <= UInt64(Int64.max) else { return nil }
        return .microseconds(Int64(value))
    }

    // MARK: - Rendering

    private static func singleLine(_ text: String) -> String {
        // A newline would start a new KEY=VALUE line and let free text forge, say, READY=1.
        String(text.map { $0.isNewline ? " " : $0 })
    }

    private static func microseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000)
        return overflow ? UInt64.max : whole + UInt64(attoseconds / 1_000_000_000_000)
    }

    // MARK: - Sending

    private static func send(_ datagram: String, to address: Address) throws(SystemdNotifierError) {
        let description: String
        let nameBytes: [UInt8]
        switch address {
        case .path(let path):
            description = path
            nameBytes = Array(path.utf8) + [0]
        case .abstract(let name):
            description = "@" + name
            // The abstract namespace is selected by a NUL first byte; the name is not NUL-terminated.
            nameBytes = [0] + Array(name.utf8)
        }

        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: socketAddress.sun_path)
        guard nameBytes.count <= capacity else {
            throw SystemdNotifierError(
                .addressTooLong, socket: description,
                cause: "the name is \(nameBytes.count) bytes, sun_path holds \(capacity)")
        }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { buffer in
            buffer.copyBytes(from: nameBytes)
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + nameBytes.count)

        #if canImport(Glibc)
            let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
            let descriptor = socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard descriptor >= 0 else {
            throw SystemdNotifierError(.socket, socket: description, errno: errno)
        }
        defer { close(descriptor) }

        // If PID 1 stops reading, the socket's queue fills and sendto would block an async
        // thread indefinitely; a short send timeout turns that into an error we can log.
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        var bytes = Array(datagram.utf8)
        let sent = withUnsafePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bytes.withUnsafeMutableBytes { buffer in
                    sendto(descriptor, buffer.baseAddress, buffer.count, Self.sendFlags, address, length)
                }
            }
        }
        guard sent >= 0 else {
            throw SystemdNotifierError(.send, socket: description, errno: errno)
        }
        guard sent == bytes.count else {
            throw SystemdNotifierError(
                .send, socket: description, cause: "sent \(sent) of \(bytes.count) bytes of one datagram")
        }
    }

    #if canImport(Glibc)
        private static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
        private static let sendFlags: Int32 = 0
    #endif
}
