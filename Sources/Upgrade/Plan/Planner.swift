import Foundation
import NodeExec
import SkewCore

/// Turns a node's hops into the exact steps of the runbook, one pass per hop, filling templates only with
/// validated values (SkewCore versions, RFC 1123 node names).
public struct Planner: Sendable {
    /// Options of the control-plane commands.
    public struct Options: Sendable {
        /// `kubectl` plus the operator's `--kubeconfig` / `--context`, so drain and uncordon hit the same cluster.
        public var kubectl: [String]
        /// The drain's options: its flags and its step's deadline come from `DrainOptions`, as for every other drain.
        public var drain: DrainOptions

        public init(kubectl: [String] = ["kubectl"], drain: DrainOptions = DrainOptions()) {
            self.kubectl = kubectl
            self.drain = drain
        }

        /// The default drain options, with the operator's `--drain-timeout` when given.
        public init(kubectl: [String], drainTimeoutSeconds: Int?) {
            var drain = DrainOptions()
            if let drainTimeoutSeconds { drain.timeoutSeconds = drainTimeoutSeconds }
            self.init(kubectl: kubectl, drain: drain)
        }

        /// Options from the command line (`--drain-option`, `--drain-timeout`); refuses flags kubeskew does not know.
        public init(kubectl: [String], drainOptions: [String], drainTimeoutSeconds: Int?) throws(DrainOptions.UnknownFlag) {
            self.init(kubectl: kubectl, drain: try DrainOptions.parse(flags: drainOptions, timeoutSeconds: drainTimeoutSeconds))
        }
    }

    /// `kubectl drain` flags of the official procedure (`--ignore-daemonsets`), as `--drain-option` values.
    public static let defaultDrainOptions = ["--ignore-daemonsets"]

    /// Why a node cannot be planned.
    public struct PlanError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public let options: Options
    public let runbooks: [PackageManager: Runbook]

    public init(options: Options = Options(), runbooks: [PackageManager: Runbook]? = nil) {
        self.options = options
        self.runbooks = runbooks ?? Dictionary(uniqueKeysWithValues: PackageManager.allCases.map { ($0, Runbook.embedded($0)) })
    }

    /// The plan for one node; refuses managed nodes, nodes without a path, and names that are not RFC 1123.
    /// `wasCordoned`: the node is unschedulable now (in the snapshot), so the run leaves it cordoned.
    public func plan(node: NodeAssessment, internalIP: String?, packageManager: PackageManager, wasCordoned: Bool = false) throws -> NodePlan {
        guard HostValidation.isRFC1123Subdomain(node.name) else {
            throw PlanError(message: "\(DisplaySafe.quote(node.name)) is not a valid node name (RFC 1123); kubeskew will not put it on a command line")
        }
        if let problem = node.pathProblem { throw PlanError(message: "\(node.name): \(problem)") }
        guard let from = node.kubelet.version else { throw PlanError(message: "\(node.name): kubelet version unknown (\(node.kubelet.judgement.reason))") }
        guard let target = node.hops.last?.version else { throw PlanError(message: "\(node.name): already at the target") }
        var plan = try plan(name: node.name, internalIP: internalIP, from: from, target: target, hops: node.hops, packageManager: packageManager)
        plan.wasCordoned = wasCordoned
        return plan
    }

    /// The plan for a node given its hops directly; `role` chooses the control-plane steps (a worker by default) and
    /// `stackedEtcd` whether the node has an etcd of its own to snapshot.
    public func plan(name: String, internalIP: String?, from: KubeVersion, target: KubeVersion, hops: [Hop], packageManager: PackageManager,
                     role: NodeRole = .worker, stackedEtcd: Bool = false) throws -> NodePlan {
        guard HostValidation.isRFC1123Subdomain(name) else {
            throw PlanError(message: "\(DisplaySafe.quote(name)) is not a valid node name (RFC 1123)")
        }
        if let ip = internalIP, !HostValidation.isIPAddress(ip) {
            throw PlanError(message: "\(name): InternalIP \(DisplaySafe.quote(ip)) is not an address")
        }
        guard let book = runbooks[packageManager] else { throw PlanError(message: "no runbook for \(packageManager.rawValue)") }
        var steps: [PlannedStep] = []
        for (n, hop) in hops.enumerated() {
            guard !hop.version.isPreRelease || hop.version == target else {
                throw PlanError(message: "\(name): hop \(hop.version) is a pre-release")
            }
            for t in book.steps where Self.applies(t.when, to: hop) && (t.roles?.contains(role) ?? true)
                && (t.stackedEtcdOnly != true || stackedEtcd) {
                steps.append(try render(t, hop: hop, hopNumber: n + 1, node: name))
            }
        }
        return NodePlan(node: name, internalIP: internalIP, from: from, target: target, hops: hops, packageManager: packageManager, steps: steps)
    }

    /// A runbook step's `when`: `minor-change` (the hop changes the minor), `structured-plan` (the hop's kubeadm prints
    /// `upgrade plan -o json`, since v1.25), or always.
    static func applies(_ when: String?, to hop: Hop) -> Bool {
        switch when {
        case "minor-change": return hop.changesMinor
        case "structured-plan": return hop.version.major > 1 || hop.version.minor >= 25
        default: return true
        }
    }

    private func render(_ t: Runbook.StepTemplate, hop: Hop, hopNumber: Int, node: String) throws -> PlannedStep {
        let values: [String: String] = [
            "{version}": hop.version.packageVersion + (hop.version.isPreRelease ? "-" + hop.version.preRelease.joined(separator: ".") : ""),
            "{gitVersion}": hop.version.description,
            "{minor}": hop.repositoryMinor.description,
            // The minor as an extended regular expression (`1\\.33`), for checks that grep the repository file.
            "{minorPattern}": hop.repositoryMinor.description.replacingAll(".", with: "\\."),
            "{node}": node,
        ]
        func fill(_ s: String) throws -> String {
            var out = s
            for (k, v) in values { out = out.replacingAll(k, with: v) }
            // `${Package}` (dpkg-query) and `%{NAME}` (rpm) are the tools' own format syntax, not placeholders.
            if out.contains("{") && out.contains("}") && out.range(of: #"(^|[^$%])\{[A-Za-z]+\}"#, options: .regularExpression) != nil {
                throw PlanError(message: "runbook step \(t.id): unknown placeholder in \(DisplaySafe.quote(s))")
            }
            return out
        }
        func argv(_ template: [String]) throws -> [String] {
            var out: [String] = []
            for element in template {
                switch element {
                case "{kubectl}": out += options.kubectl
                case "{drainOptions}": out += options.drain.kubectlFlags
                default: out.append(try fill(element))
                }
            }
            return out
        }
        let action: PlannedStep.Action
        if let wait = t.waitForNode {
            guard let v = KubeVersion.parse(try fill(wait)) else { throw PlanError(message: "runbook step \(t.id): waitForNode is not a version") }
            action = .waitForNode(version: v)
        } else if let wait = t.waitForControlPlane {
            guard let v = KubeVersion.parse(try fill(wait)) else { throw PlanError(message: "runbook step \(t.id): waitForControlPlane is not a version") }
            action = .waitForControlPlane(version: v)
        } else {
            action = .commands(argvs: try (t.commands ?? []).map(argv), privileged: t.privileged ?? false)
        }
        return PlannedStep(
            id: "h\(hopNumber)-\(t.id)", name: try fill(t.name), kind: t.kind, location: t.location, action: action,
            idempotent: t.idempotent, check: try t.check.map { probes in
                StepCheck(probes: try probes.map {
                    StepProbe(argv: try argv($0.argv), expectOutput: try $0.expectOutput.map(fill), expectLines: try $0.expectLines?.map(fill))
                })
            },
            skippable: t.skippable ?? false,
            // A drain's deadline is its own `--timeout` plus DrainOptions' one margin, wherever the drain is built.
            timeoutSeconds: t.kind == .drain ? options.drain.processTimeoutSeconds : t.timeoutSeconds ?? 600,
            hop: hopNumber)
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        components(separatedBy: target).joined(separator: replacement)
    }
}
