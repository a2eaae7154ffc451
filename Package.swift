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
        .executableTarget(
            name: "triage",
            dependencies: ["NotificationTriage"],
            path: "Sources/triage"
        ),
        .executableTarget(
            name: "triage-bench",
            dependencies: ["NotificationTriage"],
            path: "Benchmarks/triage-bench"
        ),
        .testTarget(
            name: "NotificationTriageTests",
            dependencies: ["NotificationTriage", "triage"],
            path: "Tests/NotificationTriageTests"
        ),
    ]
)
