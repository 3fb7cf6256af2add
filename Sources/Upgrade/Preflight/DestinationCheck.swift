import Foundation
import NodeExec

/// Preflight's first part: where each node's commands will go, decided before anything runs and shown to the operator.
///
/// Each plan gets its resolved ``NodeDestination``; a node the executor cannot or must not reach is refused with the
/// reason; a destination that is loopback, or none of the node's own addresses, becomes a blocker the operator must
/// acknowledge (a node object can name any address, and the operator's key may open hosts that are not the node).
public enum DestinationCheck {
    /// A node that will not be run, and why.
    public struct Refusal: Sendable, Hashable {
        public let node: String
        public let reason: String
    }

    /// Resolves every plan's destination with `executor`. An executor that reaches one machine whatever the node
    /// (local) takes one node only.
    public static func resolve(_ plans: [NodePlan], executor: any NodeExecutor) async -> (plans: [NodePlan], refused: [Refusal]) {
        if executor.reachesOneMachineOnly && plans.count > 1 {
            let names = plans.map(\.node).joined(separator: ", ")
            return ([], plans.map { Refusal(node: $0.node, reason: "--executor \(executor.name) runs every step on this machine, so a run takes exactly one node (this machine's), not \(names); use --executor ssh for the others") })
        }
        var resolved: [NodePlan] = []
        var refused: [Refusal] = []
        for var plan in plans {
            do {
                let destination = try await executor.nodeDestination(for: try plan.nodeTarget())
                plan.destination = destination
                plan.blockers.removeAll { $0.kind == .loopbackDestination || $0.kind == .foreignDestination }
                if let blocker = blocker(node: plan.node, destination: destination, addresses: plan.addresses) {
                    plan.blockers.append(blocker)
                }
                resolved.append(plan)
            } catch {
                refused.append(Refusal(node: plan.node, reason: error.description))
            }
        }
        return (resolved, refused)
    }

    /// The blocker for a destination that is loopback or none of the node's addresses; nil for one that is the
    /// node's own, or that no cluster data chose (pod, simulated, local).
    public static func blocker(node: String, destination: NodeDestination, addresses: [PlannedAddress]) -> Blocker? {
        guard let host = destination.connectsTo else { return nil }
        let loopback = isLoopback(host)
        let own = addresses.contains { sameHost($0.address, host) }
        if own && !loopback { return nil }
        let listed = addresses.isEmpty ? "none reported" : addresses.map { "\($0.type) \($0.address)" }.joined(separator: ", ")
        let what = loopback
            ? (own ? "is loopback (this machine), though the node reports it" : "is loopback (this machine) and none of the node's addresses")
            : "is none of the node's addresses"
        return Blocker(kind: loopback ? .loopbackDestination : .foreignDestination, object: node,
                       advice: "its commands would go to \(destination.address) (from: \(destination.source)), which \(what) (\(listed)); acknowledge only if that host really is \(node), else fix the ssh config or --ssh-host")
    }

    /// 127.0.0.0/8, ::1 (in any spelling, IPv4-mapped included), `localhost` and names under it.
    public static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        if lower == "localhost" || lower.hasSuffix(".localhost") || lower == "localhost." { return true }
        if HostValidation.isIPv4(host) { return host.hasPrefix("127.") }
        guard let bytes = ipv6Bytes(host) else { return false }
        if bytes == [UInt8](repeating: 0, count: 15) + [1] { return true }
        // ::ffff:127.x.y.z
        return bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
    }

    /// The same host: addresses compared as addresses (IPv6 spellings differ), names without case.
    static func sameHost(_ a: String, _ b: String) -> Bool {
        if let x = ipv6Bytes(a), let y = ipv6Bytes(b) { return x == y }
        return a.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")) == b.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    private static func ipv6Bytes(_ text: String) -> [UInt8]? {
        guard HostValidation.isIPv6(text) else { return nil }
        var address = in6_addr()
        guard text.withCString({ inet_pton(AF_INET6, $0, &address) }) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    /// What changed in where the run's nodes' commands go since the plan was made: each node is resolved again
    /// with `executor` and compared with the journal. Empty when every node resolves as recorded.
    public static func changes(_ plan: RunPlan, executor: any NodeExecutor) async -> [String] {
        var problems: [String] = []
        for node in plan.nodes {
            guard let recorded = node.destination else {
                problems.append("\(node.node): the run recorded no destination for it")
                continue
            }
            do {
                let now = try await executor.nodeDestination(for: try node.nodeTarget())
                if now != recorded {
                    problems.append("\(node.node): its commands went to \(recorded.display), now they would go to \(now.display)")
                }
            } catch {
                problems.append("\(node.node): cannot be reached as the run recorded (\(recorded.display)): \(error.description)")
            }
        }
        return problems
    }
}
