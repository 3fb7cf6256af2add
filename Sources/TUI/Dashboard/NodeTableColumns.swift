/// The node table's columns: which survive on narrow screens (priority) and how each cell is drawn.
enum NodeTableColumns {
    static let name = 0, role = 1, status = 2, kubelet = 3, kubeadm = 4, proxy = 5, runtime = 6, os = 7, skew = 8, risk = 9

    /// KUBELET and KUBEADM are what kubeskew is for: on a narrow screen ROLE and PROXY give way first (after the
    /// wide-only RUNTIME and OS), and a long NAME is cut with `…` before the badges are; at 80 columns NAME (16),
    /// STATUS, KUBELET, KUBEADM, PROXY, SKEW and RISK fit.
    ///
    /// Which columns are shown, and how wide, depends on the width and on facts a run does not change (names, roles,
    /// runtime, OS), never on content that changes while the screen is watched: "columns do not appear or vanish
    /// mid-run", and they do not resize either. So the changing columns are given their reserve (room for what they may
    /// show during a run), and RISK, last, takes what is left: its badges and the run's progress move nothing.
    static func columns(natural: [Int]) -> [TableColumn] {
        func nat(_ i: Int) -> Int { i < natural.count ? natural[i] : 0 }
        return [
            // Names up to 16 columns are never cut: a narrow screen drops a column instead; longer ones are cut
            // before the badges (shrinkPriority), yet NAME is the last column dropped.
            TableColumn("NAME", minWidth: max(10, min(nat(name), 16)), maxWidth: 48, priority: 100, shrinkPriority: 65),
            TableColumn("ROLE", minWidth: 7, maxWidth: 14, priority: 30),
            // A drain cordons the node and a kubelet restart may make it NotReady: `NotReady,cordoned`.
            TableColumn("STATUS", minWidth: 8, maxWidth: 17, priority: 80, reserve: 17),
            TableColumn("KUBELET", minWidth: 8, maxWidth: 24, priority: 95, reserve: versionWidth),
            // `?` until probed, then a version (never cut, and not a minimum that moves when a node is probed).
            TableColumn("KUBEADM", minWidth: versionWidth, maxWidth: 24, priority: 93, reserve: versionWidth),
            TableColumn("PROXY", minWidth: 8, maxWidth: 24, priority: 45, reserve: versionWidth),
            TableColumn("RUNTIME", minWidth: max(7, min(nat(runtime), 28)), maxWidth: 28, priority: 10, wideOnly: true),
            TableColumn("OS", minWidth: max(2, min(nat(os), 28)), maxWidth: 28, priority: 5, wideOnly: true),
            TableColumn("SKEW", minWidth: 12, maxWidth: 20, priority: 110),
            // The badges shrink as a node is upgraded, and during a run its progress (`⟳ step 10/32`) comes first.
            TableColumn("RISK", minWidth: 9, maxWidth: riskMaxWidth, priority: 70, reserve: riskMaxWidth, fill: true),
        ]
    }

    /// A version as the table writes it (`v1.29.15`).
    static let versionWidth = 8
    static let riskMaxWidth = 40

    /// `natural` with room for the run's progress in the RISK column, which the rows' widths do not count (the
    /// progress changes with every step; the rows are built once per snapshot).
    static func natural(_ natural: [Int], progressWidth: Int) -> [Int] {
        guard progressWidth > 0, risk < natural.count else { return natural }
        var widths = natural
        widths[risk] = natural[risk] + progressWidth + (natural[risk] > 0 ? 1 : 0)
        return widths
    }

    /// The widest content of each column over every node.
    static func naturalWidths(_ rows: [NodeRow]) -> [Int] {
        var natural = Array(repeating: 0, count: columnCount)
        for row in rows { widen(&natural, to: widths(of: row)) }
        return natural
    }

    static let columnCount = 10

    /// One row's content width in each column (kept per row, so that a new snapshot measures only changed rows).
    static func widths(of row: NodeRow) -> [Int] {
        var widths = Array(repeating: 0, count: columnCount)
        widths[name] = TextWidth.of(row.name)
        widths[role] = TextWidth.of(row.role)
        widths[status] = TextWidth.of(row.statusText)
        widths[kubelet] = TextWidth.of(row.kubelet)
        widths[kubeadm] = TextWidth.of(row.kubeadm)
        widths[proxy] = TextWidth.of(row.kubeProxy)
        widths[runtime] = TextWidth.of(row.runtime)
        widths[os] = TextWidth.of(row.os)
        widths[skew] = TextWidth.of(row.verdict.rawValue)
        widths[risk] = TextWidth.of(row.riskText)
        return widths
    }

    /// `widths` grown to at least `row`'s, column by column.
    static func widen(_ widths: inout [Int], to row: [Int]) {
        for i in 0..<min(widths.count, row.count) where row[i] > widths[i] { widths[i] = row[i] }
    }

    /// The styled cells of one row.
    static func cells(_ row: NodeRow) -> [StyledLine] {
        let statusStyle: Style = row.ready == "Ready" ? .plain : Style(.danger, bold: true)
        var status = [Span(row.ready, statusStyle)]
        if row.cordoned { status.append(Span(",cordoned", Style(.warning))) }
        var risks: StyledLine = []
        for (index, badge) in row.riskBadges.enumerated() {
            if index > 0 { risks.append(Span(" ")) }
            let text = badge.count > 1 ? "\(badge.kind.badge)×\(badge.count)" : badge.kind.badge
            risks.append(Span(text, VerdictStyle.style(badge.kind)))
        }
        return [
            [Span(row.name, row.isControlPlane ? Style(.normal, bold: true) : .plain)],
            [Span(row.role, Style(.dim))],
            status,
            [Span(row.kubelet, VerdictStyle.style(row.kubeletVerdict))],
            [Span(row.kubeadm, row.kubeadmVerdict.map(VerdictStyle.style) ?? (row.kubeadmProbeFailed ? Style(.warning) : Style(.dim)))],
            [Span(row.kubeProxy, row.kubeProxyVerdict.map(VerdictStyle.style) ?? Style(.dim))],
            [Span(row.runtime, Style(.dim))],
            [Span(row.os, Style(.dim))],
            [Span(row.verdict.rawValue, VerdictStyle.style(row.verdict))],
            risks,
        ]
    }
}
