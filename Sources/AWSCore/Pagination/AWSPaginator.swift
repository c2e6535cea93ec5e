/// The pages of a paginated operation as an `AsyncSequence`: each element is one response; the
/// next request carries the previous response's token. Iteration stops when a response has no
/// token, or repeats one (a service bug that would otherwise loop for ever).
public struct AWSPaginator<Input: AWSShape, Output: AWSShape>: AsyncSequence, Sendable {
    public typealias Element = Output

    private let input: Input
    private let fetch: @Sendable (Input) async throws -> Output
    private let nextToken: @Sendable (Output) -> String?
    private let setToken: @Sendable (inout Input, String) -> Void

    /// Creates a paginator from the first request and how to read and set the token.
    public init(input: Input, fetch: @escaping @Sendable (Input) async throws -> Output,
                nextToken: @escaping @Sendable (Output) -> String?, setToken: @escaping @Sendable (inout Input, String) -> Void) {
        self.input = input
        self.fetch = fetch
        self.nextToken = nextToken
        self.setToken = setToken
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(next: input, paginator: self)
    }

    /// Fetches pages one at a time, as the loop asks for them.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var next: Input?
        let paginator: AWSPaginator
        var seen: Set<String> = []

        public mutating func next() async throws -> Output? {
            guard let input = next else { return nil }
            let output = try await paginator.fetch(input)
            next = nil
            if let token = paginator.nextToken(output), !token.isEmpty, seen.insert(token).inserted {
                var following = input
                paginator.setToken(&following, token)
                next = following
            }
            return output
        }
    }
}
