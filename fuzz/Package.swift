// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for demarc. Not part of the normal build: each target defines
// `LLVMFuzzerTestOneInput` and no `main`, so it links only with `-sanitize=fuzzer`.
// Build and run one with `fuzz/run.sh TARGET SECONDS`.
let package = Package(
    name: "demarc-fuzz",
    dependencies: [.package(name: "demarc", path: "..")],
    targets: [
        .executableTarget(name: "FuzzCSV", dependencies: [.product(name: "DemarcFuzzable", package: "demarc")]),
        .executableTarget(name: "FuzzXML", dependencies: [.product(name: "DemarcFuzzable", package: "demarc")]),
        .executableTarget(name: "FuzzRules", dependencies: [.product(name: "DemarcFuzzable", package: "demarc")]),
        .executableTarget(name: "FuzzExpr", dependencies: [.product(name: "DemarcFuzzable", package: "demarc")]),
    ],
    swiftLanguageModes: [.v6]
)
