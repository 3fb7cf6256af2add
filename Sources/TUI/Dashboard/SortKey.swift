/// The orders `s` cycles through.
public enum SortKey: String, Sendable, CaseIterable {
    case name, verdict, kubelet, role

    /// The next order in the cycle.
    public var next: SortKey {
        let all = Self.allCases
        let index = all.firstIndex(of: self) ?? 0
        return all[(index + 1) % all.count]
    }

    /// True when `a` sorts before `b`; ties fall back to the name so the order is stable.
    func before(_ a: NodeRow, _ b: NodeRow) -> Bool {
        switch self {
        case .name:
            break
        case .verdict:
            if a.verdict.severityRank != b.verdict.severityRank { return a.verdict.severityRank < b.verdict.severityRank }
        case .kubelet:
            // Oldest first: those are the nodes to act on; unreadable versions go first of all.
            switch (a.kubeletVersion, b.kubeletVersion) {
            case let (x?, y?) where x != y: return x < y
            case (nil, .some): return true
            case (.some, nil): return false
            default: break
            }
        case .role:
            if a.isControlPlane != b.isControlPlane { return a.isControlPlane }
            if a.role != b.role { return a.role < b.role }
        }
        return a.name < b.name
    }
}
