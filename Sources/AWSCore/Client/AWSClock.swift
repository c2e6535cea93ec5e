import Foundation

/// Time as the client sees it: wall time for signing and expiry, and sleeps for retries and
/// waiters. Injected everywhere, so tests run on a virtual clock and finish in milliseconds.
public protocol AWSClock: Sendable {
    /// The current wall time.
    func now() -> Date
    /// Suspends for `duration`; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real clock.
public struct SystemClock: AWSClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
