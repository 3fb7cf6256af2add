@testable import Simulator
import Testing

/// RBAC rule matching, case by case as kube-apiserver's RBAC authorizer decides.
@Suite("RBAC policy rules")
struct PolicyRuleTests {
    func resource(_ verb: String, _ group: String = "", _ resource: String, sub: String? = nil, name: String? = nil,
                  namespace: String? = nil) -> RequestAttributes {
        .resource(verb: verb, apiGroup: group, resource: resource, subresource: sub, name: name, namespace: namespace)
    }

    @Test("verbs, groups and resources must all match")
    func everyFieldMatches() {
        let rule = PolicyRule(apiGroups: [""], resources: ["nodes"], verbs: ["get", "list"])
        #expect(rule.allows(resource("get", "", "nodes", name: "node01")))
        #expect(rule.allows(resource("list", "", "nodes")))
        #expect(!rule.allows(resource("watch", "", "nodes")))
        #expect(!rule.allows(resource("patch", "", "nodes", name: "node01")))
        #expect(!rule.allows(resource("get", "apps", "nodes", name: "node01")))
        #expect(!rule.allows(resource("list", "", "pods")))
    }

    @Test("a subresource is its own resource: pods grants no pods/eviction, and pods/eviction no pods")
    func subresources() {
        let pods = PolicyRule(apiGroups: [""], resources: ["pods"], verbs: ["create"])
        let eviction = PolicyRule(apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"])
        let anyStatus = PolicyRule(apiGroups: ["*"], resources: ["*/status"], verbs: ["get"])
        #expect(!pods.allows(resource("create", "", "pods", sub: "eviction", name: "web-1", namespace: "default")))
        #expect(eviction.allows(resource("create", "", "pods", sub: "eviction", name: "web-1", namespace: "default")))
        #expect(!eviction.allows(resource("create", "", "pods", namespace: "default")))
        #expect(anyStatus.allows(resource("get", "apps", "deployments", sub: "status", name: "web")))
        #expect(!anyStatus.allows(resource("get", "apps", "deployments", name: "web")))
    }

    @Test("* matches any verb, group and resource, subresources included")
    func wildcards() {
        let all = PolicyRule(apiGroups: ["*"], resources: ["*"], verbs: ["*"])
        #expect(all.allows(resource("delete", "coordination.k8s.io", "leases", name: "x", namespace: "kube-system")))
        #expect(all.allows(resource("create", "", "pods", sub: "eviction", name: "web-1", namespace: "default")))
        #expect(!all.allows(.nonResource(verb: "get", path: "/metrics")), "resource rules grant no path")
    }

    @Test("resourceNames limit a rule to those objects, and so never allow a list or a create")
    func resourceNames() {
        let rule = PolicyRule(apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "create"], resourceNames: ["kubeadm-config"])
        #expect(rule.allows(resource("get", "", "configmaps", name: "kubeadm-config", namespace: "kube-system")))
        #expect(!rule.allows(resource("get", "", "configmaps", name: "kubelet-config", namespace: "kube-system")))
        #expect(!rule.allows(resource("list", "", "configmaps", namespace: "kube-system")))
        #expect(!rule.allows(resource("create", "", "configmaps", namespace: "kube-system")))
        #expect(rule.allows(resource("list", "", "configmaps", name: "kubeadm-config", namespace: "kube-system")),
                "a list by metadata.name is authorized as for that name")
    }

    @Test("non-resource URLs match exactly, or by prefix when they end in *")
    func nonResourceURLs() {
        let rule = PolicyRule(verbs: ["get"], nonResourceURLs: ["/metrics", "/apis/*"])
        #expect(rule.allows(.nonResource(verb: "get", path: "/metrics")))
        #expect(!rule.allows(.nonResource(verb: "get", path: "/metrics/slis")))
        #expect(!rule.allows(.nonResource(verb: "post", path: "/metrics")))
        #expect(rule.allows(.nonResource(verb: "get", path: "/apis/apps/v1")))
        #expect(!rule.allows(.nonResource(verb: "get", path: "/apis")))
        #expect(PolicyRule(verbs: ["get"], nonResourceURLs: ["*"]).allows(.nonResource(verb: "get", path: "/anything")))
        #expect(!rule.allows(resource("get", "", "metrics", name: "x")), "path rules grant no resource")
    }

    @Test("a Role's rules hold only in its namespace; a ClusterRole's everywhere")
    func roleScope() {
        let rule = PolicyRule(apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["list"])
        let role = RBACRole(kind: "Role", name: "r", namespace: "kube-system", rules: [rule])
        let clusterRole = RBACRole(kind: "ClusterRole", name: "c", namespace: nil, rules: [rule])
        let inKubeSystem = resource("list", "coordination.k8s.io", "leases", namespace: "kube-system")
        let inDefault = resource("list", "coordination.k8s.io", "leases", namespace: "default")
        let everywhere = resource("list", "coordination.k8s.io", "leases")
        #expect(role.allows(inKubeSystem))
        #expect(!role.allows(inDefault))
        #expect(!role.allows(everywhere))
        #expect(clusterRole.allows(inKubeSystem) && clusterRole.allows(inDefault) && clusterRole.allows(everywhere))
    }
}
