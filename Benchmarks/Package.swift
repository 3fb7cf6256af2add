// swift-tools-version:6.1
import PackageDescription

// In-process benchmarks of kubeskew's hot paths (decode, assess, rows, render) at 5,000 nodes, with
// ordo-one/benchmark. A package of its own so that the root package's dependency graph stays as it is.
// Run them with scripts/bench-inprocess.
let package = Package(
    name: "KubeskewBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "kubeskew", path: ".."),
        // MallocInterposer alone: malloc counts without jemalloc, and without the RuntimeInterposer trait (whose
        // package is not needed then).
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "HotPaths",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "KubeModel", package: "kubeskew"),
                .product(name: "SkewCore", package: "kubeskew"),
                .product(name: "Simulator", package: "kubeskew"),
                .product(name: "TUI", package: "kubeskew"),
            ],
            path: "Benchmarks/HotPaths",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
