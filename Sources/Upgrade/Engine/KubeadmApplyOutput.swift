/// What makes `kubeadm upgrade apply` done: exit 0 and its SUCCESS line for the version it was asked for, in either
/// wording (control-plane-upgrade.md §4): up to v1.31 `[upgrade/successful] SUCCESS! Your cluster was upgraded to
/// "v1.N.x". Enjoy!`, from v1.32 `[upgrade] SUCCESS! A control plane node of your cluster was upgraded to "vX".`
public enum KubeadmApplyOutput {
    /// True when `lines` hold the SUCCESS line naming `version` (`v1.34.9`).
    public static func succeeded(_ lines: [String], version: String) -> Bool {
        lines.contains { line in
            let upgradedTo = line.contains("SUCCESS! Your cluster was upgraded to \"\(version)\"")
                || line.contains("SUCCESS! A control plane node of your cluster was upgraded to \"\(version)\"")
            return upgradedTo && (line.hasPrefix("[upgrade/successful]") || line.hasPrefix("[upgrade]"))
        }
    }

    /// The version an `upgrade apply` argv asks for (`kubeadm upgrade apply v1.34.9 --yes`), if any.
    public static func version(in argv: [String]) -> String? {
        guard let apply = argv.firstIndex(of: "apply"), apply + 1 < argv.count else { return nil }
        let version = argv[apply + 1]
        return version.hasPrefix("v") ? version : nil
    }
}
