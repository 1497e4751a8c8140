import Foundation
import Testing
import TrailDelivery

/// The decoding every section shares: unknown keys refused by key path with a hint, durations as
/// configuration writes them, and the list of sink kinds a sink's keys are decoded with.
struct ConfigurationDecodingTests {
    /// A section with two keys of its own, like a sink kind's.
    struct Pigeon: WrittenSinkSection {
        struct Section: SinkSection {
            var loft: String
            var defaultRate: Rate? { Rate(perSecond: 0.1, burst: 1) }
        }

        var loft: String?
        var wait: WrittenDuration?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case loft, wait
        }

        static let types = ["pigeon", "dove"]
        static let keys = ["loft", "wait", "name"]
        static func keys(for type: String) -> [String] { type == "pigeon" ? keys : ["loft"] }

        func validated(type: String, path: String) throws(ConfigurationError) -> Section {
            guard let loft else { throw .invalidValue(path: path + ".loft", reason: "required") }
            return Section(loft: loft)
        }
    }

    /// A mapping that refuses keys other than `known`, then decodes the pigeon's section.
    struct Strict: Decodable {
        static let known = ["name", "loft", "wait"]
        var pigeon: Pigeon

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(known: Self.known)
            pigeon = try Pigeon(from: decoder)
        }
    }

    func decode(_ json: String) throws -> [Strict] {
        try JSONDecoder().decode([Strict].self, from: Data(json.utf8))
    }

    func failure(_ json: String) -> String {
        do {
            _ = try decode(json)
            return "decoded"
        } catch let error as ConfigurationError {
            return "\(error)"
        } catch let DecodingError.dataCorrupted(context) {
            return context.underlyingError.map { "\($0)" } ?? "\(context)"
        } catch {
            return "\(error)"
        }
    }

    @Test func unknownKeysAreRefusedWithTheirPathAndTheClosestKnownOne() {
        #expect(
            failure(#"[{"loft": "a"}, {"lofts": "b"}]"#)
                == "unknown key `[1].lofts` (did you mean `loft`?); known keys here: name, loft, wait")
        #expect(failure(#"[{"colour": "grey"}]"#) == "unknown key `[0].colour`; known keys here: name, loft, wait")
    }

    /// A mirror with a checked section and a checked list, and no decoding code of its own.
    struct Coop: KeyCheckedDecodable {
        struct Nest: KeyCheckedDecodable {
            var eggs: Int?
            enum CodingKeys: String, CodingKey, CaseIterable { case eggs }
        }

        var roof: Nest?
        var nests: [Nest]?
        var colour: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case roof, nests, colour }
    }

    func coopFailure(_ json: String) -> String {
        do {
            _ = try JSONDecoder().decode(KeyChecked<Coop>.self, from: Data(json.utf8))
            return "decoded"
        } catch {
            return "\(error)"
        }
    }

    @Test func keyCheckedMirrorsRefuseUnknownKeysAtEveryLevelBeforeDecodingValues() throws {
        let coop = try JSONDecoder().decode(
            KeyChecked<Coop>.self, from: Data(#"{"roof": {"eggs": 2}, "nests": [{}, {"eggs": 1}]}"#.utf8)
        ).value
        #expect(coop.roof?.eggs == 2 && coop.nests?.map(\.eggs) == [nil, 1] && coop.colour == nil)
        #expect(
            coopFailure(#"{"colur": 1}"#)
                == "unknown key `colur` (did you mean `colour`?); known keys here: roof, nests, colour")
        #expect(
            coopFailure(#"{"roof": {"egs": 1}}"#)
                == "unknown key `roof.egs` (did you mean `eggs`?); known keys here: eggs")
        #expect(coopFailure(#"{"nests": [{}, {"hen": 1}]}"#) == "unknown key `nests[1].hen`; known keys here: eggs")
        #expect(coopFailure(#"{"roof": {"eggs": "two", "hen": 1}}"#).hasPrefix("unknown key `roof.hen`"))
        #expect(coopFailure(#"{"roof": null, "nests": null}"#) == "decoded")
    }

    @Test func durationsAreSecondsOrTextWithAUnit() throws {
        #expect(
            try decode(#"[{"wait": 90}, {"wait": "500ms"}, {"wait": "1.5m"}, {}]"#).map(\.pigeon.wait?.duration)
                == [.seconds(90), .milliseconds(500), .seconds(90), nil])
        #expect(failure(#"[{"wait": -5}]"#) == "`[0].wait`: must not be negative")
        #expect(
            failure(#"[{"wait": "soon"}]"#) == "`[0].wait`: `soon` is not a duration (use e.g. 500ms, 30s, 5m, 2h, 1d)")
    }

    @Test(arguments: [
        ("90", Duration.seconds(90), "90s"), ("2h", .seconds(7200), "2h"), ("1d", .seconds(86_400), "1d"),
        ("250ms", .milliseconds(250), "250ms"), ("0", .zero, "0s"), (" 5m ", .seconds(300), "5m"),
    ])
    func durationTextRoundTrips(text: String, duration: Duration, shortest: String) {
        #expect(Duration(configurationText: text) == duration)
        #expect(duration.configurationText == shortest)
    }

    @Test func notDurations() {
        for text in ["", "m", "5 weeks", "-1s", "1e3s", "5min"] {
            #expect(Duration(configurationText: text) == nil, "\(text)")
        }
    }

    @Test func sinkKindsListTypesAndKeysInOrderAndDecodeEverySection() throws {
        let kinds = SinkKinds([Pigeon.self, Pigeon.self])
        #expect(kinds.types == ["pigeon", "dove", "pigeon", "dove"])
        #expect(kinds.keys == ["loft", "wait", "name"])
        struct Sink: Decodable {
            var sections: [any WrittenSinkSection]
            init(from decoder: any Decoder) throws {
                sections = try SinkKinds([Pigeon.self]).decodeSections(from: decoder)
            }
        }
        let sink = try JSONDecoder().decode(Sink.self, from: Data(#"{"loft": "roof", "other": 1}"#.utf8))
        let section = try #require(sink.sections.first).validated(type: "pigeon", path: "sinks[0]")
        #expect(section as? Pigeon.Section == Pigeon.Section(loft: "roof"))
        #expect(section.defaultRate == Rate(perSecond: 0.1, burst: 1))
        #expect(section.defaultGroupWindow == nil)
    }
}
