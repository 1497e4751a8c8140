import Testing
import TrailReader
import TrailTestKit

@testable import trailhound

/// An output stream that keeps what was written.
final class CapturedStream: OutputStream {
    var bytes: [UInt8] = []
    var text: String { String(decoding: bytes, as: UTF8.self) }
    func write(_ bytes: [UInt8]) { self.bytes.append(contentsOf: bytes) }
    func flush() {}
}

/// `trailhound match`: grep-like selection, output and exit statuses.
struct MatchRunTests {

    static let records = """
        {"Records":[
          {"eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com","errorCode":null},
          {"eventName": "GetObject", "errorCode": "AccessDenied"},
          {"eventName":"DescribeInstances","readOnly":true}
        ]}
        """

    func run(
        _ pattern: String, _ files: [String: String], inputs: [String]? = nil, _ options: MatchRun.Options = .init()
    )
        -> (status: Int32, output: String, errors: String)
    {
        run(pattern, files.mapValues { Array($0.utf8) }, inputs: inputs, options)
    }

    func run(
        _ pattern: String, _ files: [String: [UInt8]], inputs: [String]? = nil, _ options: MatchRun.Options = .init()
    )
        -> (status: Int32, output: String, errors: String)
    {
        let output = CapturedStream()
        let errors = CapturedStream()
        let status = MatchRun.execute(
            pattern: pattern, inputs: (inputs ?? files.keys.sorted()).map { .file($0) }, options: options,
            output: output,
            errors: errors
        ) { (path, body) throws(ReaderError) -> ReadSummary in
            guard let bytes = files[path] else {
                throw ReaderError(.unreadable, path: path, cause: "No such file or directory")
            }
            return try TrailFileReader.read(bytes: bytes, name: path, body)
        }
        return (status, output.text, errors.text)
    }

    @Test("prints matching events as compact JSON lines and exits 0")
    func matches() {
        let result = run(
            #"{ ($.eventName = StopLogging) || ($.errorCode = "AccessDenied*") }"#, ["a.json": Self.records])
        #expect(result.status == 0)
        #expect(
            result.output == """
                {"eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com","errorCode":null}
                {"eventName":"GetObject","errorCode":"AccessDenied"}

                """)
        #expect(result.errors.isEmpty)
    }

    @Test("exits 1 when nothing matches")
    func noMatch() {
        let result = run(#"{ $.eventName = DeleteTrail }"#, ["a.json": Self.records])
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
    }

    @Test("-c counts, per file when there are several")
    func count() {
        #expect(run("{ $.eventName = * }", ["a.json": Self.records], MatchRun.Options(count: true)).output == "3\n")
        let two = run(
            "{ $.readOnly IS TRUE }", ["a.json": Self.records, "b.json": "{\"readOnly\":true}"],
            MatchRun.Options(count: true))
        #expect(two.output == "a.json:1\nb.json:1\n")
        #expect(two.status == 0)
    }

    @Test("-v selects the events that do not match")
    func invert() {
        let result = run(
            "{ $.readOnly IS TRUE }", ["a.json": Self.records], MatchRun.Options(count: true, invert: true))
        #expect(result.output == "2\n")
    }

    @Test("-q prints nothing and exits 0 on a match")
    func quiet() {
        let result = run("{ $.eventName = GetObject }", ["a.json": Self.records], MatchRun.Options(quiet: true))
        #expect(result.status == 0)
        #expect(result.output.isEmpty)
    }

    @Test("a bad pattern prints the caret diagnostic and exits 2")
    func badPattern() {
        let result = run("{ ($.eventName = X }", ["a.json": Self.records])
        #expect(result.status == 2)
        #expect(result.output.isEmpty)
        #expect(
            result.errors == """
                error: `(` is never closed (column 3)
                  { ($.eventName = X }
                    ^
                  hint: add `)` before `}`

                """)
    }

    @Test("warnings are printed and the match still runs")
    func warnings() {
        let result = run("{ $.readOnly = true }", ["a.json": Self.records])
        #expect(result.status == 1)
        #expect(result.errors.hasPrefix("warning: `true` here is the string \"true\""))
    }

    @Test("a bad NDJSON line is reported with its line, and the other lines are still read; exit 2")
    func invalidJSON() {
        let ndjson = "{\"eventName\":\"A\"}\n{\"eventName\":\n{\"eventName\":\"B\"}\n"
        let result = run("{ $.eventName = * }", ["events.ndjson": ndjson])
        #expect(result.status == 2)
        #expect(result.output == "{\"eventName\":\"A\"}\n{\"eventName\":\"B\"}\n")
        #expect(
            result.errors
                == "trailhound: events.ndjson: invalid JSON (line 2, record 1, decompressed byte 31): expected a value, found end of line\n"
        )
    }

    @Test("gzip input, detected from the content, and damaged gzip reported with offsets")
    func gzip() {
        let gz = Gzip.compress(Self.records)
        let result = run("{ $.eventName = StopLogging }", ["a.json.gz": gz])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("{\"eventName\":\"StopLogging\""))
        let truncated = run(
            "{ $.eventName = * }", ["a.json.gz": Array(gz[..<(gz.count / 2)]), "b.json": Array(Self.records.utf8)])
        #expect(truncated.status == 2)
        #expect(truncated.errors.hasPrefix("trailhound: a.json.gz: truncated gzip (decompressed byte"))
        #expect(truncated.output.split(separator: "\n").count == 3)  // b.json is still read
    }

    @Test("an unreadable file is reported, the others are still read")
    func missingFile() {
        let result = run("{ $.eventName = * }", ["a.json": Self.records], inputs: ["missing.json", "a.json"])
        #expect(result.status == 2)
        #expect(result.errors == "trailhound: missing.json: cannot read: No such file or directory\n")
        #expect(result.output.split(separator: "\n").count == 3)
    }

    @Test("the empty pattern matches every record, including non-objects; JSON patterns only objects")
    func nonObjects() {
        let input = "[1, \"s\", {\"a\":1}]"
        #expect(run("", ["x": input], MatchRun.Options(count: true)).output == "3\n")
        #expect(run("{ $.a NOT EXISTS }", ["x": input], MatchRun.Options(count: true)).output == "0\n")
    }

    @Test("term patterns search the compact record text")
    func terms() {
        let options = MatchRun.Options(count: true)
        #expect(run("AccessDenied -DescribeInstances", ["a.json": Self.records], options).output == "1\n")
        #expect(run("?StopLogging ?GetObject", ["a.json": Self.records], options).output == "2\n")
        // A quoted phrase with escaped quotes matches the compact text, whatever the input's spacing.
        #expect(run(#""\"eventName\":\"GetObject\"""#, ["a.json": Self.records], options).output == "1\n")
        #expect(run("readOnly -true", ["a.json": Self.records], options).output == "0\n")
    }
}

/// `trailhound check --pattern`.
struct CheckRunTests {
    @Test("a valid pattern prints its canonical form and exits 0")
    func valid() {
        let output = CapturedStream()
        let errors = CapturedStream()
        let status = CheckRun.execute(pattern: "{$.a=1||$.b=x&&$.c NOT EXISTS}", output: output, errors: errors)
        #expect(status == 0)
        #expect(output.text == "{ ($.a = 1) || (($.b = \"x\") && ($.c NOT EXISTS)) }\n")
        #expect(errors.text.isEmpty)
    }

    @Test("an invalid pattern prints the diagnostic and exits 1")
    func invalid() {
        let output = CapturedStream()
        let errors = CapturedStream()
        let status = CheckRun.execute(pattern: "{ $.a EXISTS }", output: output, errors: errors)
        #expect(status == 1)
        #expect(output.text.isEmpty)
        #expect(errors.text.contains("`EXISTS` is not supported"))
        #expect(errors.text.contains("hint: write `$.a = *`"))
    }
}
