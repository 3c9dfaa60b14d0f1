/// Reads the text a scanner or decoder produced into a ``GS1Code``.
///
/// Accepted: GS1 Digital Link URIs (any host and stem, `id.gs1.org` included, percent-encoded or
/// not), element strings with FNC1/GS separators (optionally behind an AIM symbology identifier
/// such as `]Q3`, `]d2`, `]C1`) and bracketed human-readable element strings `(01)…(10)…`.
public enum CodeParser {
    /// ASCII GS, the separator scanners transmit for FNC1.
    static let groupSeparator: Unicode.Scalar = "\u{1D}"

    /// Parses `text`. `symbologyIdentifier` is the AIM prefix the decoder reported (`]Q1`, `]Q3`…)
    /// when it is not already part of `text`. `referenceYear` anchors two-digit years.
    public static func parse(_ text: String, symbologyIdentifier: String? = nil,
                             referenceYear: Int) throws(CodeParseError) -> GS1Code {
        var body = Substring(text)
        var identifier = symbologyIdentifier
        if body.hasPrefix("]"), body.count >= 3 {
            identifier = String(body.prefix(3))
            body = body.dropFirst(3)
        }
        let trimmed = body.trimmingASCIIWhitespace()
        if trimmed.isEmpty { throw .notGS1(host: nil) }

        let code: GS1Code
        let lower = trimmed.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            code = try DigitalLinkParser.parse(trimmed)
        } else if trimmed.hasPrefix("(") {
            code = try ElementStringParser.parseBracketed(trimmed)
        } else if Self.isGS1ElementIdentifier(identifier) || trimmed.unicodeScalars.first == groupSeparator {
            code = try ElementStringParser.parseRaw(trimmed)
        } else {
            throw .notGS1(host: nil)
        }
        return try validate(code, referenceYear: referenceYear)
    }

    /// AIM identifiers that announce GS1 element-string data (FNC1 in first position).
    static func isGS1ElementIdentifier(_ identifier: String?) -> Bool {
        guard let identifier else { return false }
        return ["]Q3", "]d2", "]C1", "]e0", "]J1"].contains(identifier)
    }

    /// Applies the per-AI format rules and pairing rules every form shares.
    static func validate(_ parsed: GS1Code, referenceYear: Int) throws(CodeParseError) -> GS1Code {
        var code = parsed
        let host = code.host
        guard code.elements["01"] != nil else {
            throw .malformed(host: host, reason: "no GTIN (AI 01)")
        }
        for (ai, value) in code.elements {
            guard let definition = ApplicationIdentifier.named(ai) else {
                throw .malformed(host: host, reason: "unsupported AI (\(ai))")
            }
            if let problem = definition.problem(with: value, referenceYear: referenceYear) {
                throw .malformed(host: host, reason: problem)
            }
        }
        if code.elements["21"] != nil, code.elements["235"] != nil {
            throw .malformed(host: host, reason: "AI (21) and AI (235) exclude each other")
        }
        if code.elements["422"] != nil, code.elements["426"] != nil {
            throw .malformed(host: host, reason: "AI (422) and AI (426) exclude each other")
        }
        if code.extraParameters[GS1Code.authenticatorParameter] != nil, code.elements["91"] != nil {
            throw .malformed(host: host, reason: "two authenticators (s and AI 91)")
        }
        if let expiry = code.elements["17"] {
            code.expiry = GS1Date(yymmdd: expiry, referenceYear: referenceYear)
        }
        return code
    }
}

/// GS1 Digital Link URI syntax (the subset a consumer-unit code uses).
enum DigitalLinkParser {
    static func parse(_ text: Substring) throws(CodeParseError) -> GS1Code {
        guard let schemeEnd = text.range(of: "://") else { throw .notGS1(host: nil) }
        let scheme = text[..<schemeEnd.lowerBound]
        // GS1 accepts the scheme all-lower or all-upper only.
        guard scheme == "http" || scheme == "https" || scheme == "HTTP" || scheme == "HTTPS" else {
            throw .notGS1(host: nil)
        }
        var rest = text[schemeEnd.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let host = rest[..<hostEnd].lowercased()
        guard !host.isEmpty, host.unicodeScalars.allSatisfy(isHostCharacter) else {
            throw .notGS1(host: nil)
        }
        let segments = rest[hostEnd...].split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let path = Array(segments)
        guard path.contains("01") else { throw .notGS1(host: host) }

        var elements: [String: String] = [:]
        try readPath(path, host: host, into: &elements)
        var extras: [String: String] = [:]
        try readQuery(query, host: host, elements: &elements, extras: &extras)
        return GS1Code(form: .digitalLink(host: host), elements: elements, extraParameters: extras)
    }

    /// Finds the right-most `01/{gtin}` after which only key qualifiers in GS1 order follow;
    /// everything before it is the (ignored) stem.
    static func readPath(_ path: [Substring], host: String, into elements: inout [String: String]) throws(CodeParseError) {
        var lastError: CodeParseError = .malformed(host: host, reason: "the path has no GTIN primary key")
        for start in stride(from: path.count - 2, through: 0, by: -1) where path[start] == "01" {
            guard (path.count - start) % 2 == 0 else { continue }
            do {
                elements = try qualifiers(path[start...], host: host)
                return
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    static func qualifiers(_ pairs: ArraySlice<Substring>, host: String) throws(CodeParseError) -> [String: String] {
        var elements: [String: String] = [:]
        var orderPosition = -1
        var index = pairs.startIndex
        while index + 1 < pairs.endIndex {
            let ai = String(pairs[index])
            let value = try percentDecoded(pairs[index + 1], host: host)
            if index == pairs.startIndex {
                elements[ai] = value
            } else if ai == "235" {
                guard elements.count == 1 else { throw .malformed(host: host, reason: "AI (235) cannot follow other qualifiers") }
                elements[ai] = value
                orderPosition = Int.max
            } else if let position = ApplicationIdentifier.gtinQualifierOrder.firstIndex(of: ai) {
                guard position > orderPosition else {
                    throw .malformed(host: host, reason: "key qualifiers out of order: (\(ai)) after a later qualifier")
                }
                orderPosition = position
                elements[ai] = value
            } else {
                throw .malformed(host: host, reason: "AI (\(ai)) is not a key qualifier of a GTIN")
            }
            index += 2
        }
        return elements
    }

    static func readQuery(_ query: Substring, host: String, elements: inout [String: String],
                          extras: inout [String: String]) throws(CodeParseError) {
        guard !query.isEmpty else { return }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try percentDecoded(parts[0], host: host)
            guard parts.count == 2 else { throw .malformed(host: host, reason: "query parameter \(key) has no value") }
            let value = try percentDecoded(parts[1], host: host)
            if !key.isEmpty, key.allSatisfy(\.isASCIIDigit) {
                guard ApplicationIdentifier.named(key) != nil else {
                    throw .malformed(host: host, reason: "unknown AI (\(key)) in the query")
                }
                if key == "01" || key == "235" || ApplicationIdentifier.gtinQualifierOrder.contains(key) {
                    throw .malformed(host: host, reason: "AI (\(key)) belongs in the path")
                }
                guard elements[key] == nil else { throw .malformed(host: host, reason: "AI (\(key)) appears twice") }
                elements[key] = value
            } else {
                guard extras[key] == nil else { throw .malformed(host: host, reason: "parameter \(key) appears twice") }
                extras[key] = value
            }
        }
    }

    /// Percent-decodes one component; rejects bad escapes, NUL, empty values and invalid UTF-8.
    static func percentDecoded(_ component: Substring, host: String) throws(CodeParseError) -> String {
        guard !component.isEmpty else { throw .malformed(host: host, reason: "empty value") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.utf8.count)
        var iterator = component.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw .malformed(host: host, reason: "bad percent escape")
                }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        guard !bytes.contains(0), let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .malformed(host: host, reason: "illegal character after percent-decoding")
        }
        return decoded
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static func isHostCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
            || scalar == "." || scalar == "-" || scalar == ":" || scalar == "[" || scalar == "]")
    }
}

/// GS1 element strings: raw with GS separators, or bracketed human-readable form.
enum ElementStringParser {
    /// `0106901234567892` `10` `LOT` GS `21` `SERIAL`: fixed-length AIs are read by length, variable
    /// ones run to the next GS or the end.
    static func parseRaw(_ text: Substring) throws(CodeParseError) -> GS1Code {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var elements: [String: String] = [:]
        while index < scalars.count {
            if scalars[index] == CodeParser.groupSeparator { index += 1; continue }
            guard let definition = aiAt(scalars, index) else {
                throw .malformed(host: nil, reason: "unknown AI at position \(index)")
            }
            index += definition.code.count
            var value = String.UnicodeScalarView()
            if definition.isFixedLength {
                guard index + definition.length <= scalars.count else {
                    throw .malformed(host: nil, reason: "AI (\(definition.code)) is cut short")
                }
                value.append(contentsOf: scalars[index..<(index + definition.length)])
                index += definition.length
            } else {
                while index < scalars.count, scalars[index] != CodeParser.groupSeparator {
                    value.append(scalars[index])
                    index += 1
                }
            }
            guard elements[definition.code] == nil else {
                throw .malformed(host: nil, reason: "AI (\(definition.code)) appears twice")
            }
            elements[definition.code] = String(value)
        }
        return GS1Code(form: .elementString, elements: elements, extraParameters: [:])
    }

    /// `(01)06901234567892(10)LOT(21)SERIAL(17)270331`; a literal `(` inside a value is written `\(`.
    static func parseBracketed(_ text: Substring) throws(CodeParseError) -> GS1Code {
        var elements: [String: String] = [:]
        var rest = text[...]
        while !rest.isEmpty {
            guard rest.first == "(", let close = rest.firstIndex(of: ")") else {
                throw .malformed(host: nil, reason: "expected (AI) in the bracketed form")
            }
            let ai = String(rest[rest.index(after: rest.startIndex)..<close])
            guard ApplicationIdentifier.named(ai) != nil else { throw .malformed(host: nil, reason: "unknown AI (\(ai))") }
            rest = rest[rest.index(after: close)...]
            var value = ""
            while let next = rest.first, next != "(" {
                if next == "\\", rest.dropFirst().first == "(" {
                    value.append("(")
                    rest = rest.dropFirst(2)
                } else {
                    value.append(next)
                    rest = rest.dropFirst()
                }
            }
            guard elements[ai] == nil else { throw .malformed(host: nil, reason: "AI (\(ai)) appears twice") }
            elements[ai] = value
        }
        return GS1Code(form: .elementString, elements: elements, extraParameters: [:])
    }

    /// AIs are prefix-free, so trying 2, 3 and 4 digits finds the only match.
    static func aiAt(_ scalars: [Unicode.Scalar], _ index: Int) -> ApplicationIdentifier? {
        for length in 2...4 where index + length <= scalars.count {
            let candidate = String(String.UnicodeScalarView(scalars[index..<(index + length)]))
            if let definition = ApplicationIdentifier.named(candidate) { return definition }
        }
        return nil
    }
}

extension Substring {
    func trimmingASCIIWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\n" || first == "\r" || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\n" || last == "\r" || last == "\t" { result = result.dropLast() }
        return result
    }
}
