// swift-tools-version: 6.1
import PackageDescription

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let dequeModule: Target.Dependency = .product(name: "DequeModule", package: "swift-collections")
let heapModule: Target.Dependency = .product(name: "HeapModule", package: "swift-collections")

let package = Package(
    name: "tcpflow-audit",
    products: [
        .executable(name: "tcpflow-audit", targets: ["tcpflow-audit"]),
        .library(name: "FlowAudit", targets: ["FlowAudit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        // libpcap's C API; pkg-config finds it, apt installs it.
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"]), .brew(["libpcap"])]
        ),
        // zlib, for gzip-compressed captures (read transparently, as Wireshark does).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // The CPU's prefetch hint (one static inline C function), for the flow lookups' lookahead.
        .systemLibrary(name: "CPrefetch"),
        // Pure Swift: bytes and capture timestamps in, findings out. No libpcap, no wall clock.
        .target(name: "FlowAudit", dependencies: ["CPrefetch", dequeModule, heapModule]),
        // The only libpcap user: offline files (pcap, pcapng, stdin) and, later, live capture.
        .target(name: "FlowAuditPcap", dependencies: ["CPcap", "CZlib", "FlowAudit"]),
        // The audit's options, parsed in one place for the command line and the corpus's expected files.
        .target(name: "FlowAuditOptions", dependencies: ["FlowAudit", argumentParser]),
        // A regression corpus: captures with expected files (the format, checking, updating).
        .target(name: "FlowAuditRegression", dependencies: ["FlowAudit", "FlowAuditPcap", "FlowAuditOptions"]),
        // Option parsing and wiring only.
        .executableTarget(
            name: "tcpflow-audit",
            dependencies: ["FlowAudit", "FlowAuditPcap", "FlowAuditOptions", "FlowAuditRegression", argumentParser]
        ),
        // Builds frames and pcap files from readable scenario descriptions, for tests and the corpus.
        .target(name: "FlowAuditTestSupport", dependencies: ["FlowAudit"]),
        // The fuzzing harness: the pipeline after libpcap, on frames taken from arbitrary bytes.
        .target(name: "FlowAuditFuzzing", dependencies: ["FlowAudit"]),
        // libFuzzer entry point (Fuzz/run.sh); built plainly it replays inputs, for reproducing.
        .executableTarget(name: "tcpflow-audit-fuzz", dependencies: ["FlowAuditFuzzing"]),
        // Writes the synthetic benchmark captures (Benchmarks/run.sh).
        .executableTarget(name: "tcpflow-audit-benchgen", dependencies: ["FlowAuditTestSupport"]),
        .testTarget(
            name: "FlowAuditTests",
            dependencies: ["FlowAudit", "FlowAuditTestSupport", "FlowAuditRegression"]
        ),
        .testTarget(
            name: "RegressionTests",
            dependencies: [
                "FlowAudit", "FlowAuditPcap", "FlowAuditTestSupport", "FlowAuditOptions", "FlowAuditRegression",
                "FlowAuditFuzzing",
            ]
        ),
    ]
)
