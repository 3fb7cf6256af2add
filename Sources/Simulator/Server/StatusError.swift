/// An API error as the real server writes it: a `Status` object with message, reason, details and code.
struct StatusError: Error, Sendable {
    let code: Int
    let reason: String
    let message: String
    /// `details` exactly as it should appear, or nil to leave it out.
    var details: JSONValue?
    var retryAfterSeconds: Int?
    var metadata: JSONValue = .object([])

    static func notFound(_ plural: String, _ name: String) -> StatusError {
        StatusError(code: 404, reason: "NotFound", message: "\(plural) \"\(name)\" not found",
                    details: .object([("name", .string(name)), ("kind", .string(plural))]))
    }

    static let unknownResource = StatusError(code: 404, reason: "NotFound",
                                             message: "the server could not find the requested resource", details: .object([]))
    static let methodNotAllowed = StatusError(code: 405, reason: "MethodNotAllowed",
                                              message: "the server does not allow this method on the requested resource",
                                              details: .object([]))
    static let unsupportedPatchType = StatusError(code: 415, reason: "UnsupportedMediaType", message: "415: Unsupported Media Type",
                                                  details: .object([]))
    static let unsupportedBodyType = StatusError(
        code: 415, reason: "UnsupportedMediaType",
        message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
        details: .object([]))
    static let unauthorized = StatusError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    static func badRequest(_ message: String) -> StatusError { StatusError(code: 400, reason: "BadRequest", message: message) }

    static func alreadyExists(_ plural: String, _ group: String, _ name: String) -> StatusError {
        let qualified = group.isEmpty ? plural : "\(plural).\(group)"
        return StatusError(code: 409, reason: "AlreadyExists", message: "\(qualified) \"\(name)\" already exists",
                           details: qualifiedDetails(plural, group, name))
    }

    static func conflict(_ plural: String, _ group: String, _ name: String) -> StatusError {
        let qualified = group.isEmpty ? plural : "\(plural).\(group)"
        return StatusError(code: 409, reason: "Conflict",
                           message: "Operation cannot be fulfilled on \(qualified) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                           details: qualifiedDetails(plural, group, name))
    }

    /// A DELETE whose preconditions (uid, resourceVersion) do not match the stored object: storage's
    /// NewInvalidObjError, turned into a Conflict by InterpretDeleteError.
    static func preconditionFailed(_ plural: String, _ group: String, _ name: String, field: String, wanted: String, actual: String) -> StatusError {
        let qualified = group.isEmpty ? plural : "\(plural).\(group)"
        return StatusError(code: 409, reason: "Conflict",
                           message: "Operation cannot be fulfilled on \(qualified) \"\(name)\": Precondition failed: \(field) in precondition: \(wanted), \(field) in object meta: \(actual)",
                           details: qualifiedDetails(plural, group, name))
    }

    /// StatusDetails as apimachinery's errors write them: name, group (left out for the core group), kind (the plural).
    static func qualifiedDetails(_ plural: String, _ group: String, _ name: String) -> JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(name))]
        if !group.isEmpty { members.append(("group", .string(group))) }
        members.append(("kind", .string(plural)))
        return .object(members)
    }

    static func forbidden(user: String, verb: String, resource: ResourceType, subresource: String? = nil, name: String? = nil,
                          namespace: String?) -> StatusError {
        forbidden(user: user, .resource(verb: verb, apiGroup: resource.group, resource: resource.plural, subresource: subresource,
                                        name: name, namespace: namespace))
    }

    static func invalid(kind: String, name: String, field: String, message: String) -> StatusError {
        StatusError(code: 422, reason: "Invalid", message: "\(kind) \"\(name)\" is invalid: \(field): \(message)",
                    details: .object([("name", .string(name)), ("kind", .string(kind)), ("causes", .array([.object([
                        ("reason", .string("FieldValueInvalid")), ("message", .string(message)), ("field", .string(field)),
                    ])]))]))
    }

    static func internalError(_ message: String) -> StatusError {
        StatusError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)",
                    details: .object([("causes", .array([.object([("message", .string(message))])]))]))
    }

    static func gone(_ message: String) -> StatusError { StatusError(code: 410, reason: "Expired", message: message) }

    /// The Status object.
    var json: JSONValue {
        var members: [(String, JSONValue)] = [("kind", .string("Status")), ("apiVersion", .string("v1")), ("metadata", metadata),
                                              ("status", .string("Failure")), ("message", .string(message))]
        // The real server leaves an empty reason out (eviction's 500 for several budgets has none).
        if !reason.isEmpty { members.append(("reason", .string(reason))) }
        if var details {
            if let retryAfterSeconds { details["retryAfterSeconds"] = .int(retryAfterSeconds) }
            members.append(("details", details))
        }
        members.append(("code", .int(code)))
        return .object(members)
    }

    /// The Status of a successful operation (eviction 201).
    static func success(code: Int) -> JSONValue {
        .object([("kind", .string("Status")), ("apiVersion", .string("v1")), ("metadata", .object([])),
                 ("status", .string("Success")), ("code", .int(code))])
    }
}

extension StatusError {
    /// Maps a store error onto the server's Status.
    init(_ error: StoreError) {
        switch error {
        case let .notFound(type, name):
            // NewNotFound with the qualified resource: `leases.coordination.k8s.io "x" not found`, group in details.
            let qualified = type.group.isEmpty ? type.plural : "\(type.plural).\(type.group)"
            self = StatusError(code: 404, reason: "NotFound", message: "\(qualified) \"\(name)\" not found",
                               details: StatusError.qualifiedDetails(type.plural, type.group, name))
        case let .alreadyExists(type, name): self = .alreadyExists(type.plural, type.group, name)
        case let .conflict(type, name): self = .conflict(type.plural, type.group, name)
        case let .invalid(message): self = StatusError(code: 422, reason: "Invalid", message: message, details: .object([]))
        }
    }
}
