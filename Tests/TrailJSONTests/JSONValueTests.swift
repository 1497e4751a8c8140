import Testing

@testable import TrailJSON

/// The `JSONValue` tree: parsing, member order and duplicates, compact printing, string codecs.
struct JSONValueTests {
    @Test("parses every kind and prints it back compactly")
    func roundTrip() throws {
        let text =
            "{ \"s\": \"a\\\"b\\\\c\\n\\u00e9😀\", \"n\": -1.5e3, \"t\": true, \"f\": false, \"z\": null, \"a\": [1, {}], \"o\": {\"k\": []} }"
        let value = try JSONValue(parsing: text)
        #expect(value["s"] == .string("a\"b\\c\néé😀".replacing("éé", with: "é")))
        #expect(value["n"] == .number("-1.5e3"))
        #expect(value["t"] == .bool(true))
        #expect(value["z"] == .null)
        #expect(
            value.compactText
                == "{\"s\":\"a\\\"b\\\\c\\né😀\",\"n\":-1.5e3,\"t\":true,\"f\":false,\"z\":null,\"a\":[1,{}],\"o\":{\"k\":[]}}"
        )
        #expect(try JSONValue(parsing: value.compactText) == value)
    }

    @Test("objects keep member order and duplicate keys; subscript takes the last")
    func duplicates() throws {
        let value = try JSONValue(parsing: "{\"b\":1,\"a\":2,\"b\":3}")
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["b", "a", "b"])
        #expect(value["b"] == .number("3"))
    }

    @Test("control characters are escaped when printing")
    func escapesControls() {
        #expect(JSONValue.string("a\u{01}\t\r").compactText == "\"a\\u0001\\t\\r\"")
    }

    @Test("surrogate pairs decode to one scalar")
    func surrogatePairs() throws {
        #expect(try JSONValue(parsing: "\"\\ud83d\\ude00\"") == .string("😀"))
        #expect(try JSONValue(parsing: "\"\\u0041\\/\"") == .string("A/"))
    }
}
