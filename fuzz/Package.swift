// swift-tools-version:5.4
// Tools version 5.4 on purpose: from 5.5 on, SwiftPM links executables with
// `--defsym main=<Module>_main`, which clashes with libFuzzer's own `main`.
// Build and run with ../scripts/fuzz (see README.md).
import Foundation
import PackageDescription

// The Strata package under test: the repository itself, or the source snapshot that
// scripts/fuzz copies (so edits made while the harnesses build cannot break the build).
let strata = ProcessInfo.processInfo.environment["STRATA_FUZZ_PACKAGE"] ?? ".."

let package = Package(
    name: "StrataFuzz",
    dependencies: [
        .package(name: "Strata", path: strata),
    ],
    targets: [
        // Shared oracles: diagnostics stay inside their files, outputs stay safe.
        .target(name: "FuzzSupport", dependencies: [.product(name: "Strata", package: "Strata")]),
        // One libFuzzer harness per front door; each exposes LLVMFuzzerTestOneInput.
        .executableTarget(name: "FuzzYAML", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzMarkdown", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzPipeline", dependencies: ["FuzzSupport"]),
    ]
)
