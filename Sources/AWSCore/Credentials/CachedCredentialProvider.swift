import Foundation

/// Keeps the credentials of another provider and refreshes them shortly before they expire.
///
/// However many requests wait, at most one refresh is in flight; they all get its result. If a
/// refresh fails while the old credentials are still valid, the old ones are used until they expire.
public actor CachedCredentialProvider: CredentialProvider {
    public nonisolated let name: String
    private let base: CredentialProvider
    private let refreshBefore: TimeInterval
    private let now: @Sendable () -> Date
    private var current: AWSCredentials?
    private var refreshing: Task<AWSCredentials, Error>?

    /// Wraps `base`; credentials are refreshed `refreshBefore` seconds before their expiry.
    public init(_ base: CredentialProvider, refreshBefore: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() }) {
        self.base = base
        self.name = base.name
        self.refreshBefore = refreshBefore
        self.now = now
    }

    public func credentials() async throws -> AWSCredentials {
        if let current, !needsRefresh(current) { return current }
        if let refreshing { return try await settle(refreshing) }
        let task = Task { [base] in try await base.credentials() }
        refreshing = task
        return try await settle(task)
    }

    /// Forgets the cached credentials, so the next call fetches afresh.
    public func invalidate() {
        current = nil
    }

    private func settle(_ task: Task<AWSCredentials, Error>) async throws -> AWSCredentials {
        do {
            let fresh = try await task.value
            if refreshing == task {
                current = fresh
                refreshing = nil
            }
            return fresh
        } catch {
            if refreshing == task { refreshing = nil }
            if let current, let expiration = current.expiration, expiration > now() { return current }
            throw error
        }
    }

    private func needsRefresh(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(now()) <= refreshBefore
    }
}
