import Foundation
import SkewCore

/// One step of a node's upgrade, fully rendered: what runs, where, and how to tell its effect is already there.
public struct PlannedStep: Sendable, Codable, Hashable {
    /// Where a step runs: on the node (through its executor) or on the control-plane side (this machine, kubectl).
    public enum Location: String, Sendable, Codable, Hashable {
        case node
        case controlPlane = "control-plane"
    }

    /// What a step does.
    public enum Action: Sendable, Codable, Hashable {
        /// Commands run one after the other, stopping at the first failure (the `a && b && c` of the official
        /// procedure); `privileged` ones get `sudo -n` unless the executor connects as root.
        case commands(argvs: [[String]], privileged: Bool)
        /// Wait until the node is Ready and reports this kubelet version (through the API).
        case waitForNode(version: KubeVersion)
        /// Wait, through the API, until the node's kube-apiserver, kube-controller-manager and kube-scheduler static
        /// pods run `version` and are Ready.
        case waitForControlPlane(version: KubeVersion)
    }

    /// The role of a step in the procedure, for the engine's bookkeeping (cordon state) and the screen.
    public enum Kind: String, Sendable, Codable, Hashable {
        case repository, installKubeadm = "install-kubeadm", upgradeNode = "upgrade-node", drain
        case installKubelet = "install-kubelet", restartKubelet = "restart-kubelet", waitReady = "wait-ready", uncordon, other
        /// The first control-plane node of a hop: kubeadm's certificate check, its plan, the etcd snapshot, apply.
        case checkCertificates = "check-certificates", upgradePlan = "upgrade-plan", etcdSnapshot = "etcd-snapshot"
        case upgradeApply = "upgrade-apply"
        /// `kubeadm upgrade plan V -o json`, read by kubeskew: kubeadm itself names V for the control plane.
        case confirmPlan = "confirm-plan"
        /// After `apply` or `upgrade node` on a control-plane node: its static pods run V (read through the API).
        case waitControlPlane = "wait-control-plane"
    }

    /// Unique within the node's plan, stable across runs (`h1-install-kubeadm`); names journal logs.
    public let id: String
    /// What an operator reads: `install kubeadm 1.33.3`.
    public let name: String
    public let kind: Kind
    public let location: Location
    public let action: Action
    /// Running it twice does no harm, so an interrupted run may run it again.
    public let idempotent: Bool
    /// A probe telling that the effect is already there (the step is then skipped, and says so).
    public let check: StepCheck?
    /// May an operator skip it after a failure (never for drain, kubelet install, the gate or uncordon)?
    public let skippable: Bool
    public let timeoutSeconds: Int
    /// The hop (1-based) this step belongs to.
    public let hop: Int

    public init(
        id: String, name: String, kind: Kind = .other, location: Location, action: Action, idempotent: Bool, check: StepCheck? = nil,
        skippable: Bool = false, timeoutSeconds: Int = 600, hop: Int = 1
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.location = location
        self.action = action
        self.idempotent = idempotent
        self.check = check
        self.skippable = skippable
        self.timeoutSeconds = timeoutSeconds
        self.hop = hop
    }

    /// The command line as shown to operators (`sudo kubeadm upgrade node`).
    public var displayLine: String { displayLine(privilegePrefix: ["sudo"]) }

    /// The command line as it runs where privileged commands start with `privilegePrefix` (no `sudo` as root).
    public func displayLine(privilegePrefix: [String]) -> String {
        switch action {
        case let .commands(argvs, privileged):
            return argvs.map { ((privileged ? privilegePrefix : []) + $0).map(Self.shellQuoteForDisplay).joined(separator: " ") }
                .joined(separator: " && ")
        case let .waitForNode(version): return "wait until the node is Ready with kubelet \(version)"
        case let .waitForControlPlane(version): return "wait until the node's kube-apiserver, kube-controller-manager and kube-scheduler run \(version) and are Ready"
        }
    }

    /// Quotes an argument for display the way the official docs write it (`kubeadm='1.33.3-*'`, `kubeadm-'1.33.3-*'`).
    static func shellQuoteForDisplay(_ s: String) -> String {
        func safe(_ t: Substring) -> Bool {
            t.unicodeScalars.allSatisfy { c in
                (c.isASCII && c.properties.isAlphabetic) || ("0"..."9").contains(c) || "-_./=:,@+%".unicodeScalars.contains(c)
            }
        }
        func quote(_ t: Substring) -> String { "'" + t.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }
        if !s.isEmpty && safe(Substring(s)) { return s }
        for separator in ["=", "-"] as [Character] {
            if let i = s.firstIndex(of: separator), i != s.startIndex {
                let head = s[..<i]
                if head.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }) {
                    return String(head) + String(separator) + quote(s[s.index(after: i)...])
                }
            }
        }
        return quote(Substring(s))
    }
}
