import Foundation
import Synchronization

/// The retry quota shared by a client's calls: retries spend tokens, successes earn them back, so a
/// failing service is not hammered by every caller at once.
public final class RetryQuota: Sendable {
    /// Tokens a retry after a throttling or transient error costs.
    public static let retryCost = 5
    /// Tokens a retry after a timeout costs.
    public static let timeoutCost = 10
    /// Tokens a success without retries returns.
    public static let successRefund = 1

    private let capacity: Int
    private let available: Mutex<Int>

    /// Creates a full quota.
    public init(capacity: Int = 500) {
        self.capacity = capacity
        self.available = Mutex(capacity)
    }

    /// Tokens left.
    public var tokens: Int { available.withLock { $0 } }

    /// Takes the cost of retrying after `kind`, or returns `nil` when too few tokens are left.
    func acquire(for kind: RetryClassifier.Kind) -> Int? {
        let cost = kind == .timeout ? Self.timeoutCost : Self.retryCost
        return available.withLock { tokens in
            guard tokens >= cost else { return nil }
            tokens -= cost
            return cost
        }
    }

    /// Returns tokens after a success: what its last retry cost, or one when it needed none.
    func release(lastRetryCost: Int?) {
        available.withLock { $0 = min(capacity, $0 + (lastRetryCost ?? Self.successRefund)) }
    }
}

/// Backoff and quota for one client: the AWS SDKs' standard mode, with adaptive mode's rate
/// limiter when configured.
public struct RetryStrategy: Sendable {
    /// The settings.
    public let configuration: RetryConfiguration
    /// The shared quota.
    public let quota: RetryQuota
    /// The adaptive rate limiter (adaptive mode only).
    public let rateLimiter: AdaptiveRateLimiter?
    private let random: @Sendable () -> Double

    /// Creates a strategy. `random` returns values in [0, 1) for jitter (injectable for tests).
    public init(configuration: RetryConfiguration, quota: RetryQuota = RetryQuota(), clock: AWSClock = SystemClock(),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.configuration = configuration
        self.quota = quota
        self.rateLimiter = configuration.mode == .adaptive ? AdaptiveRateLimiter(clock: clock) : nil
        self.random = random
    }

    /// The pause before retry number `retry` (1 for the first retry): full jitter over
    /// `2^(retry-1)` seconds, capped; a `Retry-After` from the service is honoured up to the cap.
    public func backoff(retry: Int, retryAfter: Duration? = nil) -> Duration {
        let cap = configuration.maxBackoff.seconds
        let ceiling = min(pow(2.0, Double(max(0, retry - 1))), cap)
        var seconds = min(random() * ceiling, cap)
        if let retryAfter { seconds = max(seconds, min(retryAfter.seconds, cap)) }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

/// Adaptive retry mode's client-side rate limiter: a token bucket whose fill rate follows a
/// CUBIC curve, cut back on throttling and grown again on success.
public final class AdaptiveRateLimiter: Sendable {
    private struct State {
        var fillRate: Double = 0
        var maxCapacity: Double = 0
        var currentCapacity: Double = 0
        var lastTimestamp: Double?
        var enabled = false
        var measuredTxRate: Double = 0
        var lastTxRateBucket: Double
        var requestCount = 0
        var lastMaxRate: Double = 0
        var lastThrottleTime: Double
        var timeWindow: Double = 0
    }

    private static let minFillRate = 0.5
    private static let minCapacity = 1.0
    private static let smooth = 0.8
    private static let beta = 0.7
    private static let scaleConstant = 0.4

    private let clock: AWSClock
    private let state: Mutex<State>

    /// Creates a limiter, off until the first throttling response.
    public init(clock: AWSClock) {
        self.clock = clock
        let now = clock.now().timeIntervalSince1970
        state = Mutex(State(lastTxRateBucket: (now * 2).rounded(.down) / 2, lastThrottleTime: now))
    }

    /// The current send rate limit in requests per second, or `nil` while the limiter is off.
    public var currentRate: Double? {
        state.withLock { $0.enabled ? $0.fillRate : nil }
    }

    /// Waits until a request may be sent.
    public func acquire() async throws {
        while true {
            let wait: Double? = state.withLock { state in
                guard state.enabled else { return nil }
                refill(&state)
                if state.currentCapacity >= 1 {
                    state.currentCapacity -= 1
                    return nil
                }
                return (1 - state.currentCapacity) / state.fillRate
            }
            guard let wait else { return }
            try await clock.sleep(for: .milliseconds(Int64((wait * 1000).rounded(.up))))
        }
    }

    /// Records a response; `throttled` when the service asked to slow down.
    public func update(throttled: Bool) {
        state.withLock { state in
            let now = clock.now().timeIntervalSince1970
            updateMeasuredRate(&state, now: now)
            let calculated: Double
            if throttled {
                let rateToUse = state.enabled ? min(state.measuredTxRate, state.fillRate) : state.measuredTxRate
                state.lastMaxRate = rateToUse
                state.timeWindow = cbrt(state.lastMaxRate * (1 - Self.beta) / Self.scaleConstant)
                state.lastThrottleTime = now
                calculated = rateToUse * Self.beta
                state.enabled = true
            } else {
                state.timeWindow = cbrt(state.lastMaxRate * (1 - Self.beta) / Self.scaleConstant)
                calculated = Self.scaleConstant * pow(now - state.lastThrottleTime - state.timeWindow, 3) + state.lastMaxRate
            }
            let newRate = min(calculated, 2 * state.measuredTxRate)
            refill(&state)
            state.fillRate = max(newRate, Self.minFillRate)
            state.maxCapacity = max(newRate, Self.minCapacity)
            state.currentCapacity = min(state.currentCapacity, state.maxCapacity)
        }
    }

    private func refill(_ state: inout State) {
        let now = clock.now().timeIntervalSince1970
        guard let last = state.lastTimestamp else {
            state.lastTimestamp = now
            return
        }
        state.currentCapacity = min(state.maxCapacity, state.currentCapacity + (now - last) * state.fillRate)
        state.lastTimestamp = now
    }

    private func updateMeasuredRate(_ state: inout State, now: Double) {
        let bucket = (now * 2).rounded(.down) / 2
        state.requestCount += 1
        if bucket > state.lastTxRateBucket {
            let currentRate = Double(state.requestCount) / (bucket - state.lastTxRateBucket)
            state.measuredTxRate = currentRate * Self.smooth + state.measuredTxRate * (1 - Self.smooth)
            state.requestCount = 0
            state.lastTxRateBucket = bucket
        }
    }
}
