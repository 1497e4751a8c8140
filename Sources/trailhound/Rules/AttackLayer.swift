import TrailJSON
import TrailRules

/// The MITRE ATT&CK Navigator layer (format 4.5) of the techniques the rules detect, built from
/// each rule's `references.mitre`.
///
/// One technique entry per ATT&CK id a counted rule names, sub-techniques (`T1098.001`) as entries
/// of their own, as the format stores them. The score is the number of counted rules that name the
/// id itself, and the comment lists them. A parent technique that no rule names but one of whose
/// sub-techniques is detected gets an entry with no score (so it is not coloured as detected) and
/// `showSubtechniques`, so the Navigator opens it on the detected sub-techniques; the layout shows
/// aggregate scores (sum), so a parent's cell can still tell how many rules cover its family.
/// Counted rules are the enabled ones, or all of them with `includeDisabled`.
enum AttackLayer {
    /// The ATT&CK release the ids were checked against, and the Navigator the layer was written for
    /// (the format requires at least 4.9.0; 5.2.0 is the format's own example).
    static let attackVersion = "18"
    static let navigatorVersion = "5.2.0"
    static let layerVersion = "4.5"
    static let colors = ["#dbe9f6", "#1f6fd1"]

    static func layer(_ rules: [Rule], includeDisabled: Bool, source: String) -> JSONValue {
        let counted = rules.filter { includeDisabled || $0.enabled }
        var byTechnique: [String: [Rule]] = [:]
        for rule in counted {
            for technique in Set(rule.references.mitre) { byTechnique[technique, default: []].append(rule) }
        }
        var parents: [String: [String]] = [:]  // parent id → its detected sub-techniques
        for technique in byTechnique.keys {
            if let dot = technique.firstIndex(of: ".") {
                parents[String(technique[..<dot]), default: []].append(technique)
            }
        }
        let ids = Set(byTechnique.keys).union(parents.keys).sorted()
        var techniques: [JSONValue] = []
        for id in ids {
            var members: [JSONValue.Member] = [.init("techniqueID", .string(id))]
            var comment: [String] = []
            if let rules = byTechnique[id] {
                members.append(.init("score", .number(String(rules.count))))
                comment.append(
                    "detected by " + rules.map { $0.id + ($0.enabled ? "" : " (disabled)") }.joined(separator: ", "))
            } else {
                comment.append("not detected itself")
            }
            if let subtechniques = parents[id] {
                comment.append("sub-techniques detected: " + subtechniques.sorted().joined(separator: ", "))
                members.append(.init("showSubtechniques", .bool(true)))
            }
            members.append(.init("comment", .string(comment.joined(separator: "; "))))
            members.append(.init("enabled", .bool(true)))
            techniques.append(.object(members))
        }
        let maxScore = byTechnique.values.map(\.count).max() ?? 1
        let scope = includeDisabled ? "all \(counted.count)" : "the \(counted.count) enabled"
        return .object([
            .init("name", .string("trailhound rules")),
            .init(
                "versions",
                .object([
                    .init("attack", .string(attackVersion)), .init("navigator", .string(navigatorVersion)),
                    .init("layer", .string(layerVersion)),
                ])),
            .init("domain", .string("enterprise-attack")),
            .init(
                "description",
                .string(
                    "ATT&CK techniques that \(scope) of the \(rules.count) trailhound rules in \(source) detect. Score: the number of those rules that name the technique; the comment lists them."
                )),
            .init("sorting", .number("3")),
            .init(
                "layout",
                .object([
                    .init("layout", .string("side")), .init("showID", .bool(true)), .init("showName", .bool(true)),
                    .init("showAggregateScores", .bool(true)), .init("countUnscored", .bool(false)),
                    .init("aggregateFunction", .string("sum")), .init("expandedSubtechniques", .string("annotated")),
                ])),
            .init("hideDisabled", .bool(false)),
            .init("techniques", .array(techniques)),
            .init(
                "gradient",
                .object([
                    .init("colors", .array(colors.map(JSONValue.string))), .init("minValue", .number("1")),
                    // The format wants maxValue > minValue, even when every score is 1.
                    .init("maxValue", .number(String(max(maxScore, 2)))),
                ])),
            .init("legendItems", .array(legend(maxScore: maxScore))),
            .init("showTacticRowBackground", .bool(false)),
            .init("selectTechniquesAcrossTactics", .bool(true)),
            .init("selectSubtechniquesWithParent", .bool(false)),
            .init("selectVisibleTechniques", .bool(false)),
        ])
    }

    /// The gradient's two ends, named by the rule counts they stand for.
    static func legend(maxScore: Int) -> [JSONValue] {
        var items = [(label: "detected by 1 rule", color: colors[0])]
        if maxScore > 1 { items.append(("detected by \(maxScore) rules", colors[1])) }
        return items.map { .object([.init("label", .string($0.label)), .init("color", .string($0.color))]) }
    }
}
