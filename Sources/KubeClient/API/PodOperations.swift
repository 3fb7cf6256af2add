import Foundation
import KubeModel
import NIOCore

extension KubeAPIClient {
    /// Creates a pod from its JSON manifest (`POST /api/v1/namespaces/NS/pods`) and returns it as created (with
    /// the generated name). A 403 from Pod Security admission keeps the server's message, which names the policy.
    public func createPod(namespace: String, manifest: [UInt8]) async throws -> Pod {
        try ObjectName.validateNamespace(namespace)
        let operation = APIOperation(verb: "create", resource: "pods", namespace: namespace)
        let response = try await transport.send(
            APIRequest(method: .POST, path: "/api/v1/namespaces/\(namespace)/pods", body: manifest,
                       contentType: "application/json", operation: operation))
        return try decode(Pod.self, from: response.body, operation: operation)
    }

    /// Deletes a pod at once (grace period 0); a pod already gone is not an error.
    public func deletePod(namespace: String, name: String) async throws {
        try ObjectName.validateNamespace(namespace)
        try ObjectName.validate(name, what: "pod name")
        do {
            _ = try await transport.send(
                APIRequest(method: .DELETE, path: "/api/v1/namespaces/\(namespace)/pods/\(name)",
                           body: Array(#"{"gracePeriodSeconds":0}"#.utf8), contentType: "application/json",
                           operation: .init(verb: "delete", resource: "pods", name: name, namespace: namespace)))
        } catch KubeClientError.notFound {
            return
        }
    }

    /// Follows a container's log (`GET …/pods/NAME/log?follow=true`), handing over each line until the container
    /// ends or the stream is cut (a kubelet restart cuts it).
    public func followPodLog(namespace: String, name: String, container: String, onLine: @Sendable (String) async -> Void) async throws {
        try ObjectName.validateNamespace(namespace)
        try ObjectName.validate(name, what: "pod name")
        try ObjectName.validate(container, what: "container name")
        let request = APIRequest(
            method: .GET, path: "/api/v1/namespaces/\(namespace)/pods/\(name)/log",
            query: [("container", container), ("follow", "true")], accept: "*/*",
            operation: .init(verb: "get", resource: "pods/log", name: name, namespace: namespace))
        let response = try await transport.open(request)
        var splitter = LineSplitter(maxLineLength: 1 << 20)
        for try await chunk in response.body {
            splitter.append(chunk)
            while let line = try splitter.nextLine() {
                await onLine(String(decoding: line.readableBytesView, as: UTF8.self))
            }
        }
    }
}
