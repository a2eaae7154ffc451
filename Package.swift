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
        .testTarget(
            name: "NotificationTriageTests",
            dependencies: ["NotificationTriage", "TriageJobs", "TriageSynthesis", "triage", "library-example"],
            path: "Tests/NotificationTriageTests"
        ),
    ]
)
