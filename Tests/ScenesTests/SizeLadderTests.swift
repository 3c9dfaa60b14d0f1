import Testing
import QRCode
import Scenes

/// The benchmark's size ladder: one scene, scaled.
@Suite struct SizeLadderTests {
    @Test func sameSceneAtEachRequestedSize() {
        let ladder = StressSet.sizeLadder(megapixels: [0.3, 1, 12])
        #expect(ladder.map(\.spec.width) == [632, 1155, 4000])
        #expect(ladder.map(\.spec.height) == [474, 866, 3000])
        #expect(ladder.map(\.grade) == [1, 2, 3])
        #expect(ladder.map(\.name) == ["size-ladder-0.3mp", "size-ladder-1mp", "size-ladder-12mp"])
        // Same payload, and the code covers the same share of the frame at every size.
        #expect(Set(ladder.map(\.expectedTexts)).count == 1)
        let shares = ladder.map { $0.spec.codes[0].moduleSize / Double($0.spec.height) }
        #expect(shares.allSatisfy { abs($0 - shares[0]) < 1e-12 })
        #expect(ladder.allSatisfy { $0.jpegQuality == 90 && $0.category == "size-ladder" })
    }

    @Test func smallestRungReads() throws {
        let rung = try #require(StressSet.sizeLadder(megapixels: [0.3]).first)
        let texts = QRReader.read(SceneRenderer.render(rung.spec)).symbols.map(\.text)
        #expect(texts == rung.expectedTexts)
    }

    /// The ladder's photos without a code: same frames, no code, as much finder-like clutter as
    /// the no-code category's densest grade.
    @Test func clutterLadderHasTheSameFramesAndNoCode() {
        let ladder = StressSet.clutterLadder(megapixels: [0.3, 12])
        #expect(ladder.map(\.spec.width) == StressSet.sizeLadder(megapixels: [0.3, 12]).map(\.spec.width))
        #expect(ladder.map(\.spec.height) == [474, 3000])
        #expect(ladder.map(\.name) == ["size-ladder-no-code-0.3mp", "size-ladder-no-code-12mp"])
        #expect(ladder.allSatisfy { $0.spec.codes.isEmpty && $0.expectedTexts.isEmpty && $0.spec.clutter.finderLikes == 64 })
        #expect(ladder.allSatisfy { $0.jpegQuality == 90 && $0.category == "size-ladder-no-code" })
    }

    /// Finder-like squares drawn at the scale of the frame, and nothing read from them.
    @Test func smallestClutterRungShowsFindersAndReadsNothing() throws {
        let rung = try #require(StressSet.clutterLadder(megapixels: [0.3]).first)
        let result = QRReader.read(SceneRenderer.render(rung.spec))
        #expect(result.symbols.isEmpty)
        #expect(result.statistics.finderCandidates >= 10)
    }
}

/// The kernels the microbenchmarks time do what the reader's stages do.
@Suite struct ReaderKernelTests {
    @Test func thresholdingAndFinderSearchFindTheThreeFinders() throws {
        let symbol = try QREncoder.encode("https://gen.example/01/09501101530003").matrix
        let image = SymbolRenderer.render(symbol, moduleSize: 6)
        // Finder centres: 4 quiet-zone modules plus 3.5 into the 7-module pattern, from either edge.
        let near = (4 + 3.5) * 6, far = (4 + Double(symbol.width) - 3.5) * 6
        let centres = [Point(x: near, y: near), Point(x: far, y: near), Point(x: near, y: far)]
        for binary in [ReaderKernels.localMeanThreshold(image, window: 61), ReaderKernels.otsuThreshold(image)] {
            #expect(binary.width == image.width && binary.height == image.height)
            let finders = ReaderKernels.finderPatterns(in: binary)
            for centre in centres {
                #expect(finders.contains { $0.center.distance(to: centre) < 3 && abs($0.moduleSize - 6) < 1 })
            }
        }
    }
}
