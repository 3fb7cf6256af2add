import Foundation
import SkewCore

/// What a simulated node's shell knows that the API does not show: installed packages, holds, the package
/// repository's minor, and the kubeadm configuration written by `kubeadm upgrade node`.
struct NodeShellState: Sendable, Codable, Equatable {
    var os: OSFamily
    /// The pkgs.k8s.io minor the node's repository points at.
    var repositoryMinor: MinorLine
    var kubeadm: KubeVersion
    var kubelet: KubeVersion
    var kubectl: KubeVersion
    /// apt holds (Debian); RHEL nodes exclude the packages in the repository file instead (its `exclude=` line).
    var held: Set<String>
    /// The version `kubeadm upgrade node` last configured.
    var configuredFor: KubeVersion
    /// Reloaded systemd units since the last package change.
    var daemonReloaded = true
    /// Commented-out lines at the top of the repository file (an operator's notes, an old source line); `sed`
    /// rewrites them like any line, `grep` sees them, package tools ignore them. Optional: older images lack it.
    var repositoryComments: [String]?
    /// When the node's kubeadm-managed leaf certificates expire (kubeadm renews them on `upgrade apply|node`).
    /// Optional: older images lack it, and workers have none.
    var certificatesExpire: Date?
    /// etcd snapshot files written by `etcdctl snapshot save`, by path. Optional: older images lack it.
    var snapshots: [String: EtcdSnapshot]?
    /// Folders made by `mkdir`, with the ones every node has. Optional: older images lack it (then only those).
    var directories: Set<String>?

    init(os: OSFamily, kubeadm: KubeVersion, kubelet: KubeVersion) {
        self.os = os
        self.kubeadm = kubeadm
        self.kubelet = kubelet
        self.kubectl = kubelet
        self.repositoryMinor = kubelet.minorLine
        self.held = os == .debian ? ["kubeadm", "kubelet", "kubectl"] : []
        self.configuredFor = kubelet
    }

    var repositoryFile: String {
        os == .debian ? "/etc/apt/sources.list.d/kubernetes.list" : "/etc/yum.repos.d/kubernetes.repo"
    }

    var repositoryText: String {
        let comments = (repositoryComments ?? []).map { $0 + "\n" }.joined()
        let m = repositoryMinor.description
        if os == .debian {
            return comments + "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v\(m)/deb/ /"
        }
        return comments + """
        [kubernetes]
        name=Kubernetes
        baseurl=https://pkgs.k8s.io/core:/stable:/v\(m)/rpm/
        enabled=1
        gpgcheck=1
        gpgkey=https://pkgs.k8s.io/core:/stable:/v\(m)/rpm/repodata/repomd.xml.key
        exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
        """
    }
}

/// An etcd snapshot file on a node: what `etcdutl snapshot status` reads from it.
struct EtcdSnapshot: Sendable, Codable, Equatable {
    var hash: UInt32
    var revision: Int
    var totalKeys: Int
    var totalSizeBytes: Int
}
