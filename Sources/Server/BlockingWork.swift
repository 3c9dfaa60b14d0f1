import Foundation

/// Runs blocking work (photo decoding, SQLite calls) on Dispatch threads, at most `limit` at a
/// time, so the event loops keep answering while 200 uploads queue for a decoder.
final class BlockingWork: Sendable {
    private let permits: AsyncPermits
    private let queue: DispatchQueue

    init(label: String, limit: Int) {
        permits = AsyncPermits(count: max(1, limit))
        queue = DispatchQueue(label: "genuine.\(label)", attributes: .concurrent)
    }

    /// Waits for a permit without holding a thread, then runs `body` on a Dispatch thread.
    func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        await permits.acquire()
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(E) -> T in try body() })
            }
        }
        await permits.release()
        return try result.get()
    }
}

/// A counting semaphore for async code: waiters are resumed in arrival order.
actor AsyncPermits {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(count: Int) { available = count }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Hands the permit straight to the oldest waiter, if any.
    func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
