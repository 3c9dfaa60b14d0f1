import Foundation
import GRDB

/// Derives one tin's supply-chain timeline from stored EPCIS events: events naming the tin, its
/// lot class, and every container it was packed into while it was inside (between the ADD and
/// DELETE aggregation events), up to pallet level.
enum TimelineQuery {
    static func unitURI(gtin: String, serial: String) -> String { "https://id.gs1.org/01/\(gtin)/21/\(DigitalLinkBuilder.escape(serial))" }
    static func lotURI(gtin: String, lot: String) -> String { "https://id.gs1.org/01/\(gtin)/10/\(DigitalLinkBuilder.escape(lot))" }

    struct Interval { var uri: String; var from: Int64; var until: Int64 }

    static func entries(_ db: Database, gtin: String, lot: String?, serial: String?) throws -> [TimelineEntry] {
        var intervals: [Interval] = []
        if let serial { intervals.append(Interval(uri: unitURI(gtin: gtin, serial: serial), from: .min, until: .max)) }
        if let lot { intervals.append(Interval(uri: lotURI(gtin: gtin, lot: lot), from: .min, until: .max)) }
        // Follow containment upwards: tin → case → pallet. Three levels is more than a tin sees.
        var frontier = serial.map { [Interval(uri: unitURI(gtin: gtin, serial: $0), from: .min, until: .max)] } ?? []
        for _ in 0..<3 where !frontier.isEmpty {
            var parents: [Interval] = []
            for child in frontier {
                let packs = try Row.fetchAll(db, sql: """
                    SELECT e.action, e.event_time, p.object_uri AS parent FROM trace_event_objects c
                    JOIN trace_events e ON e.event_id = c.event_id
                    JOIN trace_event_objects p ON p.event_id = c.event_id AND p.role = 'parent'
                    WHERE c.role = 'child' AND c.object_uri = ? AND e.event_type = 'AggregationEvent'
                    ORDER BY e.event_time
                    """, arguments: [child.uri])
                for pack in packs where pack["action"] == "ADD" {
                    let start: Int64 = max(pack["event_time"], child.from)
                    let parent: String = pack["parent"]
                    let unpacked = packs.first { ($0["action"] as String) == "DELETE" && ($0["parent"] as String) == parent
                        && ($0["event_time"] as Int64) >= start }
                    let end = min(unpacked.map { $0["event_time"] as Int64 } ?? .max, child.until)
                    if start <= end { parents.append(Interval(uri: parent, from: start, until: end)) }
                }
            }
            intervals += parents
            frontier = parents
        }

        var seen = Set<String>()
        var rows: [Row] = []
        for interval in intervals {
            for row in try Row.fetchAll(db, sql: """
                SELECT DISTINCT e.* FROM trace_events e JOIN trace_event_objects o ON o.event_id = e.event_id
                WHERE o.object_uri = ? AND e.event_time BETWEEN ? AND ?
                """, arguments: [interval.uri, interval.from, interval.until]) where seen.insert(row["event_id"]).inserted {
                rows.append(row)
            }
        }
        rows.sort { ($0["event_time"] as Int64, $0["event_id"] as String) < ($1["event_time"] as Int64, $1["event_id"] as String) }
        return try rows.map { row in
            let placeID: String? = row["biz_location"] ?? row["read_point"]
            let place = try placeID.flatMap { try Rows.location(db, id: $0) }
            let offset: String = row["tz_offset"]
            return TimelineEntry(at: ISOTime.format(Date(epochMilliseconds: row["event_time"]), offset: offset),
                                 step: row["biz_step"] ?? (row["event_type"] as String), disposition: row["disposition"],
                                 place: place?.name ?? placeID, city: place?.city, province: place?.province,
                                 eventType: row["event_type"], eventID: row["event_id"])
        }
    }
}

/// ISO 8601 instants with an explicit `±HH:MM` offset, as EPCIS writes them.
enum ISOTime {
    /// Seconds east of UTC for `+08:00` / `-05:30` / `Z`; `nil` when malformed.
    static func seconds(fromOffset offset: String) -> Int? {
        if offset == "Z" { return 0 }
        let scalars = Array(offset)
        guard scalars.count == 6, scalars[0] == "+" || scalars[0] == "-", scalars[3] == ":",
              let hours = Int(String(scalars[1...2])), let minutes = Int(String(scalars[4...5])),
              hours <= 14, minutes < 60 else { return nil }
        return (scalars[0] == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// `2026-01-05T08:00:00+08:00` (or `…Z` at offset zero) in the given `±HH:MM` offset.
    static func format(_ date: Date, offset: String) -> String {
        format(date, offsetSeconds: seconds(fromOffset: offset) ?? 0, milliseconds: false)
    }

    /// UTC with milliseconds, for stored records.
    static func formatWithMilliseconds(_ date: Date) -> String {
        format(date, offsetSeconds: 0, milliseconds: true)
    }

    /// Formats by calendar arithmetic: a Foundation date formatter costs more to create than a
    /// whole verification's queries, and one would be needed per timeline entry.
    static func format(_ date: Date, offsetSeconds: Int, milliseconds: Bool) -> String {
        let local = Int64((date.timeIntervalSince1970 * 1000).rounded()) + Int64(offsetSeconds) * 1000
        let dayLength: Int64 = 86_400_000
        let days = local >= 0 ? local / dayLength : -((-local + dayLength - 1) / dayLength)
        let inDay = local - days * dayLength
        let day = CalendarDate(julianDay: 2_440_588 + Int(days))
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = "\(day.iso)T\(two(inDay / 3_600_000)):\(two(inDay / 60_000 % 60)):\(two(inDay / 1000 % 60))"
        if milliseconds {
            let fraction = inDay % 1000
            text += fraction < 10 ? ".00\(fraction)" : fraction < 100 ? ".0\(fraction)" : ".\(fraction)"
        }
        if offsetSeconds == 0 { return text + "Z" }
        let magnitude = abs(offsetSeconds) / 60
        return text + (offsetSeconds < 0 ? "-" : "+") + two(Int64(magnitude / 60)) + ":" + two(Int64(magnitude % 60))
    }

    /// Parses ISO 8601 with or without fractional seconds.
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
