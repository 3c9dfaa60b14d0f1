import ArgumentParser
import Foundation
import Pipeline
import Verification

/// `genuine verify`: judge codes (and, once the decoder is wired, photos) against the registry.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a code against the registry and record the check.",
        discussion: """
            Without --consumer the check is a command-line check that counts toward nothing. With --consumer ID it \
            is recorded as that consumer's verification (for demos, support staff and tests). The exit status \
            reflects errors only, never the verdict: a counterfeit verdict exits 0.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "Record the check as this consumer's verification.")
    var consumer: String?

    @Option(help: "The decoded text of a code (Digital Link URI or GS1 element string). Repeatable.")
    var code: [String] = []

    @Option(help: "Retries with the same key return the first answer and count once.")
    var idempotencyKey: String?

    @Option(help: "Shop the tin was bought from (a seller id in the registry).")
    var seller: String?

    @Option(help: "Coarse region of the check, e.g. CN-31.")
    var region: String?

    @Option(help: "Latitude of the check (with --longitude) for the impossible-travel rule.")
    var latitude: Double?

    @Option(help: "Longitude of the check.")
    var longitude: Double?

    @ArgumentParser.Flag(help: "Print one JSON object per input.")
    var json = false

    @Argument(help: "Package photos (PNG or JPEG) to read and verify.")
    var photos: [String] = []

    func validate() throws {
        if code.isEmpty && photos.isEmpty { throw ValidationError("give at least one PHOTO or --code TEXT") }
        if (latitude == nil) != (longitude == nil) { throw ValidationError("give --latitude and --longitude together") }
        if idempotencyKey != nil, code.count + photos.count > 1 { throw ValidationError("--idempotency-key applies to a single input") }
    }

    func run() throws {
        let verifier = Verifier(store: try store.open())
        var failures = 0
        for text in code {
            failures += verifyAndReport(.code(ReadCode(text: text)), label: text, verifier: verifier) ? 0 : 1
        }
        for path in photos {
            do {
                failures += verifyPhoto(try PhotoReadingBuilder.reading(path: path), label: path, verifier: verifier) ? 0 : 1
            } catch {
                reportFailure(error, label: path)
                failures += 1
            }
        }
        if failures > 0 { throw ExitCode.failure }
    }

    /// Verifies what the decoder read from one photo. The photo command path calls this with the
    /// decoder's result; an unreadable photo still gets a recorded INCONCLUSIVE verdict and a case.
    func verifyPhoto(_ reading: PhotoReading, label: String, verifier: Verifier) -> Bool {
        verifyAndReport(.photo(reading), label: label, verifier: verifier)
    }

    /// Verifies one input and prints its record; prints the error and returns `false` when no
    /// verdict could be given (nothing is shown as a verdict then).
    func verifyAndReport(_ input: VerificationRequest.Input, label: String, verifier: Verifier) -> Bool {
        do {
            let record = try verifier.verify(request(for: input))
            print(json ? try JSONOutput.line(record) : HumanReport.text(record, label: label))
            return true
        } catch {
            reportFailure(error, label: label)
            return false
        }
    }

    /// An input that got no verdict still gets its line: a JSON error record with --json, and the
    /// error on stderr.
    func reportFailure(_ error: any Error, label: String) {
        if json {
            let line = (try? JSONOutput.line(["input": label, "error": "\(error)"])) ?? "{\"error\":\"unprintable\"}"
            print(line)
        }
        FileHandle.standardError.write(Data("error: \(label): \(error)\n".utf8))
    }

    func request(for input: VerificationRequest.Input) -> VerificationRequest {
        VerificationRequest(input: input, channel: consumer == nil ? .cli : .consumer, verifierID: consumer,
                            idempotencyKey: idempotencyKey, region: region,
                            coordinates: latitude.flatMap { lat in longitude.map { Coordinates(latitude: lat, longitude: $0) } },
                            sellerID: seller, utcOffsetSeconds: TimeZone.current.secondsFromGMT())
    }
}

/// The plain-text rendering of a verification for people.
enum HumanReport {
    static func text(_ record: VerificationRecord, label: String) -> String {
        var lines = ["\(label)", "  verdict: \(record.verdict.rawValue)"]
        if !record.reasons.isEmpty { lines.append("  reasons: \(record.reasons.map(\.rawValue).joined(separator: ", "))") }
        if !record.flags.isEmpty { lines.append("  flags: \(record.flags.map(\.rawValue).joined(separator: ", "))") }
        lines.append("  advice: \(record.advice)")
        if let diagnosis = record.diagnosis { lines.append("  diagnosis: \(diagnosis.reason)") }
        if let product = record.product {
            lines.append("  product: \(product.name)\(product.brand.map { " (\($0))" } ?? "")")
        }
        if let code = record.code {
            lines.append("  code: GTIN \(code.gtin) lot \(code.lot ?? "-") serial \(code.serial ?? "-") expiry \(code.expiry ?? "-")")
        }
        if let lot = record.lot {
            lines.append("  made: \(lot.productionDate)\(lot.factory.map { " at \($0)" } ?? ""), expires \(lot.expiry)")
        }
        for step in record.timeline {
            lines.append("    \(step.at)  \(step.step)  \(step.place ?? "")")
        }
        if let recall = record.recall { lines.append("  recall: \(recall.reason)") }
        if let claims = record.claims, claims.distinctVerifiers > 0 {
            lines.append("  verified by \(claims.distinctVerifiers) consumer(s)")
        }
        if record.mailIn.offered {
            lines.append("  mail-in: " + (record.mailIn.caseId.map { "case \($0) is open" } ?? "available on request"))
        }
        lines.append("  scan: \(record.scanId)\(record.replayed ? " (replayed)" : "")")
        return lines.joined(separator: "\n")
    }
}
