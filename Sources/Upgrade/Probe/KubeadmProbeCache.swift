import Foundation

/// kubeadm versions probed on a cluster's nodes, kept in the state directory so that the next start shows them at
/// once: `<state>/kubeskew/kubeadm-probes/<kube-system uid>.json` (0600). An answer holds only while the node runs
/// the same boot and the same kubelet: a reboot or a kubelet change may come with another kubeadm, so either makes
/// the entry stale and the node is asked again.
public struct KubeadmProbeCache: Sendable {
    /// What an answer was valid for.
    public struct Key: Sendable, Hashable, Codable {
        public var bootID: String
        public var kubeletVersion: String

        public init(bootID: String, kubeletVersion: String) {
            self.bootID = bootID
            self.kubeletVersion = kubeletVersion
        }
    }

    /// One node's answer.
    public struct Entry: Sendable, Equatable, Codable {
        public var key: Key
        public var kubeadmVersion: String
        public var probedAt: Date

        public init(key: Key, kubeadmVersion: String, probedAt: Date) {
            self.key = key
            self.kubeadmVersion = kubeadmVersion
            self.probedAt = probedAt
        }
    }

    public let file: URL

    /// The cache of the cluster whose kube-system namespace has `clusterUID`, under `root`
    /// (`<state>/kubeskew/kubeadm-probes`); nil when the uid is not one (it becomes a file name).
    public init?(root: URL, clusterUID: String) {
        guard (1...64).contains(clusterUID.utf8.count),
              clusterUID.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x61...0x7a).contains($0) || (0x41...0x5a).contains($0) })
        else { return nil }
        file = root.appendingPathComponent("\(clusterUID).json")
    }

    /// `$XDG_STATE_HOME/kubeskew/kubeadm-probes`, else `~/.local/state/kubeskew/kubeadm-probes`; beside the runs of
    /// the journal at `journalRoot` (the demo keeps its own).
    public static func root(besideRunsAt journalRoot: URL) -> URL {
        journalRoot.deletingLastPathComponent().appendingPathComponent("kubeadm-probes")
    }

    /// Every entry saved; an unreadable file is an empty cache (it is only a shortcut: the nodes are asked again).
    public func load() -> [String: Entry] {
        guard let data = try? Data(contentsOf: file),
              let entries = try? JSONDecoder.withISODates.decode([String: Entry].self, from: data) else { return [:] }
        return entries
    }

    /// Replaces the file with `entries`, atomically; a failure is returned for the operator (probing goes on).
    @discardableResult
    public func save(_ entries: [String: Entry]) -> String? {
        let folder = file.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try AtomicFile.replace(file, with: try JSONEncoder.withISODates.encode(entries))
            return nil
        } catch let error as AtomicFileError {
            return error.message
        } catch {
            return "\(file.path): cannot be written (\(error.localizedDescription))"
        }
    }
}

private extension JSONEncoder {
    static var withISODates: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }
}

private extension JSONDecoder {
    static var withISODates: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
