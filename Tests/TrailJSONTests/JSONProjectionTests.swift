import Testing

@testable import TrailJSON

/// The projection automaton: which values each path yields, with kinds and byte ranges.
struct JSONProjectionTests {
    /// Projects `json` on `paths` and returns, per path, the candidates as (kind, text).
    func project(_ json: String, _ paths: [JSONPath]) throws -> [[String]] {
        let projection = JSONProjection(paths: paths)
        var fields = projection.makeFields()
        let bytes = Array(json.utf8)
        try bytes.withUnsafeBytes { try projection.project($0, into: &fields) }
        return paths.indices.map { index in
            fields.candidates(index).map { value in
                let text = String(decoding: bytes[value.range], as: UTF8.self)
                return "\(value.kind):\(text)\(value.hasEscapes ? "(escaped)" : "")"
            }
        }
    }

    static let record = """
        {"eventName":"StopLogging","userIdentity":{"type":"Root","sessionContext":{"attributes":{"mfaAuthenticated":"true"}}},
         "resources":[{"ARN":"arn:1","type":"A"},{"ARN":"arn:2"}],"readOnly":false,"requestParameters":null,
         "n":-12.5e1,"nested":[[1,2],[3,4]],"cluster.name":"c1","a\\"b":"quoted-key","esc":"x\\u0041y"}
        """

    @Test("plain, nested, indexed and wildcard paths")
    func paths() throws {
        let result = try project(
            JSONProjectionTests.record,
            [
                JSONPath([.key("eventName")]),
                JSONPath([.key("userIdentity"), .key("type")]),
                JSONPath([.key("userIdentity"), .key("sessionContext"), .key("attributes"), .key("mfaAuthenticated")]),
                JSONPath([.key("resources"), .anyElement, .key("ARN")]),
                JSONPath([.key("resources"), .index(1), .key("ARN")]),
                JSONPath([.key("nested"), .index(1), .index(0)]),
                JSONPath([.key("readOnly")]),
                JSONPath([.key("requestParameters")]),
                JSONPath([.key("n")]),
                JSONPath([.key("userIdentity")]),
                JSONPath([.key("resources")]),
                JSONPath([.key("cluster.name")]),
                JSONPath([.key("a\"b")]),
                JSONPath([.key("esc")]),
                JSONPath([.key("missing")]),
                JSONPath([.key("resources"), .index(5)]),
                JSONPath([.key("eventName"), .key("x")]),
            ])
        #expect(result[0] == ["string:StopLogging"])
        #expect(result[1] == ["string:Root"])
        #expect(result[2] == ["string:true"])
        #expect(result[3] == ["string:arn:1", "string:arn:2"])
        #expect(result[4] == ["string:arn:2"])
        #expect(result[5] == ["number:3"])
        #expect(result[6] == ["false:false"])
        #expect(result[7] == ["null:null"])
        #expect(result[8] == ["number:-12.5e1"])
        #expect(result[9].count == 1 && result[9][0].hasPrefix("object:{\"type\""))
        #expect(result[10].count == 1 && result[10][0].hasPrefix("array:["))
        #expect(result[11] == ["string:c1"])
        #expect(result[12] == ["string:quoted-key"])
        #expect(result[13] == ["string:x\\u0041y(escaped)"])
        #expect(result[14].isEmpty)
        #expect(result[15].isEmpty)
        #expect(result[16].isEmpty)
    }

    @Test("`.*` reaches one level of members; overlapping paths share one walk")
    func overlappingWildcards() throws {
        let json = #"{"a":{"b":1,"c":{"b":2}},"d":{"b":3},"e":[{"b":4}]}"#
        let result = try project(
            json,
            [
                JSONPath([.anyMember, .key("b")]),
                JSONPath([.key("a"), .key("b")]),
                JSONPath([.key("a"), .anyMember]),
                JSONPath([.key("e"), .anyElement, .key("b")]),
                JSONPath([.anyMember]),
            ])
        #expect(result[0] == ["number:1", "number:3"])
        #expect(result[1] == ["number:1"])
        #expect(result[2].count == 2)
        #expect(result[3] == ["number:4"])
        #expect(result[4].count == 3)
    }

    @Test("every occurrence of a duplicated key is a candidate")
    func duplicateKeys() throws {
        #expect(try project(#"{"a":"x","a":"y"}"#, [JSONPath([.key("a")])]) == [["string:x", "string:y"]])
    }

    @Test("a wildcard over an object or array of the wrong kind yields nothing")
    func wrongContainer() throws {
        let result = try project(
            #"{"a":[1,2],"o":{"k":1}}"#, [JSONPath([.key("a"), .anyMember]), JSONPath([.key("o"), .anyElement])])
        #expect(result == [[], []])
    }

    @Test("skipped parts are validated too")
    func validatesSkipped() {
        let projection = JSONProjection(paths: [JSONPath([.key("a")])])
        var fields = projection.makeFields()
        let bytes = Array(#"{"a":1,"skipped":{"x":[1,2,}}"#.utf8)
        do {
            try bytes.withUnsafeBytes { try projection.project($0, into: &fields) }
            Issue.record("accepted invalid JSON")
        } catch let error as JSONError {
            #expect(error.offset == 27)  // the `}` where an element was expected
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("the root kind is reported")
    func rootKind() throws {
        let projection = JSONProjection(paths: [JSONPath([.key("a")])])
        var fields = projection.makeFields()
        for (text, kind) in [("[1]", JSONKind.array), (" {} ", .object), ("\"s\"", .string), ("3", .number)] {
            try Array(text.utf8).withUnsafeBytes { try projection.project($0, into: &fields) }
            #expect(fields.rootKind == kind)
        }
    }

    @Test("fields are reset between records")
    func reset() throws {
        let projection = JSONProjection(paths: [JSONPath([.key("a")])])
        var fields = projection.makeFields()
        try Array(#"{"a":1}"#.utf8).withUnsafeBytes { try projection.project($0, into: &fields) }
        #expect(!fields.isAbsent(0))
        try Array(#"{"b":1}"#.utf8).withUnsafeBytes { try projection.project($0, into: &fields) }
        #expect(fields.isAbsent(0))
    }
}
