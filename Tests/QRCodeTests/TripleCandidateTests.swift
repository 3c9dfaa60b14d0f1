import Testing
@testable import QRCode

/// `FinderTriple.candidates` keeps the best triples of a page of finder candidates (a heap, and
/// triples whose finder sizes alone score too badly are not weighed): its answer must be the
/// head of the full ranking, ties in the order the triples were found.
@Suite struct TripleCandidateTests {
    /// `count` finder candidates: on a lattice of equal rings (a print of circles, where many
    /// triples tie) or scattered with sizes a third apart at most.
    static func finders(count: Int, lattice: Bool, seed: UInt64) -> [FinderPattern] {
        var generator = SplitMix(seed: seed)
        return (0..<count).map { k in
            if lattice {
                return FinderPattern(center: Point(x: Double(k % 12) * 24 + 12, y: Double(k / 12) * 24 + 12), moduleSize: 2,
                                     confirmations: 2)
            }
            return FinderPattern(center: Point(x: Double.random(in: 0..<600, using: &generator), y: Double.random(in: 0..<600, using: &generator)),
                                 moduleSize: Double.random(in: 3...4, using: &generator), confirmations: 2)
        }
    }

    @Test(arguments: [(30, false), (90, false), (130, false), (40, true), (120, true)])
    func theBestAreTheHeadOfTheFullRanking(count: Int, lattice: Bool) {
        let patterns = Self.finders(count: count, lattice: lattice, seed: UInt64(count))
        let everything = FinderTriple.candidates(patterns, limit: Int.max / 2)
        #expect(everything.count > 60)
        #expect(zip(everything, everything.dropFirst()).allSatisfy { $0.score <= $1.score })
        for limit in [1, 7, 60] {
            let best = FinderTriple.candidates(patterns, limit: limit)
            #expect(best.count == limit)
            let expected = everything.prefix(limit)
            #expect(best.map(\.score) == expected.map(\.score), "limit \(limit)")
            #expect(best.map { [$0.indices.0, $0.indices.1, $0.indices.2] } == expected.map { [$0.indices.0, $0.indices.1, $0.indices.2] },
                    "limit \(limit)")
        }
    }

    @Test func fewFindersGiveNoTriple() {
        let two = Self.finders(count: 2, lattice: false, seed: 1)
        #expect(FinderTriple.candidates(two).isEmpty)
        #expect(!FinderTriple.containsCandidate(two))
        #expect(FinderTriple.containsCandidate(Self.finders(count: 30, lattice: true, seed: 1)))
    }
}
