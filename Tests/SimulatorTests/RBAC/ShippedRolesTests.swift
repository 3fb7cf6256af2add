import Foundation
@testable import Simulator
import Testing

/// The RBAC manifests of deploy/rbac: embedded as shipped, read strictly, and granting what SECURITY.md's "Least
/// privilege" lists, no more.
@Suite("shipped RBAC roles")
struct ShippedRolesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy/rbac")

    func resource(_ verb: String, _ group: String = "", _ resource: String, sub: String? = nil, name: String? = nil,
                  namespace: String? = nil) -> RequestAttributes {
        .resource(verb: verb, apiGroup: group, resource: resource, subresource: sub, name: name, namespace: namespace)
    }

    @Test("the embedded manifests match the files of deploy/rbac")
    func embeddedCopiesAreCurrent() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files == EmbeddedRBAC.files.keys.sorted())
        for file in files {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
            // The generator's multi-line literal drops the file's final newline.
            #expect(EmbeddedRBAC.files[file]?.trimmingCharacters(in: .newlines) == text.trimmingCharacters(in: .newlines),
                    "run scripts/embed-assets: \(file) changed")
        }
    }

    @Test("each manifest is a ClusterRole and a Role in kube-system, and the users get the roles of their files")
    func shape() throws {
        let authorizer = try RBACAuthorizer.shipped()
        let readOnly = try #require(authorizer.bindings[RBACAuthorizer.readOnlyUser])
        let upgrader = try #require(authorizer.bindings[RBACAuthorizer.upgraderUser])
        #expect(readOnly.map { "\($0.kind) \($0.name) \($0.namespace ?? "-")" }
                == ["ClusterRole kubeskew-readonly -", "Role kubeskew-readonly kube-system"])
        #expect(upgrader.map { "\($0.kind) \($0.name) \($0.namespace ?? "-")" }
                == ["ClusterRole kubeskew-readonly -", "Role kubeskew-readonly kube-system",
                    "ClusterRole kubeskew-upgrade -", "Role kubeskew-upgrade kube-system"])
    }

    @Test("read-only reads what SECURITY.md lists and writes nothing")
    func readOnlyGrants() throws {
        let rbac = try RBACAuthorizer.shipped()
        func may(_ request: RequestAttributes) -> Bool { rbac.allows(user: RBACAuthorizer.readOnlyUser, request) }
        #expect(may(resource("watch", "", "nodes")) && may(resource("get", "", "nodes", name: "node01")))
        #expect(may(resource("list", "", "pods")) && may(resource("list", "", "pods", namespace: "kube-system")))
        #expect(may(resource("get", "", "namespaces", name: "kube-system", namespace: "kube-system")))
        #expect(!may(resource("get", "", "namespaces", name: "shop", namespace: "shop")))
        #expect(may(resource("get", "apps", "daemonsets", name: "kube-proxy", namespace: "kube-system")))
        #expect(!may(resource("get", "apps", "daemonsets", name: "kube-proxy", namespace: "default")))
        #expect(may(resource("get", "", "configmaps", name: "kubeadm-config", namespace: "kube-system")))
        #expect(!may(resource("get", "", "configmaps", name: "other", namespace: "kube-system")))
        #expect(may(resource("list", "coordination.k8s.io", "leases", namespace: "kube-system")))
        #expect(may(.nonResource(verb: "get", path: "/metrics")) && may(.nonResource(verb: "get", path: "/version")))
        #expect(may(.nonResource(verb: "get", path: "/apis/apps/v1")), "discovery, as every authenticated user")
        #expect(may(resource("list", "", "secrets")))
        #expect(!may(resource("get", "", "secrets", name: "sh.helm.release.v1.web.v1", namespace: "shop")))
        for write in [resource("patch", "", "nodes", name: "node01"),
                      resource("create", "", "pods", sub: "eviction", name: "web-1", namespace: "shop"),
                      resource("create", "coordination.k8s.io", "leases", namespace: "kube-system"),
                      resource("create", "", "pods", namespace: "kube-system"),
                      resource("delete", "", "pods", name: "web-1", namespace: "shop")] {
            #expect(!may(write), "\(write)")
        }
    }

    @Test("the upgrader may also cordon, evict, hold Leases in kube-system and run step pods there, and no more")
    func upgradeGrants() throws {
        let rbac = try RBACAuthorizer.shipped()
        func may(_ request: RequestAttributes) -> Bool { rbac.allows(user: RBACAuthorizer.upgraderUser, request) }
        #expect(may(resource("patch", "", "nodes", name: "node01")))
        #expect(may(resource("create", "", "pods", sub: "eviction", name: "web-1", namespace: "shop")))
        #expect(may(resource("get", "", "pods", name: "web-1", namespace: "shop")))
        #expect(may(resource("get", "apps", "daemonsets", name: "fluentd", namespace: "logging")))
        for verb in ["get", "create", "update", "delete"] {
            #expect(may(resource(verb, "coordination.k8s.io", "leases", name: "kubeskew-node-node01", namespace: "kube-system")))
            #expect(!may(resource(verb, "coordination.k8s.io", "leases", name: "kubeskew-node-node01", namespace: "default")))
        }
        #expect(may(resource("create", "", "pods", namespace: "kube-system")))
        #expect(may(resource("get", "", "pods", sub: "log", name: "kubeskew-step-x", namespace: "kube-system")))
        #expect(!may(resource("create", "", "pods", namespace: "default")))
        #expect(!may(resource("delete", "", "pods", name: "web-1", namespace: "shop")))
        #expect(!may(resource("delete", "", "nodes", name: "node01")))
        #expect(!may(resource("update", "", "nodes", name: "node01")))
        #expect(!may(resource("get", "", "secrets", name: "s", namespace: "shop")))
    }

    @Test("a manifest given to the simulator replaces the shipped role of the same name, and only such a role")
    func overrides() throws {
        let without = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: kubeskew-upgrade
            rules:
              - apiGroups: [""]
                resources: ["nodes"]
                verbs: ["patch"]
            """
        let rbac = try RBACAuthorizer.shipped(overrides: [(text: without, source: "test")])
        let eviction = resource("create", "", "pods", sub: "eviction", name: "web-1", namespace: "shop")
        #expect(!rbac.allows(user: RBACAuthorizer.upgraderUser, eviction))
        #expect(rbac.allows(user: RBACAuthorizer.upgraderUser, resource("patch", "", "nodes", name: "node01")))
        let stranger = without.replacingOccurrences(of: "name: kubeskew-upgrade", with: "name: admin")
        #expect(throws: RBACManifest.Invalid.self) { try RBACAuthorizer.shipped(overrides: [(text: stranger, source: "test")]) }
    }

    @Test("manifests the API server would refuse are refused", arguments: [
        ("kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: x}\nrules: [{apiGroups: [''], resources: [pods]}]", "verbs must not be empty"),
        ("kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: x}\nrules: [{verbs: [get], resources: [pods]}]", "needs apiGroups and resources"),
        ("kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: x}\nrules: [{verbs: [get], resources: [pods], apiGroups: [''], nonResourceURLs: [/x]}]", "not both"),
        ("kind: Role\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: x}\nrules: []", "has no namespace"),
        ("kind: Role\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: x, namespace: y}\nrules: [{verbs: [get], nonResourceURLs: [/x]}]", "belong in a ClusterRole"),
        ("kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: x}\nrules: [{verbs: [get], resource: [pods]}]", "unknown field resource"),
    ])
    func invalid(text: String, says: String) {
        let error = #expect(throws: RBACManifest.Invalid.self) { try RBACManifest.roles(text, source: "m") }
        #expect(error?.description.contains(says) == true, "\(String(describing: error))")
    }

    @Test("a refusal is the API server's 403, word for word")
    func forbiddenWording() {
        // As captured from kube-apiserver (user jane, no bindings).
        let eviction = StatusError.forbidden(user: "jane", resource("create", "", "pods", sub: "eviction", name: "web-1", namespace: "default"))
        #expect(JSONWriter.string(eviction.json)
                == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"web-1\" is forbidden: User \"jane\" cannot create resource \"pods/eviction\" in API group \"\" in the namespace \"default\"","reason":"Forbidden","details":{"name":"web-1","kind":"pods"},"code":403}"#)
        let list = StatusError.forbidden(user: "jane", resource("list", "", "nodes"))
        #expect(JSONWriter.string(list.json)
                == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"nodes is forbidden: User \"jane\" cannot list resource \"nodes\" in API group \"\" at the cluster scope","reason":"Forbidden","details":{"kind":"nodes"},"code":403}"#)
        let lease = StatusError.forbidden(user: "u", resource("create", "coordination.k8s.io", "leases", namespace: "kube-system"))
        #expect(lease.message == #"leases.coordination.k8s.io is forbidden: User "u" cannot create resource "leases" in API group "coordination.k8s.io" in the namespace "kube-system""#)
        #expect(StatusError.forbidden(user: "u", .nonResource(verb: "get", path: "/metrics")).message == #"forbidden: User "u" cannot get path "/metrics""#)
    }
}
