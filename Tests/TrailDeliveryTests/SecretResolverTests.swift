import Foundation
import Testing
import TrailDelivery
import TrailTestKit

/// Where secrets come from: values, variables and private files, with errors that name the key
/// and never the value; and the one source a section may give for each secret.
struct SecretResolverTests {
    @Test func secretsComeFromValuesVariablesAndPrivateFiles() throws {
        let temporary = TemporaryDirectory("trailhound-secrets")
        defer { temporary.remove() }
        let directory = temporary.path
        try temporary.write("slack-url", "https://hooks.slack.com/services/T/B/S\n")
        chmod(directory + "/slack-url", 0o600)
        let credentials = SecretResolver(
            environment: ["CREDENTIALS_DIRECTORY": directory, "K": " key "], configurationDirectory: "/etc")
        #expect(try credentials.resolve(.file("slack-url"), path: "u") == "https://hooks.slack.com/services/T/B/S")
        #expect(try credentials.resolve(.environment("K"), path: "k") == "key")
        let beside = SecretResolver(environment: [:], configurationDirectory: directory)
        #expect(try beside.resolve(.file("slack-url"), path: "u").hasSuffix("/S"))
        #expect(throws: ConfigurationError.self) { try beside.resolve(.environment("MISSING"), path: "k") }
        chmod(directory + "/slack-url", 0o644)
        #expect {
            try beside.resolve(.file("slack-url"), path: "sinks[0].url_file")
        } throws: { error in
            "\(error)".contains("readable or writable by others") && !"\(error)".contains("hooks.slack.com")
        }
    }

    @Test func aSectionGivesEachSecretOneWayAtMost() throws {
        #expect(try SecretSource.given(nil, file: nil, environment: nil, key: "url", path: "sinks[0]") == nil)
        #expect(try SecretSource.given("v", file: nil, environment: nil, key: "url", path: "s") == .value("v"))
        #expect(try SecretSource.given(nil, file: "f", environment: nil, key: "url", path: "s") == .file("f"))
        #expect(try SecretSource.given(nil, file: nil, environment: "E", key: "url", path: "s") == .environment("E"))
        #expect(throws: ConfigurationError.invalidValue(path: "sinks[1].secret", reason: "must not be empty")) {
            try SecretSource.given(nil, file: "", environment: nil, key: "secret", path: "sinks[1]")
        }
        #expect(
            throws: ConfigurationError.invalidValue(
                path: "sinks[1].routing_key",
                reason: "give only one of routing_key, routing_key_file and routing_key_env")
        ) {
            try SecretSource.given("k", file: nil, environment: "K", key: "routing_key", path: "sinks[1]")
        }
    }
}
