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

/// Every rule of the version skew policy (kubernetes/website content/en/releases/version-skew-policy.md) and of
/// kubeadm's documentation, each test quoting the sentence it encodes.
struct SkewPolicyTests {
    // "`kubelet` must not be newer than `kube-apiserver`."
    @Test func kubeletMustNotBeNewer() {
        let minorNewer = SkewPolicy.kubelet(v("v1.34.0"), apiservers: api("v1.33.3"))
        #expect(minorNewer.verdict == .newerThanAPIServer)
        #expect(minorNewer.policy == PolicyText.kubeletNotNewer)
        // DESIGN.md §1: a newer *patch* counts as newer too (the safe reading of "must not be newer").
        let patchNewer = SkewPolicy.kubelet(v("v1.33.4"), apiservers: api("v1.33.3"))
        #expect(patchNewer.verdict == .newerThanAPIServer)
        #expect(patchNewer.policy?.contains(PolicyText.safeReading) == true)
        #expect(!patchNewer.verdict.isSupported)
    }

    // "`kubelet` may be up to three minor versions older than `kube-apiserver` (`kubelet` < 1.25 may only be up to
    // two minor versions older than `kube-apiserver`)."
    @Test func kubeletMayBeUpToThreeMinorsOlder() {
        #expect(SkewPolicy.kubelet(v("v1.33.3"), apiservers: api("v1.33.3")).verdict == .current)
        #expect(SkewPolicy.kubelet(v("v1.33.2"), apiservers: api("v1.33.3")).verdict == .patchBehind)
        #expect(SkewPolicy.kubelet(v("v1.32.9"), apiservers: api("v1.33.3")).verdict == .minorBehind)
        let threeOlder = SkewPolicy.kubelet(v("v1.30.9"), apiservers: api("v1.33.3"))
        #expect(threeOlder.verdict == .minorBehind)
        #expect(threeOlder.policy == PolicyText.kubeletOlder)
        let fourOlder = SkewPolicy.kubelet(v("v1.29.15"), apiservers: api("v1.33.3"))
        #expect(fourOlder.verdict == .tooOld)
        #expect(fourOlder.policy == PolicyText.kubeletOlder)
    }

    @Test func kubeletOlderThan125MayOnlyBeTwoMinorsOlder() {
        #expect(SkewPolicy.kubelet(v("v1.24.17"), apiservers: api("v1.26.15")).verdict == .minorBehind)
        // 1.27 + 1.24 → unsupported: the exception is keyed on the kubelet's own version.
        #expect(SkewPolicy.kubelet(v("v1.24.17"), apiservers: api("v1.27.16")).verdict == .tooOld)
        // From 1.28 control planes every three-minor-older kubelet is ≥ 1.25, hence supported.
        #expect(SkewPolicy.kubelet(v("v1.25.16"), apiservers: api("v1.28.15")).verdict == .minorBehind)
    }

    // "If version skew exists between `kube-apiserver` instances in an HA cluster, this narrows the allowed `kubelet`
    // versions." Example: instances at N and N-1; kubelet supported at N-1, N-2 and N-3.
    @Test func haNarrowsTheKubeletRange() {
        let ha = api("v1.33.3", "v1.32.9")
        #expect(SkewPolicy.kubelet(v("v1.33.3"), apiservers: ha).verdict == .newerThanAPIServer)
        #expect(SkewPolicy.kubelet(v("v1.32.9"), apiservers: ha).verdict == .current)
        #expect(SkewPolicy.kubelet(v("v1.31.14"), apiservers: ha).verdict == .minorBehind)
        #expect(SkewPolicy.kubelet(v("v1.30.14"), apiservers: ha).verdict == .minorBehind)
        #expect(SkewPolicy.kubelet(v("v1.29.14"), apiservers: ha).verdict == .tooOld)
    }

    // "In highly-available (HA) clusters, the newest and oldest `kube-apiserver` instances must be within one minor version."
    @Test func haAPIServersWithinOneMinor() {
        #expect(SkewPolicy.apiservers(api("v1.33.3", "v1.32.9")).0 == .supported)
        let (verdict, j) = SkewPolicy.apiservers(api("v1.33.3", "v1.31.14"))
        #expect(verdict == .apiserverSkew)
        #expect(j.policy == PolicyText.apiserverHA)
    }

    // "`kube-proxy` must not be newer than `kube-apiserver`." / "may be up to three minor versions older than
    // `kube-apiserver`" / "may be up to three minor versions older or newer than the `kubelet` instance it runs alongside".
    @Test func kubeProxyRules() {
        #expect(SkewPolicy.kubeProxy(v("v1.34.0"), kubelet: v("v1.33.3"), apiservers: api("v1.33.3")).verdict == .newerThanAPIServer)
        #expect(SkewPolicy.kubeProxy(v("v1.30.9"), kubelet: v("v1.33.3"), apiservers: api("v1.33.3")).verdict == .minorBehind)
        #expect(SkewPolicy.kubeProxy(v("v1.29.9"), kubelet: v("v1.29.9"), apiservers: api("v1.33.3")).verdict == .tooOld)
        let skew = SkewPolicy.kubeProxy(v("v1.33.3"), kubelet: v("v1.29.15"), apiservers: api("v1.33.3"))
        #expect(skew.verdict == .kubeletSkew)
        #expect(skew.policy == PolicyText.proxyVsKubelet)
        #expect(SkewPolicy.kubeProxy(v("v1.33.3"), kubelet: v("v1.30.14"), apiservers: api("v1.33.3")).verdict == .current)
        // (`kube-proxy` < 1.25 may only be up to two minor versions older than `kube-apiserver`)
        #expect(SkewPolicy.kubeProxy(v("v1.24.17"), kubelet: v("v1.24.17"), apiservers: api("v1.27.16")).verdict == .tooOld)
    }

    // "`kube-controller-manager`, `kube-scheduler`, and `cloud-controller-manager` must not be newer than the
    // `kube-apiserver` instances they communicate with. They are expected to match the `kube-apiserver` minor version,
    // but may be up to one minor version older (to allow live upgrades)."
    @Test func controlPlaneComponentRules() {
        let one = api("v1.33.3")
        #expect(SkewPolicy.controlPlaneComponent("kube-scheduler", v("v1.33.3"), apiservers: one).verdict == .current)
        #expect(SkewPolicy.controlPlaneComponent("kube-scheduler", v("v1.32.9"), apiservers: one).verdict == .minorBehind)
        let tooOld = SkewPolicy.controlPlaneComponent("kube-controller-manager", v("v1.31.14"), apiservers: one)
        #expect(tooOld.verdict == .tooOld)
        #expect(tooOld.policy == PolicyText.controlPlaneComponents)
        #expect(SkewPolicy.controlPlaneComponent("kube-scheduler", v("v1.33.4"), apiservers: one).verdict == .newerThanAPIServer)
        // HA at N and N-1: these components are supported only at N-1.
        let ha = api("v1.33.3", "v1.32.9")
        #expect(SkewPolicy.controlPlaneComponent("kube-scheduler", v("v1.33.3"), apiservers: ha).verdict == .newerThanAPIServer)
        #expect(SkewPolicy.controlPlaneComponent("kube-scheduler", v("v1.32.9"), apiservers: ha).verdict.isSupported)
        #expect(SkewPolicy.controlPlaneComponent("kube-scheduler", v("v1.31.14"), apiservers: ha).verdict == .tooOld)
    }

    // "`kubectl` is supported within one minor version (older or newer) of `kube-apiserver`."
    @Test func kubectlWithinOneMinor() {
        let one = api("v1.33.3")
        #expect(SkewPolicy.kubectl(v("v1.34.1"), apiservers: one).verdict.isSupported)
        #expect(SkewPolicy.kubectl(v("v1.32.1"), apiservers: one).verdict.isSupported)
        #expect(SkewPolicy.kubectl(v("v1.35.0"), apiservers: one).verdict == .newerThanAPIServer)
        #expect(SkewPolicy.kubectl(v("v1.31.0"), apiservers: one).verdict == .tooOld)
        // HA at N and N-1: kubectl is supported at N and N-1 only.
        let ha = api("v1.33.3", "v1.32.9")
        #expect(SkewPolicy.kubectl(v("v1.34.0"), apiservers: ha).verdict == .newerThanAPIServer)
        #expect(SkewPolicy.kubectl(v("v1.31.0"), apiservers: ha).verdict == .tooOld)
        #expect(SkewPolicy.kubectl(v("v1.33.0"), apiservers: ha).verdict.isSupported)
    }

    // Major versions: the policy speaks of minor differences only; a major difference is out of policy.
    @Test func majorDifferenceIsOutOfPolicy() {
        #expect(SkewPolicy.kubelet(v("v2.0.0"), apiservers: api("v1.33.3")).verdict == .majorMismatch)
        #expect(SkewPolicy.kubeProxy(v("v0.33.0"), kubelet: nil, apiservers: api("v1.33.3")).verdict == .majorMismatch)
    }

    // "kubeadm can be used with Kubernetes components that are the same version as kubeadm or one version older."
    @Test func kubeadmManagesItsMinorAndOneOlder() {
        #expect(SkewPolicy.kubeadmCanManageControlPlane(kubeadm: v("v1.33.3"), controlPlane: v("v1.33.0")))
        #expect(SkewPolicy.kubeadmCanManageControlPlane(kubeadm: v("v1.33.3"), controlPlane: v("v1.32.9")))
        #expect(!SkewPolicy.kubeadmCanManageControlPlane(kubeadm: v("v1.33.3"), controlPlane: v("v1.31.9")))
        #expect(!SkewPolicy.kubeadmCanManageControlPlane(kubeadm: v("v1.32.9"), controlPlane: v("v1.33.3")))
    }

    // "kubeadm can be used with a kubelet version that is the same version as kubeadm or three versions older."
    // (From kubeadm 1.29, kubernetes/kubernetes#120825; one older before.)
    @Test func kubeadmAcceptsKubeletsUpToThreeOlderFrom129() {
        #expect(SkewPolicy.kubeadmAcceptsKubelet(kubeadm: v("v1.33.3"), kubelet: v("v1.30.0")))
        #expect(!SkewPolicy.kubeadmAcceptsKubelet(kubeadm: v("v1.33.3"), kubelet: v("v1.29.0")))
        #expect(!SkewPolicy.kubeadmAcceptsKubelet(kubeadm: v("v1.33.3"), kubelet: v("v1.34.0")))
        #expect(SkewPolicy.kubeadmAcceptsKubelet(kubeadm: v("v1.28.15"), kubelet: v("v1.27.0")))
        #expect(!SkewPolicy.kubeadmAcceptsKubelet(kubeadm: v("v1.28.15"), kubelet: v("v1.26.0")))
    }

    // "Nodes that are being upgraded must use a version of kubeadm that is the same MINOR version or one MINOR
    // version newer than the version of kubeadm used for managing the node."
    @Test func kubeadmUpgradeNodeSameOrOneNewer() {
        #expect(SkewPolicy.kubeadmCanUpgradeNode(newKubeadm: v("v1.33.3"), managedBy: v("v1.33.2")))
        #expect(SkewPolicy.kubeadmCanUpgradeNode(newKubeadm: v("v1.33.3"), managedBy: v("v1.32.9")))
        #expect(!SkewPolicy.kubeadmCanUpgradeNode(newKubeadm: v("v1.33.3"), managedBy: v("v1.31.9")))
        #expect(!SkewPolicy.kubeadmCanUpgradeNode(newKubeadm: v("v1.32.3"), managedBy: v("v1.33.0")))
    }

    // kubeadm policy.go: "kubeadm can upgrade only 1 minor version at a time".
    @Test func kubeadmApplyMovesOneMinorAtATime() {
        #expect(SkewPolicy.kubeadmCanApply(from: v("v1.32.9"), to: v("v1.33.3")))
        #expect(!SkewPolicy.kubeadmCanApply(from: v("v1.31.9"), to: v("v1.33.3")))
        #expect(SkewPolicy.kubeadmCanApply(from: v("v1.33.3"), to: v("v1.32.9")))
    }
}

/// Provider build suffixes are not upstream pre-releases: the policy compares the release they carry.
struct ProviderSuffixTests {
    @Test func providerBuildOfTheSamePatchIsCurrent() {
        let eks = SkewPolicy.kubelet(KubeVersion.parse("v1.33.3-eks-3025e55")!, apiservers: APIServerSet([KubeVersion.parse("v1.33.3")!])!)
        #expect(eks.verdict == .current)
        let gke = SkewPolicy.kubelet(KubeVersion.parse("v1.30.5-gke.1000")!, apiservers: APIServerSet([KubeVersion.parse("v1.30.5-gke.2000")!])!)
        #expect(gke.verdict == .current)
    }

    @Test func upstreamReleaseCandidateIsBehindTheRelease() {
        let rc = SkewPolicy.kubelet(KubeVersion.parse("v1.34.0-rc.1")!, apiservers: APIServerSet([KubeVersion.parse("v1.34.0")!])!)
        #expect(rc.verdict == .patchBehind)
    }
}
