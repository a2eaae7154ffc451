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
            name: "TriageSynthesis",
            dependencies: ["NotificationTriage"],
            path: "Sources/TriageSynthesis"
        ),
        .executableTarget(
            name: "triage",
            dependencies: ["NotificationTriage", "TriageSynthesis"],
            path: "Sources/triage"
        ),
        .executableTarget(
            name: "triage-bench",
            dependencies: ["NotificationTriage", "TriageSynthesis"],
            path: "Benchmarks/triage-bench"
        ),
        .testTarget(
            name: "NotificationTriageTests",
            dependencies: ["NotificationTriage", "TriageSynthesis", "triage"],
            path: "Tests/NotificationTriageTests"
        ),
    ]
)
