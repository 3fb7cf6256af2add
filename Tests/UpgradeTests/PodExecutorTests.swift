import Foundation
import KubeClient
import Testing
@testable import Upgrade

struct PodExecutorTests {
    @Test func stepPodsRunInTheHostNamespacesPinnedToTheNode() throws {
        let bytes = try PodExecutor.manifest(node: "node01", namespace: "kube-system", image: "busybox:1.36",
                                             argv: PodExecutor.hostArgv(["kubeadm", "upgrade", "node"]))
        let pod = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let spec = try #require(pod["spec"] as? [String: Any])
        #expect(spec["nodeName"] as? String == "node01")
        #expect(spec["hostPID"] as? Bool == true)
        #expect(spec["restartPolicy"] as? String == "Never")
        let container = try #require((spec["containers"] as? [[String: Any]])?.first)
        #expect(container["command"] as? [String] == ["nsenter", "--target", "1", "--mount", "--uts", "--ipc", "--net", "--pid", "--",
                                                      "kubeadm", "upgrade", "node"])
        #expect((container["securityContext"] as? [String: Any])?["privileged"] as? Bool == true)
    }

    @Test func kubeletRestartIsDetached() {
        let argv = PodExecutor.hostArgv(["systemctl", "restart", "kubelet"])
        #expect(argv.suffix(6) == ["systemd-run", "--on-active=2", "--unit=kubeskew-restart-kubelet", "systemctl", "restart", "kubelet"])
        #expect(PodExecutor.hostArgv(["systemctl", "daemon-reload"]).suffix(2) == ["systemctl", "daemon-reload"])
    }

    @Test func podSecurityRefusalSaysWhatToDo() {
        let refusal = KubeClientError.forbidden(
            user: "admin", verb: "create", resource: "pods",
            serverMessage: #"pods "kubeskew-step-x" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true, hostPID=true), privileged (container "step" must not set securityContext.privileged=true)"#)
        let e = PodExecutor.explain(refusal, node: "node01", namespace: "apps")
        #expect(e.message.contains("namespace apps refuses privileged pods"))
        #expect(e.message.contains("violates PodSecurity \"baseline:latest\""))
        #expect(e.message.contains("pod-security.kubernetes.io/enforce=privileged"))
    }
}
