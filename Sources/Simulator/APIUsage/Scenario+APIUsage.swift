/// Checks of the removed-API parts of a scenario: what reaches metric labels, headers and stored objects must be
/// well formed, since none of it is escaped beyond what the real server does.
extension Scenario {
    func validateAPIUsage(source: String) throws {
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw ScenarioError(message: "\(source): \(message)") } }
        func isLabelValue(_ s: String) -> Bool {
            s.count <= 253 && s.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || ".-".contains($0)) }
        }
        let controlPlanes = Set(nodes.filter { $0.role == .controlPlane }.map(\.name))
        for call in deprecatedAPICalls {
            let what = "deprecated API call \(call.group)/\(call.version) \(call.resource)"
            try check(isLabelValue(call.group) && isLabelValue(call.version) && !call.version.isEmpty
                      && Validation.isDNSLabel(call.resource) && (call.subresource.isEmpty || Validation.isDNSLabel(call.subresource)),
                      "\(what): group, version, resource and subresource must be lowercase API names")
            let release = call.removedRelease.split(separator: ".", omittingEmptySubsequences: false)
            try check(release.count == 2 && release.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) },
                      "\(what): removedRelease \"\(call.removedRelease)\" is not a release like 1.32")
            try check(["GET", "LIST", "WATCH", "CREATE", "UPDATE", "PATCH", "DELETE"].contains(call.verb),
                      "\(what): verb must be GET, LIST, WATCH, CREATE, UPDATE, PATCH or DELETE")
            try check(call.requests >= 1, "\(what): requests must be at least 1")
            for instance in call.instances ?? [] {
                try check(controlPlanes.contains(instance), "\(what): instance \(instance) is not a control-plane node")
            }
        }
        var objectKeys = Set<String>()
        for spec in appliedObjects {
            do {
                let (type, manifest) = try AppliedObjects.manifest(spec)
                let key = "\(type.plural)/\(manifest[["metadata", "namespace"]]?.stringValue ?? "")/\(manifest[["metadata", "name"]]?.stringValue ?? "")"
                try check(objectKeys.insert(key).inserted, "applied object \(key) appears twice")
            } catch let error as YAMLDocuments.ParseError {
                throw ScenarioError(message: "\(source): \(error.description)")
            }
        }
        var releases = Set<String>()
        for release in helmReleases {
            // Helm's own limit: a release name is a DNS label of at most 53 characters.
            try check(Validation.isDNSLabel(release.name) && release.name.count <= 53 && Validation.isDNSLabel(release.namespace),
                      "helm release \(release.namespace)/\(release.name): invalid name or namespace")
            try check(releases.insert(release.namespace + "/" + release.name).inserted, "helm release \(release.namespace)/\(release.name) appears twice")
            try check((1...100_000).contains(release.revision), "helm release \(release.name): revision must be 1 or more")
            try check(HelmReleaseSecrets.statuses.contains(release.status) && release.status != "superseded",
                      "helm release \(release.name): status \"\(release.status)\" is not a Helm status of a current revision")
            try check(Validation.isDNSSubdomain(release.chart.name) && Validation.isImageTag(release.chart.version),
                      "helm release \(release.name): invalid chart name or version")
            do { _ = try YAMLDocuments.parse(release.manifest) } catch {
                throw ScenarioError(message: "\(source): helm release \(release.name): manifest \(error.description)")
            }
        }
        for warning in warnings {
            try check(warning.path != nil || warning.groupVersion != nil, "warning \"\(warning.text)\": set path or groupVersion")
            try check(!warning.text.isEmpty && warning.text.count <= 256 && warning.text.allSatisfy { $0.isASCII && !$0.isNewline && $0 != "\t" },
                      "warning \"\(warning.text)\": one line of at most 256 ASCII characters")
            if let path = warning.path { try check(path.hasPrefix("/"), "warning path \(path) must start with /") }
        }
    }
}
