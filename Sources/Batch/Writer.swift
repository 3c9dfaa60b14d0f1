import Foundation
import Verification

/// The one place a run writes: verifications and result lines, one group at a time under a lock,
/// so database writes are serialised while other threads keep decoding.
final class Writer: @unchecked Sendable {
    private let lock = NSLock()
    private let results: ResultsFile
    private let verifier: Verifier
    private let progress: BatchProgress
    private let inputs: [BatchInput]
    private let plan: Plan
    private var consecutiveStoreFailures = 0
    private(set) var written = 0
    private(set) var failed = 0
    private(set) var scansRecorded = 0
    private(set) var scansReplayed = 0
    /// Time spent holding the lock (verifying and appending): the serial part of a run.
    private(set) var recordTime = Duration.zero
    /// Time the worker threads spent reading and decoding, summed over threads.
    private(set) var decodeTime = Duration.zero
    /// Why the run stopped early, if it did.
    private(set) var stopReason: String?

    /// After this many store failures in a row the run stops: the database is not working, and
    /// each further input would only fail the same way.
    static let storeFailureLimit = 10

    init(results: ResultsFile, verifier: Verifier, progress: BatchProgress, inputs: [BatchInput], plan: Plan) {
        self.results = results
        self.verifier = verifier
        self.progress = progress
        self.inputs = inputs
        self.plan = plan
    }

    var stopped: Bool { lock.withLock { stopReason != nil } }
    var stoppedBecause: String? { lock.withLock { stopReason } }

    /// Gives each input of the group its verdict (one scan per distinct case) and appends its line.
    func commit(_ outcome: Outcome) {
        lock.withLock {
            let entered = ContinuousClock.now
            defer { recordTime += ContinuousClock.now - entered }
            decodeTime += outcome.decodeTime
            guard stopReason == nil else { return }
            var verified: [Int64?: VerificationRecord] = [:]
            for index in outcome.group where stopReason == nil {
                let input = inputs[index]
                var record = BatchRecord(input: input.label, sha256: outcome.sha, caseId: input.caseID)
                record.duplicateOf = plan.duplicateOf[index]
                record.orderRef = input.orderRef
                record.seller = input.seller
                switch outcome.result {
                case .failed(let error):
                    record.error = error.description
                    record.errorKind = error.batchKind
                case .changed:
                    record.error = "the file changed while the batch ran; run the batch again to judge its new content"
                    record.errorKind = "changed_during_run"
                case .decoded(let reading, let details):
                    let verification: VerificationRecord
                    if let earlier = verified[input.caseID] {
                        verification = earlier
                    } else {
                        do throws(VerificationError) {
                            verification = try verifier.verify(Self.request(reading, for: input))
                        } catch {
                            storeFailed(input, error)
                            continue
                        }
                        verified[input.caseID] = verification
                        if verification.replayed { scansReplayed += 1 } else { scansRecorded += 1 }
                    }
                    consecutiveStoreFailures = 0
                    record.scanId = verification.scanId
                    record.verdict = verification.verdict
                    record.reasons = verification.reasons.map(\.rawValue)
                    record.flags = verification.flags.map(\.rawValue)
                    record.code = verification.code
                    record.product = verification.product?.name
                    record.decode = details
                }
                append(record)
            }
        }
    }

    /// The lab scan of one photo for one case; the key makes a re-run replay it.
    static func request(_ reading: PhotoReading, for input: BatchInput) -> VerificationRequest {
        VerificationRequest(input: .photo(reading), channel: .labBatch,
                            idempotencyKey: "batch:\(reading.sha256):\(input.caseID.map(String.init) ?? "none")",
                            sellerID: input.seller, orderRef: input.orderRef,
                            utcOffsetSeconds: TimeZone.current.secondsFromGMT(), caseID: input.caseID)
    }

    private func append(_ record: BatchRecord) {
        do {
            try results.append(try record.jsonLine())
            written += 1
            progress.advance()
        } catch {
            // The results file cannot take lines (disk full, removed): nothing further can be recorded.
            stopReason = "\(error)"
            progress.message("stopping: \(error)")
        }
    }

    private func storeFailed(_ input: BatchInput, _ error: VerificationError) {
        failed += 1
        consecutiveStoreFailures += 1
        progress.advance()
        progress.message("error: \(input.label): \(error) (no record written; running the batch again retries it)")
        if consecutiveStoreFailures >= Self.storeFailureLimit {
            stopReason = "\(error)"
            progress.message("stopping: \(Self.storeFailureLimit) verifications in a row could not be recorded (\(error))")
        }
    }
}

/// Runs `body` for every index below `count` on `jobs` threads, each taking the next index.
enum Workers {
    static func run(jobs: Int, count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        let next = Counter()
        let group = DispatchGroup()
        for _ in 0..<max(1, min(jobs, count)) {
            group.enter()
            let thread = Thread {
                while let index = next.take(below: count) { body(index) }
                group.leave()
            }
            // The reader's recursion depth is bounded, but the default secondary-thread stack is small.
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        func take(below limit: Int) -> Int? {
            lock.withLock {
                guard value < limit else { return nil }
                defer { value += 1 }
                return value
            }
        }
    }
}

/// Per-index results filled by worker threads.
final class Slots<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Value]

    init(count: Int, initial: Value) { storage = Array(repeating: initial, count: count) }

    subscript(index: Int) -> Value {
        get { lock.withLock { storage[index] } }
        set { lock.withLock { storage[index] = newValue } }
    }

    var values: [Value] { lock.withLock { storage } }
}
