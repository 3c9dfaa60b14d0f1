import Foundation

/// An EPCIS 2.0 event, reduced to what the timeline needs (ObjectEvent and AggregationEvent).
public struct TraceEvent: Sendable, Equatable {
    public enum EventType: String, Sendable, Codable {
        case objectEvent = "ObjectEvent"
        case aggregationEvent = "AggregationEvent"
    }

    public enum Action: String, Sendable, Codable {
        case add = "ADD", observe = "OBSERVE", delete = "DELETE"
    }

    /// How an identifier takes part in the event.
    public enum ObjectRole: String, Sendable, Codable {
        /// In `epcList`.
        case epc
        /// In `quantityList` (a class: GTIN + lot).
        case quantity
        /// The container of an AggregationEvent.
        case parent
        /// A contained object of an AggregationEvent.
        case child
    }

    public struct ObjectReference: Sendable, Equatable {
        public var role: ObjectRole
        /// Canonical form: `https://id.gs1.org/01/{gtin}/21/{serial}` for units,
        /// `https://id.gs1.org/01/{gtin}/10/{lot}` for lot classes, other identifiers verbatim.
        public var uri: String
        public var quantity: Double?
        public var unitOfMeasure: String?
    }

    public struct Party: Sendable, Equatable {
        /// `source`, `destination` or `biz_transaction`.
        public var kind: String
        public var type: String?
        public var value: String
    }

    /// `eventID` from the document, or `ni:///sha-256;…` over the event's canonical JSON.
    public var eventID: String
    public var type: EventType
    public var action: Action
    public var bizStep: String?
    public var disposition: String?
    public var eventTime: Date
    /// `+08:00` style, as in the document.
    public var timeZoneOffset: String
    public var recordTime: Date?
    public var readPoint: String?
    public var bizLocation: String?
    public var objects: [ObjectReference]
    public var parties: [Party]
    public var ilmd: [String: String]
    /// The event as it appeared in the document, kept for audit.
    public var rawJSON: String
}

/// What an import did.
public struct TraceImportSummary: Sendable, Equatable, Codable {
    public var inserted: Int
    /// Events already present (same event id), skipped so re-imports are harmless.
    public var duplicates: Int
    /// Event types outside the supported subset (e.g. TransformationEvent), skipped.
    public var skipped: Int
}
