import NIOConcurrencyHelpers

extension DaemonEvents {
    /// A dispatcher (re)started for `sink`: it counts as healthy from now, keeping the time of its
    /// last delivery.
    package func dispatcherStarted(sink: String, now: Int64 = DaemonClock.wallMilliseconds()) {
        state.withLockedValue {
            $0.sinks[sink] = SinkState(started: now, lastDelivered: $0.sinks[sink]?.lastDelivered)
            $0.disabledSinks.remove(sink)
        }
    }

    /// The receiver asked `sink` to wait until `until` (ms since 1970): the whole sink pauses.
    package func sinkPaused(sink: String, until: Int64, now: Int64 = DaemonClock.wallMilliseconds()) {
        state.withLockedValue {
            guard var sinkState = $0.sinks[sink] else { return }
            switch sinkState.condition {
            case .retrying(let since, let error, _):
                sinkState.condition = .retrying(since: since, error: error, pausedUntil: until)
            default:
                sinkState.condition = .retrying(since: now, error: "paused by the receiver", pausedUntil: until)
            }
            $0.sinks[sink] = sinkState
        }
    }

    /// A reload removed `sink` and its dispatcher has stopped: it is no longer watched for progress.
    package func sinkRemoved(sink: String, now: Int64 = DaemonClock.wallMilliseconds()) {
        state.withLockedValue {
            $0.lastDispatcherProgress[sink] = nil
            $0.disabledSinks.remove(sink)
            if var sinkState = $0.sinks[sink] {
                sinkState.condition = .removed(at: now)
                $0.sinks[sink] = sinkState
            } else {
                $0.sinks[sink] = SinkState(condition: .removed(at: now), started: now)
            }
        }
    }

    /// Records what an attempt of `sink` came to in its state (called with every delivery event).
    func recordSinkOutcome(sink: String, outcome: OutboxOutcome, now: Int64 = DaemonClock.wallMilliseconds()) {
        state.withLockedValue {
            let current = $0.sinks[sink] ?? SinkState(started: now)
            $0.sinks[sink] = current.after(outcome, now: now)
        }
    }
}
