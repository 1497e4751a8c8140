import Testing
import TrailDaemon

@Suite("SystemdNotifier: sd_notify over an AF_UNIX datagram socket")
struct SystemdNotifierTests {
    @Test("Messages arrive as one datagram of KEY=VALUE lines on a path socket")
    func pathSocketReceivesExactDatagram() throws {
        let receiver = try UnixDatagramReceiver.path()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        #expect(notifier.isEnabled)
        #expect(notifier.socketDescription == receiver.notifySocket)

        try notifier.send([.ready, .status("Watching /var/spool/cloudtrail.")])
        try notifier.send(.watchdog)

        #expect(receiver.receiveAll() == ["READY=1\nSTATUS=Watching /var/spool/cloudtrail.\n", "WATCHDOG=1\n"])
    }

    @Test("An @ socket is reached in the abstract namespace")
    func abstractSocketReceivesDatagram() throws {
        let receiver = try UnixDatagramReceiver.abstract()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        #expect(notifier.socketDescription == receiver.notifySocket)

        try notifier.send([.stopping, .extendTimeout(.seconds(20))])

        #expect(receiver.receiveAll() == ["STOPPING=1\nEXTEND_TIMEOUT_USEC=20000000\n"])
    }

    @Test("RELOADING=1 carries MONOTONIC_USEC read from CLOCK_MONOTONIC at send time")
    func reloadingCarriesMonotonicTimestamp() throws {
        let receiver = try UnixDatagramReceiver.path()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])

        let before = SystemdNotifier.monotonicMicroseconds()
        try notifier.send(.reloading)
        let after = SystemdNotifier.monotonicMicroseconds()

        let datagrams = receiver.receiveAll()
        try #require(datagrams.count == 1)
        let lines = datagrams[0].split(separator: "\n")
        try #require(lines.count == 2)
        #expect(lines[0] == "RELOADING=1")
        #expect(lines[1].hasPrefix("MONOTONIC_USEC="))
        let stamp = try #require(UInt64(lines[1].dropFirst("MONOTONIC_USEC=".count)))
        #expect(stamp >= before && stamp <= after)
    }

    @Test("Every message renders as systemd expects")
    func everyMessageRenders() {
        let datagram = SystemdNotifier.datagram(
            [
                .ready, .reloading, .stopping, .status("a"), .watchdog, .watchdogTrigger,
                .extendTimeout(.milliseconds(1500)), .errno(5), .mainPID(4242),
            ],
            monotonicMicroseconds: 123_456)
        #expect(
            datagram
                == """
                READY=1
                RELOADING=1
                MONOTONIC_USEC=123456
                STOPPING=1
                STATUS=a
                WATCHDOG=1
                WATCHDOG=trigger
                EXTEND_TIMEOUT_USEC=1500000
                ERRNO=5
                MAINPID=4242

                """)
    }

    @Test("STATUS text cannot forge another line: newlines become spaces")
    func statusNewlinesAreFlattened() {
        let datagram = SystemdNotifier.datagram([.status("bad\nREADY=1\r\nend")], monotonicMicroseconds: 0)
        #expect(datagram == "STATUS=bad READY=1 end\n")
    }

    @Test("A negative timeout extension is sent as zero")
    func negativeExtensionIsZero() {
        #expect(
            SystemdNotifier.datagram([.extendTimeout(.seconds(-3))], monotonicMicroseconds: 0)
                == "EXTEND_TIMEOUT_USEC=0\n")
    }

    @Test(
        "NOTIFY_SOCKET that is missing, empty, relative, a bare @ or vsock disables the notifier",
        arguments: [nil, "", "relative/socket", "@", "vsock:2:1234"] as [String?])
    func unusableSocketDisables(value: String?) throws {
        var environment: [String: String] = [:]
        environment["NOTIFY_SOCKET"] = value
        let notifier = SystemdNotifier(environment: environment)
        #expect(!notifier.isEnabled)
        #expect(notifier.socketDescription == nil)
        // Disabled means a silent no-op, never an error.
        try notifier.send([.ready, .watchdog])
    }

    @Test("Sending to a socket nobody listens on is an error naming the socket, not a crash")
    func missingListenerIsReportedError() throws {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/tmp/trailhound-no-such-dir/notify"])
        let error = try #require(throws: SystemdNotifierError.self) { try notifier.send(.ready) }
        #expect(error.kind == .send)
        #expect(error.socket == "/tmp/trailhound-no-such-dir/notify")
        #expect(error.description.hasPrefix("sd_notify to /tmp/trailhound-no-such-dir/notify failed at sendto: "))
    }

    @Test("A socket name longer than sun_path is refused with its length")
    func overlongPathIsRefused() throws {
        let path = "/tmp/" + String(repeating: "x", count: 200)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path])
        let error = try #require(throws: SystemdNotifierError.self) { try notifier.send(.ready) }
        #expect(error.kind == .addressTooLong)
        #expect(error.description.contains("206 bytes"))
    }

    @Test("Sending an empty list sends nothing")
    func emptyListSendsNothing() throws {
        let receiver = try UnixDatagramReceiver.path()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        try notifier.send([])
        #expect(receiver.receiveAll().isEmpty)
    }

    @Test("The watchdog applies when WATCHDOG_PID is unset or names this process")
    func watchdogForThisProcess() {
        let unset = SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"], processID: 77)
        #expect(unset.watchdogInterval == .seconds(30))
        let mine = SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "77"], processID: 77)
        #expect(mine.watchdogInterval == .seconds(30))
    }

    @Test(
        "The watchdog does not apply for another process's PID or a bad interval",
        arguments: [
            ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "78"],
            ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "not-a-pid"],
            ["WATCHDOG_USEC": "0"],
            ["WATCHDOG_USEC": "-5"],
            ["WATCHDOG_USEC": "thirty"],
            [:],
        ])
    func watchdogNotForUs(environment: [String: String]) {
        #expect(SystemdNotifier(environment: environment, processID: 77).watchdogInterval == nil)
    }
}
