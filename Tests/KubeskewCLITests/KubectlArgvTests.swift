import Foundation
import Testing
@testable import KubeskewCLI

/// Every kubectl argv kubeskew builds names the kubeconfig (absolute) and the resolved context (issue 10, finding 3).
@Suite struct KubectlArgvTests {
    // Finding 3: without --context, the argv named no context, so kubectl followed whatever was current when it ran.
    @Test func argvNamesTheResolvedContextWithoutContextOption() throws {
        let options = try ClusterOptions.parse(["--kubeconfig", "relative/kubeconfig"])
        let argv = options.kubectlArgv(resolvedContext: "sim")
        #expect(argv.contains("--context"), "\(argv)")
        #expect(argv.firstIndex(of: "--context").map { argv[$0 + 1] } == "sim", "\(argv)")
        let kubeconfig = try #require(argv.firstIndex(of: "--kubeconfig").map { argv[$0 + 1] })
        #expect(kubeconfig.hasPrefix("/") && kubeconfig.hasSuffix("relative/kubeconfig"), "\(argv)")
    }

    @Test func argvNamesTheFileTheKubeconfigWasReadFromWhenNoOptionGiven() throws {
        let options = try ClusterOptions.parse([])
        let argv = options.kubectlArgv(resolvedContext: "prod", kubeconfigFiles: ["/home/op/.kube/config"])
        #expect(argv == ["kubectl", "--kubeconfig", "/home/op/.kube/config", "--context", "prod"])
    }

    @Test func aMergedKubeconfigListIsPassedWhole() throws {
        let options = try ClusterOptions.parse([])
        let argv = options.kubectlArgv(resolvedContext: "prod", kubeconfigFiles: ["/a/one", "/b/two"])
        #expect(argv == ["env", "KUBECONFIG=/a/one:/b/two", "kubectl", "--context", "prod"])
    }
}
