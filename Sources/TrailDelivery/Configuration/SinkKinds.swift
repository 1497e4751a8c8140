/// The kinds of sink a configuration may name, in the order messages list them.
///
/// The executable lists them (it is the only module that sees every kind) and hands them to
/// configuration loading, which decodes each sink's keys with them; a new kind of sink is one
/// more entry in that list and one more case in the executable's factory.
package struct SinkKinds: Sendable {
    /// Each kind's section as written.
    package let kinds: [any WrittenSinkSection.Type]

    /// The kinds `kinds`, in order.
    package init(_ kinds: [any WrittenSinkSection.Type]) {
        self.kinds = kinds
    }

    /// Every `type` a sink may have, kind by kind.
    package var types: [String] { kinds.flatMap { $0.types } }

    /// Every key some kind reads, kind by kind, each once.
    package var keys: [String] {
        var seen = Set<String>()
        return kinds.flatMap { $0.keys }.filter { seen.insert($0).inserted }
    }

    /// Decodes every kind's section from one sink's mapping, in order.
    package func decodeSections(from decoder: any Decoder) throws -> [any WrittenSinkSection] {
        try kinds.map { try $0.init(from: decoder) }
    }
}
