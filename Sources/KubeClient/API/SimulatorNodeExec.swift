import Foundation
import NIOCore
import NIOHTTP1

/// One line of a simulated node's command output.
public enum SimulatorExecLine: Sendable {
    case stdout(String)
    case stderr(String)
}

extension KubeAPIClient {
    /// Runs an argv in a node shell of `kubeskew sim` (`POST /kubeskew-sim/v1/nodes/NAME/exec`), streaming its lines;
    /// returns the exit code. Only the simulator serves this path: it stands in for ssh to simulated nodes.
    public func simulatorExec(node: String, argv: [String], onLine: @Sendable (SimulatorExecLine) async -> Void) async throws -> Int32 {
        try ObjectName.validate(node, what: "node name")
        let body = try JSONEncoder().encode(["argv": argv])
        let request = APIRequest(
            method: .POST, path: "/kubeskew-sim/v1/nodes/\(node)/exec", body: Array(body), contentType: "application/json",
            accept: "application/x-ndjson", operation: .init(verb: "exec in", resource: "simulated node", name: node))
        let response = try await transport.open(request)
        var splitter = LineSplitter(maxLineLength: 1 << 20)
        var exit: Int32?
        for try await chunk in response.body {
            splitter.append(chunk)
            while let line = try splitter.nextLine() {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.readableBytesView)) as? [String: Any] else { continue }
                if let text = object["o"] as? String { await onLine(.stdout(text)) }
                if let text = object["e"] as? String { await onLine(.stderr(text)) }
                if let code = object["exit"] as? Int { exit = Int32(truncatingIfNeeded: code) }
            }
        }
        guard let exit else { throw KubeClientError.connectionFailed(server: config.server, reason: "the simulated node \(node) closed the stream without an exit status") }
        return exit
    }
}
