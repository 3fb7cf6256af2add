import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the output stream is: a terminal (with its width) or a pipe, and whether colour is wanted.
struct TerminalInfo {
    let isTerminal: Bool
    let width: Int
    let color: Bool

    /// Colour only on a terminal, never with `NO_COLOR` set (any value) or `--no-color`.
    static func forStdout(noColorFlag: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalInfo {
        let tty = isatty(STDOUT_FILENO) == 1
        var width = 0
        if tty {
            var ws = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0 { width = Int(ws.ws_col) }
        }
        if width <= 0, let cols = environment["COLUMNS"].flatMap(Int.init), cols > 0 { width = cols }
        if width <= 0 { width = 80 }
        let noColor = noColorFlag || environment["NO_COLOR"] != nil || environment["TERM"] == "dumb"
        return TerminalInfo(isTerminal: tty, width: width, color: tty && !noColor)
    }
}
