import ArgumentParser
import Foundation
import KubeClient

/// `kubeskew sim-exec --node NAME -- ARGV…`: runs a command in a `kubeskew sim` node shell and exits with its status.
/// It is what the tools behind a test sshd call (`kubeadm` → `kubeskew sim-exec --node node01 -- kubeadm "$@"`), so a
/// whole upgrade runs over real SSH against simulated nodes.
struct SimExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim-exec",
        abstract: "Run a command in a simulated node's shell (kubeskew sim), for shims behind a test sshd.",
        shouldDisplay: false
    )

    @Option(name: .long, help: "The simulated node.")
    var node: String

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.")
    var argv: [String] = []

    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        let command = argv.first == "--" ? Array(argv.dropFirst()) : argv
        guard !command.isEmpty else {
            Output.err("kubeskew sim-exec: no command\n")
            throw ExitCode(2)
        }
        let client: KubeAPIClient
        do { client = try cluster.client() } catch let e as OperatorError {
            Output.err("kubeskew sim-exec: \(e.message)\n")
            throw ExitCode(255)
        }
        let code: Int32
        do {
            code = try await client.simulatorExec(node: node, argv: command) { line in
                switch line {
                case .stdout(let text): Output.out(text + "\n")
                case .stderr(let text): Output.err(text + "\n")
                }
            }
        } catch {
            await client.shutdown()
            Output.err("kubeskew sim-exec: \(error)\n")
            throw ExitCode(255)
        }
        await client.shutdown()
        if code != 0 { throw ExitCode(code) }
    }
}
