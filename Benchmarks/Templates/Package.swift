// swift-tools-version:6.0
// Leaf against swift-mustache and typed Swift for the work list's rows (see README.md). A package of
// its own, so the benchmark's extra dependency stays out of Pilar.
import PackageDescription

let package = Package(
    name: "TemplateBench",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(url: "https://github.com/vapor/leaf-kit.git", exact: "1.14.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(name: "TemplateBench", dependencies: [
            .product(name: "LeafKit", package: "leaf-kit"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], swiftSettings: [.swiftLanguageMode(.v5)]),
    ]
)
