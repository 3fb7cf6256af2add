import Foundation
import SkewCore
import Synchronization
import TUI

extension FleetCluster {
    /// The row the fleet view shows for this cluster: the same facts and words as `check --all-contexts`.
    var fleetRow: FleetRow {
        var row = FleetRow(context: context, server: server)
        if let failure {
            row.status = .unreachable(reason: failure.reason, detail: failure.detail)
            return row
        }
        if let assessment {
            let apiservers = assessment.controlPlane.apiservers
            if let first = apiservers.first {
                row.controlPlane = apiservers.allSatisfy { $0 == first }
                    ? (apiservers.count > 1 ? "\(first)×\(apiservers.count)" : "\(first)")
                    : apiservers.map(\.description).joined(separator: ",")
            }
            row.cves = cves
            row.current = assessment.counts[.current] ?? 0
            row.behind = assessment.counts[.behind] ?? 0
            row.unsupported = assessment.counts[.unsupported] ?? 0
        }
        if let endOfLife {
            row.endOfLife = endOfLife.date
            row.endOfLifePast = endOfLife.past
        }
        if let problem {
            row.status = .notJudged(problem)
        } else {
            switch exitStatus {
            case 0: row.status = .read(.current)
            case 3: row.status = .read(.behind)
            default: row.status = .read(.unsupported)
            }
        }
        return row
    }
}

/// Reads the fleet for the fleet view in the background, one load at a time: `r` starts a new load (numbered, so
/// the screen drops rows of the old one), the old one is cancelled. Each row is posted as its cluster is read.
final class FleetLoader: Sendable {
    private let check: FleetCheck
    private let contexts: [String]
    private let inbox: Inbox<FleetMessage>
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(check: FleetCheck, contexts: [String], inbox: Inbox<FleetMessage>) {
        self.check = check
        self.contexts = contexts
        self.inbox = inbox
    }

    /// Starts load number `generation`, cancelling the one before.
    func start(generation: Int) {
        let check = check, contexts = contexts, inbox = inbox
        let next = Task {
            _ = await check.run(contexts: contexts, warn: { inbox.post(.notice($0)) }) { _, cluster in
                inbox.post(.row(generation: generation, cluster.fleetRow))
            }
        }
        task.withLock { current in
            current?.cancel()
            current = next
        }
    }

    /// Cancels the load in flight and waits for it (each cluster's client is shut down on the way out).
    func stop() async {
        let current = task.withLock { current in
            defer { current = nil }
            return current
        }
        current?.cancel()
        await current?.value
    }
}
