// swift-tools-version:6.1
import PackageDescription

let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "kubeskew",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kubeskew", targets: ["kubeskew"]),
        // For the in-process benchmarks (Benchmarks/, a package of its own).
        .library(name: "SkewCore", targets: ["SkewCore"]),
        .library(name: "KubeModel", targets: ["KubeModel"]),
        .library(name: "Simulator", targets: ["Simulator"]),
        .library(name: "TUI", targets: ["TUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", exact: "1.7.4"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", exact: "1.0.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections.git", exact: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        // gzip of Helm release Secrets: KubeModel reads them, the simulator writes them. Adam Fowler's (Hummingbird's
        // author) wrapper of the system zlib for NIO ByteBuffers, with a bounded decompression.
        .package(url: "https://github.com/adam-fowler/compress-nio.git", exact: "1.5.0"),
        // Already in the graph through Hummingbird; named because the simulator imports them directly.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", exact: "1.8.0"),
        // Tests only: property-based checks of the engine's loop.
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
    ],
    targets: [
        // Pure domain: versions, skew policy, assessment, release calendar, advisories, upgrade paths.
        .target(name: "SkewCore", swiftSettings: swift6),
        // Terminal text: the one escape-sequence scanner behind the TUI's and the executors' sanitizers.
        .target(name: "TerminalText", swiftSettings: swift6),
        // Pure Kubernetes object models kubeskew reads (nodes, pods, ...) and the cluster snapshot.
        .target(
            name: "KubeModel",
            dependencies: [
                "SkewCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swift6
        ),
        .target(
            name: "KubeClient",
            dependencies: [
                "KubeModel", "SkewCore", "TerminalText",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swift6
        ),
        .target(
            name: "NodeExec",
            dependencies: [
                "SkewCore", "TerminalText",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: swift6
        ),
        .target(
            name: "Upgrade",
            dependencies: [
                "SkewCore", "KubeModel", "KubeClient", "NodeExec",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swift6
        ),
        .target(
            name: "Simulator",
            dependencies: [
                "SkewCore", "KubeModel", "NodeExec",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: swift6
        ),
        .systemLibrary(name: "CNCursesW", providers: [.apt(["libncurses-dev"])]),
        .target(
            name: "TUI",
            dependencies: [
                "SkewCore", "KubeModel", "TerminalText", "CNCursesW",
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: swift6
        ),
        // Builds the git commit into the binary for `kubeskew --version` (scripts/build-info, before every build).
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        .target(name: "BuildInfo", swiftSettings: swift6, plugins: ["BuildInfoPlugin"]),
        // The commands: parse arguments, wire the modules together, render reports.
        .target(
            name: "KubeskewCLI",
            dependencies: [
                "SkewCore", "KubeModel", "KubeClient", "NodeExec", "Upgrade", "Simulator", "TUI", "TerminalText", "BuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swift6
        ),
        .executableTarget(name: "kubeskew", dependencies: ["KubeskewCLI"], swiftSettings: swift6),

        // Helpers shared by the test targets: the built binary, a `kubeskew sim` child, a real sshd, free ports.
        .target(
            name: "TestSupport",
            dependencies: ["NodeExec", .product(name: "Subprocess", package: "swift-subprocess")],
            path: "Tests/TestSupport", swiftSettings: swift6),
        .testTarget(name: "SkewCoreTests", dependencies: ["SkewCore"], swiftSettings: swift6),
        .testTarget(name: "KubeModelTests", dependencies: [
            "KubeModel", .product(name: "CompressNIO", package: "compress-nio"), .product(name: "NIOCore", package: "swift-nio"),
        ], swiftSettings: swift6),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "Simulator"], swiftSettings: swift6),
        .testTarget(name: "NodeExecTests", dependencies: ["NodeExec", "TerminalText", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "UpgradeTests", dependencies: [
            "Upgrade", "Simulator", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ], swiftSettings: swift6),
        .testTarget(name: "SimulatorTests", dependencies: [
            "Simulator", "KubeModel", .product(name: "CompressNIO", package: "compress-nio"),
        ], swiftSettings: swift6),
        .testTarget(name: "TerminalTextTests", dependencies: ["TerminalText"], swiftSettings: swift6),
        .testTarget(name: "TUITests", dependencies: ["TUI"], swiftSettings: swift6),
        .testTarget(name: "KubeskewCLITests", dependencies: ["KubeskewCLI", "TestSupport"], swiftSettings: swift6),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"], swiftSettings: swift6),
    ]
)
