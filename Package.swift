// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Genuine",
    products: [
        .library(name: "QRCode", targets: ["QRCode"]),
        .library(name: "Photo", targets: ["Photo"]),
        .library(name: "Verification", targets: ["Verification"]),
        .library(name: "Scenes", targets: ["Scenes"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
        .executable(name: "genuine", targets: ["genuine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        // The QR library: pure Swift, no dependencies, not even Foundation.
        // Optimised even in debug builds: the pixel loops run 20–300× slower unoptimised, which
        // would make the real-photo regression tests take many minutes.
        .target(name: "QRCode", swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),

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
            linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("png16"), .linkedLibrary("deflate")]
        ),
        // Image files in and out: PNG/JPEG bytes to and from GrayImage.
        .target(name: "Photo", dependencies: ["QRCode", "CImageCodecs"]),

        // Package-photo renderer: the stress set, the demo's photos and the test scenes.
        .target(name: "Scenes", dependencies: ["QRCode"], swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),

        // The verification core: GS1 codes, signing, the SQLite registry, verdicts, mail-in cases.
        // It never sees pixels: photo readings arrive as values the CLI fills from the QR decoder.
        .target(
            name: "Verification",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // Photo bytes → luminance → QR reader → what the verification core judges. Shared by
        // `genuine verify`, `genuine batch` and the upload service.
        .target(name: "Pipeline", dependencies: ["QRCode", "Photo", "Verification"]),

        // The upload service and its page (`genuine serve`): HTTP in, verdicts out, through Pipeline.
        .target(
            name: "Server",
            dependencies: [
                "Pipeline", "Verification", "Photo",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ]
        ),

        .executableTarget(
            name: "genuine",
            dependencies: [
                "QRCode",
                "Photo",
                "Verification",
                "Pipeline",
                "Scenes",
                "Batch",
                "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Seeded hostile inputs for the reader and the loader: replayed by the tests, run for
        // minutes under the address sanitizer by `make fuzz` (the qrfuzz driver).
        .target(name: "FuzzCases", dependencies: ["QRCode", "Photo", "Scenes"]),
        .executableTarget(name: "qrfuzz", dependencies: ["FuzzCases"]),

        .testTarget(name: "QRCodeTests", dependencies: ["QRCode"], exclude: ["Fixtures"]),
        .testTarget(name: "PhotoTests", dependencies: ["Photo", "QRCode", "FuzzCases"]),
        .testTarget(name: "CorpusTests", dependencies: ["Photo", "QRCode"]),
        .testTarget(name: "VerificationTests", dependencies: ["Verification", "genuine"]),
        .testTarget(name: "ScenesTests", dependencies: ["Scenes", "QRCode"]),

        // Lab photo batches: parallel decoding, serialised lab_batch scans, resumable JSON Lines.
        .target(name: "Batch", dependencies: ["Pipeline", "Verification", "Photo", "QRCode"]),
        .testTarget(name: "BatchTests", dependencies: ["Batch", "Verification", "Photo", "QRCode", "Scenes", "genuine",
                                                   .product(name: "GRDB", package: "GRDB.swift")]),

        // Microbenchmarks of the reader's hot kernels (`swift package benchmark`, `make bench`).
        .executableTarget(
            name: "QRKernels",
            dependencies: ["QRCode", "Scenes", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/QRKernels",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Verification", "QRCode", "Photo",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)
