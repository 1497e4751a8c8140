import TrailJSON
package import TrailPatterns

/// Checks every literal a pattern compares `$.eventSource` or `$.eventName` with (by `=` or
/// `!=`, anywhere in its `&&`/`||` tree) against an `EventCatalogue`.
///
/// A name is looked up under the sources the pattern pins it to: an `&&` with an operand
/// `$.eventSource = X` (or an `||` of such equalities) pins every name in its other operands to
/// those sources; otherwise under every source. Wildcard literals (`Delete*`, `*Snapshot*`) are
/// unknown only when no name (or source) matches them. Names compare case-sensitively, as the
/// language does; a name that differs only in case is suggested in its catalogue spelling.
package struct EventNameLint: Sendable {
    package var catalogue: EventCatalogue

    package init(catalogue: EventCatalogue) {
        self.catalogue = catalogue
    }

    static let eventName = JSONPath([.key("eventName")])
    static let eventSource = JSONPath([.key("eventSource")])

    /// The unknown names and sources in `pattern`, left to right; none for a pattern that is not
    /// a JSON pattern.
    package func findings(in pattern: FilterPattern) -> [EventNameFinding] {
        guard case .json(let expression) = pattern.body else { return [] }
        var findings: [EventNameFinding] = []
        walk(expression, pinned: nil, into: &findings)
        return findings
    }

    /// `pinned`: the known sources an enclosing `&&` pins names to, or nil for every source.
    private func walk(_ expression: PatternExpression, pinned: [String]?, into findings: inout [EventNameFinding]) {
        switch expression {
        case .predicate(let predicate):
            guard case .compare(let comparison, .string(let literal)) = predicate.test,
                comparison == .equal || comparison == .notEqual
            else { return }
            if predicate.selector == EventNameLint.eventSource {
                if let finding = check(source: literal) { findings.append(finding) }
            } else if predicate.selector == EventNameLint.eventName {
                if let finding = check(name: literal, pinned: pinned) { findings.append(finding) }
            }
        case .and(let operands):
            let pins = operands.compactMap(pinnedSources)
            // Sources the catalogue does not know pin nothing: their own finding says so, and
            // checking names against no source would flag every name too.
            let known = Set(pins.joined().flatMap { catalogue.sources(matching: StringLiteral($0).shape) })
            let scope = known.isEmpty ? pinned : known.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for operand in operands { walk(operand, pinned: scope, into: &findings) }
        case .or(let operands):
            for operand in operands { walk(operand, pinned: pinned, into: &findings) }
        }
    }

    /// The source literals an `&&` operand requires `$.eventSource` to equal: `$.eventSource = X`,
    /// or an `||` of such equalities; nil for any other operand.
    private func pinnedSources(_ operand: PatternExpression) -> [String]? {
        switch operand {
        case .predicate(let predicate):
            guard predicate.selector == EventNameLint.eventSource,
                case .compare(.equal, .string(let literal)) = predicate.test
            else { return nil }
            return [literal.text]
        case .or(let operands):
            var sources: [String] = []
            for operand in operands {
                guard let pinned = pinnedSources(operand) else { return nil }
                sources += pinned
            }
            return sources
        case .and:
            return nil
        }
    }

    private func check(source literal: StringLiteral) -> EventNameFinding? {
        if case .any = literal.shape { return nil }
        guard catalogue.sources(matching: literal.shape).isEmpty else { return nil }
        let suggestion: String? =
            if case .exact(let text) = literal.shape {
                catalogue.suggestion(forSource: text)
            } else {
                catalogue.suggestion(forWildcard: literal, in: nil)
            }
        return EventNameFinding(
            .unknownEventSource, literal: literal.text, range: literal.range, suggestion: suggestion)
    }

    private func check(name literal: StringLiteral, pinned: [String]?) -> EventNameFinding? {
        if case .any = literal.shape { return nil }
        let sources = pinned ?? catalogue.sortedSources
        guard !catalogue.hasName(matching: literal.shape, in: sources) else { return nil }
        var elsewhere: [String] = []
        let suggestion: String?
        if case .exact(let text) = literal.shape {
            if pinned != nil {
                // Sources where records show the name first: CreateUser is IAM's before AppStream's.
                let having = catalogue.sortedSources.compactMap { source in
                    catalogue.origin(of: text, in: source).map { (source, $0.contains(.record)) }
                }
                elsewhere = having.filter(\.1).map(\.0) + having.filter { !$0.1 }.map(\.0)
            }
            suggestion = catalogue.suggestion(forName: text, in: sources)
        } else {
            suggestion = catalogue.suggestion(forWildcard: literal, in: sources)
        }
        return EventNameFinding(
            .unknownEventName, literal: literal.text, range: literal.range, sources: pinned ?? [],
            elsewhere: elsewhere, suggestion: suggestion)
    }
}
