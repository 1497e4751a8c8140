import Testing
import TrailDelivery

/// The redaction wrapper: no path to a string reveals the value.
@Suite struct SecretTests {
    static let slack = "https://hooks.slack.com/services/T000/B000/XXXXXXXXSECRET"
    static let teams =
        "https://prod-00.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SIGSECRET"

    @Test func urlsShowSchemeHostAndFingerprintOnly() {
        let secret = Secret(Self.slack)
        #expect(secret.redacted == "https://hooks.slack.com/…#\(secret.fingerprint)")
        #expect(secret.fingerprint.count == 8)
        #expect(secret.fingerprint.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        let teams = Secret(Self.teams)
        #expect(teams.redacted == "https://prod-00.westeurope.logic.azure.com:443/…#\(teams.fingerprint)")
    }

    @Test func otherSecretsShowOnlyTheFingerprint() {
        let key = Secret("R0ut1ngK3yR0ut1ngK3yR0ut1ngK3y12")
        #expect(key.redacted == "<redacted #\(key.fingerprint)>")
    }

    @Test func fingerprintIsTheSHA256PrefixOfTheWholeValue() {
        // printf %s abc | sha256sum → ba7816bf…
        #expect(Secret("abc").fingerprint == "ba7816bf")
        #expect(Secret(Self.slack).fingerprint != Secret(Self.slack + "x").fingerprint)
    }

    @Test(arguments: [
        slack, teams, "https://user:hunter2@example.com/p?q=1", "http://[::1]:8080/SECRETPATH?x=SECRETQUERY",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "https://exa mple.com/SECRETPATH",
    ])
    func noPathToAStringRevealsTheValue(value: String) {
        let secret = Secret(value)
        var dumped = ""
        dump(secret, to: &dumped)
        let renderings = [
            secret.description, secret.debugDescription, "\(secret)", String(describing: secret),
            String(reflecting: secret), dumped, "\([secret])", "\(Optional(secret) as Any)",
            Mirror(reflecting: secret).children.map { "\($0.value)" }.joined(),
        ]
        for text in renderings {
            for leak in ["SECRET", "hunter2", "sig=", "/services", "?", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "p?q"] {
                #expect(!text.contains(leak), "\(text)")
            }
            #expect(text.contains(secret.fingerprint))
        }
    }

    @Test func unredactedValueIsTheValue() {
        #expect(Secret(Self.slack).unredactedValue == Self.slack)
    }
}
