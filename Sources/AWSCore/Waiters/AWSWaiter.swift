/// A waiter: polls an operation until its answer (or error) matches an acceptor, as the AWS
/// models' `waiters-2.json` define them. Pauses use the client's clock, so tests run instantly.
public struct AWSWaiter: Sendable {
    /// What a matching acceptor means.
    public enum State: String, Sendable {
        case success, failure, retry
    }

    /// How an acceptor matches.
    public enum Matcher: Sendable {
        /// The expression's value equals `expected`.
        case path(JMESPath, expected: AWSValue)
        /// Every element of the (non-empty) list equals `expected`.
        case pathAll(JMESPath, expected: AWSValue)
        /// Some element of the list equals `expected`.
        case pathAny(JMESPath, expected: AWSValue)
        /// The HTTP status is `status` (200 for a success).
        case status(Int)
        /// The call failed with error code `code`.
        case error(String)
    }

    /// One rule: when `matcher` matches, the waiter enters `state`.
    public struct Acceptor: Sendable {
        public var state: State
        public var matcher: Matcher

        public init(_ state: State, _ matcher: Matcher) {
            self.state = state
            self.matcher = matcher
        }
    }

    /// The waiter's name, for example `InstanceRunning`.
    public var name: String
    /// The pause between attempts.
    public var delay: Duration
    /// Attempts before giving up.
    public var maxAttempts: Int
    /// The rules, tried in order.
    public var acceptors: [Acceptor]

    public init(name: String, delay: Duration, maxAttempts: Int, acceptors: [Acceptor]) {
        self.name = name
        self.delay = delay
        self.maxAttempts = maxAttempts
        self.acceptors = acceptors
    }

    /// Why a wait ended without success.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The kinds of ending.
        public enum Reason: Sendable {
            /// A failure acceptor matched (the resource reached a state it cannot leave for success).
            case failureState(String)
            /// The attempts (or the time allowed) ran out.
            case timedOut
            /// The call failed with an error no acceptor expected.
            case unexpectedError(Error)
        }

        public var waiter: String
        public var reason: Reason
        public var attempts: Int

        public var description: String {
            switch reason {
            case .failureState(let what): return "waiter \(waiter) failed after \(attempts) attempts: \(what)"
            case .timedOut: return "waiter \(waiter) gave up after \(attempts) attempts"
            case .unexpectedError(let error): return "waiter \(waiter) stopped on an unexpected error: \(error)"
            }
        }
    }

    /// Progress after each attempt: attempt number, the attempts allowed, and the state seen.
    public typealias Progress = @Sendable (_ attempt: Int, _ maxAttempts: Int, _ observed: String) -> Void

    /// Polls `poll` until an acceptor decides. `maxAttempts` overrides the model's.
    public func wait(clock: AWSClock, maxAttempts: Int? = nil, progress: Progress? = nil,
                     poll: @Sendable () async throws -> AWSValue) async throws -> AWSValue? {
        let limit = maxAttempts ?? self.maxAttempts
        for attempt in 1...max(1, limit) {
            var output: AWSValue?
            var failure: Error?
            do {
                output = try await poll()
            } catch {
                failure = error
            }
            let (state, observed) = decide(output: output, error: failure)
            progress?(attempt, limit, observed)
            switch state {
            case .success?:
                return output
            case .failure?:
                throw Failure(waiter: name, reason: .failureState(observed), attempts: attempt)
            case .retry?:
                break
            case nil:
                if let failure { throw Failure(waiter: name, reason: .unexpectedError(failure), attempts: attempt) }
            }
            if attempt < limit { try await clock.sleep(for: delay) }
        }
        throw Failure(waiter: name, reason: .timedOut, attempts: limit)
    }

    /// The first matching acceptor's state, and a short description of what was seen.
    func decide(output: AWSValue?, error: Error?) -> (State?, String) {
        let code = (error as? AWSServiceError)?.code
        for acceptor in acceptors {
            switch acceptor.matcher {
            case .error(let expected):
                if code == expected { return (acceptor.state, "error \(expected)") }
            case .status(let status):
                if error == nil && status == 200 { return (acceptor.state, "HTTP 200") }
                if let serviceError = error as? AWSServiceError, serviceError.status == status { return (acceptor.state, "HTTP \(status)") }
            case .path(let expression, let expected):
                if let output, expression.evaluate(output) == expected { return (acceptor.state, "\(expression) = \(expected)") }
            case .pathAll(let expression, let expected):
                if let output, case .list(let items)? = expression.evaluate(output), !items.isEmpty, items.allSatisfy({ $0 == expected }) {
                    return (acceptor.state, "all \(expression) = \(expected)")
                }
            case .pathAny(let expression, let expected):
                if let output, case .list(let items)? = expression.evaluate(output), items.contains(expected) {
                    return (acceptor.state, "some \(expression) = \(expected)")
                }
            }
        }
        if let code { return (nil, "error \(code)") }
        return (nil, observedSummary(output))
    }

    private func observedSummary(_ output: AWSValue?) -> String {
        for acceptor in acceptors {
            switch acceptor.matcher {
            case .path(let e, _), .pathAll(let e, _), .pathAny(let e, _):
                if let output, let value = e.evaluate(output) { return "\(e) = \(value)" }
            default:
                continue
            }
        }
        return "no acceptor matched"
    }
}
