/// The `Status` object the API server sends with every error (and with a successful eviction).
public struct APIStatus: Codable, Sendable, Equatable {
    public var kind: String?
    public var apiVersion: String?
    public var status: String?
    public var message: String?
    public var reason: String?
    public var code: Int?
    public var details: Details?
    public var metadata: ListMetadata?

    public init(
        status: String? = nil, message: String? = nil, reason: String? = nil, code: Int? = nil,
        details: Details? = nil
    ) {
        self.kind = "Status"
        self.apiVersion = "v1"
        self.status = status
        self.message = message
        self.reason = reason
        self.code = code
        self.details = details
    }

    /// `details` of a Status: which object, and why.
    public struct Details: Codable, Sendable, Equatable {
        public var name: String?
        public var group: String?
        public var kind: String?
        public var causes: [Cause]?
        public var retryAfterSeconds: Int?

        public init(name: String? = nil, kind: String? = nil, causes: [Cause]? = nil, retryAfterSeconds: Int? = nil) {
            self.name = name
            self.kind = kind
            self.causes = causes
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    /// One cause of a Status (`details.causes[]`).
    public struct Cause: Codable, Sendable, Equatable {
        public var reason: String?
        public var message: String?
        public var field: String?

        public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    /// `metadata` of a Status or a list: the resume token and the version it was served at.
    public struct ListMetadata: Codable, Sendable, Equatable {
        public var resourceVersion: String?
        public var `continue`: String?
        public init(resourceVersion: String? = nil, continue: String? = nil) {
            self.resourceVersion = resourceVersion
            self.continue = `continue`
        }
    }
}
