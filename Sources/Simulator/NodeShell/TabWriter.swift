/// Go's `text/tabwriter` as kubeadm configures it (minwidth 10, padding 3, spaces): every cell but a row's last is
/// padded to its column's width, so the simulator's tables line up byte for byte with kubeadm's.
enum TabWriter {
    static func lines(_ rows: [[String]], minWidth: Int = 10, padding: Int = 3) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() where i < row.count - 1 { widths[i] = max(widths[i], max(minWidth, cell.count + padding)) }
        }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined()
        }
    }
}
