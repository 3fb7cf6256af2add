/// Draws the plan review: per node the passes and every command with where it runs, then the blockers with a
/// checkbox each, and what confirming needs.
public enum PlanReviewScreen {
    /// The review as lines (also how tests and scrolling count them); `width` is the panel's inner width.
    public static func lines(_ review: PlanReview, width: Int, glyphs: Glyphs) -> [StyledLine] {
        var out: [StyledLine] = []
        var blockerIndex = 0
        if let cluster = review.cluster {
            for line in cluster.header {
                for piece in WordWrap.lines(line, width: max(20, width - 2)) { out.append([Span(piece, Style(.normal, bold: true))]) }
            }
            out.append([])
        }
        for node in review.nodes {
            for (i, line) in node.section.enumerated() {
                // The phase's title, then what must hold before it.
                for piece in WordWrap.lines(line, width: max(20, width - 2)) {
                    out.append([Span(piece, i == 0 ? Style(.accent, bold: true) : Style(.dim))])
                }
            }
            // Step names as wide as they need (up to 28 columns), the commands wrapped in what is left.
            let nameWidth = min(28, max(8, width / 4, node.commands.map { TextWidth.of($0.name) }.max() ?? 0))
            let indent = 12 + nameWidth + 1
            let wrapWidth = max(20, width - indent - 3)
            let passes = node.hops.count == 1 ? "1 pass" : "\(node.hops.count) passes: " + node.hops.joined(separator: " → ")
            out.append([Span(node.name, Style(.title, bold: true)), Span("  \(node.from) → \(node.target)", Style(.normal, bold: true)),
                        Span("  (\(node.packageManager), \(passes))", Style(.dim))])
            if let destination = node.destination {
                // Where every node command goes, decided before anything runs: the operator reads it here.
                for (i, piece) in WordWrap.lines(destination, width: max(20, width - 18)).enumerated() {
                    out.append([Span(i == 0 ? "  node commands → " : String(repeating: " ", count: 18), Style(.dim)), Span(piece, Style(.accent))])
                }
            }
            var number = 0
            for command in node.commands {
                number += 1
                let place = command.location == "node" ? "node" : "cp  "
                let wrapped = WordWrap.lines(command.line, width: wrapWidth)
                for (index, piece) in wrapped.enumerated() {
                    if index == 0 {
                        out.append([Span(TextWidth.fit("  \(number).", to: 6), Style(.dim)), Span(place + "  ", Style(.accent)),
                                    Span(TextWidth.fit(command.name, to: nameWidth, ellipsis: glyphs.ellipsis) + " ", Style(.dim)),
                                    Span(command.isShellCommand ? "$ " + piece : "  " + piece, command.isShellCommand ? .plain : Style(.dim))])
                    } else {
                        out.append([Span(String(repeating: " ", count: indent + 2)), Span(piece)])
                    }
                }
            }
            if !node.blockers.isEmpty {
                // An API the hop removes is no drain matter: the operator fixes its users, or accepts the risk.
                let onlyAPIs = node.blockers.allSatisfy { $0.kind == "removed-api-in-use" }
                out.append([Span(onlyAPIs ? "  blockers: acknowledge each one (space); the hop removes these API versions, still in use"
                                          : "  blockers: acknowledge each one (space); the drain above has the options they need",
                                 Style(.warning, bold: true))])
                for blocker in node.blockers {
                    let acknowledged = review.acknowledged.contains(blockerIndex)
                    let selected = review.selected == blockerIndex
                    let box = acknowledged ? "[x]" : "[ ]"
                    out.append([Span(selected ? " \(glyphs.cursor) " : "   ", Style(.accent, bold: true)),
                                Span(box + " ", acknowledged ? Style(.ok, bold: true) : Style(.danger, bold: true)),
                                Span(blocker.kind + " ", Style(.warning, bold: true)), Span(blocker.object, Style(.normal, bold: true))])
                    for piece in WordWrap.lines(blocker.advice, width: max(20, width - 8)) {
                        out.append([Span("       " + piece, Style(.dim))])
                    }
                    blockerIndex += 1
                }
            }
            out.append([])
        }
        if !review.refused.isEmpty {
            out.append([Span("not planned", Style(.warning, bold: true))])
            for refusal in review.refused {
                // The reason is what the operator acts on: wrapped under the node, never cut.
                let head = "  \(refusal.node): "
                let pieces = WordWrap.lines(refusal.reason, width: max(20, width - 2 - TextWidth.of(head)))
                for (i, piece) in pieces.enumerated() {
                    out.append(i == 0 ? [Span(head, Style(.normal, bold: true)), Span(piece, Style(.dim))]
                                      : [Span(String(repeating: " ", count: TextWidth.of(head)) + piece, Style(.dim))])
                }
            }
            out.append([])
        }
        return out
    }

    /// The line pinned at the bottom of the review: what confirming needs, or that it may go.
    public static func statusLine(_ review: PlanReview, preview: Bool = false, readOnly: Bool = false) -> StyledLine {
        if review.nodes.isEmpty {
            return [Span(review.cluster == nil ? "nothing to upgrade: esc goes back" : "nothing to do: the cluster is at \(review.target); esc goes back",
                         Style(review.cluster == nil ? .danger : .ok, bold: true))]
        }
        if preview && readOnly {
            // --read-only offers no upgrade: the preview must not point at one.
            return [Span("a preview under --read-only: nothing runs from here; esc closes", Style(.dim))]
        }
        if preview {
            return [Span("a preview: nothing runs from here; ", Style(.dim)), Span("U", Style(.accent, bold: true)),
                    Span(" reviews it for the upgrade, esc closes")]
        }
        if review.canConfirm, let cluster = review.cluster {
            return [Span("y", Style(.danger, bold: true)),
                    Span(" starts the cluster upgrade to \(review.target): \(cluster.phases) phase\(cluster.phases == 1 ? "" : "s"), kubeskew asks again before each later kubeadm upgrade apply")]
        }
        if review.canConfirm {
            return [Span("y", Style(.danger, bold: true)),
                    Span(" starts the upgrade of \(review.nodes.count) node\(review.nodes.count == 1 ? "" : "s") to \(review.target)")]
        }
        let n = review.unacknowledgedCount
        return [Span("\(n) blocker\(n == 1 ? "" : "s") to acknowledge before the run can start", Style(.warning, bold: true))]
    }

    /// Draws the review (or its preparation, or why it failed) into `area`.
    public static func render(_ state: PlanReviewState, preview: Bool = false, readOnly: Bool = false, into grid: inout Grid,
                              area: Rect, glyphs: Glyphs) {
        switch state {
        case .preparing(let nodes):
            TextPanel(title: "upgrade plan", lines: [[Span("reading the cluster and the pods on \(DashboardState.list(nodes))\(glyphs.ellipsis)", Style(.dim))]])
                .render(into: &grid, area: area, glyphs: glyphs)
        case .failed(let message):
            TextPanel(title: "upgrade plan", lines: [[Span("cannot plan: ", Style(.danger, bold: true)), Span(Sanitize.forScreen(message))],
                                                     [], [Span("esc goes back", Style(.dim))]])
                .render(into: &grid, area: area, glyphs: glyphs)
        case .ready(let review):
            let title = review.cluster.map { "cluster upgrade plan: \($0.phases) phase\($0.phases == 1 ? "" : "s") to \(review.target)" }
                ?? "\(preview ? "plan preview" : "upgrade plan"): \(review.nodes.count) node\(review.nodes.count == 1 ? "" : "s") to \(review.target)"
            let keys = preview ? (readOnly ? "j/k · esc close" : "U upgrade these · j/k · esc close")
                : review.canConfirm ? "y start · j/k · esc cancel" : "j/k blocker · space acknowledge · esc cancel"
            let all = lines(review, width: area.width - 4, glyphs: glyphs)
            let visible = max(0, area.height - 3)
            let first = max(0, min(review.scroll, all.count - max(1, visible)))
            let inner = Box.draw(into: &grid, area, title: title, footer: keys, glyphs: glyphs)
            guard inner.height > 0 else { return }
            for row in 0..<max(0, min(inner.height - 1, all.count - first)) {
                grid.put([Span(" ")] + all[first + row], x: inner.x, y: inner.y + row, width: inner.width, ellipsis: glyphs.ellipsis)
            }
            grid.put([Span(" ")] + statusLine(review, preview: preview, readOnly: readOnly), x: inner.x, y: inner.maxY - 1, width: inner.width, ellipsis: glyphs.ellipsis)
        }
    }

    /// The line of the selected blocker (to keep it on screen while the cursor moves).
    static func selectedLine(_ review: PlanReview, width: Int, glyphs: Glyphs) -> Int? {
        lines(review, width: width, glyphs: glyphs).firstIndex { $0.first?.text == " \(glyphs.cursor) " }
    }

    /// The selected blocker's lines: its own and the advice under it (up to the next blank line), so that scrolling
    /// brings the advice into view with it.
    static func selectedBlock(_ review: PlanReview, width: Int, glyphs: Glyphs) -> Range<Int>? {
        let all = lines(review, width: width, glyphs: glyphs)
        guard let first = all.firstIndex(where: { $0.first?.text == " \(glyphs.cursor) " }) else { return nil }
        var end = first + 1
        while end < all.count, all[end].count == 1, let head = all[end].first?.text, head.hasPrefix("       ") {
            end += 1
        }
        return first..<end
    }
}
