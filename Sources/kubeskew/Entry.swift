import KubeskewCLI

/// Process entry point: runs the `kubeskew` command line.
@main
enum Entry {
    static func main() async {
        await Kubeskew.main()
    }
}
