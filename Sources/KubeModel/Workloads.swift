import Foundation

/// A DaemonSet, reduced to its pod template's containers (kube-proxy's image gives its version).
public struct DaemonSet: Sendable, Codable, Equatable {
    public var metadata: ObjectMeta
    public var spec: DaemonSetSpec?

    /// The image of the template's container with `name`, else of the first container.
    public func image(container name: String) -> String? {
        let containers = spec?.template?.spec?.containers ?? []
        return containers.first { $0.name == name }?.image ?? containers.first?.image
    }
}

/// A DaemonSet's spec: its pod template.
public struct DaemonSetSpec: Sendable, Codable, Equatable {
    public var template: PodTemplateSpec?
}

/// A pod template.
public struct PodTemplateSpec: Sendable, Codable, Equatable {
    public var metadata: TemplateMetadata?
    public var spec: PodSpec?
}

/// A template's metadata, which has labels but no name.
public struct TemplateMetadata: Sendable, Codable, Equatable {
    public var labels: [String: String]?
}

/// A ConfigMap (kube-system/kubeadm-config holds kubeadm's ClusterConfiguration).
public struct ConfigMap: Sendable, Codable, Equatable {
    public var metadata: ObjectMeta
    public var data: [String: String]?

    public init(metadata: ObjectMeta, data: [String: String]?) {
        self.metadata = metadata
        self.data = data
    }

    /// `kubernetesVersion` of the ClusterConfiguration document, read line by line (the value is YAML, but this one
    /// key at the top level needs no YAML parser).
    public var kubeadmKubernetesVersion: String? {
        guard let config = data?["ClusterConfiguration"] else { return nil }
        for line in config.split(whereSeparator: \.isNewline) where line.hasPrefix("kubernetesVersion:") {
            var value = line.dropFirst("kubernetesVersion:".count).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let f = value.first, f == value.last, f == "\"" || f == "'" { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
