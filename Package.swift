// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Genuine",
    products: [
        .library(name: "QRCode", targets: ["QRCode"]),
        .executable(name: "genuine", targets: ["genuine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The QR library: pure Swift, no dependencies, not even Foundation.
        .target(name: "QRCode"),
        .executableTarget(
            name: "genuine",
            dependencies: [
                "QRCode",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "QRCodeTests", dependencies: ["QRCode"], exclude: ["Fixtures"]),
    ]
)
