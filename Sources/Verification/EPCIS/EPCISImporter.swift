import Crypto
import Foundation

/// Why an EPCIS document was rejected. Nothing of a rejected document is stored.
public enum EPCISImportError: Error, Equatable, Sendable, CustomStringConvertible {
    case notJSON(String)
    case noEvents
    case invalidEvent(index: Int, reason: String)
    case store(StoreError)

    public var description: String {
        switch self {
        case .notJSON(let reason): return "not a JSON document: \(reason)"
        case .noEvents: return "no eventList found (expected epcisBody.eventList)"
        case .invalidEvent(let index, let reason): return "event \(index + 1): \(reason)"
        case .store(let error): return error.description
        }
    }
}

/// Reads EPCIS 2.0 JSON-LD documents (ObjectEvent and AggregationEvent; other types are counted
/// and skipped) into ``TraceEvent``s with canonical identifiers.
public enum EPCISImporter {
    /// Parses and stores a document, all events or none.
    @discardableResult
    public static func importDocument(_ data: Data, into store: any VerificationStore) throws(EPCISImportError) -> TraceImportSummary {
        let (events, skipped) = try parse(data)
        do { return try store.importTraceEvents(events, skipped: skipped) } catch { throw .store(error) }
    }

    /// Parses a document; returns the supported events and how many unsupported ones were skipped.
    public static func parse(_ data: Data) throws(EPCISImportError) -> (events: [TraceEvent], skipped: Int) {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch { throw .notJSON(error.localizedDescription) }
        guard let list = eventList(in: root) else { throw .noEvents }
        var events: [TraceEvent] = []
        var skipped = 0
        for (index, item) in list.enumerated() {
            guard let object = item as? [String: Any] else { throw .invalidEvent(index: index, reason: "not a JSON object") }
            guard let typeName = object["type"] as? String else { throw .invalidEvent(index: index, reason: "no type") }
            guard let type = TraceEvent.EventType(rawValue: typeName) else { skipped += 1; continue }
            do {
                events.append(try event(object, type: type))
            } catch {
                throw .invalidEvent(index: index, reason: error.reason)
            }
        }
        return (events, skipped)
    }

    static func eventList(in root: Any) -> [Any]? {
        if let array = root as? [Any] { return array }
        guard let document = root as? [String: Any] else { return nil }
        if document["eventTime"] != nil { return [document] }
        let body = document["epcisBody"] as? [String: Any]
        if let list = body?["eventList"] as? [Any] { return list }
        let results = (body?["queryResults"] as? [String: Any])?["resultsBody"] as? [String: Any]
        return results?["eventList"] as? [Any]
    }

    struct Problem: Error { var reason: String }

    static func event(_ object: [String: Any], type: TraceEvent.EventType) throws(Problem) -> TraceEvent {
        guard let timeText = object["eventTime"] as? String, let time = ISOTime.parse(timeText) else {
            throw Problem(reason: "eventTime missing or not ISO 8601")
        }
        let offset = object["eventTimeZoneOffset"] as? String ?? "+00:00"
        guard ISOTime.seconds(fromOffset: offset) != nil else { throw Problem(reason: "eventTimeZoneOffset \(offset) is malformed") }
        guard let actionText = object["action"] as? String, let action = TraceEvent.Action(rawValue: actionText) else {
            throw Problem(reason: "action must be ADD, OBSERVE or DELETE")
        }
        var objects: [TraceEvent.ObjectReference] = []
        func add(_ key: String, _ role: TraceEvent.ObjectRole) {
            for uri in object[key] as? [String] ?? [] { objects.append(.init(role: role, uri: canonicalIdentifier(uri))) }
        }
        func addQuantities(_ key: String) {
            for entry in object[key] as? [[String: Any]] ?? [] {
                guard let epcClass = entry["epcClass"] as? String else { continue }
                objects.append(.init(role: .quantity, uri: canonicalIdentifier(epcClass),
                                     quantity: (entry["quantity"] as? NSNumber)?.doubleValue, unitOfMeasure: entry["uom"] as? String))
            }
        }
        switch type {
        case .objectEvent:
            add("epcList", .epc)
            addQuantities("quantityList")
        case .aggregationEvent:
            guard let parent = object["parentID"] as? String else { throw Problem(reason: "AggregationEvent without parentID") }
            objects.append(.init(role: .parent, uri: canonicalIdentifier(parent)))
            add("childEPCs", .child)
            addQuantities("childQuantityList")
        }
        if objects.isEmpty { throw Problem(reason: "event names no objects") }

        var parties: [TraceEvent.Party] = []
        for (listKey, kind, valueKey) in [("sourceList", "source", "source"), ("destinationList", "destination", "destination"),
                                          ("bizTransactionList", "biz_transaction", "bizTransaction")] {
            for entry in object[listKey] as? [[String: Any]] ?? [] {
                if let value = entry[valueKey] as? String { parties.append(.init(kind: kind, type: entry["type"] as? String, value: value)) }
            }
        }
        var ilmd: [String: String] = [:]
        for (key, value) in object["ilmd"] as? [String: Any] ?? [:] {
            ilmd[key] = (value as? String) ?? (try? canonicalJSON(value)) ?? "\(value)"
        }
        let raw: String
        do { raw = try canonicalJSON(object) } catch { throw Problem(reason: "cannot re-serialise the event") }
        let eventID = (object["eventID"] as? String)
            ?? "urn:genuine:event:sha256:" + Verifier.hex(SHA256.hash(data: Data(raw.utf8)))
        return TraceEvent(eventID: eventID, type: type, action: action,
                          bizStep: (object["bizStep"] as? String).map { vocabulary($0, prefixes: bizStepPrefixes) },
                          disposition: (object["disposition"] as? String).map { vocabulary($0, prefixes: dispositionPrefixes) },
                          eventTime: time, timeZoneOffset: offset,
                          recordTime: (object["recordTime"] as? String).flatMap(ISOTime.parse),
                          readPoint: (object["readPoint"] as? [String: Any])?["id"] as? String,
                          bizLocation: (object["bizLocation"] as? [String: Any])?["id"] as? String,
                          objects: objects, parties: parties, ilmd: ilmd, rawJSON: raw)
    }

    static let bizStepPrefixes = ["urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-", "cbv:BizStep-"]
    static let dispositionPrefixes = ["urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-", "cbv:Disp-"]

    /// CBV terms in any of their spellings reduce to the bare term (`shipping`, `in_transit`).
    static func vocabulary(_ term: String, prefixes: [String]) -> String {
        for prefix in prefixes where term.hasPrefix(prefix) { return String(term.dropFirst(prefix.count)) }
        return term
    }

    /// Units and lot classes become `https://id.gs1.org/01/{gtin}/21/{serial}` and `…/10/{lot}`,
    /// from Digital Links on any host or from SGTIN/LGTIN URNs (the dot in a URN tells the
    /// company-prefix length, so no prefix table is needed). Other identifiers stay as they are.
    public static func canonicalIdentifier(_ identifier: String) -> String {
        if identifier.hasPrefix("urn:epc:id:sgtin:") || identifier.hasPrefix("urn:epc:class:lgtin:") {
            let isUnit = identifier.hasPrefix("urn:epc:id:sgtin:")
            let body = identifier.dropFirst(isUnit ? 17 : 20)
            let parts = body.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let indicator = parts[1].first, parts[0].count + parts[1].count == 13,
                  let gtin = GTIN.make(body13: String(indicator) + parts[0] + parts[1].dropFirst()) else { return identifier }
            let tail = String(parts[2]).removingPercentEncoding ?? String(parts[2])
            return isUnit ? TimelineQuery.unitURI(gtin: gtin, serial: tail) : TimelineQuery.lotURI(gtin: gtin, lot: tail)
        }
        guard identifier.hasPrefix("http"), let code = try? DigitalLinkParser.parse(Substring(identifier)),
              let gtin = code.elements["01"], GTIN.isValid(gtin) else { return identifier }
        if let serial = code.serial { return TimelineQuery.unitURI(gtin: gtin, serial: serial) }
        if let lot = code.lot { return TimelineQuery.lotURI(gtin: gtin, lot: lot) }
        return identifier
    }

    static func canonicalJSON(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }
}
