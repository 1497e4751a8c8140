import Dispatch
package import TrailDelivery
package import TrailRules

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Alerts on standard output: JSON lines, or readable text when stdout is a terminal.
package struct StdoutSink: AlertSink {
    package let name: String
    package let inDoubt: InDoubt
    /// JSON when false.
    let text: Bool
    let descriptor: Int32
    /// Where the blocking `write` runs: a stalled reader (a full pipe) then holds this queue's
    /// thread, never one of the few threads Swift concurrency runs every task on, so files are
    /// still read and a shutdown still ends within its budget.
    private let writer: DispatchQueue

    /// `format: .auto` picks text for a terminal and JSON lines otherwise.
    package init(
        name: String = "stdout", format: StdoutSection.Format = .auto, inDoubt: InDoubt = .resend,
        descriptor: Int32 = 1
    ) {
        self.name = name
        self.inDoubt = inDoubt
        self.descriptor = descriptor
        writer = DispatchQueue(label: "trailhound.sink.\(name)")
        switch format {
        case .auto: text = isatty(descriptor) == 1
        case .json: text = false
        case .text: text = true
        }
    }

    package func render(_ alert: Alert) -> [UInt8] {
        Array((text ? alert.text + "\n" : alert.jsonLine).utf8) + [UInt8(ascii: "\n")]
    }

    package func render(_ digest: AlertDigest) -> [UInt8] {
        Array((text ? digest.text + "\n" : digest.jsonLine).utf8) + [UInt8(ascii: "\n")]
    }

    /// One `write` per alert where the pipe allows, so concurrent readers see whole lines.
    package func deliver(_ payload: [UInt8], alertID: String) async -> DeliveryResult {
        let descriptor = self.descriptor
        return await withCheckedContinuation { continuation in
            writer.async { continuation.resume(returning: Self.writeAll(payload, to: descriptor)) }
        }
    }

    private static func writeAll(_ payload: [UInt8], to descriptor: Int32) -> DeliveryResult {
        var offset = 0
        while offset < payload.count {
            let written = payload[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                // A line already half written is finished on the next attempt's fresh line.
                return .retry(after: nil, reason: "stdout: \(reason)")
            }
            offset += written
        }
        return .delivered
    }
}
