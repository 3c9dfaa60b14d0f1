import Foundation

/// One photo to judge: where to read it, how it appears in the results, and the lab's context.
public struct BatchInput: Sendable, Equatable {
    /// How the input is named in the results: the path as listed (manifest) or as walked.
    public var label: String
    /// Where the bytes are read from (manifest paths are relative to the manifest's folder).
    public var path: String
    /// The mail-in case the photo belongs to.
    public var caseID: Int64?
    public var orderRef: String?
    public var seller: String?

    public init(label: String, path: String, caseID: Int64? = nil, orderRef: String? = nil, seller: String? = nil) {
        self.label = label
        self.path = path
        self.caseID = caseID
        self.orderRef = orderRef
        self.seller = seller
    }
}

/// Why the list of inputs could not be made. Each message says what to fix.
public enum BatchInputError: Error, Equatable, Sendable, CustomStringConvertible {
    case manifestUnreadable(path: String, reason: String)
    case manifestMalformed(path: String, line: Int, reason: String)
    case manifestWithoutPathColumn(path: String, header: [String])
    case invalidCaseID(path: String, line: Int, value: String)

    public var description: String {
        switch self {
        case let .manifestUnreadable(path, reason):
            return "cannot read the manifest \(path): \(reason)"
        case let .manifestMalformed(path, line, reason):
            return "\(path) line \(line): \(reason); save the manifest as CSV (UTF-8, comma-separated, quotes doubled inside quoted cells)"
        case let .manifestWithoutPathColumn(path, header):
            return "\(path) has no `path` column (header: \(header.joined(separator: ", "))); the first row must name the columns, e.g. path,case_id,order_ref,seller"
        case let .invalidCaseID(path, line, value):
            return "\(path) line \(line): case_id \"\(value)\" is not a case number; use the number `genuine case list` shows, or leave the cell empty"
        }
    }
}

/// Turns the command line's folders, files or manifest into the ordered list of inputs.
public enum BatchInputs {
    /// Every file under each folder (recursively, in byte order of the path), and each file given
    /// directly. Nothing is filtered by name or extension: a file that is not a PNG or JPEG gets
    /// an error record, so a HEIC photo or a stray document is reported rather than skipped.
    /// Hidden entries (names starting with ".") are left out and counted; `excluding` lists
    /// files and folders the run itself uses (results, database, key folder) so they never
    /// become inputs (an error record quotes a file's first bytes, which a key file must not leak).
    public static func walk(_ arguments: [String], excluding: Set<String> = []) -> (inputs: [BatchInput], hiddenSkipped: Int) {
        let excluded = Set(excluding.map(canonical))
        var inputs: [BatchInput] = []
        var hidden = 0
        let files = FileManager.default
        for argument in arguments {
            var isFolder: ObjCBool = false
            guard files.fileExists(atPath: argument, isDirectory: &isFolder), isFolder.boolValue else {
                // A missing path is still an input: it gets a record saying it cannot be read.
                inputs.append(BatchInput(label: argument, path: argument))
                continue
            }
            var found: [String] = []
            if let walker = files.enumerator(atPath: argument) {
                while let relative = walker.nextObject() as? String {
                    let name = (relative as NSString).lastPathComponent
                    let type = walker.fileAttributes?[.type] as? FileAttributeType
                    if name.hasPrefix(".") {
                        hidden += 1
                        if type == .typeDirectory { walker.skipDescendants() }
                        continue
                    }
                    if type == .typeDirectory {
                        if excluded.contains(canonical(argument + "/" + relative)) { walker.skipDescendants() }
                        continue
                    }
                    found.append(relative)
                }
            }
            let prefix = argument.hasSuffix("/") ? argument : argument + "/"
            for relative in found.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                let path = prefix + relative
                if excluded.contains(canonical(path)) { continue }
                inputs.append(BatchInput(label: path, path: path))
            }
        }
        return (inputs, hidden)
    }

    /// The rows of a manifest CSV (header row first; `path` required; `case_id`, `order_ref` and
    /// `seller` used when present; other columns ignored). Blank rows are skipped.
    public static func manifest(path: String) throws(BatchInputError) -> [BatchInput] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .manifestUnreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .manifestUnreadable(path: path, reason: "it is not UTF-8 text")
        }
        let rows: [CSVTable.Row]
        do {
            rows = try CSVTable.parse(text)
        } catch {
            throw .manifestMalformed(path: path, line: error.line, reason: error.reason)
        }
        guard let header = rows.first else { return [] }
        let names = header.cells.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let pathColumn = names.firstIndex(of: "path") else {
            throw .manifestWithoutPathColumn(path: path, header: header.cells)
        }
        let caseColumn = names.firstIndex(of: "case_id")
        let orderColumn = names.firstIndex(of: "order_ref")
        let sellerColumn = names.firstIndex(of: "seller")
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var inputs: [BatchInput] = []
        for row in rows.dropFirst() {
            if row.cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func cell(_ column: Int?) -> String? {
                guard let column, column < row.cells.count else { return nil }
                let value = row.cells[column].trimmingCharacters(in: .whitespaces)
                return value.isEmpty ? nil : value
            }
            guard let listed = cell(pathColumn) else {
                throw .manifestMalformed(path: path, line: row.line, reason: "the path cell is empty")
            }
            var caseID: Int64?
            if let text = cell(caseColumn) {
                guard let number = Int64(text), number > 0 else { throw .invalidCaseID(path: path, line: row.line, value: text) }
                caseID = number
            }
            let readFrom = listed.hasPrefix("/") ? listed : folder.appendingPathComponent(listed).path
            inputs.append(BatchInput(label: listed, path: readFrom, caseID: caseID, orderRef: cell(orderColumn), seller: cell(sellerColumn)))
        }
        return inputs
    }

    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
