import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /kubeskew-sim/v1/nodes/NAME/exec` with `{"argv": [...]}`: runs the argv in the node's simulated shell and
/// streams one JSON object per line — `{"o": "…"}` (stdout), `{"e": "…"}` (stderr), then `{"exit": N}`. Not part of
/// the Kubernetes API: it stands in for ssh to the simulated nodes, for `--executor simulated` and the ssh tests' shims.
extension APIServer {
    /// The request body of the exec endpoint.
    struct ExecRequest: Decodable {
        let argv: [String]
    }

    func nodeExec(_ api: APIRequest, _ components: [Substring]) async -> Response {
        guard components.count == 5, components[1] == "v1", components[2] == "nodes", components[4] == "exec" else {
            return respondBytes(status: 404, Array("404 page not found\n".utf8), contentType: "text/plain; charset=utf-8", nosniff: true)
        }
        guard api.method == .post else {
            return respondBytes(status: 405, Array("405 method not allowed\n".utf8), contentType: "text/plain; charset=utf-8", nosniff: true)
        }
        guard let shells = nodeShells.withLock({ $0 }) else {
            return respondBytes(status: 503, Array("node shells are not ready\n".utf8), contentType: "text/plain; charset=utf-8", nosniff: true)
        }
        guard let request = try? JSONDecoder().decode(ExecRequest.self, from: Data(api.body)), !request.argv.isEmpty else {
            return respondBytes(status: 400, Array("body must be {\"argv\": [\"program\", ...]}\n".utf8), contentType: "text/plain; charset=utf-8", nosniff: true)
        }
        let node = String(components[3])
        var headers = HTTPFields()
        headers[.contentType] = "application/x-ndjson"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let (lines, continuation) = AsyncStream<[UInt8]>.makeStream()
            let work = Task {
                let code = await shells.run(node: node, argv: request.argv) { line, isError in
                    continuation.yield(Self.execLine(isError ? "e" : "o", line))
                }
                continuation.yield(Array("{\"exit\":\(code)}\n".utf8))
                continuation.finish()
            }
            for await line in lines { try await writer.write(ByteBuffer(bytes: line)) }
            _ = await work.value
            try await writer.finish(nil)
        })
    }

    static func execLine(_ key: String, _ text: String) -> [UInt8] {
        let encoded = (try? JSONEncoder().encode([key: text])).map { Array($0) } ?? Array("{}".utf8)
        return encoded + [UInt8(ascii: "\n")]
    }
}
