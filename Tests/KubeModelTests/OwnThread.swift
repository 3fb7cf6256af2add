import Foundation

/// Runs CPU-heavy synchronous work (a 100 MB parse, a 64 MiB inflate) on a thread of its own: on Swift's shared pool,
/// which has a thread per core, it would stall every other test of the suite for its seconds, and the suite's
/// waits for processes and screens with them.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
