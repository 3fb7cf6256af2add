/// The package tools a node most likely has, from the OS image it reports; preflight confirms on the node.
public enum PackageManagerGuess {
    public static func from(osImage: String?) -> PackageManager? {
        guard let os = osImage?.lowercased() else { return nil }
        if ["ubuntu", "debian"].contains(where: os.contains) { return .apt }
        if os.contains("fedora") { return .dnf5 }
        if ["rocky", "red hat", "rhel", "centos stream", "almalinux", "oracle linux", "amazon linux 2023"].contains(where: os.contains) { return .dnf }
        if os.contains("centos") || os.contains("amazon linux 2") { return .yum }
        return nil
    }

    /// From `/etc/os-release` text (ID and ID_LIKE).
    public static func from(osRelease: String) -> PackageManager? {
        var fields: [String: String] = [:]
        for line in osRelease.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1].trimmingCharacters(in: ["\""]) }
        }
        let ids = ((fields["ID"] ?? "") + " " + (fields["ID_LIKE"] ?? "")).lowercased()
        if ids.contains("debian") || ids.contains("ubuntu") { return .apt }
        if ids.contains("fedora") && !(ids.contains("rhel") || ids.contains("centos")) { return .dnf5 }
        if ids.contains("rhel") || ids.contains("centos") || ids.contains("fedora") || ids.contains("amzn") { return .dnf }
        return nil
    }
}
