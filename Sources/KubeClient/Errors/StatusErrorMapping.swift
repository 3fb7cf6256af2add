import Foundation
import KubeModel

/// Turns a non-2xx answer of the API server into a `KubeClientError`, reading its `Status` body.
enum StatusErrorMapping {
    struct Context {
        var server: String
        var userName: String
        var authMethod: String
    }

    static func error(
        code: Int, body: [UInt8], operation: APIOperation, context: Context
    ) -> KubeClientError {
        let status = try? JSONDecoder().decode(APIStatus.self, from: Data(body))
        let rawMessage = status?.message ?? String(decoding: body.prefix(300), as: UTF8.self)
        let message = DisplayText.sanitize(rawMessage, limit: 400)
        let reason = status?.reason ?? ""
        switch code {
        case 401:
            return .unauthorized(server: context.server, user: context.userName, authMethod: context.authMethod)
        case 403:
            let parsed = parseForbidden(rawMessage)
            var resource = parsed?.resource ?? operation.resource
            if let name = status?.details?.name ?? operation.name { resource += " \"\(name)\"" }
            if let namespace = parsed?.namespace ?? operation.namespace {
                resource += " in namespace \(namespace)"
            } else if parsed?.clusterScope == true {
                resource += " at the cluster scope"
            }
            return .forbidden(
                user: parsed?.user, verb: parsed?.verb ?? operation.verb, resource: resource, serverMessage: message)
        case 404:
            return .notFound(
                kind: singular(status?.details?.kind ?? operation.resource),
                name: status?.details?.name ?? operation.name ?? operation.resource)
        case 409:
            return .conflict(serverMessage: message)
        case 410:
            return .expired(serverMessage: message)
        case 429 where operation.verb == "evict":
            let budget = status?.details?.causes?.lazy.compactMap { $0.message.flatMap(budgetName) }.first
            let cause = status?.details?.causes?.first?.message.map { DisplayText.sanitize($0, limit: 300) }
            return .evictionBlocked(
                pod: operation.name ?? "", namespace: operation.namespace ?? "", budget: budget,
                serverMessage: cause ?? message)
        case 429:
            return .throttled(operation: operation.description, attempts: 1,
                              serverMessage: message.trimmingCharacters(in: .whitespacesAndNewlines))
        case 500...599:
            return .serverError(code: code, operation: operation.description, serverMessage: message)
        default:
            return .requestRejected(
                code: code, operation: operation.description, reason: reason.isEmpty ? "\(code)" : reason,
                serverMessage: message)
        }
    }

    struct Forbidden: Equatable {
        var user: String
        var verb: String
        var resource: String
        var namespace: String?
        var clusterScope: Bool
    }

    /// Reads `... User "jane" cannot list resource "nodes" in API group "" at the cluster scope` (or
    /// `in the namespace "default"`), the form every RBAC denial takes.
    static func parseForbidden(_ message: String) -> Forbidden? {
        guard let userRange = message.range(of: "User \""),
            let userEnd = message[userRange.upperBound...].firstIndex(of: "\"")
        else { return nil }
        let user = String(message[userRange.upperBound..<userEnd])
        let rest = message[userEnd...]
        guard let cannot = rest.range(of: "\" cannot ") else { return nil }
        let afterCannot = rest[cannot.upperBound...]
        guard let space = afterCannot.firstIndex(of: " ") else { return nil }
        let verb = String(afterCannot[..<space])
        guard let resourceStart = afterCannot.range(of: "resource \""),
            let resourceEnd = afterCannot[resourceStart.upperBound...].firstIndex(of: "\"")
        else { return nil }
        let resource = String(afterCannot[resourceStart.upperBound..<resourceEnd])
        var namespace: String?
        if let nsStart = afterCannot.range(of: "in the namespace \""),
            let nsEnd = afterCannot[nsStart.upperBound...].firstIndex(of: "\"")
        {
            namespace = String(afterCannot[nsStart.upperBound..<nsEnd])
        }
        return Forbidden(
            user: user, verb: verb, resource: resource, namespace: namespace,
            clusterScope: afterCannot.contains("at the cluster scope"))
    }

    /// `web-pdb` from "The disruption budget web-pdb needs 1 healthy pods and has 1 currently".
    static func budgetName(_ cause: String) -> String? {
        guard let range = cause.range(of: "disruption budget ") else { return nil }
        let name = cause[range.upperBound...].prefix { $0 != " " }
        return name.isEmpty ? nil : DisplayText.sanitize(String(name), limit: 253)
    }

    private static func singular(_ plural: String) -> String {
        switch plural {
        case "nodes": return "node"
        case "pods": return "pod"
        case "configmaps": return "configmap"
        case "daemonsets": return "daemonset"
        case "poddisruptionbudgets": return "poddisruptionbudget"
        case "leases": return "lease"
        default: return plural
        }
    }
}
