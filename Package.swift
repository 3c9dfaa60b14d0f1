// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Genuine",
    products: [
        .library(name: "QRCode", targets: ["QRCode"]),
        .library(name: "Photo", targets: ["Photo"]),
        .library(name: "Scenes", targets: ["Scenes"]),
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
                "Photo",
                "Scenes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "QRCodeTests", dependencies: ["QRCode"], exclude: ["Fixtures"]),

        // libpng's headers live in <include>/libpng16; pkg-config supplies the flags.
        .systemLibrary(
            name: "CLibPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        // C shim over libpng and libjpeg: every setjmp/longjmp stays inside C.
        .target(
            name: "CImageCodecs",
            dependencies: ["CLibPNG"],
            linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("png16")]
        ),
        // Image files in and out: PNG/JPEG bytes to and from GrayImage.
        .target(name: "Photo", dependencies: ["QRCode", "CImageCodecs"]),
        .testTarget(name: "PhotoTests", dependencies: ["Photo", "QRCode"]),

        // Synthetic package photos for the stress set: pure Swift like the QR library.
        .target(name: "Scenes", dependencies: ["QRCode"]),
        .testTarget(name: "ScenesTests", dependencies: ["Scenes", "QRCode"]),
    ]
)
