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

        init(_ node: Node?) {
            known = node != nil
            labels = node?.labels ?? [:]
            readyStatus = node?.readyStatus
            cordoned = node?.isUnschedulable ?? false
            runtime = node?.nodeInfo?.containerRuntimeVersion
            os = node?.nodeInfo?.osImage
        }

        static func == (a: NodeInputs, b: NodeInputs) -> Bool {
            a.known == b.known && a.readyStatus == b.readyStatus && a.cordoned == b.cordoned && a.runtime == b.runtime
                && a.os == b.os && SameLabels.equal(a.labels, b.labels)
        }
    }

    private struct Entry: Sendable {
        let inputs: NodeInputs
        let assessment: NodeAssessment
        let row: NodeRow
        let widths: [Int]
    }

    private var entries: [String: Entry] = [:]
    /// How many rows the last `build` made anew (the rest were reused).
    public private(set) var lastRebuiltCount = 0

    public init() {}

    public mutating func build(_ data: DashboardData) -> PreparedRows {
        let nodes = data.snapshot.nodes
        var nodesByName: [String: Node]?
        var next: [String: Entry] = [:]
        next.reserveCapacity(data.assessment.nodes.count)
        var widths = Array(repeating: 0, count: NodeTableColumns.columnCount)
        var rebuilt = 0
        let rows = data.assessment.nodes.enumerated().map { index, assessment -> NodeRow in
            let node: Node?
            if index < nodes.count && nodes[index].name == assessment.name {
                node = nodes[index]
            } else {
                // Same lookup as PreparedRows.init, built only when the two lists are not in step.
                if nodesByName == nil {
                    nodesByName = Dictionary(nodes.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
                }
                node = nodesByName?[assessment.name]
            }
            let inputs = NodeInputs(node)
            let entry: Entry
            if let cached = entries[assessment.name], cached.inputs == inputs, cached.assessment == assessment {
                // The current inputs are kept (equal, but sharing the node's current storage) so that the next
                // comparison of an unchanged node is by storage again.
                entry = Entry(inputs: inputs, assessment: assessment, row: cached.row, widths: cached.widths)
            } else {
                let row = NodeRow(node: node, assessment: assessment)
                entry = Entry(inputs: inputs, assessment: assessment, row: row, widths: NodeTableColumns.widths(of: row))
                rebuilt += 1
            }
            next[assessment.name] = entry
            NodeTableColumns.widen(&widths, to: entry.widths)
            return entry.row
        }
        entries = next
        lastRebuiltCount = rebuilt
        return PreparedRows(rows: rows, naturalWidths: widths)
    }
}
