import TrailJSON
import TrailPatterns
import TrailRules

/// `trailhound-bench jq RULES…`: prints a jq program that does what the enabled rules do (per
/// record, one line per rule that matches: the rule id and the record), for benchmarking against
/// "the script you would write". The translation keeps the semantics that matter: selectors yield
/// candidates (absent keys yield none, wildcards several), `=`/`!=` compare strings and numbers
/// only, a predicate holds when any candidate satisfies it, `NOT EXISTS` means no candidate.
enum JQTranslation {
    static let prelude = """
        def k($n): if type == "object" and has($n) then .[$n] else empty end;
        def i($n): if type == "array" and length > $n then .[$n] else empty end;
        def elements: if type == "array" then .[] else empty end;
        def members: if type == "object" then .[] else empty end;
        def text: if type == "string" then . elif type == "number" then tostring else null end;
        """

    static func program(_ rules: [Rule]) -> String {
        let selected = rules.filter { $0.enabled && $0.alarm == nil }
        let branches = selected.compactMap { rule -> String? in
            guard case .json(let expression) = rule.pattern.body else { return nil }
            return "(if \(condition(expression)) then {rule: \(quote(rule.id)), record: $r} else empty end)"
        }
        return prelude + "\n(.Records[]? // .) as $r | $r | " + branches.joined(separator: ",\n  ")
    }

    static func condition(_ expression: PatternExpression) -> String {
        switch expression {
        case .predicate(let predicate): predicateCondition(predicate)
        case .and(let operands): "(" + operands.map(condition).joined(separator: " and ") + ")"
        case .or(let operands): "(" + operands.map(condition).joined(separator: " or ") + ")"
        }
    }

    static func candidates(_ path: JSONPath) -> String {
        "$r"
            + path.steps.map { step in
                switch step {
                case .key(let name): " | k(\(quote(name)))"
                case .index(let index): " | i(\(index))"
                case .anyElement: " | elements"
                case .anyMember: " | members"
                }
            }.joined()
    }

    static func predicateCondition(_ predicate: Predicate) -> String {
        let values = candidates(predicate.selector)
        switch predicate.test {
        case .notExists: return "([\(values)] | length == 0)"
        case .isTrue: return "any(\(values); . == true)"
        case .isFalse: return "any(\(values); . == false)"
        case .isNull: return "any(\(values); . == null)"
        case .compare(let comparison, let value):
            let negate = comparison == .notEqual
            let test: String
            switch value {
            case .string(let literal):
                switch literal.shape {
                case .any: test = "true"
                case .exact(let text): test = "$v == \(quote(text))"
                case .prefix(let text): test = "($v | startswith(\(quote(text))))"
                case .suffix(let text): test = "($v | endswith(\(quote(text))))"
                case .contains(let text): test = "($v | contains(\(quote(text))))"
                }
            case .number(let number):
                if comparison.isRelational {
                    return "any(\(values); type == \"number\" and . \(comparison.rawValue) \(number.value))"
                }
                test =
                    "((type == \"number\" and . == \(number.value)) or (type == \"string\" and . == \(quote(number.text))))"
            case .regex(let regex):
                test = "($v | test(\(quote(regex.source))))"
            }
            return "any(\(values); text as $v | $v != null and (\(negate ? "(\(test)) | not" : test)))"
        }
    }

    static func quote(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONString.appendQuoted(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
