import Foundation
import KubeModel
import SkewCore

/// Reads a cluster from files: `kubectl get nodes -o json` output, or a `kubectl cluster-info dump` folder.
enum OfflineInput {
    /// Nodes from a NodeList / Node / List file, read in chunks and decoded item by item, so memory stays near
    /// the size of the decoded nodes rather than a multiple of the file's.
    static func nodesFile(_ path: String) throws -> ClusterSnapshot {
        // A regular file is decoded in place in one pass; a problem in it is named by the streaming decoder below.
        if let mapped = MappedFile.open(path) {
            do {
                if let nodes = try mapped.withBytes({ try FastNodeDecoding.document($0, progress: mapped.release(upTo:)) }) {
                    return ClusterSnapshot(nodes: nodes)
                }
            } catch {}
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { _ = try readFile(path); throw OperatorError(message: "\(path): cannot be opened") }
        defer { try? handle.close() }
        var stream = StreamingNodeDecoder()
        do {
            while true {
                let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
                if chunk.isEmpty { break }
                try chunk.withUnsafeBytes { try stream.feed($0) }  // raw bytes: a Data iterator is slow
            }
            if let nodes = try stream.finish() { return ClusterSnapshot(nodes: nodes) }
            // Not a list: a single Node, small enough to decode whole.
            return ClusterSnapshot(nodes: try NodesDocument.decodeNodes(readFile(path)))
        } catch let e as DocumentError {
            throw OperatorError(message: "\(path): \(e.problem)")
        } catch let e as OperatorError {
            throw e
        } catch {
            throw OperatorError(message: "\(path): cannot be read (\(error))")
        }
    }

    /// `nodes.json` plus `kube-system/pods.json` (static control-plane pods, kube-proxy pods) and, when present,
    /// `kube-system/daemonsets.json` (the kube-proxy DaemonSet) and `kube-system/configmaps.json` (kubeadm-config:
    /// `cluster-info dump` does not write ConfigMaps, so the operator adds it with
    /// `kubectl -n kube-system get cm kubeadm-config -o json`).
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
        let cmPath = base.appendingPathComponent("kube-system/configmaps.json").path
        if FileManager.default.fileExists(atPath: cmPath) {
            do {
                snapshot.kubeadmConfig = try NodesDocument.decodeConfigMaps(readFile(cmPath)).first { $0.metadata.name == "kubeadm-config" }
            } catch let e as DocumentError {
                throw OperatorError(message: "\(cmPath): \(e.problem)")
            }
        }
        return snapshot
    }
}
