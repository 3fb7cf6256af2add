import ArgumentParser
import Foundation
import KubeClient
import Synchronization

/// Values the shell completions (`kubeskew --generate-completion-script bash|zsh|fish`) ask kubeskew for: context
/// names from the kubeconfig, node names from the cluster. A completion runs on every tab press, so it is quick and
/// silent: a short deadline, and an empty list (never an error on the terminal) when anything fails.
enum ShellCompletion {
    /// How long a tab press may wait for the cluster's node list.
    static let nodeListDeadline: Duration = .milliseconds(2500)

    /// `--context`: every context of the kubeconfig the command line names (else KUBECONFIG, else ~/.kube/config).
    static let contexts = CompletionKind.custom { (words: [String], _: Int, _: String) -> [String] in
        contextNames(kubeconfig: value(of: "--kubeconfig", in: words))
    }

    /// Node arguments: the nodes of the cluster the command line's --kubeconfig and --context select.
    static let nodes = CompletionKind.custom { (words: [String], _: Int, _: String) async -> [String] in
        await nodeNames(kubeconfig: value(of: "--kubeconfig", in: words), context: value(of: "--context", in: words))
    }

    /// The value given to `option` on the command line (`--context prod` or `--context=prod`), the last one winning
    /// as for the parser; nil when absent or empty.
    static func value(of option: String, in words: [String]) -> String? {
        var found: String?
        for (i, word) in words.enumerated() {
            if word == option, i + 1 < words.count { found = words[i + 1] }
            else if word.hasPrefix(option + "=") { found = String(word.dropFirst(option.count + 1)) }
        }
        guard let found, !found.isEmpty else { return nil }
        return NSString(string: found).expandingTildeInPath
    }

    static func contextNames(kubeconfig: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let (paths, _) = KubeconfigMerger.kubeconfigPaths(explicitPath: kubeconfig, environment: environment, homeDirectory: home)
        let files = paths.compactMap { try? KubeconfigLoader.parseFile(at: $0) }
        return KubeconfigMerger.merge(files).contexts.map(\.name).sorted()
    }

    static func nodeNames(kubeconfig: String?, context: String?) async -> [String] {
        guard let config = try? KubeconfigLoader.load(explicitPath: kubeconfig, context: context) else { return [] }
        var settings = KubeAPIClient.Settings()
        settings.connectTimeout = .seconds(1)
        settings.requestTimeout = nodeListDeadline
        settings.execTimeout = nodeListDeadline
        let client = KubeAPIClient(config: config, settings: settings)
        // Whichever comes first, the list or the deadline, answers the tab press; a list still on its way (retries,
        // a server that never answers) is not waited for, nor is the client's shutdown: the completion process ends.
        let answer = FirstAnswer<[String]>()
        let names = await withCheckedContinuation { (continuation: CheckedContinuation<[String], Never>) in
            answer.set(continuation)
            Task {
                let listed = (try? await client.listNodes().items.map(\.name)) ?? []
                answer.resume(listed)
                await client.shutdown()
            }
            Task {
                try? await Task.sleep(for: nodeListDeadline)
                answer.resume([])
            }
        }
        return names.sorted()
    }
}

/// Resumes a continuation once, with the first value given; later ones are dropped.
final class FirstAnswer<Value: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Value, Never>?, early: Value?, done: Bool)>((nil, nil, false))

    func set(_ continuation: CheckedContinuation<Value, Never>) {
        let early: Value? = state.withLock { s in
            if let early = s.early { s.done = true; return early }
            s.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    func resume(_ value: Value) {
        let continuation: CheckedContinuation<Value, Never>? = state.withLock { s in
            guard !s.done else { return nil }
            if let c = s.continuation { s.done = true; s.continuation = nil; return c }
            if s.early == nil { s.early = value }
            return nil
        }
        continuation?.resume(returning: value)
    }
}
