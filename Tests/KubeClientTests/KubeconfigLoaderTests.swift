import Foundation
import Testing

@testable import KubeClient

@Suite("kubeconfig files on disk")
struct KubeconfigLoaderTests {
    static let caPEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    @Test func kubeconfigListSkipsMissingFilesAndResolvesPathsPerFile() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("a/pki/ca.crt", Self.caPEM)
        try dir.write("a/token", "  file-token \n")
        let first = try dir.write("a/config", """
            clusters: [{name: c, cluster: {server: "https://h:6443", certificate-authority: pki/ca.crt}}]
            users: [{name: u, user: {tokenFile: token}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            """)
        let second = try dir.write("b/config", """
            clusters: [{name: c, cluster: {server: "https://ignored:1"}}]
            current-context: x
            """)
        let environment = ["KUBECONFIG": "\(dir.file("missing")):\(first):\(second)", "HOME": dir.path]
        let resolved = try KubeconfigLoader.load(environment: environment)
        #expect(resolved.server == "https://h:6443")
        #expect(resolved.sourceFiles == [first, second])
        #expect(resolved.trust == .certificateAuthority(
            pem: Array(Self.caPEM.utf8), source: "certificate-authority \(dir.file("a/pki/ca.crt"))"))
        #expect(resolved.credentials.bearerToken == .file(path: dir.file("a/token")))
        #expect(try FileReading.token(dir.file("a/token"), owner: "u") == Secret("file-token"))
    }

    @Test func explicitPathMustExist() {
        #expect(throws: KubeClientError.kubeconfigNotFound(path: "/nonexistent/kubeconfig")) {
            try KubeconfigLoader.load(explicitPath: "/nonexistent/kubeconfig", environment: [:])
        }
    }

    @Test func noFileAtAllIsAClearError() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        do {
            _ = try KubeconfigLoader.load(environment: ["HOME": dir.path])
            Issue.record("loaded a kubeconfig from an empty home")
        } catch {
            #expect(error == .noConfiguration(searched: [dir.path + "/.kube/config"]))
            #expect(error.description.contains("--kubeconfig"))
        }
    }

    @Test func unreadableReferencedFileNamesTheFieldAndPath() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = try dir.write("config", """
            clusters: [{name: c, cluster: {server: "https://h:6443"}}]
            users: [{name: u, user: {client-certificate: u.crt, client-key: u.key}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """)
        do {
            _ = try KubeconfigLoader.load(explicitPath: path, environment: [:])
            Issue.record("missing client certificate accepted")
        } catch {
            #expect(error == .credentialFileUnreadable(
                owner: "user \"u\"", field: "client-certificate", path: dir.file("u.crt"), reason: "no such file"))
        }
    }

    @Test func brokenYAMLIsReportedWithThePath() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = try dir.write("config", "clusters: [unclosed\n  - : :")
        do {
            _ = try KubeconfigLoader.load(explicitPath: path, environment: [:])
            Issue.record("broken YAML accepted")
        } catch {
            guard case .kubeconfigInvalid(let where_, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(where_ == path)
        }
    }
}
