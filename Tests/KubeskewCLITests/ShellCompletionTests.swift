import Foundation
import Testing
import TestSupport
@testable import KubeskewCLI

/// What the shell completions ask kubeskew for: the values, and silence when the cluster cannot answer.
struct ShellCompletionTests {
    @Test func optionValuesAreReadFromTheWordsAsTheParserWould() {
        let words = ["kubeskew", "plan", "--kubeconfig", "/a", "--context=one", "--context", "two", ""]
        #expect(ShellCompletion.value(of: "--kubeconfig", in: words) == "/a")
        #expect(ShellCompletion.value(of: "--context", in: words) == "two")
        #expect(ShellCompletion.value(of: "--context", in: ["kubeskew", "--context"]) == nil)
        #expect(ShellCompletion.value(of: "--kubeconfig", in: ["kubeskew", "--kubeconfig=~/k"]) == NSHomeDirectory() + "/k")
    }

    @Test func contextsComeFromEveryKubeconfigFileOfKUBECONFIG() async throws {
        try await BinaryRunner.withTempDir { dir in
            let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
            try "contexts:\n- name: prod\n  context: {cluster: c, user: u}\ncurrent-context: prod\n".write(to: a, atomically: true, encoding: .utf8)
            try "contexts:\n- name: dev\n  context: {cluster: c, user: u}\n".write(to: b, atomically: true, encoding: .utf8)
            let env = ["KUBECONFIG": "\(a.path):\(b.path)", "HOME": dir.path]
            #expect(ShellCompletion.contextNames(kubeconfig: nil, environment: env) == ["dev", "prod"])
            #expect(ShellCompletion.contextNames(kubeconfig: b.path, environment: env) == ["dev"])
            #expect(ShellCompletion.contextNames(kubeconfig: dir.appendingPathComponent("none").path, environment: env) == [])
        }
    }

    // A server that accepts the connection and never answers: the tab press waits for the deadline, no longer.
    @Test(.timeLimit(.minutes(1))) func nodesOfASilentClusterAreNoneWithinTheDeadline() async throws {
        let (fd, port) = try LoopbackPort.silentListener()
        defer { close(fd) }
        try await BinaryRunner.withTempDir { dir in
            let config = dir.appendingPathComponent("kubeconfig")
            try """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:\(port)", insecure-skip-tls-verify: true}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """.write(to: config, atomically: true, encoding: .utf8)
            // The server never answers: the list comes back (empty) only because the deadline answers the tab press.
            // No wall-clock bound is asserted (a busy CI machine delays the deadline's own task); the test's time
            // limit catches a completion that would wait for the server.
            #expect(await ShellCompletion.nodeNames(kubeconfig: config.path, context: nil) == [])
            #expect(await ShellCompletion.nodeNames(kubeconfig: dir.appendingPathComponent("none").path, context: nil) == [])
        }
    }
}
