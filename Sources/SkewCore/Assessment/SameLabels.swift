/// Label sets compared in constant time when both values share one storage, as an unchanged node's labels do from one
/// snapshot to the next, and element by element otherwise. Comparing 5,000 nodes' labels by value on every publish
/// of the live dashboard cost more than assessing the nodes that changed.
public enum SameLabels {
    public static func equal(_ a: [String: String], _ b: [String: String]) -> Bool {
        sameStorage(a, b) || a == b
    }

    /// Whether both values share one storage (then they are equal); false says nothing about their contents.
    public static func sameStorage(_ a: [String: String], _ b: [String: String]) -> Bool {
        // A native dictionary is one reference to its storage: equal bits are the same storage, hence equal contents.
        withUnsafeBytes(of: a) { ra in withUnsafeBytes(of: b) { rb in ra.elementsEqual(rb) } }
    }
}
