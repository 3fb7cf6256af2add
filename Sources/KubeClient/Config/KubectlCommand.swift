/// The `kubectl` command line that reaches the same cluster kubeskew reaches: the kubeconfig files named (one with
/// `--kubeconfig`, several through KUBECONFIG, as the operator merged them) and the resolved context, so a command
/// kubeskew runs or prints for pasting acts on that cluster whatever the current context is by then.
public enum KubectlCommand {
    /// `kubectl` on `context` of the kubeconfig made of `kubeconfigFiles` (absolute paths, in precedence order).
    public static func argv(context: String, kubeconfigFiles: [String]) -> [String] {
        switch kubeconfigFiles.count {
        case 0: return ["kubectl", "--context", context]
        case 1: return ["kubectl", "--kubeconfig", kubeconfigFiles[0], "--context", context]
        // kubectl's --kubeconfig takes one file; a merged list goes in KUBECONFIG, as the operator set it.
        default: return ["env", "KUBECONFIG=" + kubeconfigFiles.joined(separator: ":"), "kubectl", "--context", context]
        }
    }

    /// `kubectl` for the cluster and context `config` resolved.
    public static func argv(for config: ResolvedKubeconfig) -> [String] {
        argv(context: config.contextName, kubeconfigFiles: config.sourceFiles)
    }
}
