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
        // Thin executable on top.
        .executableTarget(
            name: "trailhound",
            dependencies: [
                "TrailJSON", "TrailPatterns", "TrailReader", "TrailRules",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        // Test support shared by the test targets.
        .target(name: "TrailTestKit", dependencies: ["CZlib"], swiftSettings: sharedSwiftSettings),
        // Engine benchmark: `swift run -c release trailhound-bench --help` (scripts/bench-engine.sh drives it).
        .executableTarget(
            name: "trailhound-bench",
            dependencies: ["TrailJSON", "TrailPatterns", "TrailReader", "TrailRules"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(name: "TrailJSONTests", dependencies: ["TrailJSON"], swiftSettings: sharedSwiftSettings),
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
            dependencies: ["TrailRules", "TrailPatterns", "TrailJSON"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "trailhoundTests",
            dependencies: ["trailhound", "TrailPatterns", "TrailJSON", "TrailReader", "TrailTestKit"],
            swiftSettings: sharedSwiftSettings
        ),
    ]
)
