import Foundation

/// One kube-apiserver's `/metrics` in the Prometheus text format 0.0.4, as client_golang writes it: families sorted
/// by name, each with `# HELP` (component-base prefixes the stability level) and `# TYPE`, label pairs sorted by
/// name, values in Go's shortest `%g` form.
enum MetricsText {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// What one instance knows about itself.
    struct Instance {
        let node: String
        let gitVersion: String
        let startTime: Double
    }

    struct Family {
        let name: String
        let type: String
        let help: String
        var series: [(labels: [(String, String)], value: Double)]
    }

    static func render(_ instance: Instance, calls: [DeprecatedAPICallSpec], objectCounts: [(String, Int)]) -> String {
        let seen = calls.filter { $0.instances?.contains(instance.node) ?? true }
        var requests = Family(
            name: "apiserver_request_total", type: "counter",
            help: "[STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.",
            series: [])
        // The requests every cluster's own components make (kubelets, controllers, kubectl).
        let base: [(String, String, String, String, Double)] = [
            ("GET", "", "nodes", "resource", 4_812), ("LIST", "", "nodes", "cluster", 37), ("LIST", "", "pods", "cluster", 52),
            ("PATCH", "", "nodes", "resource", 1_204), ("WATCH", "", "pods", "cluster", 211),
            ("GET", "coordination.k8s.io", "leases", "resource", 9_630), ("PUT", "coordination.k8s.io", "leases", "resource", 9_628),
        ]
        for (verb, group, resource, scope, value) in base {
            let version = "v1"
            requests.series.append((requestLabels(code: "200", group: group, resource: resource, scope: scope, subresource: "",
                                                  verb: verb, version: version), value))
        }
        for call in seen {
            requests.series.append((requestLabels(code: "200", group: call.group, resource: call.resource, scope: "cluster",
                                                  subresource: call.subresource, verb: call.verb, version: call.version),
                                    Double(call.requests)))
        }
        let deprecated = Family(
            name: "apiserver_requested_deprecated_apis", type: "gauge",
            help: "[STABLE] Gauge of deprecated APIs that have been requested, broken out by API group, version, resource, subresource, and removed_release.",
            series: seen.map { call in
                ([("group", call.group), ("removed_release", call.removedRelease), ("resource", call.resource),
                  ("subresource", call.subresource), ("version", call.version)], 1)
            })
        let storage = Family(
            name: "apiserver_storage_objects", type: "gauge",
            help: "[STABLE] Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.",
            series: objectCounts.map { ([("resource", $0.0)], Double($0.1)) })
        let core = instance.gitVersion.dropFirst().split(separator: ".")
        let build = Family(
            name: "kubernetes_build_info", type: "gauge",
            help: "[ALPHA] A metric with a constant '1' value labeled by major, minor, git version, git commit, git tree state, build date, Go version, and compiler from which Kubernetes was built, and platform on which it is running.",
            series: [([("build_date", "2026-07-15T08:21:43Z"), ("compiler", "gc"), ("git_commit", "5b3b0b4e2f3cf6b4b6b7d9e1b1a2d3c4e5f60718"),
                       ("git_tree_state", "clean"), ("git_version", instance.gitVersion), ("go_version", "go1.24.4"),
                       ("major", core.first.map(String.init) ?? "1"), ("minor", core.count > 1 ? String(core[1]) : "0"),
                       ("platform", "linux/amd64")], 1)])
        let start = Family(name: "process_start_time_seconds", type: "gauge",
                           help: "[ALPHA] Start time of the process since unix epoch in seconds.",
                           series: [([], instance.startTime)])
        var families = [requests, deprecated, storage, build, start]
        // The gauge has no series until a deprecated API is requested; client_golang then leaves the family out.
        families.removeAll { $0.series.isEmpty }
        families.sort { $0.name < $1.name }
        var text = ""
        for family in families {
            text += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.type)\n"
            let sorted = family.series.sorted { lhs, rhs in
                lhs.labels.map { $0.1 }.lexicographicallyPrecedes(rhs.labels.map { $0.1 })
            }
            for series in sorted {
                text += family.name
                if !series.labels.isEmpty {
                    text += "{" + series.labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",") + "}"
                }
                text += " " + goFloat(series.value) + "\n"
            }
        }
        return text
    }

    static func requestLabels(code: String, group: String, resource: String, scope: String, subresource: String, verb: String,
                              version: String) -> [(String, String)] {
        [("code", code), ("component", "apiserver"), ("dry_run", ""), ("group", group), ("resource", resource), ("scope", scope),
         ("subresource", subresource), ("verb", verb), ("version", version)]
    }

    /// expfmt's writeFloat: strconv.AppendFloat(v, 'g', -1, 64), i.e. the shortest round-trip digits, in `%e` form
    /// when the decimal exponent is below -4 or at least 6 (so a start time prints as 1.76401234512e+09).
    static func goFloat(_ value: Double) -> String {
        if value == 0 { return "0" }
        var text = "\(abs(value))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = whole + fraction
        var point = whole.count + exponent
        while digits.hasPrefix("0"), digits.count > 1 { digits.removeFirst(); point -= 1 }
        while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
        let sign = value < 0 ? "-" : ""
        let decimalExponent = point - 1
        if decimalExponent < -4 || decimalExponent >= 6 {
            let mantissa = digits.count > 1 ? "\(digits.prefix(1)).\(digits.dropFirst())" : digits
            let magnitude = abs(decimalExponent)
            return "\(sign)\(mantissa)e\(decimalExponent < 0 ? "-" : "+")\(magnitude < 10 ? "0" : "")\(magnitude)"
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
        let index = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<index] + "." + digits[index...]
    }
}
