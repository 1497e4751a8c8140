package import TrailPatterns

/// Wildcard lookups: which sources and names a pattern literal (`Delete*`, `*Snapshot*`) stands for.
extension EventCatalogue {
    /// The known sources `shape` matches, sorted; `caseSensitive: false` folds ASCII case.
    package func sources(matching shape: StringLiteral.Shape, caseSensitive: Bool = true) -> [String] {
        if case .exact(let source) = shape, caseSensitive { return hasSource(source) ? [source] : [] }
        return sortedSources.filter { EventCatalogue.matches($0, shape, derived: false, caseSensitive: caseSensitive) }
    }

    /// The names under `sources` that `shape` matches, with their origins (merged across
    /// sources), sorted; `caseSensitive: false` folds ASCII case.
    package func names(
        matching shape: StringLiteral.Shape, in sources: [String], caseSensitive: Bool = true
    ) -> [(name: String, origin: Origin)] {
        var found: [String: Origin] = [:]
        for source in sources {
            if case .exact(let name) = shape, caseSensitive {
                if let origin = origin(of: name, in: source) { found[name, default: []].formUnion(origin) }
                continue
            }
            for (name, origin) in self.sources[source] ?? [:]
            where EventCatalogue.matches(
                name, shape, derived: origin.contains(.derived), caseSensitive: caseSensitive)
            {
                found[name, default: []].formUnion(origin)
            }
        }
        return found.map { ($0.key, $0.value) }.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// Whether any name under `sources` matches `shape` (case-sensitively): the lint's question
    /// for every literal, answered at the first match.
    package func hasName(matching shape: StringLiteral.Shape, in sources: [String]) -> Bool {
        sources.contains { source in
            if case .exact(let name) = shape { return origin(of: name, in: source) != nil }
            return self.sources[source]?.contains { name, origin in
                EventCatalogue.matches(name, shape, derived: origin.contains(.derived), caseSensitive: true)
            } ?? false
        }
    }

    /// Whether `name` (a `derived` name standing also for its `v<digits>` variants) matches `shape`.
    static func matches(_ name: String, _ shape: StringLiteral.Shape, derived: Bool, caseSensitive: Bool) -> Bool {
        let name = caseSensitive ? name : name.foldedASCII
        func fold(_ text: String) -> String { caseSensitive ? text : text.foldedASCII }
        // A derived name also ends in `v<digits>`: compare the literal without one.
        func core(_ text: String) -> String { derived ? (droppingRevision(text) ?? text) : text }
        switch shape {
        case .any: return true
        case .exact(let text):
            if name.utf8.elementsEqual(fold(text).utf8) { return true }
            return core(text) != text && name.utf8.elementsEqual(fold(core(text)).utf8)
        case .prefix(let text):
            let text = fold(text)
            if name.utf8.starts(with: text.utf8) { return true }
            guard derived, text.utf8.starts(with: name.utf8) else { return false }
            let rest = text.utf8.dropFirst(name.utf8.count)
            return rest.first == UInt8(ascii: "v") && rest.dropFirst().allSatisfy { $0 &- UInt8(ascii: "0") < 10 }
        case .suffix(let text):
            return name.utf8.reversed().starts(with: fold(core(text)).utf8.reversed())
        case .contains(let text):
            return name.utf8.firstRange(of: fold(core(text)).utf8) != nil
        }
    }
}

extension String {
    /// The string with ASCII letters lowercased: event names and sources are ASCII, and folding
    /// only ASCII keeps byte offsets, so a match found folded maps back to the original text.
    var foldedASCII: String {
        String(decoding: utf8.map { $0 &- UInt8(ascii: "A") < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
