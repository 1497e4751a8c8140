import CLibFuzzer

// FuzzSupport: what the libFuzzer targets under Fuzz/ share: the entry point that starts
// libFuzzer, a few fixed records to match against, and a check that turns a broken invariant
// into a crash libFuzzer reports.
//
// The targets exist to find inputs that crash, hang or corrupt memory, and inputs for which a
// documented property does not hold; `FuzzCheck.expect` makes the latter visible to libFuzzer.
#if canImport(Glibc)
    import Glibc
#endif

/// Starts libFuzzer from a target's `main`.
///
/// SwiftPM links an executable target's `main` from the module's own entry point (on Linux it
/// renames the entry point to `<Module>_main` and aliases `main` to it), so libFuzzer's `main`
/// cannot be used: each target has an `@main` type whose `main()` calls `run`, which hands the
/// command line to `LLVMFuzzerRunDriver`, the libFuzzer driver behind its own `main`.
package enum FuzzDriver {
    /// The signature of `LLVMFuzzerTestOneInput`, as libFuzzer calls it.
    package typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// Runs libFuzzer with the process's arguments and exits with its status.
    package static func run(_ testOneInput: TestOneInput) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
    }

    /// A valid address for an empty input, should libFuzzer ever pass none.
    nonisolated(unsafe) package static let emptyInput: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()
}

/// Turns a broken invariant into a crash with a message, so libFuzzer saves the input.
package enum FuzzCheck {
    /// Stops the process with `message` when `condition` is false.
    @inline(__always)
    package static func expect(
        _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, line: UInt = #line
    ) {
        if !condition() { fatalError("fuzz invariant broken: \(message())", line: line) }
    }
}

/// Fixed records the pattern and rule targets evaluate every compiled pattern against.
///
/// They cover the shapes the matcher treats differently: a CloudTrail-like object with nested
/// objects, arrays, escapes, numbers, booleans and null, an empty object, and records that are
/// not objects at all (which JSON patterns never match, but term patterns do).
package enum FuzzRecords {
    package static let all: [[UInt8]] = [
        #"""
        {"eventVersion":"1.09","userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333","userName":"alice","sessionContext":{"attributes":{"mfaAuthenticated":"false","creationDate":"2026-11-22T10:00:00Z"}}},"eventTime":"2026-11-22T10:00:05Z","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.30","errorCode":"AccessDenied","errorMessage":"User: arn:aws:iam::111122223333:user/bob is not authorized","requestParameters":{"name":"trail-1","count":3,"ratio":-1.5e2,"tags":["a","b\u0041",null,true]},"responseElements":null,"resources":[{"ARN":"arn:aws:cloudtrail:us-east-1:111122223333:trail/t1","type":"AWS::CloudTrail::Trail"},{"ARN":"arn:2"}],"readOnly":false,"managementEvent":true,"additionalEventData":{"MFAUsed":"No","LoginTo":"https://console.aws.amazon.com/"},"esc":"tab\there \"quoted\" \u00e9\ud83d\ude00","n":0,"big":12345678901234567890}
        """#,
        #"{"eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Failure"},"userIdentity":{"type":"IAMUser","userName":"bob"},"eventTime":"2026-11-22T10:01:00Z","x":[[1,2],[3,[4]]],"":""}"#,
        #"{}"#,
        #"[{"eventName":"StopLogging"},1,"s"]"#,
        #""plain text record with ERROR and 127.0.0.1""#,
        #"-12.5e-3"#,
        #"null"#,
    ].map { Array($0.utf8) }
}
