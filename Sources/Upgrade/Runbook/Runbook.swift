import Foundation
import Yams

/// Which part of the kubeadm procedure a node gets (control-plane-upgrade.md §1b–§1d).
public enum NodeRole: String, Sendable, Codable, Hashable {
    /// A worker: `kubeadm upgrade node` rewrites its kubelet configuration.
    case worker
    /// The control-plane node that runs `kubeadm upgrade apply` for the hop (with the plan and the etcd snapshot).
    case firstControlPlane = "first-control-plane"
    /// Every other control-plane node: `kubeadm upgrade node` moves its static pods to the cluster's version.
    case controlPlane = "control-plane"
}

/// A node-upgrade procedure as data (`Assets/runbooks/*.yaml`): steps with command templates, where they run, whether
/// they are idempotent, and how to check that their effect is already there.
public struct Runbook: Sendable, Codable {
    /// One step's template.
    public struct StepTemplate: Sendable, Codable {
        public let id: String
        public let name: String
        public let kind: PlannedStep.Kind
        /// `minor-change`: only on a hop that moves to a new minor.
        public let when: String?
        /// The roles the step is for; absent: every node.
        public let roles: [NodeRole]?
        /// Only on a control-plane node that runs a stacked etcd (kubeadm's etcd static pod).
        public let stackedEtcdOnly: Bool?
        public let location: PlannedStep.Location
        public let privileged: Bool?
        public let idempotent: Bool
        public let skippable: Bool?
        public let timeoutSeconds: Int?
        public let commands: [[String]]?
        /// Probes that all pass when the step's effect is already there (every package and hold it claims).
        public let check: [ProbeTemplate]?
        public let waitForNode: String?
        /// A control-plane wait (`{gitVersion}`): the node's static control-plane pods at that version, Ready.
        public let waitForControlPlane: String?
    }

    /// One probe of a check: a command and what it must print (`expectOutput` exactly, or `expectLines` each as a
    /// line, `*` matching any run of characters).
    public struct ProbeTemplate: Sendable, Codable {
        public let argv: [String]
        public let expectOutput: String?
        public let expectLines: [String]?
    }

    public let name: String
    public let packageManager: PackageManager
    public let steps: [StepTemplate]

    /// A runbook that cannot be used, with the file and the problem.
    public struct RunbookError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Parses and checks a runbook: every step has either commands or a node wait, ids are unique.
    public static func parse(_ yaml: String, origin: String) throws -> Runbook {
        let book: Runbook
        do { book = try YAMLDecoder().decode(Runbook.self, from: yaml) } catch {
            throw RunbookError(message: "\(origin): not a runbook (\(error))")
        }
        var seen = Set<String>()
        for step in book.steps {
            guard seen.insert(step.id).inserted else { throw RunbookError(message: "\(origin): step id \(step.id) appears twice") }
            guard [step.commands?.isEmpty == false, step.waitForNode != nil, step.waitForControlPlane != nil].filter({ $0 }).count == 1 else {
                throw RunbookError(message: "\(origin): step \(step.id) needs one of commands, waitForNode and waitForControlPlane")
            }
            if let commands = step.commands, commands.contains(where: \.isEmpty) {
                throw RunbookError(message: "\(origin): step \(step.id) has an empty command")
            }
            if let check = step.check, check.isEmpty || check.contains(where: \.argv.isEmpty) {
                throw RunbookError(message: "\(origin): step \(step.id) has an empty check")
            }
        }
        return book
    }

    /// The runbooks that ship inside kubeskew, by package manager.
    public static func embedded(_ manager: PackageManager) -> Runbook {
        let file = "\(manager.rawValue).yaml"
        do { return try parse(EmbeddedRunbooks.files[file, default: ""], origin: "embedded \(file)") } catch {
            preconditionFailure("the embedded runbook \(file) does not parse: \(error)")
        }
    }
}
