// swift-tools-version:6.1
import PackageDescription

/// Settings every target shares: Swift 6 language mode with upcoming features that make
/// ownership and typed errors explicit, and warnings for the few unsafe constructs we allow.
let sharedSwiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "trailhound",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "trailhound", targets: ["trailhound"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Pure engine: no I/O, stdlib only.
        .target(name: "TrailJSON", swiftSettings: sharedSwiftSettings),
        .target(name: "TrailPatterns", dependencies: ["TrailJSON"], swiftSettings: sharedSwiftSettings),
        // I/O above the engine: zlib through a system library target (apt: zlib1g-dev).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "TrailReader", dependencies: ["TrailJSON", "CZlib"], swiftSettings: sharedSwiftSettings),
        .target(
            name: "TrailRules",
            dependencies: [
                "TrailPatterns", "TrailJSON", "Yams", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // Pure: the event catalogue (data compiled in, inflated with zlib on first use) and the
        // lint `check` runs against it. Its own target, so the data never rebuilds TrailRules.
        .target(
            name: "TrailLint", dependencies: ["TrailPatterns", "TrailJSON", "CZlib"], exclude: ["Data"],
            swiftSettings: sharedSwiftSettings
        ),
        // The per-file step every command shares (replay, explain, the daemon, the benchmarks): one
        // pass of the reader with the rule set's projection, evaluation, and the pure alarm
        // decisions. No SQLite, no NIO: `replay` needs neither.
        .target(
            name: "TrailEngine", dependencies: ["TrailReader", "TrailRules", "TrailJSON", "TrailPatterns"],
            swiftSettings: sharedSwiftSettings
        ),
        // The delivery vocabulary, what sinks and the daemon agree on: `AlertSink`, delivery
        // results, redacted secrets, and the contract of a sink kind's configuration section.
        .target(
            name: "TrailDelivery",
            dependencies: ["TrailRules", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: sharedSwiftSettings
        ),
        // The daemon: configuration, spool watcher, ledger (SQLite; apt: libsqlite3-dev), outbox,
        // sinks, systemd integration and metrics, as services in a ServiceGroup. Its locks (and
        // TrailTestKit's) are NIOConcurrencyHelpers' pthread mutexes, never Synchronization.Mutex:
        // on Linux that is a futex ThreadSanitizer cannot see, so it reports every access the
        // Mutex guards as a race (scripts/sanitize.sh refuses it).
        .target(
            name: "TrailDaemon",
            dependencies: [
                "TrailJSON", "TrailPatterns", "TrailReader", "TrailRules", "TrailEngine", "Yams",
                "TrailDelivery",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // The small AWS client (no AWS SDK is in the package set): Signature Version 4, and next
        // the credential chain, S3 and SQS calls the SQS source and `replay s3://` need.
        .target(
            name: "TrailAWS",
            dependencies: [
                "TrailReader",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // Webhook sinks beside the daemon, on the delivery vocabulary: their configuration
        // section, payloads, signing, destination checks, HTTP.
        .target(
            name: "TrailWebhook",
            dependencies: [
                "TrailDelivery", "TrailRules", "TrailJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // Thin executable on top.
        .executableTarget(
            name: "trailhound",
            dependencies: [
                "TrailJSON", "TrailPatterns", "TrailReader", "TrailRules", "TrailLint", "TrailEngine", "TrailDaemon",
                "TrailWebhook", "TrailDelivery", "TrailAWS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // Test support shared by the test targets.
        .target(
            name: "TrailTestKit",
            dependencies: [
                "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // Engine benchmark: `swift run -c release trailhound-bench --help` (scripts/bench-engine.sh drives it).
        .executableTarget(
            name: "trailhound-bench",
            dependencies: ["TrailJSON", "TrailPatterns", "TrailReader", "TrailRules", "TrailEngine"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(name: "TrailJSONTests", dependencies: ["TrailJSON"], swiftSettings: sharedSwiftSettings),
        .testTarget(
            name: "TrailAWSTests",
            dependencies: [
                "TrailAWS", "TrailReader", "TrailTestKit", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "TrailPatternsTests",
            dependencies: ["TrailPatterns", "TrailJSON"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "TrailReaderTests",
            dependencies: ["TrailReader", "TrailJSON", "TrailTestKit"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "TrailRulesTests",
            dependencies: ["TrailRules", "TrailPatterns", "TrailJSON", "TrailTestKit"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "TrailLintTests",
            dependencies: ["TrailLint", "TrailPatterns"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "TrailEngineTests",
            dependencies: ["TrailEngine", "TrailRules", "TrailReader", "TrailPatterns", "TrailJSON", "TrailTestKit"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "TrailDeliveryTests",
            dependencies: ["TrailDelivery", "TrailRules", "TrailTestKit"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "TrailDaemonTests",
            dependencies: [
                "TrailDaemon", "TrailEngine", "TrailRules", "TrailReader", "TrailJSON", "TrailPatterns", "TrailTestKit",
                "TrailDelivery",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "TrailWebhookTests",
            dependencies: [
                "TrailWebhook", "TrailDaemon", "TrailRules", "TrailJSON", "TrailPatterns", "TrailTestKit",
                "TrailDelivery",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "TrailTestKitTests", dependencies: ["TrailTestKit"], swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "trailhoundTests",
            dependencies: [
                "trailhound", "TrailPatterns", "TrailJSON", "TrailReader", "TrailEngine", "TrailTestKit",
                "TrailDaemon", "TrailDelivery", "TrailWebhook",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
    ]
)

// libFuzzer targets (Fuzz/<Name>/), declared only when TRAILHOUND_FUZZ is set so that a normal
// `swift build` or `swift test` never sees them. scripts/fuzz.sh builds them with
// `-sanitize=fuzzer,address` for every Swift target, which instruments the libraries under test
// for coverage too. Each target defines `LLVMFuzzerTestOneInput` and an `@main` that starts
// libFuzzer's driver (SwiftPM links `main` to the target's own entry point; see `FuzzDriver`).
if Context.environment["TRAILHOUND_FUZZ"] != nil {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzPatterns", ["TrailPatterns", "TrailJSON", "FuzzSupport"]),
        ("FuzzRegex", ["TrailPatterns", "FuzzSupport"]),
        ("FuzzJSON", ["TrailJSON", "FuzzSupport"]),
        ("FuzzReader", ["TrailReader", "TrailJSON", "FuzzSupport"]),
        ("FuzzRules", ["TrailRules", "TrailPatterns", "TrailJSON", "FuzzSupport"]),
    ]
    package.targets += [
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .target(
            name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Fuzz/Support", swiftSettings: sharedSwiftSettings),
    ]
    for target in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: target.name,
                dependencies: target.dependencies,
                path: "Fuzz/\(target.name.dropFirst("Fuzz".count))",
                exclude: ["seeds", "dictionary.txt"],
                swiftSettings: sharedSwiftSettings
            ))
        package.products.append(.executable(name: target.name, targets: [target.name]))
    }
}
