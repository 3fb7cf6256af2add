import KubeModel
import SkewCore

/// Builds `PreparedRows` for successive snapshots of one cluster, rebuilding only the rows whose node assessment or
/// shown node fields (ready, cordon, role, runtime, OS) changed; rows, order and natural widths are always identical
/// to `PreparedRows(data)`.
public struct PreparedRowsBuilder: Sendable {
    /// What a row reads from the `Node` itself (the rest comes from its assessment).
    private struct NodeInputs: Equatable {
        let known: Bool
        /// The role column reads the `node-role.kubernetes.io/…` labels.
        let labels: [String: String]
        let readyStatus: String?
        let cordoned: Bool
        let runtime: String?
        let os: String?

        /// A static function, not an init: its argument is borrowed, where an init's would be a copy of the node.
        static func of(_ node: Node) -> NodeInputs {
            NodeInputs(
                known: true, labels: node.labels, readyStatus: node.readyStatus, cordoned: node.isUnschedulable,
                runtime: node.nodeInfo?.containerRuntimeVersion, os: node.nodeInfo?.osImage)
        }

        static let absent = NodeInputs(known: false, labels: [:], readyStatus: nil, cordoned: false, runtime: nil, os: nil)

        static func == (a: NodeInputs, b: NodeInputs) -> Bool {
            a.known == b.known && a.readyStatus == b.readyStatus && a.cordoned == b.cordoned && a.runtime == b.runtime
                && a.os == b.os && SameLabels.equal(a.labels, b.labels)
        }
    }

    private struct Entry: Sendable {
        let inputs: NodeInputs
        let assessment: NodeAssessment
        let probe: KubeadmProbeStatus?
        let row: NodeRow
        let widths: [Int]
    }

    private var entries: [String: Entry] = [:]
    /// How many rows the last `build` made anew (the rest were reused).
    public private(set) var lastRebuiltCount = 0

    public init() {}

    public mutating func build(_ data: DashboardData) -> PreparedRows {
        let nodes = data.snapshot.nodes
        var indexByName: [String: Int]?
        var widths = Array(repeating: 0, count: NodeTableColumns.columnCount)
        var rebuilt = 0
        // The cache is updated in place, and nodes are read where they are (not copied) unless a row is rebuilt:
        // with 5,000 nodes, copies and a new dictionary per publish cost more than the rows that changed.
        let rows = data.assessment.nodes.enumerated().map { index, assessment -> NodeRow in
            let nodeIndex: Int?
            if index < nodes.count && nodes[index].name == assessment.name {
                nodeIndex = index
            } else {
                // Same lookup as PreparedRows.init (the last node of a name wins), built only when the two lists are
                // not in step.
                if indexByName == nil {
                    indexByName = Dictionary(nodes.indices.map { (nodes[$0].name, $0) }, uniquingKeysWith: { _, last in last })
                }
                nodeIndex = indexByName?[assessment.name]
            }
            let inputs = nodeIndex.map { NodeInputs.of(nodes[$0]) } ?? NodeInputs.absent
            let probe = data.snapshot.kubeadmProbes[assessment.name]
            if let cached = entries[assessment.name], cached.inputs == inputs, cached.assessment == assessment, cached.probe == probe {
                if !SameLabels.sameStorage(cached.inputs.labels, inputs.labels) {
                    // Equal, but the node was decoded again: keep its current inputs, so that the next comparison is
                    // by storage again.
                    entries[assessment.name] = Entry(inputs: inputs, assessment: assessment, probe: probe, row: cached.row,
                                                     widths: cached.widths)
                }
                NodeTableColumns.widen(&widths, to: cached.widths)
                return cached.row
            }
            let row = NodeRow(node: nodeIndex.map { nodes[$0] }, assessment: assessment, kubeadmProbe: probe)
            let entry = Entry(inputs: inputs, assessment: assessment, probe: probe, row: row, widths: NodeTableColumns.widths(of: row))
            entries[assessment.name] = entry
            rebuilt += 1
            NodeTableColumns.widen(&widths, to: entry.widths)
            return row
        }
        if entries.count > rows.count {
            // Nodes are gone: forget them (a stale entry is never reused unchecked, it only takes memory).
            let names = Set(data.assessment.nodes.map(\.name))
            entries = entries.filter { names.contains($0.key) }
        }
        lastRebuiltCount = rebuilt
        return PreparedRows(rows: rows, naturalWidths: widths)
    }
}
