import NIOHTTP1

/// What a request does, in an operator's words ("list nodes", "patch node node01"), for error messages.
public struct APIOperation: Sendable, Equatable, CustomStringConvertible {
    public var verb: String
    public var resource: String
    public var name: String?
    public var namespace: String?

    public init(verb: String, resource: String, name: String? = nil, namespace: String? = nil) {
        self.verb = verb
        self.resource = resource
        self.name = name
        self.namespace = namespace
    }

    public var description: String {
        var text = "\(verb) \(resource)"
        if let name { text += " \(namespace.map { "\($0)/" } ?? "")\(name)" } else if let namespace {
            text += " in namespace \(namespace)"
        }
        return text
    }
}

/// One request to the API server, before credentials are attached.
struct APIRequest: Sendable {
    var method: HTTPMethod
    var path: String
    var query: [(String, String)] = []
    var body: [UInt8]? = nil
    var contentType: String? = nil
    var accept = "application/json"
    var operation: APIOperation

    /// `path?query` with every query value percent-encoded.
    var pathAndQuery: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(QueryEncoding.encode($0.0))=\(QueryEncoding.encode($0.1))" }
            .joined(separator: "&")
    }
}

/// Percent-encoding of query keys and values (everything but RFC 3986 unreserved characters).
enum QueryEncoding {
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

/// Checks names before they become part of a URL path: Kubernetes object names are RFC 1123 subdomains
/// (lowercase alphanumerics, `-` and `.`, at most 253 characters), namespaces RFC 1123 labels.
public enum ObjectName {
    public static func validate(_ name: String, what: String) throws(KubeClientError) {
        guard !name.isEmpty, name.utf8.count <= 253 else {
            throw .invalidArgument(what: what, value: DisplayText.sanitize(name, limit: 60), reason: "it must be 1-253 characters")
        }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard isLabel(label) else {
                throw .invalidArgument(
                    what: what, value: DisplayText.sanitize(name, limit: 60),
                    reason: "it must be lowercase letters, digits, '-' and '.', starting and ending alphanumeric")
            }
        }
    }

    public static func validateNamespace(_ name: String) throws(KubeClientError) {
        guard name.utf8.count <= 63, !name.contains("."), isLabel(Substring(name)) else {
            throw .invalidArgument(
                what: "namespace", value: DisplayText.sanitize(name, limit: 60),
                reason: "it must be an RFC 1123 label (lowercase letters, digits and '-', at most 63)")
        }
        return
    }

    private static func isLabel(_ label: Substring) -> Bool {
        guard let first = label.utf8.first, let last = label.utf8.last, label.utf8.count <= 63 else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return alphanumeric(first) && alphanumeric(last)
            && label.utf8.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
