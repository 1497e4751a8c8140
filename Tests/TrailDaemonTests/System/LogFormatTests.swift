import Testing
import TrailDaemon

@Suite("LogFormat: auto resolves to journal only when stderr is the journal stream")
struct LogFormatTests {
    @Test("JOURNAL_STREAM matching stderr's device and inode means journal")
    func matchingStreamIsJournal() {
        let format = LogFormat.auto.resolved(environment: ["JOURNAL_STREAM": "8:12345"]) { (8, 12345) }
        #expect(format == .journal)
    }

    @Test(
        "Anything else means text",
        arguments: [
            ([:], (UInt64(8), UInt64(12345)) as (UInt64, UInt64)?),
            (["JOURNAL_STREAM": "8:12345"], (8, 99)),
            (["JOURNAL_STREAM": "8:12345"], (9, 12345)),
            (["JOURNAL_STREAM": "8:12345"], nil),
            (["JOURNAL_STREAM": "garbage"], (8, 12345)),
            (["JOURNAL_STREAM": "8:12345:7"], (8, 12345)),
            (["JOURNAL_STREAM": ":12345"], (0, 12345)),
        ] as [([String: String], (UInt64, UInt64)?)])
    func otherwiseText(environment: [String: String], identity: (UInt64, UInt64)?) {
        let format = LogFormat.auto.resolved(environment: environment) { identity.map { ($0.0, $0.1) } }
        #expect(format == .text)
    }

    @Test("Concrete formats are left alone", arguments: [LogFormat.text, .json, .journal])
    func concreteFormatsStay(format: LogFormat) {
        #expect(format.resolved(environment: ["JOURNAL_STREAM": "8:1"]) { (8, 1) } == format)
    }

    @Test("Configuration words parse", arguments: ["auto", "text", "json", "journal"])
    func configurationWords(word: String) {
        #expect(LogFormat(rawValue: word)?.rawValue == word)
    }

    @Test("This process's stderr has an identity that fstat reports")
    func standardErrorIdentityIsReadable() {
        #expect(LogFormat.standardErrorIdentity() != nil)
    }
}
