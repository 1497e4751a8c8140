import NIOConcurrencyHelpers

/// The first of several competing results (a delivery and the shutdown deadline): whoever
/// settles first wins, later settles are ignored, and `value` waits for the winner without
/// waiting for the losers to finish.
final class FirstOf<Value: Sendable>: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Value, Never>?)
        case settled(Value)
    }

    private let state = NIOLockedValueBox<State>(.waiting(nil))

    init() {}

    /// Offers `value`; only the first offer counts.
    func settle(_ value: Value) {
        let waiter: CheckedContinuation<Value, Never>?? = state.withLockedValue { state in
            guard case .waiting(let waiter) = state else { return nil }
            state = .settled(value)
            return .some(waiter)
        }
        if case .some(.some(let waiter)) = waiter { waiter.resume(returning: value) }
    }

    /// The first value offered; one caller at a time.
    var value: Value {
        get async {
            await withCheckedContinuation { continuation in
                let settled: Value? = state.withLockedValue { state in
                    switch state {
                    case .settled(let value): return value
                    case .waiting: state = .waiting(continuation)
                    }
                    return nil
                }
                if let settled { continuation.resume(returning: settled) }
            }
        }
    }
}
