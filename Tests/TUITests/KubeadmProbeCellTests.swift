import Foundation
import KubeModel
import Testing
@testable import TUI

/// Issue 13: "the column shows probing, the version, or why not (no kubeadm installed, ssh refused, timeout) with the
/// reason in the node's details", "with the time probed shown in details", and "Screen tests at 80×24 and 200×50 with
/// probed, probing and failed kubeadm cells."
struct KubeadmProbeCellTests {
    static let asked = Date(timeIntervalSince1970: 1_796_000_000)

    /// The fixture cluster with node01 answered, node02 being asked, node03 refused and node04 without kubeadm.
    static func data() -> DashboardData {
        var snapshot = Fixtures.snapshot()
        snapshot.kubeadmVersions = ["node01": "v1.35.1"]
        snapshot.kubeadmProbes = [
            "node01": .found(version: "v1.35.1", at: asked, cached: true),
            "node02": .probing,
            "node03": .failed(short: "refused", reason: "node03: connection refused by 10.0.0.13:22; is sshd running there, and is the port right (--ssh-port)?", at: asked),
            "node04": .failed(short: "missing", reason: "node04: kubeadm is not installed (or not on the PATH): sh: 1: kubeadm: not found", at: asked),
        ]
        return Fixtures.data(snapshot)
    }

    static func cell(_ state: DashboardState, _ node: String) -> String? {
        let lines = state.screen.split(separator: "\n").map(String.init)
        guard let header = lines.first(where: { $0.contains("NAME") && $0.contains("KUBEADM") }),
              let row = lines.first(where: { $0.contains(" \(node) ") }),
              let start = header.range(of: "KUBEADM") else { return nil }
        let offset = header.distance(from: header.startIndex, to: start.lowerBound)
        let characters = Array(row)
        guard offset < characters.count else { return nil }
        return String(characters[offset...].prefix(8)).trimmingCharacters(in: .whitespaces)
    }

    @Test(arguments: [(80, 24), (120, 40), (200, 50)])
    func theKubeadmCellSaysWhereEachProbeStands(width: Int, height: Int) {
        let state = Fixtures.state(width: width, height: height, data: Self.data())
        #expect(Self.cell(state, "node01") == "v1.35.1", "\(state.screen)")
        #expect(Self.cell(state, "node02") == "probing…", "\(state.screen)")
        #expect(Self.cell(state, "node03") == "refused", "\(state.screen)")
        #expect(Self.cell(state, "node04") == "missing", "\(state.screen)")
        #expect(Self.cell(state, "node05") == "?", "never asked: \(state.screen)")
    }

    @Test func theDetailsSayWhyAndWhen() {
        var state = Fixtures.state(width: 120, height: 50, data: Self.data())
        func details(_ node: String) -> String {
            state.overlay = .details(node: node, scroll: 0)
            return state.screen
        }
        let refused = details("node03")
        #expect(refused.contains("kubeadm    refused"), "\(refused)")
        #expect(refused.contains("node03: connection refused by 10.0.0.13:22"), "\(refused)")
        #expect(refused.contains("K asks again"), "\(refused)")
        let cached = details("node01")
        #expect(cached.contains("read from the cache: the node answered at"), "\(cached)")
        let probing = details("node02")
        #expect(probing.contains("kubeadm    probing…"), "\(probing)")
        let never = details("node05")
        #expect(never.contains("not probed yet"), "\(never)")
    }

    @Test func aProbesAnswerIsNotAnEventButAVersionChangeIs() {
        let before = PreparedRows(Self.data()).rows
        var answered = Self.data().snapshot
        answered.kubeadmVersions["node02"] = "v1.34.4"
        answered.kubeadmProbes["node02"] = .found(version: "v1.34.4", at: Self.asked, cached: false)
        answered.kubeadmVersions["node01"] = "v1.35.2"
        let after = PreparedRows(Fixtures.data(answered)).rows
        let found = ClusterEventLog.changes(from: before, to: after, at: Self.asked)
        #expect(found.map(\.change) == ["kubeadm v1.35.2"], "node01 changed kubeadm; node02 only answered: \(found)")
    }
}
