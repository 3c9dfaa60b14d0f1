import ArgumentParser
import Batch
import Foundation

/// `genuine batch`: judge a lab's photos of returned tins, one result line per file.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Judge a folder or manifest of lab photos: one JSON line per input, resumable.",
        discussion: """
            Folders are walked recursively; every file is an input (PNG and JPEG are recognised by their \
            content, anything else gets an error record), hidden files are left out. A manifest CSV has a \
            header row with `path` and optionally `case_id`, `order_ref` and `seller`; relative paths are \
            relative to the manifest. Scans are recorded on the lab_batch channel, never counted as consumer \
            checks, and attached to the manifest's case. Running the same command again (or with --resume) \
            skips inputs already in --out and finishes the rest, also after a crash. The summary goes to \
            stdout as one JSON object, progress to stderr. Exit status 0 when every input has its record \
            (error records for unreadable files included), 1 otherwise.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "CSV listing the photos (columns: path, case_id, order_ref, seller).")
    var manifest: String?

    @Option(help: "Results file, JSON Lines; also what a re-run resumes from.")
    var out: String

    @Option(help: "Also write the records as CSV, in input order.")
    var csv: String?

    @Option(help: "Photos decoded at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @ArgumentParser.Flag(help: "Skip inputs already in --out (also done whenever --out exists).")
    var resume = false

    @Argument(help: "Folders (walked recursively) or files to judge.")
    var paths: [String] = []

    func validate() throws {
        if (manifest == nil) == paths.isEmpty { throw ValidationError("give folders or files, or --manifest FILE.csv (not both)") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let stderr = FileHandle.standardError
        let log: @Sendable (String) -> Void = { stderr.write(Data($0.utf8)) }
        let inputs: [BatchInput]
        var hidden = 0
        if let manifest {
            inputs = try BatchInputs.manifest(path: manifest)
        } else {
            let database = store.databasePath
            let written = Set([out, csv, csv.map { $0 + ".partial" }, database, database + "-wal", database + "-shm",
                               store.keyDirectory.url.path].compactMap { $0 })
            let walked = BatchInputs.walk(paths, excluding: written)
            inputs = walked.inputs
            hidden = walked.hiddenSkipped
        }
        if resume, !FileManager.default.fileExists(atPath: out) { log("\(out) does not exist yet: starting a new run\n") }
        var summary = try BatchRun.run(inputs, store: try store.open(),
                                       options: BatchOptions(outputPath: out, csvPath: csv, jobs: jobs,
                                                             progress: .forStandardError, log: log))
        summary.hiddenSkipped = hidden
        log(summary.text + "\n")
        print(try summary.jsonLine())
        if !summary.complete { throw ExitCode.failure }
    }
}
