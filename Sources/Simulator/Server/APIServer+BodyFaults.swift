import HTTPTypes
import Hummingbird
import NIOCore

/// The body faults: a server that never ends a response, and one that sends far more than any answer needs. Both
/// begin as a real NodeList would, with a 200 and JSON headers, so a client learns only from the body itself.
extension APIServer {
    /// The fault's response for `api`, or nil when no body fault is set or the request is a watch.
    func brokenBody(_ faults: FaultSettings, _ api: APIRequest) -> Response? {
        guard !api.flag("watch") else { return nil }
        let opening = ByteBuffer(string: #"{"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":["#)
        if faults.endlessBodies {
            return Response(status: .ok, headers: headers(contentType: "application/json"), body: ResponseBody { writer in
                try await writer.write(opening)
                // Until the client goes: a write to a closed connection throws, and so does a cancelled sleep.
                while api.isConnected() {
                    try await Task.sleep(for: .milliseconds(100))
                    try await writer.write(ByteBuffer(string: " "))
                }
                try await writer.finish(nil)
            })
        }
        if faults.oversizedBodyMiB > 0 {
            let total = faults.oversizedBodyMiB << 20
            return Response(status: .ok, headers: headers(contentType: "application/json"), body: ResponseBody { writer in
                try await writer.write(opening)
                let block = ByteBuffer(repeating: UInt8(ascii: " "), count: 1 << 20)
                var sent = opening.readableBytes
                while sent + block.readableBytes < total, api.isConnected() {
                    try await writer.write(block)
                    sent += block.readableBytes
                }
                try await writer.write(ByteBuffer(string: "]}\n"))
                try await writer.finish(nil)
            })
        }
        return nil
    }
}
