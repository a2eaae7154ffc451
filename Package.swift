// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "NotificationTriage",
    products: [
        .library(name: "NotificationTriage", targets: ["NotificationTriage"]),
        .executable(name: "triage", targets: ["triage"]),
        .executable(name: "triage-bench", targets: ["triage-bench"]),
    ],
    targets: [
        .target(
            name: "NotificationTriage",
            path: "Sources/NotificationTriage"
        ),
        .target(
            name: "TriageJobs",
            dependencies: ["NotificationTriage"],
            path: "Sources/TriageJobs"
        ),
        .target(
            name: "TriageSynthesis",
            dependencies: ["NotificationTriage"],
            path: "Sources/TriageSynthesis"
        ),
        .executableTarget(
            name: "triage",
            dependencies: ["NotificationTriage", "TriageJobs", "TriageSynthesis"],
            path: "Sources/triage"
        ),
        .executableTarget(
            name: "library-example",
            dependencies: ["NotificationTriage"],
            path: "Sources/library-example"
        ),
        .executableTarget(
            name: "triage-bench",
            dependencies: ["NotificationTriage", "TriageJobs", "TriageSynthesis"],
            path: "Benchmarks/triage-bench"
        ),
        // Helpers both test targets use: running the built binary, incident builders, the scenario CSV
        // splitter, generated files. A plain target, so it uses only the package and public API.
        .target(
            name: "_TriageTestSupport",
            dependencies: ["NotificationTriage", "TriageSynthesis"],
            path: "Tests/_TriageTestSupport"
        ),
        // The inner loop: `swift test --filter NotificationTriageTests`.
        .testTarget(
            name: "NotificationTriageTests",
            dependencies: [
                "NotificationTriage", "TriageJobs", "TriageSynthesis", "_TriageTestSupport", "triage", "library-example",
            ],
            path: "Tests/NotificationTriageTests"
        ),
        // Slow tests (random mutations and properties over large generated inputs, signal and kill -9 runs,
        // huge inputs); `swift test` runs them with the rest.
        .testTarget(
            name: "NotificationTriageStressTests",
            dependencies: ["NotificationTriage", "TriageJobs", "TriageSynthesis", "_TriageTestSupport", "triage"],
            path: "Tests/NotificationTriageStressTests"
        ),
    ]
)
