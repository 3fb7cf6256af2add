import Foundation
import SkewCore

/// The `t` dialog: the targets the operator may pick, each with the CVEs it closes and its end of life, from the
/// embedded release and advisory data; choosing one re-assesses the cluster with it.
public struct TargetDialog: Equatable, Sendable {
    /// What a key did to the dialog.
    public enum Outcome: Equatable, Sendable {
        case stay
        case cancel
        case choose(TargetChoice)
    }

    public let offers: [TargetOffer]
    /// The target in force when the dialog opened.
    public let current: KubeVersion?
    public var selected: Int

    public init(offers: [TargetOffer], current: KubeVersion?) {
        self.offers = offers
        self.current = current
        selected = offers.firstIndex { current.map($0.version.samePrecedence) ?? false } ?? 0
    }

    /// The offers for the cluster on screen; nil when its API server version is unknown.
    static func make(_ assessment: ClusterAssessment, now: Date, calendar: ReleaseCalendar = .embedded(),
                     advisories: Advisories = .embedded()) -> TargetDialog? {
        let cp = assessment.controlPlane
        guard let apiservers = APIServerSet(cp.apiservers) else { return nil }
        // The CVEs that count are those of what runs: each distinct component version once (5,000 nodes share a few).
        var running: [(component: String, version: KubeVersion)] = apiservers.versions.map { ("kube-apiserver", $0) }
        running += cp.components.compactMap { c in c.version.map { (c.name, $0) } }
        var seen = Set<String>()
        for n in assessment.nodes {
            for (name, c) in [("kubelet", n.kubelet), ("kube-proxy", n.kubeProxy)] {
                guard let v = c?.version, seen.insert("\(name) \(v)").inserted else { continue }
                running.append((name, v))
            }
        }
        let offers = TargetOffers.offers(apiservers: apiservers, kubeadmClusterVersion: cp.kubeadmClusterVersion,
                                         running: running, calendar: calendar, advisories: advisories, today: Self.day(now))
        return TargetDialog(offers: offers, current: assessment.target)
    }

    static func day(_ date: Date) -> CalendarDate {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = utc.dateComponents([.year, .month, .day], from: date)
        return CalendarDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
    }

    /// j/k or arrows move, enter picks, esc or q cancels.
    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape, .char("q"), .char("t"): return .cancel
        case .enter, .char("y"): return offers.indices.contains(selected) ? .choose(offers[selected].choice) : .cancel
        case .char("j"), .down, .tab: if !offers.isEmpty { selected = (selected + 1) % offers.count }
        case .char("k"), .up, .backTab: if !offers.isEmpty { selected = (selected - 1 + offers.count) % offers.count }
        default: break
        }
        return .stay
    }

    /// What reaching an offer fixes, in words.
    static func fixes(_ o: TargetOffer) -> String {
        let cves = o.closes.isEmpty ? "closes no known CVE" : "closes \(o.closes.joined(separator: ", "))"
        let eol = o.endOfLife.map { o.pastEndOfLife ? "\(o.version.minorLine) past end of life since \($0)" : "supported until \($0)" }
            ?? "end of life unknown"
        return cves + "; " + eol
    }

    /// Draws the dialog centred in `area`; each offer is its version and name, then what it fixes, wrapped.
    public func render(into grid: inout Grid, area: Rect, glyphs: Glyphs) {
        let keys = "j/k move · enter choose · esc cancel"
        let textWidth = max(10, min(area.width - 5, 90))
        var rows: [(offer: Int?, text: String)] = [(nil, "Target: the version every node is measured against and upgraded to."), (nil, "")]
        for (index, o) in offers.enumerated() {
            let inForce = current.map(o.version.samePrecedence) ?? false
            rows.append((index, "\(o.version)  \(o.label)" + (inForce ? "  (in force)" : "")))
            for line in WordWrap.lines(Self.fixes(o), width: textWidth - 4) { rows.append((index, "    " + line)) }
        }
        let contentWidth = max(TextWidth.of(keys), rows.map { TextWidth.of($0.text) + 1 }.max() ?? 0)
        let box = area.centered(width: min(area.width, contentWidth + 4), height: min(area.height, rows.count + 3))
        let inner = Box.draw(into: &grid, box, title: "target", glyphs: glyphs, style: Style(.accent, bold: true))
        for (index, row) in rows.enumerated() where index < inner.height - 1 {
            let isSelected = row.offer == selected
            let first = index == 0 || rows[index - 1].offer != row.offer
            let marker = isSelected && first ? (glyphs == .unicode ? "▸" : ">") : " "
            let style = isSelected ? Style(.normal, bold: true, reverse: true) : (row.offer != nil && first ? Style(.normal, bold: true) : .plain)
            grid.put(marker + row.text, x: inner.x, y: inner.y + index, maxWidth: inner.width, style: style)
        }
        if inner.height > 0 {
            grid.put(" " + keys, x: inner.x, y: inner.maxY - 1, maxWidth: inner.width, style: Style(.accent, bold: true))
        }
    }
}
