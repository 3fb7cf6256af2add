import Foundation
import TUI
import Upgrade

/// The guided upgrade and the single actions of one dashboard (live or demo), wired to its inbox: the runtime's
/// callbacks, the resume offer at start, and stopping both when the operator quits.
struct GuidedSession: Sendable {
    let driver: GuidedUpgradeDriver
    let actions: NodeActionRunner

    /// Single actions run kubectl where the control-plane steps do (this machine).
    init(setup: GuidedUpgradeDriver.Setup, inbox: DashboardInbox) {
        driver = GuidedUpgradeDriver(setup: setup, inbox: inbox)
        actions = NodeActionRunner(kubectl: setup.kubectl, executor: setup.controlPlaneExecutor,
                                   leaseAPI: setup.leases ?? APILeases(client: setup.client), report: { inbox.post(.nodeAction($0)) })
    }

    /// Hands a confirmed single action to the runner (the runtime calls this on its own thread: it returns at once).
    var onAction: @Sendable (NodeActionRequest) -> Void {
        let actions = self.actions
        return { request in Task { await actions.start(request) } }
    }

    var onStopAction: @Sendable (Int) -> Void {
        let actions = self.actions
        return { id in Task { await actions.stop(id) } }
    }

    /// Hands an upgrade request to the driver's one ordered stream (see `GuidedUpgradeDriver`): no task per
    /// request, so two requests never run side by side and arrive in the order the operator gave them.
    var onUpgrade: @Sendable (UpgradeRequest) -> Void {
        let driver = self.driver
        return { request in driver.send(request) }
    }

    /// Offers an unfinished run from the journal for resume; `notes` follow the nodes in the dialog.
    static func offerResume(_ run: RunState?, notes: [String] = [], inbox: DashboardInbox) {
        guard let run else { return }
        inbox.post(.upgrade(.resumeOffer(runID: run.runID, nodes: run.nodes.map {
            "\($0.node): \($0.status.rawValue), \($0.completedSteps)/\($0.steps.count) steps"
        } + notes)))
    }

    /// After the dashboard closed: a lost terminal (SIGHUP) stops the run at a safe point, anything else (quit,
    /// SIGTERM, SIGINT) aborts it; the actions in flight are stopped either way.
    func stop(after exit: DashboardExit, prefix: String) async -> (wasRunning: Bool, state: RunState?, plan: RunPlan?) {
        guard exit.isHangup else { return await stopForQuit(prefix: prefix) }
        // While the steps in flight finish, SIGINT/SIGTERM still abort (the dashboard's own handlers are gone).
        let driver = self.driver
        let signals = RunSignals(runID: await driver.currentPlan?.id ?? "?", abort: { Task { await driver.handle(.abort) } }, hangup: {})
        defer { signals.cancel() }
        for stopped in await actions.stopAll(limit: .seconds(5)) {
            Output.out("\(prefix): \(stopped) on hangup\n")
        }
        let wasRunning = await driver.isRunning
        let state = await driver.stopForHangup()
        return (wasRunning, state, await driver.currentPlan)
    }

    /// After the dashboard closed: stops the actions in flight (each said on stdout after `prefix`) and the run;
    /// returns whether a run was in flight, its final state and its plan.
    func stopForQuit(prefix: String) async -> (wasRunning: Bool, state: RunState?, plan: RunPlan?) {
        for stopped in await actions.stopAll(limit: .seconds(5)) {
            Output.out("\(prefix): \(stopped) on quit\n")
        }
        let wasRunning = await driver.isRunning
        let state = await driver.stopForQuit(limit: .seconds(10))
        return (wasRunning, state, await driver.currentPlan)
    }
}
