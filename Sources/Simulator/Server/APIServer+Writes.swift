import Foundation
import KubeModel
import Hummingbird

/// PATCH, PUT, POST, DELETE and the eviction subresource.
extension APIServer {
    func parseBody(_ api: APIRequest) throws -> JSONValue {
        do { return try JSONParser.parse(api.body) } catch { throw StatusError.badRequest(error.message) }
    }

    func patch(_ path: ResourcePath, name: String, _ api: APIRequest) throws -> Response {
        let mediaType = api.contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard let patchType = PatchType(rawValue: mediaType), patchType != .apply else { throw StatusError.unsupportedPatchType }
        let patch = try parseBody(api)
        let namespace = path.namespace ?? ""
        let statusOnly = path.subresource == "status"
        let manager = api.fieldManager
        let stored: StoredObject
        do {
            stored = try store.update(path.type, namespace: namespace, name: name) { (object: inout JSONValue) throws(StoreError) in
                if let wanted = patch[["metadata", "resourceVersion"]]?.stringValue,
                   wanted != object[["metadata", "resourceVersion"]]?.stringValue {
                    throw .conflict(path.type, name)
                }
                var full = JSONValue.object([("kind", .string(path.type.kind)), ("apiVersion", .string(path.type.apiVersion))]
                                            + (object.objectValue ?? []))
                do throws(PatchError) { full = try patchType.apply(patch, to: full) } catch { throw .invalid(error.message) }
                let before = object
                object = APIServer.mergeSubresource(before: before, after: full, statusOnly: statusOnly)
                if object != before {
                    ManagedFields.record(&object, manager: manager, fields: patchType == .json ? .object([]) : patch,
                                         apiVersion: path.type.apiVersion, subresource: statusOnly ? "status" : nil)
                }
            }
        } catch {
            throw APIServer.patchFailure(error)
        }
        return objectResponse(stored, status: 200, api)
    }

    /// A patch that cannot be applied is 422 Invalid; other store errors keep their usual Status.
    static func patchFailure(_ error: StoreError) -> StatusError {
        switch error {
        case .invalid(let message): return StatusError(code: 422, reason: "Invalid", message: message, details: .object([]))
        default: return StatusError(error)
        }
    }

    /// The main resource ignores status changes and the status subresource ignores everything else, as on a real server.
    static func mergeSubresource(before: JSONValue, after: JSONValue, statusOnly: Bool) -> JSONValue {
        var result: JSONValue
        if statusOnly {
            result = before
            result["status"] = after["status"]
        } else {
            result = after
            if before["status"] != nil || after["status"] != nil { result["status"] = before["status"] }
        }
        result["kind"] = nil
        result["apiVersion"] = nil
        return result
    }

    func replace(_ path: ResourcePath, name: String, _ api: APIRequest) throws -> Response {
        guard api.contentType.hasPrefix("application/json") || api.contentType.isEmpty else { throw StatusError.unsupportedBodyType }
        let body = try parseBody(api)
        if let bodyName = body[["metadata", "name"]]?.stringValue, bodyName != name {
            throw StatusError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        let statusOnly = path.subresource == "status"
        let manager = api.fieldManager
        do {
            let stored = try store.update(path.type, namespace: path.namespace ?? "", name: name) { (object: inout JSONValue) throws(StoreError) in
                if let wanted = body[["metadata", "resourceVersion"]]?.stringValue,
                   wanted != object[["metadata", "resourceVersion"]]?.stringValue {
                    throw .conflict(path.type, name)
                }
                let before = object
                object = APIServer.mergeSubresource(before: before, after: body, statusOnly: statusOnly)
                if object[["metadata", "managedFields"]] == nil { object.set(["metadata", "managedFields"], before[["metadata", "managedFields"]]) }
                if object != before {
                    ManagedFields.record(&object, manager: manager, fields: body, apiVersion: path.type.apiVersion,
                                         subresource: statusOnly ? "status" : nil)
                }
            }
            return objectResponse(stored, status: 200, api)
        } catch {
            throw StatusError(error)
        }
    }

    func create(_ path: ResourcePath, _ api: APIRequest) throws -> Response {
        guard api.contentType.hasPrefix("application/json") || api.contentType.isEmpty else { throw StatusError.unsupportedBodyType }
        var body = try parseBody(api)
        if body[["metadata", "name"]]?.stringValue?.isEmpty ?? true, let prefix = body[["metadata", "generateName"]]?.stringValue {
            // generateName: the server appends five random characters, as the real one does.
            let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
            body.set(["metadata", "name"], .string(prefix + String((0..<5).map { _ in alphabet.randomElement() ?? "x" })))
        }
        let name = body[["metadata", "name"]]?.stringValue ?? ""
        guard Validation.isDNSSubdomain(name) else {
            let message = "Invalid value: \"\(name)\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            throw StatusError.invalid(kind: path.type.kind, name: name, field: "metadata.name", message: message)
        }
        if let namespace = path.namespace {
            if let bodyNamespace = body[["metadata", "namespace"]]?.stringValue, bodyNamespace != namespace {
                throw StatusError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            body.set(["metadata", "namespace"], .string(namespace))
            guard store.get(.namespaces, name: namespace) != nil || path.type == .namespaces else {
                throw StatusError.notFound("namespaces", namespace)
            }
        }
        if path.type == .pods, let namespace = path.namespace { try admitPodSecurity(body, namespace: namespace, name: name) }
        ManagedFields.record(&body, manager: api.fieldManager, fields: body, apiVersion: path.type.apiVersion, subresource: nil)
        do {
            let stored = try store.create(path.type, body)
            if path.type == .pods, let (node, argv) = SimulatedPodRunner.hostCommand(body), let runner = podRunner.withLock({ $0 }) {
                runner.start(namespace: stored.namespace, name: stored.name, node: node, argv: argv)
            }
            return objectResponse(stored, status: 201, api)
        } catch {
            throw StatusError(error)
        }
    }

    /// DELETE, with the DeleteOptions body's `preconditions` (uid, resourceVersion) checked against the stored object
    /// inside the same transaction: a mismatch is 409 Conflict and nothing is deleted.
    func delete(_ path: ResourcePath, name: String, _ api: APIRequest) throws -> Response {
        // DeleteOptions in JSON; kubectl sends core types' (a drain's pod deletes) as protobuf, which is not read
        // here: only JSON preconditions are checked.
        let options = api.body.isEmpty || !api.contentType.contains("json") ? JSONValue.object([]) : try parseBody(api)
        let wantedUID = options[["preconditions", "uid"]]?.stringValue
        let wantedVersion = options[["preconditions", "resourceVersion"]]?.stringValue
        let namespace = path.namespace ?? ""
        let outcome: Result<StoredObject, StatusError>
        do {
            outcome = try store.transaction { (tx: inout ObjectStoreTransaction) throws(StoreError) -> Result<StoredObject, StatusError> in
                guard let current = tx.get(path.type, namespace: namespace, name: name) else { throw .notFound(path.type, name) }
                let uid = current.object[["metadata", "uid"]]?.stringValue ?? ""
                if let wantedUID, wantedUID != uid {
                    return .failure(.preconditionFailed(path.type.plural, path.type.group, name, field: "UID", wanted: wantedUID, actual: uid))
                }
                let version = current.object[["metadata", "resourceVersion"]]?.stringValue ?? ""
                if let wantedVersion, wantedVersion != version {
                    return .failure(.preconditionFailed(path.type.plural, path.type.group, name, field: "ResourceVersion",
                                                        wanted: wantedVersion, actual: version))
                }
                return .success(try tx.delete(path.type, namespace: namespace, name: name))
            }
        } catch {
            throw StatusError(error)
        }
        let deleted = try outcome.get()
        guard path.type.deleteReturnsStatus, !api.wantsTable else { return objectResponse(deleted, status: 200, api) }
        // finalizeDelete: {"status":"Success","details":{name, group, kind, uid}}, no code.
        var details = StatusError.qualifiedDetails(path.type.plural, path.type.group, name)
        details["uid"] = deleted.object[["metadata", "uid"]]
        let status = JSONValue.object([("kind", .string("Status")), ("apiVersion", .string("v1")), ("metadata", .object([])),
                                       ("status", .string("Success")), ("details", details)])
        return respond(status: 200, json: status, pretty: api.wantsPretty)
    }

    /// policy/v1 Eviction, decided by `EvictionRule` (kubernetes/kubernetes pkg/registry/core/pod/storage/eviction.go):
    /// 201 and the pod is gone; 500 when more than one PodDisruptionBudget covers the pod; 429 when its budget allows
    /// no disruption (or has not been processed yet); 403 when the budget's count is negative. A pod that is not
    /// Ready goes when its budget's unhealthyPodEvictionPolicy lets it.
    func evict(_ path: ResourcePath, name: String, _ api: APIRequest) throws -> Response {
        let body = try parseBody(api)
        let namespace = path.namespace ?? "default"
        if let bodyName = body[["metadata", "name"]]?.stringValue, bodyName != name {
            throw StatusError.badRequest("name in URL does not match name in Eviction object")
        }
        let outcome: Result<Void, StatusError>
        do {
            outcome = try store.transaction { (tx: inout ObjectStoreTransaction) throws(StoreError) -> Result<Void, StatusError> in
                guard let pod = tx.get(.pods, namespace: namespace, name: name) else { throw .notFound(.pods, name) }
                let covering = tx.all(.podDisruptionBudgets, namespace: namespace).filter { DisruptionController.selects($0.object, pod.object) }
                let decision = EvictionRule.decide(pod: DisruptionController.evictionFacts(pod: pod.object),
                                                   covering: covering.map { DisruptionController.evictionFacts(pdb: $0.object, name: $0.name) })
                if let refusal = Self.evictionRefusal(decision) { return .failure(refusal) }
                try tx.delete(.pods, namespace: namespace, name: name)
                return .success(())
            }
        } catch {
            throw StatusError(error)
        }
        switch outcome {
        case .success:
            return respond(status: 201, json: StatusError.success(code: 201), pretty: api.wantsPretty)
        case .failure(let error):
            throw error
        }
    }

    /// The Status eviction answers when it refuses, as the real server writes it; nil when the pod may go.
    static func evictionRefusal(_ decision: EvictionRule.Decision) -> StatusError? {
        func tooManyRequests(_ cause: String) -> StatusError {
            StatusError(code: 429, reason: "TooManyRequests", message: "Cannot evict pod as it would violate the pod's disruption budget.",
                        details: .object([("causes", .array([.object([("reason", .string("DisruptionBudget")), ("message", .string(cause))])]))]))
        }
        switch decision {
        case .allowedIgnoringBudgets, .allowedWithoutBudget, .allowedUnhealthy, .allowedByBudget:
            return nil
        case .severalBudgets:
            // eviction.go returns a bare Status (no reason) with code 500.
            return StatusError(code: 500, reason: "", message: EvictionRule.severalBudgetsMessage)
        case .budgetNotObserved(let budget):
            var error = tooManyRequests("The disruption budget \(budget) is still being processed by the server.")
            error.retryAfterSeconds = 10
            return error
        case .budgetNegative(let budget):
            return StatusError(code: 403, reason: "Forbidden",
                               message: "poddisruptionbudget.policy \"\(budget)\" is forbidden: pdb disruptions allowed is negative",
                               details: .object([("name", .string(budget)), ("group", .string("policy")), ("kind", .string("poddisruptionbudget"))]))
        case let .noDisruptionAllowed(budget, desired, current):
            return tooManyRequests("The disruption budget \(budget) needs \(desired) healthy pods and has \(current) currently")
        }
    }
}

/// managedFields bookkeeping: one entry per manager, operation and subresource, as server-side field tracking keeps.
enum ManagedFields {
    static func fieldSet(_ value: JSONValue) -> JSONValue {
        guard case .object(let members) = value else { return .object([]) }
        return .object(members.filter { !$0.0.hasPrefix("$") && $0.0 != "kind" && $0.0 != "apiVersion" }
            .filter { !($0.0 == "metadata" && $0.1.objectValue?.allSatisfy { ["name", "namespace", "resourceVersion", "uid", "managedFields", "creationTimestamp"].contains($0.0) } == true) }
            .map { key, child in
                if key == "metadata" {
                    let kept = JSONValue.object((child.objectValue ?? []).filter { !["name", "namespace", "resourceVersion", "uid", "managedFields", "creationTimestamp"].contains($0.0) })
                    return ("f:" + key, fieldSet(kept))
                }
                return ("f:" + key, fieldSet(child))
            })
    }

    static func union(_ a: JSONValue, _ b: JSONValue) -> JSONValue {
        guard case .object = a, case .object(let bMembers) = b else { return b }
        var result = a
        for (key, value) in bMembers { result[key] = union(result[key] ?? .object([]), value) }
        return result
    }

    static func record(_ object: inout JSONValue, manager: String, fields: JSONValue, apiVersion: String, subresource: String?) {
        let time = JSONValue.string(Timestamps.rfc3339(Date()))
        var entries = object[["metadata", "managedFields"]]?.arrayValue ?? []
        let set = fieldSet(fields)
        if let index = entries.firstIndex(where: {
            $0["manager"]?.stringValue == manager && $0["operation"]?.stringValue == "Update" && $0["subresource"]?.stringValue == subresource
        }) {
            entries[index]["time"] = time
            entries[index]["fieldsV1"] = union(entries[index]["fieldsV1"] ?? .object([]), set)
        } else {
            var entry: [(String, JSONValue)] = [("manager", .string(manager)), ("operation", .string("Update")),
                                                ("apiVersion", .string(apiVersion)), ("time", time),
                                                ("fieldsType", .string("FieldsV1")), ("fieldsV1", set)]
            if let subresource { entry.append(("subresource", .string(subresource))) }
            entries.append(.object(entry))
        }
        object.set(["metadata", "managedFields"], .array(entries))
    }
}
