package import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension DaemonLogHandler {
    /// The line, newline included, that `format` makes of one message.
    ///
    /// - Parameters:
    ///   - format: A concrete format; `.auto` is written as `.text`.
    ///   - time: The time since the Unix epoch (ignored by `.journal`, since journald stamps entries).
    ///   - level: The message's level.
    ///   - label: The logger's label (ignored by `.journal`, whose entries carry the unit name).
    ///   - message: The message text.
    ///   - metadata: All metadata for the line, merged; printed sorted by key.
    package static func line(
        format: LogFormat, time: Duration, level: Logger.Level, label: String, message: String,
        metadata: Logger.Metadata
    ) -> String {
        switch format {
        case .auto, .text:
            var line = "\(timestamp(time)) \(level.rawValue) \(label): \(escapedText(message))"
            appendPairs(metadata, to: &line)
            return line + "\n"
        case .journal:
            // One message must stay one journal entry: journald splits on newlines, and a
            // continuation line would lose the priority prefix.
            var line = "<\(syslogPriority(level))>\(escapedText(message))"
            appendPairs(metadata, to: &line)
            return line + "\n"
        case .json:
            var line = "{\"time\":\"\(timestamp(time))\",\"level\":\"\(level.rawValue)\",\"label\":"
            appendJSONString(label, to: &line)
            line += ",\"message\":"
            appendJSONString(message, to: &line)
            for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
                line += ","
                // Metadata must not overwrite the fixed fields a log shipper parses first.
                appendJSONString(reservedJSONKeys.contains(key) ? "metadata." + key : key, to: &line)
                line += ":"
                appendJSON(value, to: &line)
            }
            return line + "}\n"
        }
    }

    /// The syslog priority journald reads from a `<N>` prefix (`sd-daemon.h`'s `SD_ERR` is `<3>`).
    package static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// `2026-11-22T10:05:00.123Z`: UTC with milliseconds, whatever the host's time zone.
    package static func timestamp(_ time: Duration) -> String {
        let (seconds, attoseconds) = time.components
        var clock = time_t(seconds)
        var parts = tm()
        gmtime_r(&clock, &parts)
        let milliseconds = Int(attoseconds / 1_000_000_000_000_000)
        return padded(Int(parts.tm_year) + 1900, 4) + "-" + padded(Int(parts.tm_mon) + 1, 2) + "-"
            + padded(Int(parts.tm_mday), 2) + "T" + padded(Int(parts.tm_hour), 2) + ":" + padded(Int(parts.tm_min), 2)
            + ":" + padded(Int(parts.tm_sec), 2) + "." + padded(milliseconds, 3) + "Z"
    }

    private static let reservedJSONKeys: Set<String> = ["time", "level", "label", "message"]

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    // MARK: - Text and journal

    private static func appendPairs(_ metadata: Logger.Metadata, to line: inout String) {
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            line += " " + key + "=" + quotedIfNeeded(text(value))
        }
    }

    private static func text(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map(text).joined(separator: ", ") + "]"
        case .dictionary(let entries):
            "{" + entries.sorted { $0.key < $1.key }.map { "\($0.key): \(text($0.value))" }.joined(separator: ", ")
                + "}"
        }
    }

    /// The value as is when it reads unambiguously as `key=value`, else quoted with `\"` and `\\` escaped.
    private static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains {
                $0 == " " || $0 == "\"" || $0 == "=" || $0.value < 0x20 || $0 == "\u{7F}"
            }
        guard needsQuotes else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            default: quoted += escapedControl(scalar)
            }
        }
        return quoted + "\""
    }

    /// The text with control characters spelled out, so one message is one line: a file name
    /// with a newline in it cannot forge a line of a log or of `trailhound status`.
    static func escapedText(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\u{7F}" }) else { return text }
        return text.unicodeScalars.map(escapedControl).joined()
    }

    private static func escapedControl(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": "\\n"
        case "\r": "\\r"
        case "\t": "\\t"
        case _ where scalar.value < 0x20 || scalar == "\u{7F}": "\\u{" + String(scalar.value, radix: 16) + "}"
        default: String(scalar)
        }
    }

    // MARK: - JSON

    private static func appendJSON(_ value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let string): appendJSONString(string, to: &line)
        case .stringConvertible(let convertible): appendJSONString(convertible.description, to: &line)
        case .array(let values):
            line += "["
            for (index, element) in values.enumerated() {
                if index > 0 { line += "," }
                appendJSON(element, to: &line)
            }
            line += "]"
        case .dictionary(let entries):
            line += "{"
            for (index, entry) in entries.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { line += "," }
                appendJSONString(entry.key, to: &line)
                line += ":"
                appendJSON(entry.value, to: &line)
            }
            line += "}"
        }
    }

    /// Appends `string` as a JSON string literal (RFC 8259 §7: quote, backslash and C0 controls escaped).
    private static func appendJSONString(_ string: String, to line: inout String) {
        line += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case "\u{08}": line += "\\b"
            case "\u{0C}": line += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                line += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }
}
