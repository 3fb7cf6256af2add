/// The control plane as kubeadm reads it from the API: each instance's static pod images, the kubeadm-config
/// version, the addons' images and every kubelet's version.
struct ControlPlaneView: Sendable, Equatable {
    /// One control-plane node's static pods (image tags).
    struct Instance: Sendable, Equatable {
        var node: String
        var apiserver: String
        var controllerManager: String
        var scheduler: String
        var etcd: String?
    }

    var instances: [Instance]
    /// `kubernetesVersion` of the kubeadm-config ConfigMap's ClusterConfiguration.
    var kubeadmConfigVersion: String
    /// The kube-proxy DaemonSet's image tag.
    var kubeProxy: String
    /// The CoreDNS image tag.
    var coreDNS: String
    /// Node name → kubelet version, in node list order.
    var kubelets: [(node: String, version: String)]

    static func == (l: ControlPlaneView, r: ControlPlaneView) -> Bool {
        l.instances == r.instances && l.kubeadmConfigVersion == r.kubeadmConfigVersion && l.kubeProxy == r.kubeProxy
            && l.coreDNS == r.coreDNS && l.kubelets.map(\.node) == r.kubelets.map(\.node) && l.kubelets.map(\.version) == r.kubelets.map(\.version)
    }

    func instance(_ node: String) -> Instance? { instances.first { $0.node == node } }
}
