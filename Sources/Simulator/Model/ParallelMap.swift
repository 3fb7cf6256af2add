import Dispatch
import Foundation
import Synchronization

/// Maps indices on all cores: building and serializing 5,000 realistic nodes is the bulk of a large simulator's
/// start-up.
enum ParallelMap {
    private final class Results<T: Sendable>: Sendable {
        let values: Mutex<[T?]>
        init(count: Int) { values = Mutex([T?](repeating: nil, count: count)) }
    }

    static func map<T: Sendable>(count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        if count < 256 || workers == 1 { return (0..<count).map(transform) }
        let results = Results<T>(count: count)
        let chunk = (count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let range = (worker * chunk)..<min(count, (worker + 1) * chunk)
            guard !range.isEmpty else { return }
            var local: [T] = []
            local.reserveCapacity(range.count)
            for index in range { local.append(transform(index)) }
            results.values.withLock { values in
                for (offset, value) in local.enumerated() { values[range.lowerBound + offset] = value }
            }
        }
        let values = results.values.withLock { $0.compactMap { $0 } }
        // Every slot is filled above; the sequential path only guards against a logic error.
        return values.count == count ? values : (0..<count).map(transform)
    }
}
