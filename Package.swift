// swift-tools-version:6.0
import PackageDescription

// Layers, bottom to top: Core <- Readers <- Rules <- Engine <- Reports <- CLI.
// Arrows point down only.
let package = Package(
    name: "demarc",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "demarc", targets: ["demarc"]),
        // For fuzz/ (a package of its own that links libFuzzer): the reading and rule layers.
        .library(name: "DemarcFuzzable", targets: ["DemarcCore", "DemarcReaders", "DemarcRules"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // SHA-256 of every input byte: OpenSSL's uses the CPU's SHA instructions and runs about
        // 6x faster than a portable Swift one here (README, Design).
        .systemLibrary(
            name: "COpenSSLCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // A prefetch hint for the report's reads of scattered rows (header only, no library).
        .systemLibrary(name: "CHints"),
        .systemLibrary(name: "CSystem"),
        .target(name: "DemarcCore", dependencies: ["COpenSSLCrypto"]),
        .target(name: "DemarcReaders", dependencies: ["DemarcCore", "CLibXML2"]),
        .target(name: "DemarcRules", dependencies: ["DemarcCore", "DemarcReaders", .product(name: "Yams", package: "Yams")]),
        .target(name: "DemarcEngine", dependencies: ["DemarcCore", "DemarcReaders", "DemarcRules", "CHints"]),
        .target(name: "DemarcReports", dependencies: ["DemarcCore", "DemarcRules", "DemarcEngine"]),
        .target(name: "DemarcCLI", dependencies: [
            "DemarcCore", "DemarcReaders", "DemarcRules", "DemarcEngine", "DemarcReports", "CSystem",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "demarc", dependencies: ["DemarcCLI"]),
        // Reader throughput for bench/readers.sh; not shipped.
        .executableTarget(name: "demarc-readbench", dependencies: ["DemarcReaders"]),
        // Report rendering apart from reading and checking, for bench/RESULTS.md; not shipped.
        .executableTarget(name: "demarc-reportbench", dependencies: ["DemarcRules", "DemarcEngine", "DemarcReports"]),
        .testTarget(name: "DemarcCoreTests", dependencies: ["DemarcCore"]),
        .testTarget(name: "DemarcReadersTests", dependencies: ["DemarcReaders"]),
        .testTarget(name: "DemarcRulesTests", dependencies: ["DemarcRules"]),
        .testTarget(name: "DemarcEngineTests", dependencies: ["DemarcEngine", "DemarcRules", "DemarcReports"]),
        .testTarget(name: "DemarcReportsTests", dependencies: ["DemarcCore", "DemarcRules", "DemarcEngine", "DemarcReports"]),
        .testTarget(name: "CLITests", dependencies: ["DemarcCore"]),
    ],
    swiftLanguageModes: [.v6]
)
