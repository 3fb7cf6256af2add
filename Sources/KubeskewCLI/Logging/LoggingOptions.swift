import ArgumentParser
import KubeClient
import Logging

/// `--log-file PATH` and `-v`/`-vv`, on the commands that talk to a cluster or to nodes.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Append a log to this file: API requests (verb, path, status, time) and node commands (node, command, exit, time); never credentials.",
                                            valueName: "FILE"), completion: .file())
    var logFile: String?

    @Flag(name: .short, help: "With --log-file: -v logs every request (info), -vv debug; else notices and failures only.")
    var verbose: Int

    /// The level `-v` asks for.
    var level: Logger.Level { verbose >= 2 ? .debug : verbose == 1 ? .info : .notice }

    /// Opens the log file and sends the API client's log to it. `-v` without a file is refused rather than sent to
    /// the terminal, which the dashboard draws on.
    func install() throws(OperatorError) {
        guard let logFile else {
            if verbose > 0 { throw OperatorError(message: "-v needs --log-file FILE: the log is written to a file only", status: 64) }
            return
        }
        let sink = try FileLogHandler.Sink(path: logFile)
        let level = level
        APILog.install(Logger(label: "kubeskew.api") { label in FileLogHandler(label: label, sink: sink, logLevel: level) })
        NodeCommandLog.install(Logger(label: "kubeskew.node") { label in FileLogHandler(label: label, sink: sink, logLevel: level) })
    }

    /// `install()` for `kubeskew COMMAND`: a refusal is printed as the command's error and ends it.
    func install(for command: String) throws {
        do { try install() } catch {
            Output.err("kubeskew \(command): \(error.message)\n")
            throw ExitCode(error.status)
        }
    }
}
