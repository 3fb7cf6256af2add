import Foundation
import KubeModel
import SkewCore

/// Reads a cluster from files: `kubectl get nodes -o json` output, or a `kubectl cluster-info dump` folder.
enum OfflineInput {
    /// Nodes from a NodeList / Node / List file.
    static func nodesFile(_ path: String) throws -> ClusterSnapshot {
        let data = try readFile(path)
        do {
            return ClusterSnapshot(nodes: try NodesDocument.decodeNodes(data))
        } catch let e as DocumentError {
            throw OperatorError(message: "\(path): \(e.problem)")
        }
    }

    /// `nodes.json` plus `kube-system/pods.json` (static control-plane pods, kube-proxy pods) and, when present,
    /// `kube-system/daemonsets.json` (the kube-proxy DaemonSet).
    static func dump(_ directory: String) throws -> ClusterSnapshot {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw OperatorError(message: "\(directory): not a folder (expected what `kubectl cluster-info dump --output-directory` writes)")
        }
        let base = URL(fileURLWithPath: directory)
        let nodesPath = base.appendingPathComponent("nodes.json").path
        guard FileManager.default.fileExists(atPath: nodesPath) else {
            throw OperatorError(message: "\(nodesPath): missing; is \(directory) a `kubectl cluster-info dump --output-directory` folder?")
        }
        var snapshot = try nodesFile(nodesPath)
        let podsPath = base.appendingPathComponent("kube-system/pods.json").path
        if FileManager.default.fileExists(atPath: podsPath) {
            do { snapshot.systemPods = try NodesDocument.decodePods(readFile(podsPath)) } catch let e as DocumentError {
                throw OperatorError(message: "\(podsPath): \(e.problem)")
            }
        }
        let dsPath = base.appendingPathComponent("kube-system/daemonsets.json").path
        if FileManager.default.fileExists(atPath: dsPath) {
            do {
                snapshot.kubeProxyDaemonSet = try NodesDocument.decodeDaemonSets(readFile(dsPath)).first { $0.metadata.name == "kube-proxy" }
            } catch let e as DocumentError {
                throw OperatorError(message: "\(dsPath): \(e.problem)")
            }
        }
        return snapshot
    }
}
