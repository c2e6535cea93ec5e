import AWSCore
import Foundation
import Synchronization

/// A clock for tests: sleeping returns at once and moves virtual time forward, so retries,
/// waiters and rollouts that wait minutes finish in milliseconds. Every sleep is recorded.
public final class VirtualClock: AWSClock {
    private struct State {
        var now: Date
        var sleeps: [Duration] = []
    }

    private let state: Mutex<State>

    /// Creates a clock starting at `start`.
    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Mutex(State(now: start))
    }

    public func now() -> Date { state.withLock { $0.now } }

    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(duration)
            state.now = state.now.addingTimeInterval(duration.seconds)
        }
        await Task.yield()
    }

    /// Moves time forward without a sleep (for example to expire credentials).
    public func advance(by duration: Duration) {
        state.withLock { $0.now = $0.now.addingTimeInterval(duration.seconds) }
    }

    /// Every sleep requested so far, in order.
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    /// The total virtual time slept.
    public var totalSlept: Duration { state.withLock { $0.sleeps.reduce(.zero, +) } }
}
