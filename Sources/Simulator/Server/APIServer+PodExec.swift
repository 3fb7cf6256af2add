import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Pod Security admission and container logs, for the step pods of kubeskew's pod executor.
extension APIServer {
    /// Refuses privileged and host-namespace pods in namespaces labelled `pod-security.kubernetes.io/enforce=baseline`
    /// or `restricted`, with the message the real admission plugin writes.
    func admitPodSecurity(_ pod: JSONValue, namespace: String, name: String) throws {
        let level = store.get(.namespaces, name: namespace)?.object[["metadata", "labels", "pod-security.kubernetes.io/enforce"]]?.stringValue
        guard let level, level == "baseline" || level == "restricted" else { return }
        var violations: [String] = []
        let hostNetwork = pod[["spec", "hostNetwork"]] == .bool(true)
        let hostPID = pod[["spec", "hostPID"]] == .bool(true)
        if hostNetwork || hostPID {
            let parts = (hostNetwork ? ["hostNetwork=true"] : []) + (hostPID ? ["hostPID=true"] : [])
            violations.append("host namespaces (\(parts.joined(separator: ", ")))")
        }
        if case .array(let containers)? = pod[["spec", "containers"]] {
            let privileged = containers.filter { $0[["securityContext", "privileged"]] == .bool(true) }.compactMap { $0["name"]?.stringValue }
            if !privileged.isEmpty {
                violations.append("privileged (container \(privileged.map { "\"\($0)\"" }.joined(separator: ", ")) must not set securityContext.privileged=true)")
            }
        }
        guard !violations.isEmpty else { return }
        throw StatusError(code: 403, reason: "Forbidden",
                          message: "pods \"\(name)\" is forbidden: violates PodSecurity \"\(level):latest\": \(violations.joined(separator: ", "))",
                          details: .object([("name", .string(name)), ("kind", .string("pods"))]))
    }

    /// `GET /api/v1/namespaces/NS/pods/NAME/log[?follow=true]`: plain text, streamed while the container runs.
    func podLog(_ path: ResourcePath, name: String, _ api: APIRequest) throws -> Response {
        let namespace = path.namespace ?? "default"
        guard store.get(.pods, namespace: namespace, name: name) != nil else { throw StatusError.notFound("pods", name) }
        guard let runner = podRunner.withLock({ $0 }), runner.knows(namespace: namespace, name: name) else {
            throw StatusError.badRequest("container \"\(api.query["container"] ?? "")\" in pod \"\(name)\" is waiting to start: ContainerCreating")
        }
        let follow = api.flag("follow")
        var headers = HTTPFields()
        headers[.contentType] = "text/plain"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var index = 0
            while true {
                let (lines, finished) = await runner.lines(namespace: namespace, name: name, from: index, follow: follow)
                index += lines.count
                if !lines.isEmpty { try await writer.write(ByteBuffer(string: lines.map { $0 + "\n" }.joined())) }
                if finished || !follow { break }
            }
            try await writer.finish(nil)
        })
    }
}
