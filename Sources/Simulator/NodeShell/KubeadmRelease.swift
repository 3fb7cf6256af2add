import SkewCore

/// What one kubeadm release deploys and how it words its output; the simulator picks wordings by the kubeadm
/// binary's version, as an operator sees them change between releases.
struct KubeadmRelease {
    let version: KubeVersion

    /// The etcd image tag kubeadm of this minor deploys (its `constants.SupportedEtcdVersion`, newest patch).
    var etcdVersion: String {
        switch version.minor {
        case ...25: return "3.5.6-0"
        case 26...28: return "3.5.9-0"
        case 29: return "3.5.16-0"
        case 30, 31: return "3.5.15-0"
        case 32: return "3.5.16-0"
        case 33: return "3.5.21-0"
        case 34: return "3.6.4-0"
        default: return "3.6.5-0"
        }
    }

    /// The CoreDNS image tag kubeadm of this minor deploys.
    var coreDNSVersion: String {
        switch version.minor {
        case ...24: return "v1.8.6"
        case 25, 26: return "v1.9.3"
        case 27, 28: return "v1.10.1"
        case 29, 30: return "v1.11.1"
        case 31, 32: return "v1.11.3"
        case 33: return "v1.12.0"
        case 34: return "v1.12.1"
        default: return "v1.13.1"
        }
    }

    /// The newer of two etcd image tags (`3.5.9-0` < `3.5.16-0`): kubeadm never downgrades etcd.
    static func newerEtcd(_ a: String, _ b: String) -> String {
        func key(_ t: String) -> [Int] { t.split(whereSeparator: { $0 == "." || $0 == "-" }).map { Int($0) ?? 0 } }
        return key(a).lexicographicallyPrecedes(key(b)) ? b : a
    }

    /// `upgrade apply` became a phase workflow in v1.32, which changed its error prefix and its SUCCESS line.
    var hasPhases: Bool { version.minor >= 32 }

    /// Per-node rows in `upgrade plan` and the v1alpha3 structured output arrived in v1.30 (kubernetes#123578, #123461).
    var plansPerNode: Bool { version.minor >= 30 }

    /// `-o json|yaml` on `upgrade plan` exists since v1.25 (kubernetes#108447).
    var hasStructuredPlan: Bool { version.minor >= 25 }

    /// Since v1.28 CoreDNS and kube-proxy are upgraded only once every control-plane instance runs the new version.
    var waitsForAllInstancesBeforeAddons: Bool { version.minor >= 28 }

    /// super-admin.conf exists since v1.29 (written by `kubeadm init` only).
    var hasSuperAdmin: Bool { version.minor >= 29 }

    /// The last lines of a successful `upgrade apply`: the wording changed in v1.32 (reference, §3).
    func successLines(_ target: KubeVersion) -> [String] {
        if hasPhases {
            return ["", "[upgrade] SUCCESS! A control plane node of your cluster was upgraded to \"\(target)\".", "",
                    "[upgrade] Now please proceed with upgrading the rest of the nodes by following the right order."]
        }
        return ["", "[upgrade/successful] SUCCESS! Your cluster was upgraded to \"\(target)\". Enjoy!", "",
                "[upgrade/kubelet] Now that your control plane is upgraded, please proceed with upgrading your kubelets if you haven't already done so."]
    }
}
