@testable import Simulator
import Testing

/// Requests named as kube-apiserver's RequestInfo names them, for RBAC.
@Suite("RBAC request attributes")
struct RequestAttributesParserTests {
    func parse(_ method: String, _ path: String, _ query: [String: String] = [:]) -> RequestAttributes {
        RequestAttributesParser.attributes(method: method, path: path, query: query)
    }

    @Test("verbs come from the method, and for GET from the name and watch")
    func verbs() {
        #expect(parse("GET", "/api/v1/nodes") == .resource(verb: "list", apiGroup: "", resource: "nodes", subresource: nil, name: nil, namespace: nil))
        #expect(parse("GET", "/api/v1/nodes", ["watch": "true"]) == .resource(verb: "watch", apiGroup: "", resource: "nodes", subresource: nil, name: nil, namespace: nil))
        #expect(parse("GET", "/api/v1/watch/nodes") == .resource(verb: "watch", apiGroup: "", resource: "nodes", subresource: nil, name: nil, namespace: nil))
        #expect(parse("GET", "/api/v1/nodes/node01") == .resource(verb: "get", apiGroup: "", resource: "nodes", subresource: nil, name: "node01", namespace: nil))
        #expect(parse("PATCH", "/api/v1/nodes/node01") == .resource(verb: "patch", apiGroup: "", resource: "nodes", subresource: nil, name: "node01", namespace: nil))
        #expect(parse("PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/l")
                == .resource(verb: "update", apiGroup: "coordination.k8s.io", resource: "leases", subresource: nil, name: "l", namespace: "kube-system"))
        #expect(parse("DELETE", "/api/v1/namespaces/default/pods")
                == .resource(verb: "deletecollection", apiGroup: "", resource: "pods", subresource: nil, name: nil, namespace: "default"))
    }

    @Test("subresources, namespaces, and the Namespace object itself")
    func namespacesAndSubresources() {
        #expect(parse("POST", "/api/v1/namespaces/default/pods/web-1/eviction")
                == .resource(verb: "create", apiGroup: "", resource: "pods", subresource: "eviction", name: "web-1", namespace: "default"))
        #expect(parse("GET", "/api/v1/namespaces/kube-system")
                == .resource(verb: "get", apiGroup: "", resource: "namespaces", subresource: nil, name: "kube-system", namespace: "kube-system"))
        #expect(parse("PUT", "/api/v1/namespaces/x/finalize")
                == .resource(verb: "update", apiGroup: "", resource: "namespaces", subresource: "finalize", name: "x", namespace: "x"))
        #expect(parse("GET", "/api/v1/pods", ["fieldSelector": "spec.nodeName=node01"])
                == .resource(verb: "list", apiGroup: "", resource: "pods", subresource: nil, name: nil, namespace: nil))
        #expect(parse("GET", "/api/v1/namespaces/default/pods", ["fieldSelector": "metadata.name=web-1", "watch": "1"])
                == .resource(verb: "watch", apiGroup: "", resource: "pods", subresource: nil, name: "web-1", namespace: "default"))
    }

    @Test("discovery and other paths are non-resource requests")
    func nonResource() {
        #expect(parse("GET", "/api") == .nonResource(verb: "get", path: "/api"))
        #expect(parse("GET", "/api/v1") == .nonResource(verb: "get", path: "/api/v1"))
        #expect(parse("GET", "/apis/apps/v1") == .nonResource(verb: "get", path: "/apis/apps/v1"))
        #expect(parse("GET", "/metrics") == .nonResource(verb: "get", path: "/metrics"))
        #expect(parse("POST", "/version") == .nonResource(verb: "post", path: "/version"))
    }
}
