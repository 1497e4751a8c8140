import Foundation
import Testing

/// `trailhound rules` as a user runs it, on the bundled pack.
struct RulesProcessTests {
    @Test("the bundled pack as JSON lines (not a terminal) and as a table")
    func listing() async throws {
        let json = try await BinaryRun.run(["rules"])
        #expect(json.status == 0, "\(json.error)")
        let rules = json.output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(rules.count > 20)
        let burst = try #require(rules.first { $0["id"] as? String == "console-login-failures-burst" })
        #expect(burst["alarm"] as? String == "≥3 in 5m by $.userIdentity.userName")
        #expect(rules.contains { $0["enabled"] as? Bool == false })

        let table = try await BinaryRun.run(["rules", "--format", "table"])
        let lines = table.output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID ") == true)
        #expect(lines.count == rules.count + 1)
        #expect(
            lines.contains {
                $0.hasPrefix("console-login-failures-burst ") && $0.hasSuffix("by $.userIdentity.userName")
            })
    }

    @Test("--attack-layer prints a Navigator layer 4.5 of the enabled rules' techniques")
    func attackLayer() async throws {
        let result = try await BinaryRun.run(["rules", "--attack-layer"])
        #expect(result.status == 0, "\(result.error)")
        let layer = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect((layer["versions"] as? [String: String])?["layer"] == "4.5")
        #expect(layer["domain"] as? String == "enterprise-attack")
        let techniques = try #require(layer["techniques"] as? [[String: Any]])
        let cloudLogs = try #require(techniques.first { $0["techniqueID"] as? String == "T1562.008" })
        #expect((cloudLogs["score"] as? Int ?? 0) >= 2)
        #expect((cloudLogs["comment"] as? String)?.contains("cloudtrail-stopped-or-deleted") == true)
        #expect(techniques.allSatisfy { ($0["techniqueID"] as? String)?.hasPrefix("T") == true })

        let misuse = try await BinaryRun.run(["rules", "--all"])
        #expect(misuse.status == 2)
    }
}
