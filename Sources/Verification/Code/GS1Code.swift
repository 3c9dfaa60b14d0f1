/// A GS1 code read from a tin, normalised to one AI map whatever form it arrived in
/// (Digital Link URI, bracketed or FNC1 element string).
public struct GS1Code: Sendable, Equatable {
    /// Where the code came from: a Digital Link (with its host) or an element string (no host).
    public enum Form: Sendable, Equatable {
        case digitalLink(host: String)
        case elementString
    }

    public var form: Form
    /// Every AI present, keyed by AI code, values percent-decoded.
    public var elements: [String: String]
    /// Non-GS1 query parameters of a Digital Link (e.g. our authenticator `s`), percent-decoded.
    public var extraParameters: [String: String]

    /// The GTIN-14 (always present: a code without AI 01 is not a product code).
    public var gtin: String { elements["01"] ?? "" }
    public var lot: String? { elements["10"] }
    public var serial: String? { elements["21"] }
    /// The expiry date (AI 17), parsed when the code was read.
    public var expiry: GS1Date?
    /// The authenticator: the `s` query parameter of a Digital Link, or AI 91 in element strings.
    public var authenticator: String? { extraParameters[GS1Code.authenticatorParameter] ?? elements["91"] }

    /// The host of a Digital Link, lower-cased; `nil` for element strings.
    public var host: String? {
        if case .digitalLink(let host) = form { return host }
        return nil
    }

    /// The query parameter that carries our authenticator (non-numeric, so GS1 parsers ignore it).
    public static let authenticatorParameter = "s"
}

/// Why a text could not be read as a GS1 product code.
public enum CodeParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not a GS1 code at all (some other QR payload). `host` is set when the text was a web address.
    case notGS1(host: String?)
    /// Looks like GS1 data but breaks the syntax; `host` is set for Digital Links.
    case malformed(host: String?, reason: String)

    public var host: String? {
        switch self {
        case .notGS1(let host), .malformed(let host, _): return host
        }
    }

    public var description: String {
        switch self {
        case .notGS1: return "not a GS1 code"
        case .malformed(_, let reason): return "malformed GS1 code: \(reason)"
        }
    }
}
