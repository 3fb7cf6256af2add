import Foundation

/// kubectl's rules for combining the files of `KUBECONFIG`, as pure functions.
public enum KubeconfigMerger {
    /// Merges files given in precedence order: the first file to define a cluster, user or context name wins
    /// (the whole entry, never field by field), and `current-context` comes from the first file that sets it.
    public static func merge(_ configs: [Kubeconfig]) -> Kubeconfig {
        var merged = Kubeconfig()
        var seenClusters = Set<String>(), seenUsers = Set<String>(), seenContexts = Set<String>()
        for config in configs {
            for entry in config.clusters where seenClusters.insert(entry.name).inserted {
                merged.clusters.append(entry)
            }
            for entry in config.users where seenUsers.insert(entry.name).inserted {
                merged.users.append(entry)
            }
            for entry in config.contexts where seenContexts.insert(entry.name).inserted {
                merged.contexts.append(entry)
            }
            if merged.currentContext?.isEmpty ?? true, let current = config.currentContext, !current.isEmpty {
                merged.currentContext = current
            }
        }
        return merged
    }

    /// Rewrites the file references of one kubeconfig relative to the folder that holds it, as kubectl does
    /// before merging: certificate and key files, token files, and an exec command that contains a slash
    /// (a bare command name is looked up in `PATH` instead).
    public static func resolvingRelativePaths(_ config: Kubeconfig, baseDirectory: String) -> Kubeconfig {
        var config = config
        func absolute(_ path: String?) -> String? {
            guard let path, !path.isEmpty else { return path }
            return makeAbsolute(path, baseDirectory: baseDirectory)
        }
        for index in config.clusters.indices {
            config.clusters[index].cluster.certificateAuthority = absolute(
                config.clusters[index].cluster.certificateAuthority)
        }
        for index in config.users.indices {
            var user = config.users[index].user
            user.clientCertificate = absolute(user.clientCertificate)
            user.clientKey = absolute(user.clientKey)
            user.tokenFile = absolute(user.tokenFile)
            if var exec = user.exec, exec.command.contains("/") {
                exec.command = makeAbsolute(exec.command, baseDirectory: baseDirectory)
                user.exec = exec
            }
            config.users[index].user = user
        }
        return config
    }

    /// `path` if absolute, else `baseDirectory/path` with `.` and `..` segments removed.
    public static func makeAbsolute(_ path: String, baseDirectory: String) -> String {
        let joined = path.hasPrefix("/") ? path : baseDirectory + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The files kubectl reads, in precedence order, and whether a missing file is an error:
    /// `--kubeconfig` alone (must exist), else every entry of `KUBECONFIG` (missing ones skipped,
    /// duplicates dropped), else `~/.kube/config` (may be missing).
    public static func kubeconfigPaths(
        explicitPath: String?, environment: [String: String], homeDirectory: String
    ) -> (paths: [String], mustExist: Bool) {
        if let explicitPath, !explicitPath.isEmpty {
            return ([explicitPath], true)
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            let paths = list.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
                .filter { seen.insert($0).inserted }
            if !paths.isEmpty { return (paths, false) }
        }
        return ([homeDirectory + "/.kube/config"], false)
    }
}
