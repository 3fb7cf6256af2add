import Testing
@testable import Upgrade

/// Why a drain failed, read from kubectl 1.33's real output against the simulator.
@Suite struct KubectlDrainOutputTests {
    @Test func aBudgetRefusalNamesThePodAndHowLongKubectlTried() {
        let output = [
            "node/node08 cordoned",
            "evicting pod shop/postgres-0",
            #"error when evicting pods/"postgres-0" -n "shop" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget."#,
            #"There are pending pods in node "node08" when an error occurred: error when evicting pods/"postgres-0" -n "shop": global timeout reached: 15s"#,
            #"error: unable to drain node "node08" due to error: error when evicting pods/"postgres-0" -n "shop": global timeout reached: 15s, continuing command..."#,
        ]
        #expect(KubectlDrainOutput.reason(in: output) == "a PodDisruptionBudget allows no disruption of shop/postgres-0; gave up after 15s")
    }

    @Test func aTimeoutWithoutABudgetAndAWrappedCause() {
        #expect(KubectlDrainOutput.reason(in: [#"error when waiting for pod "web-1" in namespace "shop" to terminate: global timeout reached: 30s"#])
            == "gave up after 30s (pods still running)")
        #expect(KubectlDrainOutput.reason(in: [
            "node/node01 cordoned",
            #"error: unable to drain node "node01" due to error: cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-1, continuing command..."#,
        ]) == "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-1")
        #expect(KubectlDrainOutput.reason(in: [#"Error from server (NotFound): nodes "node99" not found"#])
            == #"Error from server (NotFound): nodes "node99" not found"#)
    }

    @Test func nothingRecognisableIsNil() {
        #expect(KubectlDrainOutput.reason(in: ["node/node08 cordoned", "# exit 1", ""]) == nil)
    }
}
