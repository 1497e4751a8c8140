/// A path into a JSON document: the resolved form of a filter-pattern selector such as
/// `$.userIdentity.sessionContext.attributes.mfaAuthenticated` or `$.resources[*].ARN`.
///
/// Paths are what the projection automaton is built from; `TrailPatterns` parses selector text
/// into them.
package struct JSONPath: Hashable, Sendable, CustomStringConvertible {
    /// One step from a value to the values below it.
    package enum Step: Hashable, Sendable {
        /// An object member by name (`.name` or `.['name']`).
        case key(String)
        /// An array element by 0-based index (`[n]`).
        case index(Int)
        /// Every member value of an object, one level (`.*`).
        case anyMember
        /// Every element of an array (`[*]`).
        case anyElement

        /// Keys compare by their UTF-8 bytes, as the projection does: a precomposed `é` and `e` plus
        /// a combining accent are different keys in a record, so they are different steps.
        package static func == (lhs: Step, rhs: Step) -> Bool {
            switch (lhs, rhs) {
            case (.key(let left), .key(let right)): left.utf8.elementsEqual(right.utf8)
            case (.index(let left), .index(let right)): left == right
            case (.anyMember, .anyMember), (.anyElement, .anyElement): true
            default: false
            }
        }

        package func hash(into hasher: inout Hasher) {
            switch self {
            case .key(let name):
                hasher.combine(0)
                hasher.combine(Array(name.utf8))
            case .index(let index):
                hasher.combine(1)
                hasher.combine(index)
            case .anyMember: hasher.combine(2)
            case .anyElement: hasher.combine(3)
            }
        }

        /// Whether the step can yield more than one value.
        package var isWildcard: Bool {
            switch self {
            case .anyMember, .anyElement: true
            case .key, .index: false
            }
        }
    }

    package var steps: [Step]

    package init(_ steps: [Step]) {
        self.steps = steps
    }

    /// How many steps are wildcards.
    package var wildcardCount: Int { steps.count(where: \.isWildcard) }

    /// Canonical selector text: `$.a.b`, `$.a[0]`, `$.a[*]`, `$.*`, and `$.['key.with.dots']` for
    /// keys that are not plain names.
    package var description: String {
        var text = "$"
        for step in steps {
            switch step {
            case .key(let name):
                if JSONPath.isPlainName(name) {
                    text += "." + name
                } else {
                    text += ".['" + name + "']"
                }
            case .index(let index): text += "[\(index)]"
            case .anyMember: text += ".*"
            case .anyElement: text += "[*]"
            }
        }
        return text
    }

    /// Whether `name` can be written after a dot: letters, digits, `_` and `-`, at least one.
    package static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(isNameByte)
    }

    /// Bytes allowed in a dotted property name.
    package static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
