import Foundation
import Glibc
import Photo
import Pipeline
import QRCode
import Verification

/// How a batch runs.
public struct BatchOptions: Sendable {
    /// The JSON Lines results file; also the ledger a re-run resumes from.
    public var outputPath: String
    /// A CSV copy of the records, in input order, rewritten whole at the end of the run.
    public var csvPath: String?
    /// Threads decoding photos; database writes are serialised whatever the number.
    public var jobs: Int
    public var progress: ProgressStyle
    /// Where progress and messages go (stderr in the command).
    public var log: @Sendable (String) -> Void

    public init(outputPath: String, csvPath: String? = nil, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                progress: ProgressStyle = .silent, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.outputPath = outputPath
        self.csvPath = csvPath
        self.jobs = jobs
        self.progress = progress
        self.log = log
    }
}

/// Why a run could not start or finish. Inputs never fail a run: each gets a record.
public enum BatchError: Error, Equatable, Sendable, CustomStringConvertible {
    case results(ResultsFileError)
    case unknownCases([Int64])
    case store(StoreError)
    case csvUnwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .results(let error): return error.description
        case .unknownCases(let ids):
            return "the manifest names cases the database does not have: \(ids.map(String.init).joined(separator: ", ")); "
                + "check the case_id column against `genuine case list` (nothing was processed)"
        case .store(let error): return error.description
        case let .csvUnwritable(path, reason): return "cannot write the CSV \(path): \(reason)"
        }
    }
}

/// Judges a lab's photos: each input gets exactly one record in the results file, scans are
/// recorded on the `lab_batch` channel (never counted as consumer checks) and attached to the
/// input's mail-in case.
///
/// Photos are hashed and decoded on `jobs` threads; verifications and result lines are written
/// one at a time under one lock. Each scan carries the idempotency key `batch:<sha256>:<case>`,
/// so a run killed after a database write but before its result line replays the stored scan on
/// the next run instead of recording a second one, and the line it writes is the same.
public enum BatchRun {
    public static func run(_ inputs: [BatchInput], store: any VerificationStore,
                           options: BatchOptions) throws(BatchError) -> BatchSummary {
        let started = ContinuousClock.now
        try checkCases(inputs, store: store)
        let results: ResultsFile
        do { results = try ResultsFile(path: options.outputPath) } catch { throw .results(error) }

        let hashes = fingerprints(of: inputs, jobs: options.jobs)
        let plan = Plan(inputs: inputs, hashes: hashes, existing: results.existing)
        if !results.existing.isEmpty {
            options.log("resuming \(options.outputPath): \(plan.alreadyDone) of \(inputs.count) inputs already have a record\n")
        }
        let runID: Int64?
        do {
            let configuration = RunConfiguration(out: options.outputPath, csv: options.csvPath, inputs: inputs.count,
                                                 pending: plan.pendingCount, jobs: options.jobs)
            runID = try store.beginBatchRun(configuration: configuration.json, at: Date())
        } catch {
            throw .store(error)
        }
        let progress = BatchProgress(style: options.progress, total: plan.pendingCount, write: options.log)
        let writer = Writer(results: results, verifier: Verifier(store: store), progress: progress, inputs: inputs, plan: plan)
        Workers.run(jobs: options.jobs, count: plan.groups.count) { index in
            guard !writer.stopped else { return }
            writer.commit(judge(plan.groups[index], inputs: inputs, hashes: hashes))
        }
        progress.finish()
        results.synchronize()
        if let runID, !writer.stopped { try? store.finishBatchRun(id: runID, at: Date()) }

        var summary = try tally(inputs, hashes: hashes, outputPath: options.outputPath)
        summary.alreadyDone = plan.alreadyDone
        summary.tornLineDropped = results.droppedTornLine
        summary.jobs = options.jobs
        summary.writtenThisRun = writer.written
        summary.failedThisRun = writer.failed
        summary.scansRecorded = writer.scansRecorded
        summary.scansReplayed = writer.scansReplayed
        summary.stoppedBecause = writer.stoppedBecause
        let seconds = (ContinuousClock.now - started).seconds
        summary.seconds = (seconds * 1000).rounded() / 1000
        summary.decodeSeconds = (writer.decodeTime.seconds * 1000).rounded() / 1000
        summary.recordSeconds = (writer.recordTime.seconds * 1000).rounded() / 1000
        summary.photosPerSecond = seconds > 0 ? (Double(writer.written) / seconds * 100).rounded() / 100 : 0
        if let csvPath = options.csvPath { try writeCSV(inputs, hashes: hashes, outputPath: options.outputPath, to: csvPath) }
        return summary
    }

    /// A manifest naming a case the database lacks is a typo to fix before any photo is judged.
    static func checkCases(_ inputs: [BatchInput], store: any VerificationStore) throws(BatchError) {
        var unknown: [Int64] = []
        for id in Set(inputs.compactMap(\.caseID)).sorted() {
            do {
                if try store.mailInCase(id: id) == nil { unknown.append(id) }
            } catch {
                throw .store(error)
            }
        }
        if !unknown.isEmpty { throw .unknownCases(unknown) }
    }

    /// Each input's content hash, or why its file could not be read, computed on `jobs` threads.
    static func fingerprints(of inputs: [BatchInput], jobs: Int) -> [Fingerprint] {
        let slots = Slots<Fingerprint>(count: inputs.count, initial: .unread(.empty))
        Workers.run(jobs: jobs, count: inputs.count) { index in
            do throws(PhotoError) {
                let bytes = try PhotoLoader.fileBytes(path: inputs[index].path)
                slots[index] = .hashed(PhotoReading.contentHash(of: Data(bytes)))
            } catch {
                slots[index] = .unread(error)
            }
        }
        return slots.values
    }

    /// Reads, decodes and describes one group of inputs sharing content; the verdicts are given
    /// later, under the writer's lock.
    static func judge(_ group: [Int], inputs: [BatchInput], hashes: [Fingerprint]) -> Outcome {
        let started = ContinuousClock.now
        var outcome = describe(group, inputs: inputs, hashes: hashes)
        outcome.decodeTime = ContinuousClock.now - started
        return outcome
    }

    static func describe(_ group: [Int], inputs: [BatchInput], hashes: [Fingerprint]) -> Outcome {
        let leader = group[0]
        guard case .hashed(let sha) = hashes[leader] else {
            if case .unread(let error) = hashes[leader] { return Outcome(group: group, sha: nil, result: .failed(error)) }
            return Outcome(group: group, sha: nil, result: .failed(.empty))
        }
        let bytes: [UInt8]
        do {
            bytes = try PhotoLoader.fileBytes(path: inputs[leader].path)
        } catch {
            return Outcome(group: group, sha: sha, result: .failed(error))
        }
        let analysis = PhotoReadingBuilder.analyse(bytes: bytes)
        guard analysis.reading.sha256 == sha else { return Outcome(group: group, sha: sha, result: .changed) }
        if let error = analysis.loadError { return Outcome(group: group, sha: sha, result: .failed(error)) }
        let details = DecodeDetails(width: analysis.reading.width, height: analysis.reading.height,
                                    symbols: analysis.symbols.map { SymbolDetails($0) }, diagnosis: analysis.reading.diagnosis)
        return Outcome(group: group, sha: sha, result: .decoded(analysis.reading, details))
    }

    /// Counts the records on disk against the inputs: the check that nothing was dropped.
    static func tally(_ inputs: [BatchInput], hashes: [Fingerprint], outputPath: String) throws(BatchError) -> BatchSummary {
        let stored: [BatchRecord]
        do { stored = try ResultsFile.read(path: outputPath) } catch { throw .results(error) }
        let matched = Plan.match(inputs, hashes: hashes, records: stored)
        var summary = BatchSummary()
        summary.inputs = inputs.count
        summary.records = matched.compactMap { $0 }.count
        summary.complete = summary.inputs == summary.records
        summary.otherRecordsInFile = stored.count - summary.records
        for record in matched.compactMap({ $0 }) {
            if record.duplicateOf != nil { summary.duplicates += 1 }
            if let kind = record.errorKind { summary.errors[kind, default: 0] += 1 }
            guard let verdict = record.verdict else { continue }
            summary.verdicts[verdict.rawValue, default: 0] += 1
            if verdict == .inconclusive {
                let why = record.decode?.diagnosis?.reason ?? record.reasons?.first ?? "unknown"
                summary.inconclusiveReasons[why, default: 0] += 1
            }
        }
        return summary
    }

    /// The CSV copy, in input order, written to a temporary file and renamed into place.
    static func writeCSV(_ inputs: [BatchInput], hashes: [Fingerprint], outputPath: String, to path: String) throws(BatchError) {
        let stored: [BatchRecord]
        do { stored = try ResultsFile.read(path: outputPath) } catch { throw .results(error) }
        var lines = [CSVTable.line(BatchRecord.csvHeader)]
        for record in Plan.match(inputs, hashes: hashes, records: stored).compactMap({ $0 }) {
            lines.append(CSVTable.line(record.csvRow))
        }
        let temporary = path + ".partial"
        do {
            try Data((lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw .csvUnwritable(path: path, reason: (error as NSError).localizedDescription)
        }
        // rename(2) replaces the old CSV in one step: a reader sees the old file or the new one.
        guard rename(temporary, path) == 0 else { throw .csvUnwritable(path: path, reason: String(cString: strerror(errno))) }
    }
}

/// What `batch_runs.configuration` records about a run.
struct RunConfiguration: Encodable {
    var out: String
    var csv: String?
    var inputs: Int
    var pending: Int
    var jobs: Int

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// An input's content hash, or why its file could not be read.
enum Fingerprint: Sendable {
    case hashed(String)
    case unread(PhotoError)

    var sha256: String? {
        if case .hashed(let sha) = self { return sha }
        return nil
    }
}

/// What is done, what is left, and which inputs share content.
struct Plan: Sendable {
    /// Pending inputs grouped by content (input order inside and between groups): each group's
    /// photo is decoded once. Unreadable files are groups of one.
    var groups: [[Int]] = []
    var pendingCount = 0
    var alreadyDone = 0
    /// For each input, the first input (in input order) with the same content, when not itself.
    var duplicateOf: [String?]

    init(inputs: [BatchInput], hashes: [Fingerprint], existing: [BatchRecord]) {
        let done = Self.match(inputs, hashes: hashes, records: existing).map { $0 != nil }
        var firstWithContent: [String: Int] = [:]
        duplicateOf = Array(repeating: nil, count: inputs.count)
        var groupOfContent: [String: Int] = [:]
        for index in inputs.indices {
            let sha = hashes[index].sha256
            if let sha {
                if let first = firstWithContent[sha] { duplicateOf[index] = inputs[first].label } else { firstWithContent[sha] = index }
            }
            if done[index] {
                alreadyDone += 1
                continue
            }
            pendingCount += 1
            if let sha, let group = groupOfContent[sha] {
                groups[group].append(index)
            } else {
                if let sha { groupOfContent[sha] = groups.count }
                groups.append([index])
            }
        }
    }

    /// Each input's record in `records`, or nil. Inputs listed twice with the same content and
    /// case take that many records, in order, so a repeated listing is never taken for done.
    static func match(_ inputs: [BatchInput], hashes: [Fingerprint], records: [BatchRecord]) -> [BatchRecord?] {
        var byKey: [String: [BatchRecord]] = [:]
        for record in records { byKey[record.doneKey, default: []].append(record) }
        var used: [String: Int] = [:]
        return inputs.indices.map { index in
            let key = BatchRecord.doneKey(label: inputs[index].label, sha256: hashes[index].sha256, caseID: inputs[index].caseID)
            let occurrence = used[key, default: 0]
            used[key] = occurrence + 1
            guard let found = byKey[key], occurrence < found.count else { return nil }
            return found[occurrence]
        }
    }
}

/// A decoded (or failed) group, ready for the writer.
struct Outcome: Sendable {
    enum Result: Sendable {
        case decoded(PhotoReading, DecodeDetails)
        case failed(PhotoError)
        /// The file's content differs from the hash taken at the start of the run.
        case changed
    }

    var group: [Int]
    var sha: String?
    var result: Result
    var decodeTime = Duration.zero
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension SymbolDetails {
    init(_ symbol: DecodedSymbol) {
        self.init(text: symbol.text, symbology: symbol.symbologyIdentifier, version: symbol.version,
                  ecLevel: symbol.level.rawValue, correctedErrors: symbol.correctedErrors,
                  erasures: symbol.erasuresUsed.reduce(0, +), mirrored: symbol.isMirrored)
    }
}

extension PhotoError {
    /// The record's `errorKind`.
    var batchKind: String {
        switch self {
        case .fileUnreadable, .fileUnwritable: return "unreadable_file"
        case .empty: return "empty_file"
        case .unrecognizedFormat: return "not_an_image"
        case .tooLarge: return "too_large"
        case .truncated: return "truncated"
        case .corrupt: return "corrupt"
        case .unsupported: return "unsupported_image"
        }
    }
}
