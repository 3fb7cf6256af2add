import Testing
@testable import SkewCore

private func v(_ s: String) -> KubeVersion {
    guard let parsed = KubeVersion.parse(s) else { fatalError("bad test version \(s)") }
    return parsed
}

private func api(_ s: String...) -> APIServerSet {
    guard let set = APIServerSet(s.map(v)) else { fatalError("empty API server set") }
    return set
}

/// kubeadm's own verdict (issue 13): kubeadm leads an upgrade, so the kubelet's rule ("must not be newer", "up to three
/// older") reads it backwards. Each test quotes the kubeadm documentation sentence it encodes.
struct KubeadmVerdictTests {
    private func judge(_ kubeadm: String, kubelet: String? = nil, target: String? = nil, _ apiservers: APIServerSet) -> Judgement {
        SkewPolicy.kubeadm(v(kubeadm), target: target.map(v), kubelet: kubelet.map(v), apiservers: apiservers)
    }

    // "kubeadm can be used with Kubernetes components that are the same version as kubeadm or one version older."
    // A kubeadm behind the control plane's minor would manage a control plane newer than itself: it cannot, and
    // `kubeadm upgrade node` with it cannot upgrade the node to the control plane's version.
    @Test func kubeadmOlderThanTheControlPlaneCannotManageIt() {
        // Issue 13: kubeadm 1.30 against a 1.33 control plane read `minor-behind (supported)`.
        let old = judge("v1.30.9", kubelet: "v1.30.9", api("v1.33.3"))
        #expect(old.verdict == .tooOld)
        #expect(!old.verdict.isSupported)
        #expect(old.policy == PolicyText.kubeadmControlPlane)
        #expect(old.reason.contains("cannot manage it") && old.reason.contains("kubeadm upgrade node"))
        #expect(old.reason.contains("install kubeadm v1.33.3 first"))
        #expect(judge("v1.32.9", kubelet: "v1.32.9", api("v1.33.3")).verdict == .tooOld)
        // HA at 1.33 and 1.32: kubeadm 1.32 cannot manage the 1.33 instance.
        #expect(judge("v1.32.9", kubelet: "v1.32.9", api("v1.33.3", "v1.32.9")).verdict == .tooOld)
    }

    // "kubeadm can be used with Kubernetes components that are the same version as kubeadm or one version older."
    // So kubeadm may be one minor newer than the control plane: that is how an upgrade starts.
    @Test func kubeadmOneMinorNewerThanTheControlPlaneIsSupported() {
        // Issue 13: kubeadm 1.34 against a 1.33 control plane read `newer-than-apiserver`.
        let ahead = judge("v1.34.0", kubelet: "v1.34.0", target: "v1.33.3", api("v1.33.3"))
        #expect(ahead.verdict == .current)
        #expect(ahead.policy == PolicyText.kubeadmControlPlane)
        #expect(ahead.reason.contains("one minor newer than the control plane"))
        // Two minors newer manages neither.
        let tooNew = judge("v1.35.0", kubelet: "v1.33.3", api("v1.33.3"))
        #expect(tooNew.verdict == .newerThanAPIServer)
        #expect(tooNew.policy == PolicyText.kubeadmControlPlane)
        // HA at 1.33 and 1.32: 1.34 is two minors newer than the 1.32 instance.
        #expect(judge("v1.34.0", kubelet: "v1.33.3", api("v1.33.3", "v1.32.9")).verdict == .newerThanAPIServer)
        #expect(judge("v1.33.3", kubelet: "v1.33.3", api("v1.33.3", "v1.32.9")).verdict.isSupported)
    }

    // "Similarly to the Kubernetes version, kubeadm can be used with a kubelet version that is the same version as
    // kubeadm or three versions older."
    @Test func kubeadmMustAcceptTheKubeletBesideIt() {
        let fourAhead = judge("v1.33.3", kubelet: "v1.29.15", api("v1.33.3"))
        #expect(fourAhead.verdict == .kubeletSkew)
        #expect(fourAhead.policy == PolicyText.kubeadmKubelet)
        #expect(fourAhead.reason.contains("4 minors ahead of the kubelet v1.29.15"))
        #expect(judge("v1.33.3", kubelet: "v1.30.9", api("v1.33.3")).verdict.isSupported)
        let behindKubelet = judge("v1.33.3", kubelet: "v1.34.0", api("v1.33.3"))
        #expect(behindKubelet.verdict == .kubeletSkew)
        #expect(behindKubelet.policy == PolicyText.kubeadmKubelet)
    }

    // "it is recommended that you match the kubeadm version with the versions of the control plane components,
    // kube-proxy and kubelet." The node procedure installs kubeadm at the target before `kubeadm upgrade node`.
    @Test func kubeadmIsJudgedAgainstTheTarget() {
        let atTarget = judge("v1.33.3", kubelet: "v1.33.3", target: "v1.33.3", api("v1.33.3"))
        #expect(atTarget.verdict == .current)
        #expect(atTarget.reason == "kubeadm v1.33.3 is at the target v1.33.3")
        let behind = judge("v1.33.2", kubelet: "v1.33.2", target: "v1.33.3", api("v1.33.3"))
        #expect(behind.verdict == .patchBehind)
        #expect(behind.policy == PolicyText.kubeadmMatch)
        #expect(behind.reason.contains("`kubeadm upgrade node` needs kubeadm at the target first"))
        // A target below the control plane (--target v1.33.2): a kubeadm on the control plane's patch is fine.
        #expect(judge("v1.33.3", kubelet: "v1.33.2", target: "v1.33.2", api("v1.33.3")).verdict == .current)
        // Without a target (an override that was refused) the API server is the reference.
        #expect(judge("v1.33.2", kubelet: "v1.33.2", api("v1.33.3")).verdict == .patchBehind)
    }

    // kubeadm goes first in the node procedure ("install kubeadm", "kubeadm upgrade node", then the kubelet), so a
    // kubeadm ahead of its kubelet is an upgrade that stopped half-way: the reason says so.
    @Test func kubeadmAheadOfItsKubeletIsAHalfFinishedUpgrade() {
        let stopped = judge("v1.33.3", kubelet: "v1.33.1", target: "v1.33.3", api("v1.33.3"))
        #expect(stopped.verdict == .current)
        #expect(stopped.reason.hasSuffix("upgrade half-finished: kubeadm at v1.33.3, kubelet at v1.33.1"))
        let minorStopped = judge("v1.34.0", kubelet: "v1.33.3", target: "v1.33.3", api("v1.33.3"))
        #expect(minorStopped.reason.hasSuffix("upgrade half-finished: kubeadm at v1.34.0, kubelet at v1.33.3"))
        #expect(!judge("v1.33.3", kubelet: "v1.33.3", api("v1.33.3")).reason.contains("half-finished"))
    }

    // The policy speaks of minor differences only; a major difference is out of policy.
    @Test func majorDifferenceIsOutOfPolicy() {
        #expect(judge("v2.0.0", kubelet: "v1.33.3", api("v1.33.3")).verdict == .majorMismatch)
    }
}
