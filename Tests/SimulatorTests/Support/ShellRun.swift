@testable import Simulator

/// One command's result on a simulated node shell.
struct ShellRun {
    var code: Int32
    var stdout: [String]
    var stderr: [String]
    var all: [String] { stdout + stderr }
}

extension SimulatedNodeShells {
    /// Runs argv on node and collects stdout and stderr lines apart.
    func capture(_ node: String, _ argv: [String]) async -> ShellRun {
        let out = LineBox()
        let err = LineBox()
        let code = await run(node: node, argv: argv) { line, isError in isError ? err.append(line) : out.append(line) }
        return ShellRun(code: code, stdout: out.all, stderr: err.all)
    }
}
