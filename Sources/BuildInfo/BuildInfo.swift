/// What this binary was built from, written by Plugins/BuildInfoPlugin at build time.
public enum BuildInfo {
    /// The git commit (12 hex digits, `-dirty` when tracked files had changes), or `unknown` when the build had no
    /// git repository to ask.
    public static let commit: String = generatedBuildCommit
}
