import Foundation
import Verification

/// The end-of-run account, counted from the results file as it is on disk after the run.
/// `complete` holds exactly when every input has its record (`inputs == records`).
public struct BatchSummary: Sendable, Equatable, Codable {
    public var inputs = 0
    /// Inputs that have their record in the results file (from this run or an earlier one).
    public var records = 0
    public var complete = false
    /// Records per verdict, e.g. `GENUINE: 12`.
    public var verdicts: [String: Int] = [:]
    /// INCONCLUSIVE records by why: the decoder's diagnosis, or the verdict's reason.
    public var inconclusiveReasons: [String: Int] = [:]
    /// Error records per kind, e.g. `not_an_image: 2`.
    public var errors: [String: Int] = [:]
    /// Inputs repeating an earlier input's content.
    public var duplicates = 0
    /// Inputs found done in the results file and skipped.
    public var alreadyDone = 0
    public var writtenThisRun = 0
    /// Inputs left without a record this run because the store failed; running again retries them.
    public var failedThisRun = 0
    public var scansRecorded = 0
    /// Scans found already stored for the same photo and case (a run cut off after its database write).
    public var scansReplayed = 0
    /// Lines in the results file that belong to no input of this run (another batch, or a file
    /// whose content changed since).
    public var otherRecordsInFile = 0
    public var tornLineDropped = false
    /// Why the run stopped before judging every input (the store or the results file failing).
    public var stoppedBecause: String?
    /// Hidden files and folders left out of the folder walk.
    public var hiddenSkipped = 0
    public var jobs = 0
    public var seconds = 0.0
    /// Reading and decoding photos, summed over the worker threads (runs in parallel).
    public var decodeSeconds = 0.0
    /// Verifying and writing result lines, one input at a time (the part that does not scale with jobs).
    public var recordSeconds = 0.0
    /// Inputs judged this run per second of wall-clock time (hashing, decoding and recording).
    public var photosPerSecond = 0.0

    public init() {}

    /// One JSON object (sorted keys), for stdout.
    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A few lines for people.
    public var text: String {
        func counts(_ values: [String: Int]) -> String {
            values.isEmpty ? "none" : values.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        var lines = ["inputs \(inputs), records \(records)" + (complete ? " (complete)" : " — \(inputs - records) inputs have no record yet: run the same command again")]
        lines.append("verdicts: \(counts(verdicts))")
        if !inconclusiveReasons.isEmpty { lines.append("inconclusive: \(counts(inconclusiveReasons))") }
        if !errors.isEmpty { lines.append("errors (file could not be judged): \(counts(errors))") }
        lines.append("this run: \(writtenThisRun) written, \(alreadyDone) already done, \(failedThisRun) failed; "
                     + "\(scansRecorded) scans recorded, \(scansReplayed) replayed; \(duplicates) duplicates; "
                     + String(format: "%.1f s, %.2f photos/s with %d jobs (decoding %.1f s over all jobs, recording %.1f s)",
                              seconds, photosPerSecond, jobs, decodeSeconds, recordSeconds))
        if let stoppedBecause { lines.append("stopped early: \(stoppedBecause)") }
        if otherRecordsInFile > 0 { lines.append("note: \(otherRecordsInFile) lines in the results file belong to no input of this run") }
        if tornLineDropped { lines.append("note: an unfinished last line from an interrupted run was dropped and its input judged again") }
        if hiddenSkipped > 0 { lines.append("note: \(hiddenSkipped) hidden files or folders were left out") }
        return lines.joined(separator: "\n")
    }
}
