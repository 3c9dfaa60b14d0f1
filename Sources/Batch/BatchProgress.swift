import Foundation
import Glibc

/// How a run shows its progress on stderr.
public enum ProgressStyle: Sendable, Equatable {
    /// A bar redrawn in place (stderr is a terminal): done/total, rate, ETA.
    case bar
    /// A plain line every tenth of the way (stderr is a file or a pipe).
    case lines
    case silent

    /// The bar when stderr is a terminal, quiet lines otherwise.
    public static var forStandardError: ProgressStyle { isatty(2) == 1 ? .bar : .lines }
}

/// Progress and messages on stderr. Not thread-safe: the run calls it under its writer lock.
final class BatchProgress {
    let style: ProgressStyle
    let total: Int
    private(set) var done = 0
    private let started = ContinuousClock.now
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var nextLineAt = 1
    private let write: @Sendable (String) -> Void

    init(style: ProgressStyle, total: Int, write: @escaping @Sendable (String) -> Void) {
        self.style = style
        self.total = total
        self.write = write
    }

    func advance(by count: Int = 1) {
        done += count
        switch style {
        case .bar:
            let now = ContinuousClock.now
            if now - lastDraw >= .milliseconds(100) || done == total {
                lastDraw = now
                write("\r\u{1B}[K" + barText())
            }
        case .lines:
            // One line each time another tenth of the way is passed (several tenths at once in small runs).
            let tenths = total > 0 ? done * 10 / total : 10
            if tenths >= nextLineAt {
                nextLineAt = tenths + 1
                write("batch: " + statusText() + "\n")
            }
        case .silent:
            break
        }
    }

    /// A message on its own line; the bar is redrawn under it.
    func message(_ text: String) {
        switch style {
        case .bar: write("\r\u{1B}[K" + text + "\n" + barText())
        case .lines: write(text + "\n")
        case .silent: break
        }
    }

    /// Ends the bar's line so later output starts on a fresh one.
    func finish() {
        if style == .bar { write("\r\u{1B}[K" + barText() + "\n") }
    }

    var rate: Double {
        let seconds = (ContinuousClock.now - started).seconds
        return seconds > 0 ? Double(done) / seconds : 0
    }

    func statusText() -> String {
        let percent = total > 0 ? done * 100 / total : 100
        var text = "\(done)/\(total) (\(percent)%)  \(String(format: "%.1f", rate)) photos/s"
        if done < total, rate > 0 { text += "  ETA \(Self.clock(Double(total - done) / rate))" }
        return text
    }

    private func barText() -> String {
        let width = 30
        let filled = total > 0 ? done * width / total : width
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] " + statusText()
    }

    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}
