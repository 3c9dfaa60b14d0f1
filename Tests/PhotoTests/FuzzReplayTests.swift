import FuzzCases
import Testing

/// The seeded hostile inputs of `FuzzCase` (random luminance, damaged symbols, random module
/// matrices, mutated PNG and JPEG files, random codewords) run without a crash. `make fuzz` runs
/// the same cases for ten minutes under the address sanitizer; a seed that ever crashed is kept
/// in `regressions`.
@Suite struct FuzzReplayTests {
    /// Seeds that once crashed or hung (none so far; add any that `make fuzz` reports).
    static let regressions: [UInt64] = []

    @Test func firstSeedsAndRegressionsRunClean() {
        for seed in Array(UInt64(1)...200) + Self.regressions { FuzzCase(seed: seed).run() }
    }

    @Test func everyKindIsExercised() {
        #expect(Set((UInt64(1)...10).map { FuzzCase(seed: $0).kind }).count == 5)
    }
}
