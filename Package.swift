// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Genuine",
    products: [
        .library(name: "QRCode", targets: ["QRCode"]),
        .library(name: "Verification", targets: ["Verification"]),
        .executable(name: "genuine", targets: ["genuine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // The QR library: pure Swift, no dependencies, not even Foundation.
        .target(name: "QRCode"),
        // The verification core: GS1 codes, signing, the SQLite registry, verdicts, mail-in cases.
        // It never sees pixels: photo readings arrive as values the CLI fills from the QR decoder.
        .target(
            name: "Verification",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "genuine",
            dependencies: [
                "QRCode",
                "Verification",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "QRCodeTests", dependencies: ["QRCode"]),
        .testTarget(name: "VerificationTests", dependencies: ["Verification", "genuine"]),
    ]
)
