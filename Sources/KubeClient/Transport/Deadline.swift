/// Runs `work`, failing with `error` if it has not finished within `limit`; the work is cancelled then.
func withDeadline<T: Sendable>(
    _ limit: Duration, error: @autoclosure @escaping @Sendable () -> KubeClientError,
    _ work: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw error() }
        return value
    }
}
