/// One value found at a projected path: its kind and where its text sits in the record.
///
/// For strings the range is the body between the quotes, still escaped; `hasEscapes` says whether
/// it must be decoded before comparing. For every other kind it is the value's full JSON text
/// (number text as written, `true`, `{…}`, …).
package struct ProjectedValue: Sendable, Hashable {
    package var kind: JSONKind
    package var hasEscapes: Bool
    package var start: Int32
    package var end: Int32
    /// Index of the next candidate for the same path in `ProjectedFields`, or -1.
    @usableFromInline var next: Int32

    @inlinable
    package init(kind: JSONKind, hasEscapes: Bool, start: Int32, end: Int32, next: Int32 = -1) {
        self.kind = kind
        self.hasEscapes = hasEscapes
        self.start = start
        self.end = end
        self.next = next
    }

    /// Index of the next candidate for the same path, or -1.
    @inlinable
    package var nextIndex: Int32 { next }

    /// The byte range of the value's text (string body without quotes) within the record.
    @inlinable
    package var range: Range<Int> { Int(start)..<Int(end) }
}
