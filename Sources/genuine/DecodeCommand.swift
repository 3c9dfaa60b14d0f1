import ArgumentParser
import Photo
import QRCode

/// `genuine decode`: find and decode the QR codes in photos.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Find and decode QR codes in PNG or JPEG photos.",
        discussion: """
        Exit status: 0 when every file was read (whether or not it held a code), 1 when some \
        file could not be read (the others are still reported), 64 on bad usage.
        """
    )

    @Flag(name: .long, help: "Print one JSON object per input file, one per line, in input order.")
    var json = false

    @Flag(name: .long, help: "Also print what the search saw (finder candidates, grids tried, failures).")
    var verbose = false

    @Flag(name: .long, help: "Add the time per stage (load, binarize, locate, sample, decode, reedSolomon, bitstream; milliseconds) to each result.")
    var timings = false

    @Option(name: .long, help: ArgumentHelp(
        "Seconds the reader may spend on one photo before it answers with what it found (default 3).",
        discussion: "Raise it to measure the whole search on a slow machine or under an instruction counter (benchmarks/instructions.sh)."))
    var timeBudget: Double = 3

    @Argument(help: "Photo files (PNG or JPEG, recognised by content).")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one photo file.") }
        guard timeBudget > 0, timeBudget <= 86_400 else {
            throw ValidationError("--time-budget must be more than 0 and at most 86400 seconds, not \(timeBudget).")
        }
    }

    func run() throws {
        var failed = false
        var options = ReaderOptions()
        options.timeBudget = .milliseconds(Int64((timeBudget * 1000).rounded(.up)))
        for file in files {
            var report = PhotoReport.read(path: file, options: options)
            if !timings { report.timings = nil }
            if report.error != nil { failed = true }
            print(json ? report.json.serialized : report.text)
            if verbose, let s = report.statistics { print("    \(s)") }
        }
        if failed { throw ExitCode(1) }
    }
}

/// One input file's decode outcome, shared by `decode` and the commands that verify photos.
struct PhotoReport {
    var file: String
    var symbols: [DecodedSymbol] = []
    var error: String?
    var statistics: ReadStatistics?
    var diagnosis: Diagnosis?
    /// Milliseconds per stage: load, binarize, locate, sample, decode, total.
    var timings: [(String, Double)]?

    static func read(path: String, options: ReaderOptions = ReaderOptions()) -> PhotoReport {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let image = try PhotoLoader.load(path: path)
            let loaded = clock.now
            let result = QRReader.read(image, options: options)
            let end = clock.now
            let t = result.statistics.timings
            let timings = [("load", loaded - start), ("binarize", t.binarize), ("locate", t.locate), ("sample", t.sample),
                           ("decode", t.decode), ("reedSolomon", t.reedSolomon), ("bitstream", t.bitstream),
                           ("total", end - start)].map { ($0.0, milliseconds($0.1)) }
            return PhotoReport(file: path, symbols: result.symbols, statistics: result.statistics, diagnosis: result.diagnosis,
                               timings: timings)
        } catch {
            return PhotoReport(file: path, error: error.description)
        }
    }

    var json: JSON {
        var fields: [(String, JSON)] = [("file", .string(file))]
        fields.append(("codes", .array(symbols.map(Self.json))))
        if let diagnosis {
            let details = diagnosis.details.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) }
            fields.append(("diagnosis", .object([("reason", .string(diagnosis.reason.rawValue)), ("details", .object(details))])))
        }
        if let timings { fields.append(("timings", .object(timings.map { ($0.0, JSON.double($0.1)) }))) }
        if let error { fields.append(("error", .string(error))) }
        return .object(fields)
    }

    static func json(_ s: DecodedSymbol) -> JSON {
        var fields: [(String, JSON)] = [
            ("text", .string(s.text)),
            ("version", .int(s.version)),
            ("ecLevel", .string(s.level.rawValue)),
            ("symbologyIdentifier", .string(s.symbologyIdentifier)),
            ("corners", .array(s.corners.map { .array([.double($0.x), .double($0.y)]) })),
            ("correctedErrors", .int(s.correctedErrors)),
            ("erasures", .int(s.erasuresUsed.reduce(0, +))),
            ("mask", .int(s.mask)),
            ("mirrored", .bool(s.isMirrored)),
            ("inverted", .bool(s.isInverted)),
        ]
        if let sa = s.content.structuredAppend {
            fields.append(("structuredAppend", .object([
                ("index", .int(sa.index)), ("total", .int(sa.total)), ("parity", .int(Int(sa.parity))),
            ])))
        }
        if !s.content.ecis.isEmpty { fields.append(("eci", .array(s.content.ecis.map { .int($0) }))) }
        return .object(fields)
    }

    var text: String {
        if let error { return "\(file): error: \(error)" }
        if symbols.isEmpty {
            guard let d = diagnosis else { return "\(file): no QR code found" }
            let details = d.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            return "\(file): no QR code read: \(d.reason.rawValue)\(details.isEmpty ? "" : " (\(details))")"
        }
        return symbols.map { s in
            "\(file): \(s.text)\n    version \(s.version)-\(s.level.rawValue), mask \(s.mask), \(s.symbologyIdentifier), "
                + "\(s.correctedErrors) errors corrected\(s.isMirrored ? ", mirrored" : "")\(s.isInverted ? ", inverted" : "")"
        }.joined(separator: "\n")
    }
}

/// A duration in milliseconds, for reports.
func milliseconds(_ d: Duration) -> Double {
    let (seconds, attoseconds) = d.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}
