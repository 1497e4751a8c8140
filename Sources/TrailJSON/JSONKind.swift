/// The type of a JSON value, as seen by the scanner.
///
/// Booleans are split into two cases so that a projected value needs no further look at its bytes
/// to answer `IS TRUE` or `IS FALSE`.
package enum JSONKind: UInt8, Sendable, Hashable, CustomStringConvertible {
    case string
    case number
    case `true`
    case `false`
    case null
    case object
    case array

    package var description: String {
        switch self {
        case .string: "string"
        case .number: "number"
        case .true: "true"
        case .false: "false"
        case .null: "null"
        case .object: "object"
        case .array: "array"
        }
    }
}
