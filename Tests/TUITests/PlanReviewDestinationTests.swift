import Testing
@testable import TUI

/// The plan review shows where each node's commands go, and where that came from (issue 10, finding 6).
struct PlanReviewDestinationTests {
    @Test func eachNodeShowsItsDestinationUnderItsTitle() {
        var review = UpgradeFixtures.review
        review.nodes[0].destination = "root@10.0.0.5:22 (from: InternalIP)"
        review.nodes[1].destination = "privileged pod on node02 (namespace kube-system, image busybox) (from: --executor pod)"
        let text = PlanReviewScreen.lines(review, width: 100, glyphs: .unicode).map { $0.map(\.text).joined() }
        let node01 = text.firstIndex { $0.hasPrefix("node01") }
        #expect(node01.map { text[$0 + 1] } == "  node commands → root@10.0.0.5:22 (from: InternalIP)", "\(text)")
        #expect(text.contains { $0.contains("privileged pod on node02") })
    }

    @Test func destinationTextFromTheClusterIsSanitized() {
        let node = PlanReview.Node(name: "node01", from: "v1", target: "v2", hops: ["v2"], packageManager: "apt", commands: [],
                                   blockers: [], destination: "root@evil\u{1B}[2J:22 (from: InternalIP)")
        #expect(node.destination?.contains("\u{1B}") == false)
    }
}
