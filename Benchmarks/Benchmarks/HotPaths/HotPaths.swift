import Benchmark
import Foundation
import KubeModel
import SkewCore
import TUI

// kubeskew's hot paths on the generated 5,000-node cluster (see Fixture): decoding the node list, assessing it,
// building the table rows, and painting the node screen. Each benchmark runs in a process of its own (that is how
// package-benchmark works); wall clock and malloc counts are per iteration.
//
//   scripts/bench-inprocess                       # all of them, as a table
//   swift package --package-path Benchmarks --scratch-path Benchmarks/.build benchmark --filter 'render.*'

/// A fixed day, so that end-of-life and advisory badges do not change from one run to the next.
let assessmentContext = AssessmentContext(today: CalendarDate(year: 2025, month: 9, day: 1))

func configuration(maxIterations: Int, seconds: Int = 5) -> Benchmark.Configuration {
    Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds, units: [.mallocCountTotal: .count],
        warmupIterations: 2, scalingFactor: .one, maxDuration: .seconds(seconds), maxIterations: maxIterations)
}

/// A benchmark's setup failed: the fixture is not what the benchmark means to measure.
struct FixtureProblem: Error, CustomStringConvertible {
    let description: String
}

/// The cluster as the live dashboard holds it, plus the same cluster with one node changed.
struct Cluster {
    let fixture: Fixture
    let snapshot: ClusterSnapshot
    /// `snapshot` with one worker's kubelet moved by a patch, every other node the same value (as the live feed's
    /// node set is after a watch event).
    let changed: ClusterSnapshot
    let system: ClusterSnapshot.SystemFacts
    let assessment: ClusterAssessment
    let changedAssessment: ClusterAssessment

    static func load() async throws -> Cluster {
        let fixture = try await Fixture.load()
        let snapshot = try fixture.snapshot()
        guard snapshot.nodes.count == Fixture.nodeCount else {
            throw FixtureProblem(description: "the fixture has \(snapshot.nodes.count) nodes, not \(Fixture.nodeCount)")
        }
        var changed = snapshot
        let index = snapshot.nodes.count / 2
        var node = changed.nodes[index]
        let kubelet = node.status?.nodeInfo?.kubeletVersion
        node.status?.nodeInfo?.kubeletVersion = kubelet == "v1.33.3" ? "v1.33.2" : "v1.33.3"
        changed.nodes[index] = node
        let system = snapshot.systemFacts
        let assessor = Assessor(context: assessmentContext)
        return Cluster(fixture: fixture, snapshot: snapshot, changed: changed, system: system,
                       assessment: assessor.assess(snapshot.facts(system: system)),
                       changedAssessment: assessor.assess(changed.facts(system: system)))
    }

    func snapshot(_ turn: Int) -> ClusterSnapshot { turn.isMultiple(of: 2) ? changed : snapshot }
    func assessment(_ turn: Int) -> ClusterAssessment { turn.isMultiple(of: 2) ? changedAssessment : assessment }
}

/// What an incremental benchmark carries from one iteration to the next: each iteration flips the changed node,
/// so every iteration sees exactly one node differ from the previous one.
final class Incremental {
    let cluster: Cluster
    var assessor: IncrementalAssessor
    var rows = PreparedRowsBuilder()
    var turn = 0

    init(_ cluster: Cluster) throws {
        self.cluster = cluster
        assessor = IncrementalAssessor(Assessor(context: assessmentContext))
        _ = assessor.assess(cluster.snapshot.facts(system: cluster.system))
        _ = DashboardData(snapshot: cluster.snapshot, assessment: cluster.assessment).preparingRows(with: &rows)
        // One step, to check that it is the work of one node.
        turn = 0
        _ = assessor.assess(cluster.snapshot(turn).facts(system: cluster.system))
        _ = DashboardData(snapshot: cluster.snapshot(turn), assessment: cluster.assessment(turn)).preparingRows(with: &rows)
        turn = 1
        guard assessor.lastReassessedCount == 1, rows.lastRebuiltCount == 1 else {
            throw FixtureProblem(description: "one changed node re-assessed \(assessor.lastReassessedCount) nodes and rebuilt \(rows.lastRebuiltCount) rows")
        }
    }
}

/// A dashboard at 120x40 showing the cluster, as after its first paint.
final class Screen {
    var state: DashboardState
    var turn = 0

    init(_ cluster: Cluster) throws {
        state = DashboardState(options: DashboardOptions(timeZone: TimeZone(identifier: "UTC") ?? .current),
                               width: 120, height: 40, watch: .live)
        _ = state.update(.snapshotChanged(DashboardData(snapshot: cluster.snapshot, assessment: cluster.assessment).preparingRows()))
        state.screenDrawn()
        guard state.rows.count == Fixture.nodeCount else {
            throw FixtureProblem(description: "the dashboard shows \(state.rows.count) rows, not \(Fixture.nodeCount)")
        }
    }
}

/// A nodes file through the streaming decoder in 1 MiB chunks, as `check --nodes-file` reads it (from memory here).
func streamNodes(_ bytes: [UInt8]) throws -> [Node]? {
    var stream = StreamingNodeDecoder()
    try bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let end = min(offset + (1 << 20), raw.count)
            try stream.feed(UnsafeRawBufferPointer(rebasing: raw[offset..<end]))
            offset = end
        }
    }
    return try stream.finish()
}

let benchmarks: @Sendable () -> Void = {
    // MARK: decode

    Benchmark("decode: FastNodeDecoding.list, 10 pages of 500 nodes", configuration: configuration(maxIterations: 50),
              closure: { (_: Benchmark, fixture: Fixture) throws in
                  for page in fixture.pages { blackHole(try FastNodeDecoding.list(page)) }
              }, setup: { try await Fixture.load() })

    Benchmark("decode: StreamingNodeDecoder, kubectl -o json file in 1 MiB chunks",
              configuration: configuration(maxIterations: 50, seconds: 10),
              closure: { (_: Benchmark, fixture: Fixture) throws in
                  blackHole(try streamNodes(fixture.nodesFile))
              }, setup: {
                  let fixture = try await Fixture.load()
                  let count = try streamNodes(fixture.nodesFile)?.count ?? 0
                  guard count == Fixture.nodeCount else {
                      throw FixtureProblem(description: "the nodes file streams \(count) nodes, not \(Fixture.nodeCount)")
                  }
                  return fixture
              })

    // MARK: assess

    Benchmark("assess: facts + Assessor.assess, all nodes", configuration: configuration(maxIterations: 200),
              closure: { (_: Benchmark, cluster: Cluster) in
                  let facts = cluster.snapshot.facts()
                  blackHole(Assessor(context: assessmentContext).assess(facts))
              }, setup: { try await Cluster.load() })

    Benchmark("assess: facts + IncrementalAssessor, one node changed", configuration: configuration(maxIterations: 500),
              closure: { (_: Benchmark, work: Incremental) in
                  work.turn += 1
                  let facts = work.cluster.snapshot(work.turn).facts(system: work.cluster.system)
                  blackHole(work.assessor.assess(facts))
              }, setup: { try Incremental(try await Cluster.load()) })

    // MARK: rows

    Benchmark("rows: preparingRows, new PreparedRowsBuilder", configuration: configuration(maxIterations: 200),
              closure: { (_: Benchmark, cluster: Cluster) in
                  var builder = PreparedRowsBuilder()
                  blackHole(DashboardData(snapshot: cluster.snapshot, assessment: cluster.assessment).preparingRows(with: &builder))
              }, setup: { try await Cluster.load() })

    Benchmark("rows: preparingRows, one node changed", configuration: configuration(maxIterations: 500),
              closure: { (_: Benchmark, work: Incremental) in
                  work.turn += 1
                  let data = DashboardData(snapshot: work.cluster.snapshot(work.turn), assessment: work.cluster.assessment(work.turn))
                  blackHole(data.preparingRows(with: &work.rows))
              }, setup: { try Incremental(try await Cluster.load()) })

    // The live feed's whole publish after one watch event: facts, incremental assessment, rows.
    Benchmark("publish: facts + incremental assess + rows, one node changed", configuration: configuration(maxIterations: 500),
              closure: { (_: Benchmark, work: Incremental) in
                  work.turn += 1
                  let snapshot = work.cluster.snapshot(work.turn)
                  let assessment = work.assessor.assess(snapshot.facts(system: work.cluster.system))
                  blackHole(DashboardData(snapshot: snapshot, assessment: assessment).preparingRows(with: &work.rows))
              }, setup: { try Incremental(try await Cluster.load()) })

    // MARK: render

    Benchmark("render: node screen 120x40 into a Grid", configuration: configuration(maxIterations: 2_000),
              closure: { (_: Benchmark, screen: Screen) in
                  blackHole(DashboardView.render(screen.state))
              }, setup: { try Screen(try await Cluster.load()) })

    Benchmark("key: cursor down + repaint", configuration: configuration(maxIterations: 2_000),
              closure: { (_: Benchmark, screen: Screen) in
                  blackHole(screen.state.update(.key(.down)))
                  blackHole(DashboardView.render(screen.state))
                  screen.state.screenDrawn()
              }, setup: { try Screen(try await Cluster.load()) })

    // `/` opens the filter; then each iteration types `4` or erases it (5,000 rows filtered again) and repaints.
    Benchmark("key: filter typing (4, backspace) + repaint", configuration: configuration(maxIterations: 1_000),
              closure: { (_: Benchmark, screen: Screen) in
                  screen.turn += 1
                  blackHole(screen.state.update(.key(screen.turn.isMultiple(of: 2) ? .backspace : .char("4"))))
                  blackHole(DashboardView.render(screen.state))
                  screen.state.screenDrawn()
              }, setup: {
                  let screen = try Screen(try await Cluster.load())
                  _ = screen.state.update(.key(.char("/")))
                  guard screen.state.isEditingFilter else { throw FixtureProblem(description: "/ did not open the filter") }
                  return screen
              })
}
