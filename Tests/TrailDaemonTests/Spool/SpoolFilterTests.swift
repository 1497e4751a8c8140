import Testing

@testable import TrailDaemon

/// Which spool paths are taken, which are ignored and why, and how bad globs are reported.
struct SpoolFilterTests {
    static let log = "111122223333_CloudTrail_us-east-1_20261122T1005Z_Mu0KsOhtH1ar15ZZ.json.gz"
    static let insight = "111122223333_CloudTrail-Insight_us-east-1_20261122T1005Z_Mu0KsOhtH1ar15ZZ.json.gz"
    static let digest = "111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20261122T100500Z.json.gz"
    static let logPath = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22/" + log
    static let orgLogPath = "AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2026/11/22/" + log

    @Test(
        "the default filter takes CloudTrail log and Insights names and nothing else",
        arguments: [
            (logPath, SpoolFilter.Decision.take),
            (orgLogPath, .take),
            (log, .take),
            ("flat/" + log.replacingOccurrences(".json.gz", with: ".json"), .take),
            ("AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/11/22/" + insight, .take),
            ("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/22/" + digest, .ignore(.notMatched)),
            ("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22/README.txt", .ignore(.notMatched)),
            ("events.json.gz", .ignore(.notMatched)),
            // Always ignored: hidden segments anywhere in the path.
            (".hidden/" + log, .ignore(.hidden)),
            ("AWSLogs/.staging/" + log, .ignore(.hidden)),
            ("AWSLogs/." + log, .ignore(.hidden)),
            ("AWSLogs/.\(log).Xy12Ab", .ignore(.hidden)),  // rsync's temporary name
            // Always ignored: temporary names.
            (log + ".tmp", .ignore(.temporary)),
            (log + ".TMP", .ignore(.temporary)),
            (log + ".part", .ignore(.temporary)),
            (log + ".partial", .ignore(.temporary)),
            (log + ".crdownload", .ignore(.temporary)),
            (log + ".swp", .ignore(.temporary)),
            (log + "~", .ignore(.temporary)),
            // awscli / s3transfer downloads to `<name>.<8 hex digits>`, then renames.
            ("AWSLogs/" + log + ".1a2B3c4D", .ignore(.temporary)),
            ("AWSLogs/" + log + ".deadBEEF", .ignore(.temporary)),
            ("AWSLogs/x.json.gz.0123abcd", .ignore(.temporary)),
            ("AWSLogs/x.json.Zz99Zz99", .ignore(.temporary)),
            // Not quite the s3transfer shape: 7 or 9 characters, or a stem nobody would take.
            ("AWSLogs/" + log + ".1a2B3c4", .ignore(.notMatched)),
            ("AWSLogs/" + log + ".1a2B3c4D5", .ignore(.notMatched)),
            ("AWSLogs/notes.txt.1a2B3c4D", .ignore(.notMatched)),
        ])
    func defaults(path: String, expected: SpoolFilter.Decision) {
        #expect(SpoolFilter().decide(path) == expected)
    }

    @Test(
        "include and exclude globs",
        arguments: [
            // `**` spans any number of segments, including none.
            (["AWSLogs/**/*.json.gz"], [String](), logPath, SpoolFilter.Decision.take),
            (["AWSLogs/**/*.json.gz"], [], "AWSLogs/x.json.gz", .take),
            (["AWSLogs/**/*.json.gz"], [], "Other/x.json.gz", .ignore(.notMatched)),
            (["**/CloudTrail/**"], [], logPath, .take),
            (
                ["**/CloudTrail/**"], [], "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/" + digest,
                .ignore(.notMatched)
            ),
            (["**"], [], "anything/at/all.bin", .take),
            // `*` and `?` stay within one segment.
            (["AWSLogs/*/CloudTrail/*/2026/*/*/*.json.gz"], [], logPath, .take),
            (["AWSLogs/*/CloudTrail/*/2026/*/*/*.json.gz"], [], orgLogPath, .ignore(.notMatched)),
            (["AWSLogs/*.json.gz"], [], logPath, .ignore(.notMatched)),
            (["AWSLogs/11112222333?/**"], [], logPath, .take),
            (["AWSLogs/1111222233?/**"], [], logPath, .ignore(.notMatched)),
            (["a/?.gz"], [], "a/x.gz", .take),
            (["a/?.gz"], [], "a/xy.gz", .ignore(.notMatched)),
            // Character classes, ranges, negation, escapes.
            (["**/*_us-[a-z][a-z][a-z][a-z]-[0-9]_*"], [], logPath, .take),
            (["**/*_us-[!e]*"], [], logPath, .ignore(.notMatched)),
            (["**/*_us-[^w]*"], [], logPath, .take),
            (["a/[]x]"], [], "a/]", .take),
            (["a/[a-]"], [], "a/-", .take),
            (["a/\\*"], [], "a/*", .take),
            (["a/\\*"], [], "a/b", .ignore(.notMatched)),
            // A glob without `/` is matched against the file name at any depth.
            (["*.json.gz"], [], logPath, .take),
            (["*.json"], [], logPath, .ignore(.notMatched)),
            // Custom globs can take what the default does not, digests included.
            (["*_CloudTrail-Digest_*"], [], "AWSLogs/d/" + digest, .take),
            // Exclude always wins, with or without include globs.
            ([], ["**/us-east-1/**"], logPath, .ignore(.excluded)),
            ([], ["*_us-west-2_*"], logPath, .take),
            (["**"], ["AWSLogs/o-*/**"], orgLogPath, .ignore(.excluded)),
            (["**"], ["AWSLogs/o-*/**"], logPath, .take),
            // Hidden and temporary names are ignored whatever the globs say.
            (["**"], [], "AWSLogs/.staging/" + log, .ignore(.hidden)),
            (["**"], [], "AWSLogs/" + log + ".part", .ignore(.temporary)),
            (["**/*.log"], [], "AWSLogs/app.log.abcd1234", .ignore(.temporary)),
            (["**/*.log"], [], "AWSLogs/app.txt.abcd1234", .ignore(.notMatched)),
            (["**"], ["**"], ".x", .ignore(.hidden)),
        ])
    func globs(include: [String], exclude: [String], path: String, expected: SpoolFilter.Decision) throws {
        let filter = try SpoolFilter(include: include, exclude: exclude)
        #expect(filter.decide(path) == expected)
    }

    /// One rejected glob: its kind, column and (where pinned) the whole message.
    struct BadGlob: Sendable, CustomTestStringConvertible {
        var glob: String
        var kind: SpoolGlobError.Kind
        var column: Int
        var message: String? = nil

        var testDescription: String { glob }
    }

    static let badGlobs: [BadGlob] = [
        BadGlob(
            glob: "AWSLogs/[abc", kind: .unterminatedClass, column: 9,
            message: #"invalid glob "AWSLogs/[abc" at column 9: "[" starts a character class that is never closed"#
                + #" with "]"; write "\[" to match a literal "[""#),
        BadGlob(
            glob: "a/[z-a]", kind: .reversedRange, column: 4,
            message: #"invalid glob "a/[z-a]" at column 4: the range in this character class ends before it starts;"#
                + #" write "[a-z]""#),
        BadGlob(glob: "", kind: .empty, column: 1, message: #"invalid glob "" at column 1: the glob is empty"#),
        BadGlob(glob: "/AWSLogs/**", kind: .absolute, column: 1),
        BadGlob(glob: "AWSLogs//x", kind: .emptySegment, column: 9),
        BadGlob(
            glob: "AWSLogs/", kind: .trailingSlash, column: 8,
            message: #"invalid glob "AWSLogs/" at column 8: a glob cannot end with "/", it is matched against files,"#
                + #" not directories; write "AWSLogs/**" to take every file below it"#),
        BadGlob(glob: "AWSLogs/**/", kind: .trailingSlash, column: 11),
        BadGlob(glob: "a/[x/y]", kind: .slashInClass, column: 5),
        BadGlob(glob: "abc\\", kind: .danglingEscape, column: 4),
        BadGlob(glob: "[", kind: .unterminatedClass, column: 1),
        BadGlob(glob: "[]", kind: .unterminatedClass, column: 1),
        BadGlob(glob: "x/[!", kind: .unterminatedClass, column: 3),
    ]

    @Test("bad globs are rejected with the glob, the column and a fix", arguments: badGlobs)
    func badGlob(_ bad: BadGlob) {
        #expect(throws: SpoolGlobError.self) { try SpoolFilter.validate(bad.glob) }
        do {
            _ = try SpoolFilter(include: ["**"], exclude: [bad.glob])
            Issue.record("accepted \(bad.glob)")
        } catch {
            #expect(error.kind == bad.kind)
            #expect(error.column == bad.column)
            #expect(error.glob == bad.glob)
            if let message = bad.message { #expect(error.description == message) }
        }
    }

    @Test("hidden directories are not walked; everything else is")
    func walks() {
        let filter = SpoolFilter()
        #expect(filter.walks(directory: "AWSLogs/111122223333/CloudTrail"))
        #expect(!filter.walks(directory: ".git"))
        #expect(!filter.walks(directory: "AWSLogs/.staging"))
        #expect(!filter.walks(directory: "AWSLogs/.staging/deeper"))
    }

    @Test("matching stays fast on a glob built to backtrack")
    func noCatastrophicBacktracking() throws {
        let glob = try SpoolGlob("**/" + String(repeating: "*a", count: 30) + "b")
        let path = String(repeating: "x/", count: 50) + String(repeating: "a", count: 500)
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(!glob.matches(path)) }
        #expect(elapsed < .seconds(1))
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
