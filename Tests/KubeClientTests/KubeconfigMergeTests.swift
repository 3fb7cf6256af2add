import Foundation
import Testing

@testable import KubeClient

@Suite("kubeconfig merging and resolution (kubectl rules)")
struct KubeconfigMergeTests {
    func config(_ yaml: String) throws -> Kubeconfig { try KubeconfigLoader.parse(yaml, path: "test") }

    @Test func firstFileToDefineANameWinsTheWholeEntry() throws {
        let first = try config("""
            clusters:
            - name: prod
              cluster: {server: https://first.example:6443}
            users:
            - name: admin
              user: {token: first-token}
            contexts:
            - name: prod
              context: {cluster: prod, user: admin}
            """)
        let second = try config("""
            clusters:
            - name: prod
              cluster: {server: https://second.example:6443, insecure-skip-tls-verify: true}
            - name: dev
              cluster: {server: https://dev.example:6443}
            users:
            - name: admin
              user: {token: second-token}
            current-context: dev
            """)
        let merged = KubeconfigMerger.merge([first, second])
        #expect(merged.clusters.map(\.name) == ["prod", "dev"])
        // The first definition is kept whole: the second file's insecure flag does not leak in.
        #expect(merged.clusters[0].cluster == ClusterEntry(server: "https://first.example:6443"))
        #expect(merged.users.first?.user.token == "first-token")
        // current-context comes from the first file that sets one (the first file sets none).
        #expect(merged.currentContext == "dev")
    }

    @Test func currentContextFromTheFirstFileThatSetsIt() throws {
        let a = try config("current-context: a")
        let b = try config("current-context: b")
        #expect(KubeconfigMerger.merge([a, b]).currentContext == "a")
        #expect(KubeconfigMerger.merge([try config("current-context: \"\""), b]).currentContext == "b")
    }

    @Test func relativePathsResolveAgainstTheFilesFolder() throws {
        let parsed = try config("""
            clusters:
            - name: c
              cluster: {server: https://h:1, certificate-authority: pki/ca.crt}
            users:
            - name: u
              user: {client-certificate: ../certs/u.crt, client-key: /abs/u.key, tokenFile: ./t}
            - name: e
              user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/plugin, interactiveMode: Never}}
            - name: p
              user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: aws, interactiveMode: Never}}
            """)
        let resolved = KubeconfigMerger.resolvingRelativePaths(parsed, baseDirectory: "/home/op/.kube")
        #expect(resolved.clusters[0].cluster.certificateAuthority == "/home/op/.kube/pki/ca.crt")
        #expect(resolved.users[0].user.clientCertificate == "/home/op/certs/u.crt")
        #expect(resolved.users[0].user.clientKey == "/abs/u.key")
        #expect(resolved.users[0].user.tokenFile == "/home/op/.kube/t")
        #expect(resolved.users[1].user.exec?.command == "/home/op/.kube/bin/plugin")
        // A bare command is looked up in PATH, not next to the kubeconfig.
        #expect(resolved.users[2].user.exec?.command == "aws")
    }

    @Test func whichFilesAreRead() {
        let home = "/home/op"
        let explicit = KubeconfigMerger.kubeconfigPaths(
            explicitPath: "/x/config", environment: ["KUBECONFIG": "/a:/b"], homeDirectory: home)
        #expect(explicit.paths == ["/x/config"] && explicit.mustExist)
        let list = KubeconfigMerger.kubeconfigPaths(
            explicitPath: nil, environment: ["KUBECONFIG": "/a::/b:/a"], homeDirectory: home)
        #expect(list.paths == ["/a", "/b"] && !list.mustExist)
        let fallback = KubeconfigMerger.kubeconfigPaths(explicitPath: nil, environment: [:], homeDirectory: home)
        #expect(fallback.paths == ["/home/op/.kube/config"])
    }

    @Test func contextSelection() throws {
        let merged = try config("""
            clusters:
            - {name: c, cluster: {server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true}}
            users:
            - {name: u, user: {token: abc}}
            contexts:
            - {name: one, context: {cluster: c, user: u, namespace: ops}}
            - {name: two, context: {cluster: missing, user: u}}
            - {name: three, context: {cluster: c, user: ghost}}
            current-context: one
            """)
        let current = try KubeconfigLoader.resolve(merged, context: nil)
        #expect(current.contextName == "one" && current.namespace == "ops")
        #expect(current.serverHost == "10.0.0.1" && current.serverPort == 6443 && current.usesTLS)
        #expect(current.trust == .insecureSkipVerify)
        #expect(current.credentials.bearerToken == .literal(Secret("abc")))

        #expect(throws: KubeClientError.contextNotFound(name: "nope", available: ["one", "two", "three"])) {
            try KubeconfigLoader.resolve(merged, context: "nope")
        }
        #expect(throws: KubeClientError.clusterNotFound(context: "two", cluster: "missing")) {
            try KubeconfigLoader.resolve(merged, context: "two")
        }
        #expect(throws: KubeClientError.userNotFound(context: "three", user: "ghost")) {
            try KubeconfigLoader.resolve(merged, context: "three")
        }
        var noCurrent = merged
        noCurrent.currentContext = nil
        #expect(throws: KubeClientError.noCurrentContext(available: ["one", "two", "three"])) {
            try KubeconfigLoader.resolve(noCurrent, context: nil)
        }
    }

    @Test func credentialPrecedenceAndConflicts() throws {
        func resolve(_ user: String) throws -> ResolvedKubeconfig {
            try KubeconfigLoader.resolve(
                try config("""
                    clusters: [{name: c, cluster: {server: "https://h:6443"}}]
                    users: [{name: u, user: \(user)}]
                    contexts: [{name: x, context: {cluster: c, user: u}}]
                    current-context: x
                    """), context: nil)
        }
        let exec = try resolve("{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: get-token}}")
        #expect(exec.credentials.methodDescription == "exec plugin get-token")
        #expect(try resolve("{token: t, exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: x}}")
            .credentials.bearerToken == .literal(Secret("t")))
        #expect(throws: KubeClientError.self) { try resolve("{token: t, username: u, password: p}") }
        #expect(throws: KubeClientError.unsupportedAuthProvider(user: "u", provider: "gcp")) {
            try resolve("{auth-provider: {name: gcp}}")
        }
        #expect(throws: KubeClientError.invalidCredentialData(
            owner: "user \"u\"", field: "client-certificate-data", reason: "it is not valid base64")) {
            try resolve("{client-certificate-data: '***', client-key-data: QQ==}")
        }
        #expect(throws: KubeClientError.invalidCredentialData(
            owner: "user \"u\"", field: "client-certificate", reason: "it is set but client-key is missing")) {
            try resolve("{client-certificate-data: QQ==}")
        }
        // v1 requires interactiveMode, as kubectl's validation does.
        #expect(throws: KubeClientError.self) {
            try resolve("{exec: {apiVersion: client.authentication.k8s.io/v1, command: get-token}}")
        }
        #expect(throws: KubeClientError.self) {
            try resolve("{exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: get-token}}")
        }
    }

    @Test func serverURLValidation() {
        #expect(throws: KubeClientError.invalidServerURL(cluster: "c", server: "", reason: "the cluster has no server")) {
            try ServerEndpoint.parse("", cluster: "c")
        }
        #expect(throws: KubeClientError.self) { try ServerEndpoint.parse("ftp://h", cluster: "c") }
        #expect(throws: KubeClientError.self) { try ServerEndpoint.parse("https://", cluster: "c") }
        #expect(throws: KubeClientError.self) { try ServerEndpoint.parse("https://h:6443/?x=1", cluster: "c") }
        let prefixed = try? ServerEndpoint.parse("https://rancher.example/k8s/clusters/c-1/", cluster: "c")
        #expect(prefixed == ServerEndpoint(url: "https://rancher.example/k8s/clusters/c-1", host: "rancher.example", port: 443, usesTLS: true))
        let v6 = try? ServerEndpoint.parse("https://[fd00::1]:6443", cluster: "c")
        #expect(v6?.host == "fd00::1" && v6?.port == 6443)
    }

    @Test func insecureWithCAIsRefusedLikeKubectl() throws {
        let merged = try config("""
            clusters: [{name: c, cluster: {server: "https://h:6443", insecure-skip-tls-verify: true, certificate-authority-data: QQ==}}]
            contexts: [{name: x, context: {cluster: c}}]
            current-context: x
            """)
        #expect(throws: KubeClientError.self) { try KubeconfigLoader.resolve(merged, context: nil) }
    }

    @Test func proxies() throws {
        #expect(try ProxyResolver.parse("http://proxy.corp:3128", cluster: "c") == .http(host: "proxy.corp", port: 3128, username: nil, password: nil))
        #expect(try ProxyResolver.parse("socks5://127.0.0.1:1080", cluster: "c") == .socks5(host: "127.0.0.1", port: 1080))
        do {
            _ = try ProxyResolver.parse("https://u:secretpw@proxy:443", cluster: "c")
            Issue.record("https proxy accepted")
        } catch {
            #expect(error.description.contains("not supported"))
            #expect(!error.description.contains("secretpw"))
        }
        let env = ["HTTPS_PROXY": "proxy.corp:3128", "NO_PROXY": "internal.corp,.svc"]
        #expect(try ProxyResolver.resolve(proxyURL: nil, cluster: "c", serverHost: "k8s.example", usesTLS: true, environment: env)
            == .http(host: "proxy.corp", port: 3128, username: nil, password: nil))
        #expect(try ProxyResolver.resolve(proxyURL: nil, cluster: "c", serverHost: "api.internal.corp", usesTLS: true, environment: env) == nil)
        #expect(try ProxyResolver.resolve(proxyURL: nil, cluster: "c", serverHost: "x.svc", usesTLS: true, environment: env) == nil)
        #expect(try ProxyResolver.resolve(proxyURL: nil, cluster: "c", serverHost: "127.0.0.1", usesTLS: true, environment: env) == nil)
    }
}
