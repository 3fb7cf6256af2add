/// How much of a split a part takes.
public enum Constraint: Equatable, Sendable {
    /// Exactly this many cells (less if there is not enough room).
    case length(Int)
    /// This percentage of the whole.
    case percentage(Int)
    /// At least this many cells, then a share of what is left like `fill(1)`.
    case min(Int)
    /// A share (by weight) of what is left after the fixed parts.
    case fill(Int)
}

/// Splits rectangles into rows or columns by constraints.
public enum Layout {
    /// Splits `area` top to bottom.
    public static func vertical(_ area: Rect, _ constraints: [Constraint]) -> [Rect] {
        let sizes = sizes(total: area.height, constraints)
        var y = area.y
        return sizes.map { size in
            defer { y += size }
            return Rect(x: area.x, y: y, width: area.width, height: size)
        }
    }

    /// Splits `area` left to right.
    public static func horizontal(_ area: Rect, _ constraints: [Constraint]) -> [Rect] {
        let sizes = sizes(total: area.width, constraints)
        var x = area.x
        return sizes.map { size in
            defer { x += size }
            return Rect(x: x, y: area.y, width: size, height: area.height)
        }
    }

    /// Sizes along one axis: fixed parts first, in order, while room lasts; the rest shared by weight.
    static func sizes(total: Int, _ constraints: [Constraint]) -> [Int] {
        var sizes = Array(repeating: 0, count: constraints.count)
        var remaining = max(0, total)
        for (index, constraint) in constraints.enumerated() {
            let wanted: Int
            switch constraint {
            case .length(let n): wanted = n
            case .percentage(let p): wanted = total * p / 100
            case .min(let n): wanted = n
            case .fill: wanted = 0
            }
            let given = Swift.min(Swift.max(0, wanted), remaining)
            sizes[index] = given
            remaining -= given
        }
        let weights = constraints.map { constraint -> Int in
            switch constraint {
            case .fill(let w): return Swift.max(0, w)
            case .min: return 1
            default: return 0
            }
        }
        let totalWeight = weights.reduce(0, +)
        guard totalWeight > 0, remaining > 0 else { return sizes }
        var handedOut = 0
        var lastWeighted = 0
        for (index, weight) in weights.enumerated() where weight > 0 {
            let share = remaining * weight / totalWeight
            sizes[index] += share
            handedOut += share
            lastWeighted = index
        }
        sizes[lastWeighted] += remaining - handedOut
        return sizes
    }
}
