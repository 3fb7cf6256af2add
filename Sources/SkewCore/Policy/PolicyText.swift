/// The sentences of the official version skew policy and kubeadm documentation that each rule encodes,
/// quoted from kubernetes/website `content/en/releases/version-skew-policy.md` and the kubeadm pages.
public enum PolicyText {
    public static let apiserverHA =
        "In highly-available (HA) clusters, the newest and oldest `kube-apiserver` instances must be within one minor version."
    public static let kubeletNotNewer = "`kubelet` must not be newer than `kube-apiserver`."
    public static let kubeletOlder =
        "`kubelet` may be up to three minor versions older than `kube-apiserver` (`kubelet` < 1.25 may only be up to two minor versions older than `kube-apiserver`)."
    public static let kubeletHA =
        "If version skew exists between `kube-apiserver` instances in an HA cluster, this narrows the allowed `kubelet` versions."
    public static let proxyNotNewer = "`kube-proxy` must not be newer than `kube-apiserver`."
    public static let proxyOlder =
        "`kube-proxy` may be up to three minor versions older than `kube-apiserver` (`kube-proxy` < 1.25 may only be up to two minor versions older than `kube-apiserver`)."
    public static let proxyVsKubelet =
        "`kube-proxy` may be up to three minor versions older or newer than the `kubelet` instance it runs alongside (`kube-proxy` < 1.25 may only be up to two minor versions older or newer than the `kubelet` instance it runs alongside)."
    public static let controlPlaneComponents =
        "`kube-controller-manager`, `kube-scheduler`, and `cloud-controller-manager` must not be newer than the `kube-apiserver` instances they communicate with. They are expected to match the `kube-apiserver` minor version, but may be up to one minor version older (to allow live upgrades)."
    public static let kubectl = "`kubectl` is supported within one minor version (older or newer) of `kube-apiserver`."
    public static let patchLatest =
        "Ensure that components are on the most recent patch version of your current minor version."
    public static let drainBeforeMinor =
        "Before performing a minor version `kubelet` upgrade, drain pods from that node. In-place minor version `kubelet` upgrades are not supported."
    public static let blocksControlPlane =
        "Running a cluster with `kubelet` instances that are persistently three minor versions behind `kube-apiserver` means they must be upgraded before the control plane can be upgraded."
    public static let noSkipMinor =
        "Project policies for API deprecation and API change guidelines require `kube-apiserver` to not skip minor versions when upgrading, even in single-instance clusters."
    public static let kubeadmControlPlane =
        "kubeadm can be used with Kubernetes components that are the same version as kubeadm or one version older."
    public static let kubeadmKubelet =
        "Similarly to the Kubernetes version, kubeadm can be used with a kubelet version that is the same version as kubeadm or three versions older."
    public static let kubeadmUpgradeNode =
        "Nodes that are being upgraded must use a version of kubeadm that is the same MINOR version or one MINOR version newer than the version of kubeadm used for managing the node."
    public static let kubeadmMatch =
        "it is recommended that you match the kubeadm version with the versions of the control plane components, kube-proxy and kubelet."
    public static let kubeadmOneMinorAtATime = "kubeadm can upgrade only 1 minor version at a time"
    public static let majorOutOfPolicy =
        "Kubernetes versions are expressed as x.y.z, where x is the major version; the skew policy allows differences in minor versions only."
    /// The kubelet patch-newer reading: the policy says "must not be newer" without limiting it to minors.
    public static let safeReading =
        "kubeskew reads \"must not be newer\" strictly: a newer patch is newer too (kubeadm compares only minors)."
}
