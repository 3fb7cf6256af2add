/// kubeadm's verdict on a node, from kubeadm's own rules rather than the kubelet's: kubeadm leads an upgrade, so it
/// may be a minor ahead of the control plane, but never behind it.
extension SkewPolicy {
    /// kubeadm installed on a node, judged in this order:
    /// 1. against the control plane it has to manage — its own minor or one older (a kubeadm behind the control
    ///    plane's minor cannot manage it, nor run `kubeadm upgrade node` for it; one a minor ahead is how an upgrade
    ///    starts);
    /// 2. against the kubelet beside it — the kubelet's minor or up to three newer (one before kubeadm 1.29);
    /// 3. against the target — `kubeadm upgrade node` needs kubeadm at the target first.
    /// kubeadm ahead of its kubelet is said in the reason: the upgrade of that node stopped half-way.
    public static func kubeadm(
        _ raw: KubeVersion, target rawTarget: KubeVersion?, kubelet rawKubelet: KubeVersion?, apiservers rawAPIServers: APIServerSet
    ) -> Judgement {
        let v = raw.policyVersion
        let apiservers = rawAPIServers.policyVersions
        if let mismatch = majorMismatch("kubeadm", v, apiservers) { return mismatch }
        let target = (rawTarget ?? apiservers.oldest).policyVersion

        if v.minor < apiservers.newest.minor {
            return Judgement(
                .tooOld,
                "kubeadm \(v) is older than the control plane (kube-apiserver \(apiservers.newest)): it cannot manage it, "
                    + "nor run `kubeadm upgrade node` for it; install kubeadm \(target) first",
                policy: PolicyText.kubeadmControlPlane)
        }
        if v.minor > apiservers.oldest.minor + 1 {
            return Judgement(
                .newerThanAPIServer,
                "kubeadm \(v) is \(v.minor - apiservers.oldest.minor) minors newer than the control plane "
                    + "(kube-apiserver \(apiservers.oldest)): kubeadm manages its own minor and one older only",
                policy: PolicyText.kubeadmControlPlane)
        }

        let kubelet = rawKubelet?.policyVersion
        if let kubelet, kubelet.major == v.major, !kubeadmAcceptsKubelet(kubeadm: v, kubelet: kubelet) {
            let allowed = kubeletMinorsBehindKubeadm(v)
            let reason = kubelet.minor > v.minor
                ? "kubeadm \(v) is older than the kubelet \(kubelet) beside it: kubeadm accepts a kubelet of its own minor or older"
                : "kubeadm \(v) is \(v.minor - kubelet.minor) minors ahead of the kubelet \(kubelet) beside it; "
                    + "at most \(allowed) allowed"
            return Judgement(.kubeletSkew, reason, policy: PolicyText.kubeadmKubelet)
        }
        // Said with any verdict below: the operator must see that this node's upgrade stopped after kubeadm.
        var unfinished = ""
        if let kubelet, let rawKubelet, v > kubelet { unfinished = "; " + halfFinished(kubeadm: raw, kubelet: rawKubelet) }

        if v < target {
            let verdict: Verdict = v.minor == target.minor ? .patchBehind : .minorBehind
            return Judgement(
                verdict,
                "kubeadm \(v) is behind the target \(target): `kubeadm upgrade node` needs kubeadm at the target first "
                    + "(supported)" + unfinished,
                policy: PolicyText.kubeadmMatch)
        }
        if v.minor > apiservers.oldest.minor {
            return Judgement(
                .current,
                "kubeadm \(v) is one minor newer than the control plane (kube-apiserver \(apiservers.oldest)), which kubeadm "
                    + "allows: that is how an upgrade to \(v.minorLine) starts" + unfinished,
                policy: PolicyText.kubeadmControlPlane)
        }
        if target < v {
            return Judgement(
                .current,
                "kubeadm \(v) is newer than the target \(target) on the control plane's minor, which kubeadm allows" + unfinished,
                policy: PolicyText.kubeadmControlPlane)
        }
        return Judgement(.current, "kubeadm \(v) is at the target \(target)" + unfinished, policy: nil)
    }

    /// How a node whose kubeadm was upgraded but whose kubelet was not is described, wherever it is shown.
    public static func halfFinished(kubeadm: KubeVersion, kubelet: KubeVersion) -> String {
        "upgrade half-finished: kubeadm at \(kubeadm), kubelet at \(kubelet)"
    }
}
