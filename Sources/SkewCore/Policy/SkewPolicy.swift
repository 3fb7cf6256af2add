/// The official Kubernetes version skew policy and kubeadm's rules, as pure functions of versions.
/// Each rule names the sentence it encodes (`PolicyText`).
public enum SkewPolicy {
    /// How many minors a kubelet or kube-proxy may trail the API server: three, or two for components older than 1.25.
    public static func maxOlderMinors(of component: KubeVersion) -> Int {
        (component.major == 1 && component.minor < 25) ? 2 : 3
    }

    /// HA: the newest and oldest kube-apiserver must be within one minor (and of one major).
    public static func apiservers(_ set: APIServerSet) -> (ControlPlaneVerdict, Judgement) {
        if set.oldest.major != set.newest.major || set.newest.minor - set.oldest.minor > 1 {
            let list = set.versions.map(\.description).joined(separator: ", ")
            return (.apiserverSkew, Judgement(.tooOld, "kube-apiserver instances \(list) are more than one minor apart", policy: PolicyText.apiserverHA))
        }
        return (.supported, Judgement(.current, "kube-apiserver instances are within one minor", policy: PolicyText.apiserverHA))
    }

    /// A kubelet against the API server(s); inside the policy, behind is measured against `target` (default: the
    /// oldest API server).
    public static func kubelet(_ v: KubeVersion, apiservers: APIServerSet, target: KubeVersion? = nil) -> Judgement {
        nodeComponent("kubelet", v, apiservers, target: target, notNewer: PolicyText.kubeletNotNewer, older: PolicyText.kubeletOlder)
    }

    /// kube-proxy against the API server(s), then against the kubelet it runs alongside; behind as for the kubelet.
    public static func kubeProxy(_ v: KubeVersion, kubelet: KubeVersion?, apiservers: APIServerSet, target: KubeVersion? = nil) -> Judgement {
        let vsAPI = nodeComponent("kube-proxy", v, apiservers, target: target, notNewer: PolicyText.proxyNotNewer, older: PolicyText.proxyOlder)
        guard vsAPI.verdict.isSupported, let kubelet, kubelet.major == v.major else { return vsAPI }
        let distance = abs(v.minor - kubelet.minor)
        let allowed = maxOlderMinors(of: v)
        if distance > allowed {
            return Judgement(
                .kubeletSkew,
                "kube-proxy \(v) is \(distance) minors from its kubelet \(kubelet); at most \(allowed) allowed",
                policy: PolicyText.proxyVsKubelet)
        }
        return vsAPI
    }

    /// kube-controller-manager, kube-scheduler and cloud-controller-manager: not newer, at most one minor older;
    /// in HA, not newer than the oldest instance and at most one minor older than the newest.
    public static func controlPlaneComponent(_ name: String, _ raw: KubeVersion, apiservers rawAPIServers: APIServerSet) -> Judgement {
        let v = raw.policyVersion
        let apiservers = rawAPIServers.policyVersions
        if let mismatch = majorMismatch(name, v, apiservers) { return mismatch }
        let policy = PolicyText.controlPlaneComponents
        if v > apiservers.oldest {
            return Judgement(.newerThanAPIServer, "\(name) \(v) is newer than kube-apiserver \(apiservers.oldest)", policy: policy)
        }
        let behindNewest = apiservers.newest.minor - v.minor
        if behindNewest > 1 {
            return Judgement(.tooOld, "\(name) \(v) is \(behindNewest) minors behind kube-apiserver \(apiservers.newest); at most 1 allowed", policy: policy)
        }
        return behindVerdict(name, v, apiservers, policy: policy)
    }

    /// kubectl: within one minor, older or newer; in HA, of every instance.
    public static func kubectl(_ v: KubeVersion, apiservers: APIServerSet) -> Judgement {
        if let mismatch = majorMismatch("kubectl", v, apiservers) { return mismatch }
        let policy = PolicyText.kubectl
        if v.minor > apiservers.oldest.minor + 1 {
            return Judgement(.newerThanAPIServer, "kubectl \(v) is more than one minor newer than kube-apiserver \(apiservers.oldest)", policy: policy)
        }
        if v.minor < apiservers.newest.minor - 1 {
            return Judgement(.tooOld, "kubectl \(v) is more than one minor older than kube-apiserver \(apiservers.newest)", policy: policy)
        }
        if v.minor > apiservers.oldest.minor {
            return Judgement(.current, "kubectl \(v) is one minor newer than kube-apiserver, which is supported", policy: policy)
        }
        return behindVerdict("kubectl", v, apiservers, policy: policy)
    }

    // MARK: kubeadm's own rules

    /// kubeadm manages a control plane of its own minor or one older.
    public static func kubeadmCanManageControlPlane(kubeadm: KubeVersion, controlPlane: KubeVersion) -> Bool {
        kubeadm.major == controlPlane.major && (kubeadm.minor - 1...kubeadm.minor).contains(controlPlane.minor)
    }

    /// kubeadm accepts a kubelet of its minor or up to three older (from kubeadm 1.29; one older before).
    public static func kubeadmAcceptsKubelet(kubeadm: KubeVersion, kubelet: KubeVersion) -> Bool {
        let allowed = kubeletMinorsBehindKubeadm(kubeadm)
        return kubeadm.major == kubelet.major && (kubeadm.minor - allowed...kubeadm.minor).contains(kubelet.minor)
    }

    /// How many minors a kubelet may trail the kubeadm beside it: three from kubeadm 1.29
    /// (kubernetes/kubernetes#120825), one before.
    public static func kubeletMinorsBehindKubeadm(_ kubeadm: KubeVersion) -> Int {
        (kubeadm.major == 1 && kubeadm.minor >= 29) ? 3 : 1
    }

    /// `kubeadm upgrade node` needs a kubeadm of the same minor as the one that manages the node, or one newer.
    public static func kubeadmCanUpgradeNode(newKubeadm: KubeVersion, managedBy old: KubeVersion) -> Bool {
        newKubeadm.major == old.major && (old.minor...old.minor + 1).contains(newKubeadm.minor)
    }

    /// `kubeadm upgrade apply` moves one minor at a time (up or down).
    public static func kubeadmCanApply(from: KubeVersion, to: KubeVersion) -> Bool {
        from.major == to.major && abs(to.minor - from.minor) <= 1
    }

    // MARK: shared shape of the node-component rules

    static func nodeComponent(
        _ name: String, _ raw: KubeVersion, _ rawAPIServers: APIServerSet, target: KubeVersion? = nil, notNewer: String, older: String
    ) -> Judgement {
        let v = raw.policyVersion
        let apiservers = rawAPIServers.policyVersions
        if let mismatch = majorMismatch(name, v, apiservers) { return mismatch }
        if v > apiservers.oldest {
            let samePatchLine = v.minor == apiservers.oldest.minor
            let reason = "\(name) \(v) is newer than kube-apiserver \(apiservers.oldest)"
                + (samePatchLine ? " (a newer patch counts as newer)" : "")
            return Judgement(.newerThanAPIServer, reason, policy: samePatchLine ? notNewer + " " + PolicyText.safeReading : notNewer)
        }
        let allowed = maxOlderMinors(of: v)
        let behindNewest = apiservers.newest.minor - v.minor
        if behindNewest > allowed {
            return Judgement(
                .tooOld,
                "\(name) \(v) is \(behindNewest) minors behind kube-apiserver \(apiservers.newest); at most \(allowed) allowed",
                policy: older)
        }
        return behindVerdict(name, v, apiservers, target: target, policy: older)
    }

    /// current, patch-behind or minor-behind for a version already known to be inside the allowed range, measured
    /// against the target when one is given (the policy decides what is allowed; the target what is still to do).
    private static func behindVerdict(
        _ name: String, _ v: KubeVersion, _ apiservers: APIServerSet, target: KubeVersion? = nil, policy: String
    ) -> Judgement {
        let reference = target?.policyVersion ?? apiservers.oldest
        let against = reference.samePrecedence(as: apiservers.oldest) ? "kube-apiserver \(reference)" : "the target \(reference)"
        if v.major == reference.major, v.minor < reference.minor {
            let n = reference.minor - v.minor
            return Judgement(.minorBehind, "\(name) \(v) is \(n) minor\(n == 1 ? "" : "s") behind \(against) (supported)", policy: policy)
        }
        if v < reference {
            return Judgement(.patchBehind, "\(name) \(v) is behind \(against) on the same minor (supported; take the latest patch)", policy: PolicyText.patchLatest)
        }
        if reference < v {
            return Judgement(.current, "\(name) \(v) is past \(against) and not newer than kube-apiserver \(apiservers.oldest)", policy: nil)
        }
        return Judgement(.current, "\(name) \(v) matches \(against)", policy: nil)
    }

    static func majorMismatch(_ name: String, _ v: KubeVersion, _ apiservers: APIServerSet) -> Judgement? {
        guard apiservers.versions.contains(where: { $0.major != v.major }) else { return nil }
        return Judgement(.majorMismatch, "\(name) \(v) has another major version than kube-apiserver \(apiservers.newest)", policy: PolicyText.majorOutOfPolicy)
    }
}
