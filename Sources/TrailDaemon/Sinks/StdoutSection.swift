import TrailDelivery

/// The stdout sink's own configuration: how it writes alerts.
package struct StdoutSection: SinkSection {
    /// What the stdout sink writes.
    package enum Format: String, Sendable, CaseIterable {
        /// JSON lines, or readable text when stdout is a terminal.
        case auto
        case json
        case text
    }

    /// What it writes (`format`): `auto` by default.
    package var format: Format

    /// The section for `format`.
    package init(format: Format = .auto) {
        self.format = format
    }
}
