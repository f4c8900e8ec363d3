// swift-tools-version: 6.2
import PackageDescription

/// Settings every target shares (STYLE.md): Swift 6 mode, explicit existentials,
/// imports that are internal unless stated, and member lookups that follow imports.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Tributary",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SyncModel", targets: ["SyncModel"]),
        .library(name: "SyncStore", targets: ["SyncStore"]),
        .library(name: "CountyWork", targets: ["CountyWork"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .target(
            name: "SyncModel",
            swiftSettings: strictSettings
        ),
        .target(
            name: "SyncStore",
            dependencies: [
                "SyncModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CountyWork",
            dependencies: ["SyncModel"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TributaryTestSupport",
            dependencies: ["SyncModel", "SyncStore", "CountyWork"],
            path: "Tests/TributaryTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SyncModelTests",
            dependencies: ["SyncModel", "TributaryTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SyncStoreTests",
            dependencies: ["SyncStore", "SyncModel", "TributaryTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CountyWorkTests",
            dependencies: ["CountyWork", "SyncModel", "TributaryTestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
