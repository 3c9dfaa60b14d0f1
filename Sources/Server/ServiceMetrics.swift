import Foundation
import Synchronization
import Verification

/// The counters behind `GET /metrics`, in Prometheus text exposition format.
final class ServiceMetrics: Sendable {
    /// Upper bounds of the decode-time histogram, in seconds.
    static let decodeBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct State {
        var requests: [String: Int] = [:]
        var verdicts: [String: Int] = [:]
        var decodeBucketCounts = [Int](repeating: 0, count: ServiceMetrics.decodeBuckets.count)
        var decodeCount = 0
        var decodeSum = 0.0
    }

    private let state = Mutex(State())

    func countRequest(method: String, status: Int) {
        state.withLock { $0.requests["method=\"\(method)\",code=\"\(status)\"", default: 0] += 1 }
    }

    func countVerdict(_ verdict: Verdict) {
        state.withLock { $0.verdicts[verdict.rawValue, default: 0] += 1 }
    }

    func observeDecode(_ duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        state.withLock { state in
            for (index, bound) in Self.decodeBuckets.enumerated() where seconds <= bound {
                state.decodeBucketCounts[index] += 1
            }
            state.decodeCount += 1
            state.decodeSum += seconds
        }
    }

    /// The exposition text; every verdict kind is listed, zero or not, so dashboards see them all.
    func exposition() -> String {
        let snapshot = state.withLock { $0 }
        var lines = ["# HELP genuine_http_requests_total HTTP requests answered, by method and status code.",
                     "# TYPE genuine_http_requests_total counter"]
        for key in snapshot.requests.keys.sorted() {
            lines.append("genuine_http_requests_total{\(key)} \(snapshot.requests[key] ?? 0)")
        }
        lines += ["# HELP genuine_verdicts_total Verdicts given (replays not included), by kind.",
                  "# TYPE genuine_verdicts_total counter"]
        for verdict in Verdict.allCases {
            lines.append("genuine_verdicts_total{verdict=\"\(verdict.rawValue)\"} \(snapshot.verdicts[verdict.rawValue] ?? 0)")
        }
        lines += ["# HELP genuine_decode_seconds Time to decode an uploaded photo and read its codes.",
                  "# TYPE genuine_decode_seconds histogram"]
        for (index, bound) in Self.decodeBuckets.enumerated() {
            lines.append("genuine_decode_seconds_bucket{le=\"\(bound)\"} \(snapshot.decodeBucketCounts[index])")
        }
        lines.append("genuine_decode_seconds_bucket{le=\"+Inf\"} \(snapshot.decodeCount)")
        lines.append("genuine_decode_seconds_sum \(snapshot.decodeSum)")
        lines.append("genuine_decode_seconds_count \(snapshot.decodeCount)")
        return lines.joined(separator: "\n") + "\n"
    }
}
