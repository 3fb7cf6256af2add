import Foundation
import SkewCore
import Testing
import TUI
import Upgrade
@testable import KubeskewCLI

/// One drain, one command line: the upgrade's drain step, the dashboard's drain dialog and a single drain action build
/// the same flags and the same process deadline (kubectl's `--timeout` plus one margin) from the same options.
struct DrainFlagsTests {
    let kubectl = ["kubectl", "--kubeconfig", "/tmp/k"]

    static func v(_ s: String) -> KubeVersion { KubeVersion.parse(s)! }

    /// The drain step of a planned (and optionally blocker-accepting) node, as flags after `kubectl drain NODE` and
    /// the step's process timeout.
    func plannedDrain(_ options: Planner.Options, blockers: [Blocker] = []) throws -> (flags: [String], timeout: Int) {
        var plan = try Planner(options: options).plan(name: "node08", internalIP: nil, from: Self.v("v1.33.2"), target: Self.v("v1.33.3"),
                                                      hops: [Hop(version: Self.v("v1.33.3"), changesMinor: false)], packageManager: .apt)
        plan.blockers = blockers
        let step = try #require(plan.acceptingBlockers().steps.first { $0.kind == .drain })
        guard case let .commands(argvs, _) = step.action, let argv = argvs.first else {
            Issue.record("the drain step runs no command")
            return ([], 0)
        }
        #expect(Array(argv.prefix(kubectl.count + 2)) == kubectl + ["drain", "node08"])
        return (Array(argv.dropFirst(kubectl.count + 2)), step.timeoutSeconds)
    }

    func actionDrain(_ options: DrainOptions?) throws -> (flags: [String], timeout: Int) {
        let command = try NodeActionCommand.make(kubectl: kubectl, kind: .drain, node: "node08", drain: options).get()
        #expect(Array(command.argv.prefix(kubectl.count + 2)) == kubectl + ["drain", "node08"])
        return (Array(command.argv.dropFirst(kubectl.count + 2)), command.timeoutSeconds)
    }

    @Test func theDefaultDrainIsTheSameEverywhere() throws {
        let planned = try plannedDrain(Planner.Options(kubectl: kubectl))
        let action = try actionDrain(nil)
        let dialog = DrainDialog(nodes: ["node08"]).options.kubectlFlags
        #expect(planned.flags == action.flags)
        #expect(action.flags == dialog)
        #expect(planned.timeout == action.timeout, "one process deadline rule: --timeout plus one margin")
    }

    @Test func aTimeoutGivesTheSameFlagsAndDeadlineEverywhere() throws {
        let planned = try plannedDrain(Planner.Options(kubectl: kubectl, drainTimeoutSeconds: 120))
        let action = try actionDrain(DrainOptions(timeoutSeconds: 120))
        #expect(planned.flags == action.flags)
        #expect(planned.flags.contains("--timeout=120s"))
        #expect(planned.timeout == action.timeout)
        #expect(planned.timeout > 120, "kubectl stops itself first, with its own message")
    }

    // Accepting the blockers (emptyDir data, a pod without controller) is the dialog's two boxes ticked.
    @Test func acceptedBlockersGiveTheDialogsFlags() throws {
        let planned = try plannedDrain(Planner.Options(kubectl: kubectl, drainTimeoutSeconds: 120), blockers: [
            Blocker(kind: .emptyDirData, object: "shop/cache-0", advice: ""),
            Blocker(kind: .podWithoutController, object: "shop/debug", advice: ""),
        ])
        let action = try actionDrain(DrainOptions(deleteEmptyDirData: true, force: true, timeoutSeconds: 120))
        #expect(planned.flags == action.flags)
        #expect(planned.timeout == action.timeout)
    }
}
