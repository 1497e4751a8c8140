/// A receiver's record and its decisions: every request seen, which were accepted, what to answer next.
///
/// A value with no I/O, so what the receiver answers depends only on the script, the faults and the
/// order requests arrive in. ``WebhookReceiver`` keeps it behind a lock; ``ReceiverHandler`` carries
/// out the ``ReceiverReply`` it returns.
///
/// A request counts as accepted the moment its 2xx answer is decided, before any delay, because a
/// real service posts the message and then answers: a client that dies or gives up during the delay
/// leaves a delivery in doubt, which is exactly what the durability tests need to provoke.
struct ReceiverState: Sendable {
    /// The faults in force; setting them restarts the generator from their seed.
    var faults: ReceiverFaults {
        didSet { random = SplitMix64(seed: faults.seed) }
    }
    private var random: SplitMix64
    /// Answers queued by the test, used before faults.
    var script: [ScriptedResponse] = []
    /// Every request in the order its answer was decided.
    private(set) var requests: [ReceivedRequest] = []
    /// The 2xx requests that were not duplicates, in the same order.
    private(set) var accepted: [ReceivedRequest] = []
    /// Idempotency keys of accepted requests.
    private var acceptedKeys: Set<String> = []

    init(faults: ReceiverFaults) {
        self.faults = faults
        random = SplitMix64(seed: faults.seed)
    }

    /// Decides the answer to a complete request and records it.
    mutating func receive(_ request: ReceivedRequest) -> ReceiverReply {
        let reply: ReceiverReply
        if script.isEmpty {
            reply = drawFault()
        } else {
            reply = Self.reply(to: script.removeFirst())
        }
        var request = request
        request.response = reply.recorded
        request.delay = reply.delay
        if request.response.isSuccess {
            if let name = faults.dedupeHeader, let key = request.header(name) {
                request.duplicate = !acceptedKeys.insert(key).inserted
            }
            if !request.duplicate { accepted.append(request) }
        }
        requests.append(request)
        return reply
    }

    /// Records a request whose body was over the limit; it is answered 413 and closes the connection.
    ///
    /// It consumes neither a scripted answer nor a draw: it never reached the "service", and a test's
    /// script or seed should not shift because a client sent something too big.
    mutating func receiveOversized(_ request: ReceivedRequest) -> ReceiverReply {
        var request = request
        request.body = []
        request.response = .status(413)
        requests.append(request)
        return ReceiverReply(
            action: .respond(status: 413, headers: [("Connection", "close")], body: Array("payload too large".utf8)),
            delay: .zero)
    }

    private mutating func drawFault() -> ReceiverReply {
        // Always two draws, whatever the outcome, so each request consumes the same amount of the sequence.
        let outcome = random.nextUnit()
        let delayDraw = random.next()
        let delay = faults.delay.map { Self.pick(in: $0, using: delayDraw) } ?? .zero
        let action: ReceiverReply.Action
        if outcome < faults.rateLimited {
            action = rateLimitedAnswer()
        } else if outcome < faults.rateLimited + faults.serverError {
            action = .respond(status: 500, headers: [], body: Array("internal_error".utf8))
        } else if outcome < faults.rateLimited + faults.serverError + faults.reset {
            action = .reset
        } else {
            let body = faults.status == 204 ? [] : Array(faults.successBody.utf8)
            action = .respond(status: faults.status, headers: [], body: body)
        }
        return ReceiverReply(action: action, delay: delay)
    }

    private func rateLimitedAnswer() -> ReceiverReply.Action {
        let seconds = faults.retryAfterSeconds
        // HTTP's Retry-After takes whole seconds; rounding up never invites a retry too early.
        var headers = [("Retry-After", String(Int(seconds.rounded(.up))))]
        guard faults.discordStyle else {
            return .respond(status: 429, headers: headers, body: Array("rate_limited".utf8))
        }
        headers += [
            ("Content-Type", "application/json"),
            ("X-RateLimit-Limit", "5"),
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset-After", "\(seconds)"),
            ("X-RateLimit-Scope", "user"),
        ]
        let body = #"{"message": "You are being rate limited.", "retry_after": \#(seconds), "global": false}"#
        return .respond(status: 429, headers: headers, body: Array(body.utf8))
    }

    private static func reply(to scripted: ScriptedResponse) -> ReceiverReply {
        switch scripted {
        case .status(let status, let headers, let body):
            return ReceiverReply(
                action: .respond(status: status, headers: headers, body: Array(body.utf8)), delay: .zero)
        case .reset:
            return ReceiverReply(action: .reset, delay: .zero)
        case .hang:
            return ReceiverReply(action: .hang, delay: .zero)
        case .delayed(let delay, let then):
            var reply = reply(to: then)
            reply.delay += delay
            return reply
        }
    }

    /// A duration in `range`, uniformly at nanosecond resolution, from one draw.
    private static func pick(in range: ClosedRange<Duration>, using draw: UInt64) -> Duration {
        let lower = nanoseconds(range.lowerBound)
        let span = UInt64(nanoseconds(range.upperBound) - lower)
        return .nanoseconds(lower + Int64(draw % (span + 1)))
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
