import Foundation
import Verification

/// The one result line an input gets: a verdict with its reasons and the decoder's details, or an
/// error saying why the file could not be judged.
public struct BatchRecord: Sendable, Equatable, Codable {
    public var input: String
    /// SHA-256 of the file; absent only when the file could not be opened.
    public var sha256: String?
    public var caseId: Int64?
    /// The lab scan recorded for this photo; a duplicate of the same photo in the same case shares it.
    public var scanId: String?
    public var verdict: Verdict?
    public var reasons: [String]?
    public var flags: [String]?
    public var code: VerificationRecord.CodeFields?
    public var product: String?
    public var decode: DecodeDetails?
    /// The first input (in input order) with the same content, when this one repeats it.
    public var duplicateOf: String?
    public var orderRef: String?
    public var seller: String?
    /// Why the file got no verdict, in words the lab can act on.
    public var error: String?
    /// The error's kind for filtering: `unreadable_file`, `empty_file`, `not_an_image`, `too_large`,
    /// `truncated`, `corrupt`, `unsupported_image`, `changed_during_run`.
    public var errorKind: String?

    public init(input: String, sha256: String?, caseId: Int64?) {
        self.input = input
        self.sha256 = sha256
        self.caseId = caseId
    }

    /// The identity resume uses: the same listing of the same content for the same case is done.
    var doneKey: String { Self.doneKey(label: input, sha256: sha256, caseID: caseId) }

    static func doneKey(label: String, sha256: String?, caseID: Int64?) -> String {
        "\(label)\u{1F}\(sha256 ?? "-")\u{1F}\(caseID.map(String.init) ?? "-")"
    }

    /// One JSON object with the fields in a fixed order (input, sha256, caseId, scanId first), so
    /// the file reads the same on every run and a replayed record is byte-identical.
    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var fields: [String] = []
        func add(_ key: String, _ value: (some Encodable)?, always: Bool = false) throws {
            if value == nil && !always { return }
            let text = try value.map { String(decoding: try encoder.encode($0), as: UTF8.self) } ?? "null"
            fields.append("\"\(key)\":\(text)")
        }
        try add("input", input)
        try add("sha256", sha256, always: true)
        try add("caseId", caseId, always: true)
        try add("scanId", scanId, always: true)
        try add("verdict", verdict)
        try add("reasons", reasons)
        try add("flags", flags)
        try add("code", code)
        try add("product", product)
        try add("decode", decode)
        try add("duplicateOf", duplicateOf)
        try add("orderRef", orderRef)
        try add("seller", seller)
        try add("error", error)
        try add("errorKind", errorKind)
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// The CSV columns, in the order of ``csvRow``.
    public static let csvHeader = ["input", "sha256", "case_id", "scan_id", "verdict", "reasons", "gtin", "lot", "serial",
                                   "expiry", "symbols", "version", "ec_level", "corrected_errors", "diagnosis",
                                   "duplicate_of", "order_ref", "seller", "error_kind", "error"]

    /// The record as one CSV row; the first symbol's decoder details stand for the photo.
    public var csvRow: [String] {
        let symbol = decode?.symbols.first
        return [input, sha256 ?? "", caseId.map(String.init) ?? "", scanId ?? "", verdict?.rawValue ?? "",
                (reasons ?? []).joined(separator: ";"), code?.gtin ?? "", code?.lot ?? "", code?.serial ?? "",
                code?.expiry ?? "", decode.map { String($0.symbols.count) } ?? "", symbol.map { String($0.version) } ?? "",
                symbol?.ecLevel ?? "", symbol.map { String($0.correctedErrors) } ?? "", decode?.diagnosis?.reason ?? "",
                duplicateOf ?? "", orderRef ?? "", seller ?? "", errorKind ?? "", error ?? ""]
    }
}

/// What the reader made of the photo, beside the verdict.
public struct DecodeDetails: Sendable, Equatable, Codable {
    public var width: Int?
    public var height: Int?
    /// Every symbol read, in the reader's order.
    public var symbols: [SymbolDetails]
    /// Why no code (or no usable code) was read.
    public var diagnosis: ReadDiagnosis?
}

/// One decoded QR symbol.
public struct SymbolDetails: Sendable, Equatable, Codable {
    public var text: String
    /// AIM symbology identifier: `]Q1` plain, `]Q3` GS1.
    public var symbology: String
    public var version: Int
    public var ecLevel: String
    /// Codewords Reed–Solomon corrected, over all blocks.
    public var correctedErrors: Int
    /// Codewords handed to Reed–Solomon as erasures.
    public var erasures: Int
    public var mirrored: Bool
}
