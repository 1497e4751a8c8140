import TrailJSON

extension JSONValue {
    /// The value as indented JSON (objects and arrays one member per line, members in their
    /// order), for files people open, such as an ATT&CK Navigator layer.
    func prettyText(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .array(let elements) where !elements.isEmpty:
            return "[\n" + elements.map { inner + $0.prettyText(indent: inner) }.joined(separator: ",\n") + "\n"
                + indent
                + "]"
        case .object(let members) where !members.isEmpty:
            return "{\n"
                + members.map { member in
                    inner + JSONValue.string(member.key).compactText + ": " + member.value.prettyText(indent: inner)
                }.joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return compactText
        }
    }
}
