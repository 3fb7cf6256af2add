import Foundation
import NodeExec
import SkewCore

/// Preflight of the operator's own kubectl. Every drain and uncordon of a run is a `kubectl` command, so the kubectl
/// those steps run must be one the API servers support. kubectl's skew policy: "`kubectl` is supported within one
/// minor version (older or newer) of `kube-apiserver`" (in HA, of every instance). The check runs
/// `kubectl version --client -o json` with the same argv prefix as the steps (`--kubeconfig`, `--context`), so a
/// kubectl that picks its binary by the server (a dispatcher) reports the one the steps will get.
public enum KubectlVersionCheck {
    /// Why the run must not start, with the versions and what to do.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// nil when the kubectl that `kubectl` (the steps' argv prefix) runs is supported by every API server in
    /// `apiservers`; otherwise the problem. Runs on `executor` at `NodeTarget.localhost`, where the steps run.
    public static func problem(kubectl: [String], apiservers: [String], executor: any NodeExecutor = LocalExecutor()) async -> Problem? {
        let versions = apiservers.compactMap(KubeVersion.parse)
        guard let set = APIServerSet(versions) else {
            return Problem(message: "cannot check kubectl against the API server: its version is unknown (\(apiservers.map { DisplaySafe.quote($0) }.joined(separator: ", ")))")
        }
        let argv = kubectl + ["version", "--client", "-o", "json"]
        let shown = ShellQuoting.displayLine(argv)
        let output: String
        do {
            let (result, lines) = try await executor.collect(CommandSpec(argv, timeout: .seconds(60)), on: .localhost)
            guard result.succeeded else {
                let why = result.stderrTail.last.map { ": \($0)" } ?? ""
                return Problem(message: "`\(shown)` \(result.status)\(why); kubeskew runs every drain and uncordon with this kubectl, so it must work and be within one minor of kube-apiserver \(set.oldest)")
            }
            output = lines.filter { $0.source == .stdout }.map(\.text).joined(separator: "\n")
        } catch {
            return Problem(message: "`\(shown)` could not run (\(error.description)); install kubectl within one minor of kube-apiserver \(set.oldest), or put it first on PATH")
        }
        guard let gitVersion = clientGitVersion(in: output), let client = KubeVersion.parse(gitVersion) else {
            return Problem(message: "`\(shown)` did not report a client version (clientVersion.gitVersion); kubeskew will not drain with a kubectl it cannot place")
        }
        return judge(client: client, apiservers: set)
    }

    /// The verdict of kubectl's skew policy for `client` against `apiservers`, as a problem when unsupported.
    public static func judge(client: KubeVersion, apiservers: APIServerSet) -> Problem? {
        let judgement = SkewPolicy.kubectl(client, apiservers: apiservers)
        guard !judgement.verdict.isSupported else { return nil }
        let servers = apiservers.isHA ? "kube-apiserver \(apiservers.oldest)…\(apiservers.newest)" : "kube-apiserver \(apiservers.oldest)"
        let wanted = supportedMinors(apiservers).map { "v\(apiservers.oldest.major).\($0)" }.joined(separator: " or ")
        return Problem(message: "kubectl \(client) is outside kubectl's skew policy against \(servers): \(judgement.reason). "
            + "Every drain and uncordon of the run uses it; install kubectl \(wanted.isEmpty ? "of the API server's minor" : wanted) "
            + "(the policy: \(PolicyText.kubectl))")
    }

    /// The minors kubectl may have: within one of every API server.
    static func supportedMinors(_ apiservers: APIServerSet) -> [Int] {
        guard apiservers.oldest.major == apiservers.newest.major else { return [] }
        return Array(max(0, apiservers.newest.minor - 1)...(apiservers.oldest.minor + 1)).filter { minor in
            apiservers.versions.allSatisfy { abs($0.minor - minor) <= 1 }
        }
    }

    /// `clientVersion.gitVersion` of `kubectl version --client -o json`.
    static func clientGitVersion(in json: String) -> String? {
        guard let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let client = object["clientVersion"] as? [String: Any] else { return nil }
        return client["gitVersion"] as? String
    }
}
