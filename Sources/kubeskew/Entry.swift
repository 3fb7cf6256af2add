import KubeskewCLI

/// Process entry point: runs the `kubeskew` command line (or `kubectl-skew`, the same binary as a kubectl plugin).
@main
enum Entry {
    static func main() async {
        await Kubeskew.entry()
    }
}
