import Testing
@testable import QRCode

/// The last resorts of a read (a symbol completed from two finders, the whole image as one
/// symbol) run after the search has spent its budget of failed triples: clutter or a dense
/// symbol's own false triples use it up, and the code must still read if only they can read it.
@Suite struct LastResortTests {
    static func spentSession() -> ReadSession {
        var session = ReadSession(options: ReaderOptions())
        session.failedAttempts = ReadSession.failedAttemptBudget
        #expect(session.done && !session.finished)
        return session
    }

    @Test func twoFindersStillCompleteWhenTheBudgetIsSpent() throws {
        let page = try TwoFinderTests.page(erasing: 1, version: 2)
        let binary = Binarizer.otsu(page)
        var session = Self.spentSession()
        session.completePairs(binary, finders: FinderPatternFinder(image: binary).find(), gray: page)
        #expect(session.symbols.map(\.text) == [TwoFinderTests.text])
    }

    @Test func wholeImageStillReadsWhenTheBudgetIsSpent() throws {
        let symbol = try QREncoder.encode(TwoFinderTests.text, options: EncodeOptions(level: .M))
        let image = SymbolRenderer.render(symbol.matrix, moduleSize: 3, quietZone: 1)
        var session = Self.spentSession()
        session.readPure(image)
        #expect(session.symbols.map(\.text) == [TwoFinderTests.text])
    }
}
