// TEMPORARY stub until the regex engine lands.
package struct FilterRegex: Sendable, Equatable {
    package let source: String
    package init(body: some Collection<UInt8>) throws(RegexSyntaxError) { source = String(decoding: Array(body), as: UTF8.self) }
    package init(_ body: String) throws(RegexSyntaxError) { source = body }
    package func makeMatcher() -> RegexMatcher { RegexMatcher() }
    package func matches(_ input: some Collection<UInt8>) -> Bool { false }
}
package final class RegexMatcher {
    package func matches(_ input: UnsafeRawBufferPointer) -> Bool { false }
}
package struct RegexSyntaxError: Error, Sendable, Equatable {
    package var offset: Int = 0
    package var length: Int = 1
    package var message: String = ""
    package var hint: String?
}
