import Synchronization

/// Values built the first time their slot is asked for and kept for the process, safe to ask
/// from several threads: the symbol layouts, which every decode attempt needs and which take a
/// walk over the whole symbol to build.
final class LazyTable<Value: Sendable>: Sendable {
    private let slots: Mutex<[Value?]>

    init(count: Int) {
        slots = Mutex(Array(repeating: nil, count: count))
    }

    /// The value in slot `index` (0..<count), made by `make` on first use.
    func value(at index: Int, make: () -> Value) -> Value {
        slots.withLock { slots in
            if let value = slots[index] { return value }
            let value = make()
            slots[index] = value
            return value
        }
    }
}
