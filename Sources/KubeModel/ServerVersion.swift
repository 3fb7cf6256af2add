/// What `GET /version` answers.
public struct ServerVersion: Sendable, Codable, Equatable {
    public var major: String?
    public var minor: String?
    public var gitVersion: String
    public var gitCommit: String?
    public var platform: String?
    public var goVersion: String?

    public init(gitVersion: String, major: String? = nil, minor: String? = nil, platform: String? = nil) {
        self.gitVersion = gitVersion
        self.major = major
        self.minor = minor
        self.platform = platform
    }
}
