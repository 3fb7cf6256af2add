import Foundation
import SkewCore
import KubeClient
import KubeModel
import Synchronization

/// Two operators, one cluster: a node kubeskew works on is held through a `coordination.k8s.io/v1` Lease, the way
/// Kubernetes components hold what they work on. Another kubeskew that finds a live Lease held by someone else
/// refuses the node and says who holds it; a holder that dies stops renewing, and its Lease expires by itself.
///
/// - Name `kubeskew-node-<node>` (long node names end in a hash, see `name(for:)`), namespace `kube-system`: it
///   exists in every cluster and only admins write there. Not `kube-node-lease`: that one is the kubelets' heartbeats.
/// - `spec.holderIdentity` "<user>@<host> run <runID>" (`LeaseHolder`), `leaseDurationSeconds` 60, `acquireTime` and
///   `renewTime` as MicroTime, the label `app.kubernetes.io/managed-by=kubeskew`, the annotation `kubeskew.io/node`.
/// - Takeover: a Lease held by another holder is live while `renewTime + leaseDurationSeconds` (plus a margin) is
///   after the server's clock (its `Date` header); a released (no holder) or expired Lease is taken over with an
///   update at the resourceVersion read, and a 409 then means another kubeskew took it first: refused. A Lease held
///   by this very holder (the same run resumed on the same machine) is taken back at once.
/// - RBAC: get, create, update and delete on leases in kube-system (list too, for the dashboard's display).
public enum NodeLease {
    public static let namespace = "kube-system"
    public static let defaultDurationSeconds = 60
    public static let managedByLabel = "app.kubernetes.io/managed-by"
    public static let labelSelector = "app.kubernetes.io/managed-by=kubeskew"
    /// The node a Lease holds, whole (its name may end in a hash for long node names).
    public static let nodeAnnotation = "kubeskew.io/node"
    static let prefix = "kubeskew-node-"

    /// `kubeskew-node-<node>`; when that is not a valid object name for kubeskew's client (longer than 253, or a
    /// first label longer than 63), the first 32 characters of the node and a hash of its whole name, so two long
    /// names never share a Lease.
    public static func name(for node: String) -> String {
        let whole = prefix + node
        if (try? ObjectName.validate(whole, what: "lease name")) != nil { return whole }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in node.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let digits = String(hash, radix: 16)
        var kept = String(node.unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }.prefix(32))
        while let last = kept.unicodeScalars.last, !(("a"..."z").contains(last) || ("0"..."9").contains(last)) {
            kept.unicodeScalars.removeLast()
        }
        return prefix + (kept.isEmpty ? "" : kept + "-") + String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The node a kubeskew Lease holds (its annotation, else its name), nil for any other Lease.
    public static func node(of lease: Lease) -> String? {
        guard lease.metadata.labels?[managedByLabel] == "kubeskew" || lease.metadata.name.hasPrefix(prefix) else { return nil }
        if let node = lease.metadata.annotations?[nodeAnnotation], !node.isEmpty { return node }
        return lease.metadata.name.hasPrefix(prefix) ? String(lease.metadata.name.dropFirst(prefix.count)) : nil
    }
}

/// Who holds a Lease: "<user>@<host> run <runID>" (or "… action <id>" for one dashboard action). Only letters,
/// digits, `.`, `_` and `-` of the user and host are kept: no secrets, nothing that could fool a terminal.
public struct LeaseHolder: Sendable, Hashable, CustomStringConvertible {
    public let identity: String

    public init(user: String, host: String, kind: String = "run", id: String) {
        identity = "\(Self.clean(user))@\(Self.clean(host)) \(kind) \(Self.clean(id))"
    }

    /// This process's user and host, for run `runID`.
    public static func local(run runID: String) -> LeaseHolder {
        LeaseHolder(user: LocalOperator.user, host: localHost(), kind: "run", id: runID)
    }

    /// This process's user and host, for one action from the dashboard (cordon, drain, uncordon).
    public static func local(action id: String) -> LeaseHolder {
        LeaseHolder(user: LocalOperator.user, host: localHost(), kind: "action", id: id)
    }

    public var description: String { identity }

    static func clean(_ text: String) -> String {
        let kept = String(text.unicodeScalars.filter { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || $0 == "." || $0 == "_" || $0 == "-" }.prefix(64))
        return kept.isEmpty ? "unknown" : kept
    }

    /// The host's first label: a Lease's holder is short.
    static func localHost() -> String { String(LocalOperator.host.split(separator: ".").first ?? Substring(LocalOperator.host)) }
}

/// What to do with the Lease found for a node (pure: the tests decide every case without a server).
public enum LeaseDecision: Sendable, Equatable {
    /// No Lease: create one.
    case create
    /// Ours already (the same run resumed by the same holder): take it back at once.
    case takeBack
    /// Released (no holder) or expired: take it over at the resourceVersion read.
    case takeOver(previousHolder: String?)
    /// Someone else holds it and it is live: leave the node alone.
    case refuse(holder: String, since: Date?, expires: Date)

    /// How long after its expiry a Lease still counts as live: the server's `Date` has whole seconds, and clocks drift.
    public static let margin: TimeInterval = 2

    public static func decide(_ existing: Lease?, holder: LeaseHolder, serverNow: Date) -> LeaseDecision {
        guard let existing else { return .create }
        guard let current = existing.holder else { return .takeOver(previousHolder: nil) }
        if current == holder.identity { return .takeBack }
        // A held Lease without a readable renew time or duration is taken as live for a whole default duration from
        // now: conservative, it never lets a node go on a guess.
        let expires = existing.expiresAt ?? serverNow.addingTimeInterval(TimeInterval(NodeLease.defaultDurationSeconds))
        if expires.addingTimeInterval(margin) > serverNow {
            return .refuse(holder: current, since: existing.spec.acquireTime.flatMap(MicroTime.parse), expires: expires)
        }
        return .takeOver(previousHolder: current)
    }

    /// "node03: being upgraded by alice@laptop run … since 16:02 UTC; wait for it or ask them".
    public static func refusal(node: String, holder: String, since: Date?) -> String {
        let when = since.map { " since \(UTCTime.display($0))" } ?? ""
        return "\(node): being upgraded by \(DisplayText.sanitize(holder, limit: 200))\(when); wait for it or ask them"
    }
}

/// The calls a lease needs, through the API server (`APILeases`) or a fake in tests. Errors are `KubeClientError`s:
/// `.conflict` for a 409 (AlreadyExists on create, Conflict on a stale update or delete), `.notFound` for a 404.
public protocol LeaseAPI: Sendable {
    /// nil when there is none.
    func get(_ name: String) async throws -> LeaseReading?
    func create(_ lease: Lease) async throws -> LeaseReading
    func update(_ lease: Lease) async throws -> LeaseReading
    /// Deletes it only while its uid and resourceVersion are still these.
    func delete(_ lease: Lease) async throws
}

/// The leases in `NodeLease.namespace`, through the API server.
public struct APILeases: LeaseAPI {
    let client: KubeAPIClient

    public init(client: KubeAPIClient) { self.client = client }

    public func get(_ name: String) async throws -> LeaseReading? {
        do { return try await client.getLease(namespace: NodeLease.namespace, name: name) } catch KubeClientError.notFound {
            return nil
        }
    }

    public func create(_ lease: Lease) async throws -> LeaseReading { try await client.createLease(lease) }
    public func update(_ lease: Lease) async throws -> LeaseReading { try await client.updateLease(lease) }
    public func delete(_ lease: Lease) async throws {
        try await client.deleteLease(namespace: NodeLease.namespace, name: lease.metadata.name,
                                     uid: lease.metadata.uid, resourceVersion: lease.metadata.resourceVersion)
    }
}

/// The holders this process has taken Leases as (its runs, its dashboard actions): a dashboard shows other
/// kubeskews' holds, not its own.
public enum OwnLeaseHolders {
    private static let identities = Mutex<Set<String>>([])
    static func add(_ holder: LeaseHolder) { _ = identities.withLock { $0.insert(holder.identity) } }
    public static func contains(_ identity: String) -> Bool { identities.withLock { $0.contains(identity) } }
}

/// Whether a node may be worked on: held (go on, the hold renews itself) or refused (nothing may be done to it).
public enum LeaseAcquisition: Sendable {
    case held(NodeLeaseHold)
    case refused(String)
}

/// Takes a node's Lease before anything is done to it (the engine, a dashboard action).
public protocol NodeLeasing: Sendable {
    func acquire(_ node: String) async -> LeaseAcquisition
}

/// How long a Lease lasts and how often it is renewed.
public struct LeaseTiming: Sendable {
    public var duration: Duration
    /// A third of the duration: two renewals may fail before the Lease runs out.
    public var renewInterval: Duration
    /// After a failed renewal (API error), the next try.
    public var retryInterval: Duration

    public init(duration: Duration = .seconds(NodeLease.defaultDurationSeconds), renewInterval: Duration? = nil,
                retryInterval: Duration? = nil) {
        self.duration = duration
        self.renewInterval = renewInterval ?? duration / 3
        self.retryInterval = retryInterval ?? min(.seconds(2), duration / 10)
    }

    var durationSeconds: Int { max(1, Int(duration.components.seconds)) }
}

/// kubeskew's leases on nodes, for one holder (a run, or a dashboard action).
public struct NodeLeases: NodeLeasing {
    let api: any LeaseAPI
    public let holder: LeaseHolder
    let timing: LeaseTiming

    public init(api: any LeaseAPI, holder: LeaseHolder, timing: LeaseTiming = LeaseTiming()) {
        self.api = api
        self.holder = holder
        self.timing = timing
    }

    /// Reads the node's Lease and creates, takes back or takes over it, or refuses. A 409 (another kubeskew wrote it
    /// between the read and the write) is decided again from a fresh read; an API error refuses the node.
    public func acquire(_ node: String) async -> LeaseAcquisition {
        let name = NodeLease.name(for: node)
        OwnLeaseHolders.add(holder)
        do {
            for _ in 0..<3 {
                let reading = try await api.get(name)
                let serverNow = reading?.serverDate ?? Date()
                let offset = reading?.serverDate.map { $0.timeIntervalSince(Date()) } ?? 0
                let decision = LeaseDecision.decide(reading?.lease, holder: holder, serverNow: serverNow)
                let written: LeaseReading
                do {
                    switch decision {
                    case .refuse(let current, let since, _):
                        return .refused(LeaseDecision.refusal(node: node, holder: current, since: since))
                    case .create:
                        written = try await api.create(fresh(name, node: node, offset: offset))
                    case .takeBack, .takeOver:
                        guard var lease = reading?.lease else { continue }
                        let now = MicroTime.format(Date().addingTimeInterval(offset))
                        if decision != .takeBack {
                            lease.spec.acquireTime = now
                            lease.spec.leaseTransitions = (lease.spec.leaseTransitions ?? 0) + 1
                        }
                        lease.spec.holderIdentity = holder.identity
                        lease.spec.renewTime = now
                        lease.spec.leaseDurationSeconds = timing.durationSeconds
                        written = try await api.update(lease)
                    }
                } catch KubeClientError.conflict {
                    continue
                } catch KubeClientError.notFound {
                    // Deleted between the read and the update (its holder let it go): read again.
                    continue
                }
                return .held(NodeLeaseHold(node: node, api: api, holder: holder, timing: timing, lease: written))
            }
            return .refused("\(node): its lease \(NodeLease.namespace)/\(name) kept changing while kubeskew tried to take it "
                            + "(another kubeskew is taking it); nothing was done to the node")
        } catch {
            return .refused("\(node): cannot take kubeskew's lease \(NodeLease.namespace)/\(name) (\(error)); nothing was done to the node. "
                            + "kubeskew needs get, create, update and delete on leases in \(NodeLease.namespace)")
        }
    }

    private func fresh(_ name: String, node: String, offset: TimeInterval) -> Lease {
        let now = MicroTime.format(Date().addingTimeInterval(offset))
        var metadata = ObjectMeta(name: name, namespace: NodeLease.namespace, labels: [NodeLease.managedByLabel: "kubeskew"])
        metadata.annotations = [NodeLease.nodeAnnotation: node]
        return Lease(metadata: metadata, spec: .init(holderIdentity: holder.identity, leaseDurationSeconds: timing.durationSeconds,
                                                     acquireTime: now, renewTime: now, leaseTransitions: 0))
    }
}

/// One held Lease and the task that renews it.
///
/// Concurrency rule: the hold owns its renew task, started when the Lease is taken. Only `release()` cancels it, and
/// only the code that acquired the hold calls `release()` (the engine's node task when the node ends, a dashboard
/// action when it ends), once. Nobody else cancels anything through a hold: a lost Lease is only *reported*
/// (`lost`), and the holder's code stops at its next safe point (between steps; a running command is never killed
/// for it).
public final class NodeLeaseHold: Sendable {
    public let node: String
    private let api: any LeaseAPI
    private let holder: LeaseHolder
    private let timing: LeaseTiming
    private struct State {
        var lease: Lease
        var lost: String?
        var renewals = 0
        var released = false
    }
    private let state: Mutex<State>
    private let renewer = Mutex<Task<Void, Never>?>(nil)

    init(node: String, api: any LeaseAPI, holder: LeaseHolder, timing: LeaseTiming, lease: LeaseReading) {
        self.node = node
        self.api = api
        self.holder = holder
        self.timing = timing
        state = Mutex(State(lease: lease.lease))
        let offset = lease.serverDate.map { $0.timeIntervalSince(Date()) } ?? 0
        renewer.withLock { $0 = Task { [weak self] in await self?.renewLoop(offset: offset) } }
    }

    /// Why the Lease is no longer ours, once it is not: the holder stops at its next safe point.
    public var lost: String? { state.withLock { $0.lost } }
    /// Successful renewals so far (tests).
    public var renewals: Int { state.withLock { $0.renewals } }
    /// The Lease as last written.
    public var lease: Lease { state.withLock { $0.lease } }

    private func renewLoop(offset start: TimeInterval) async {
        var offset = start
        var lastRenewed = ContinuousClock.now
        var wait = timing.renewInterval
        while !Task.isCancelled {
            do { try await Task.sleep(for: wait) } catch { return }
            var lease = state.withLock { $0.lease }
            lease.spec.renewTime = MicroTime.format(Date().addingTimeInterval(offset))
            do {
                let written = try await api.update(lease)
                if let date = written.serverDate { offset = date.timeIntervalSince(Date()) }
                state.withLock {
                    $0.lease = written.lease
                    $0.renewals += 1
                }
                lastRenewed = ContinuousClock.now
                wait = timing.renewInterval
                continue
            } catch KubeClientError.conflict {
                // Changed since our last write: still ours (someone only touched it), or someone else's now.
                if let current = try? await api.get(lease.metadata.name) {
                    if current.lease.holder == holder.identity, current.lease.metadata.uid == lease.metadata.uid {
                        state.withLock { $0.lease = current.lease }
                        wait = .zero
                        continue
                    }
                    markLost("lost the lease on \(node) to \(DisplayText.sanitize(current.lease.holder ?? "nobody (it was released)", limit: 200))")
                    return
                }
            } catch KubeClientError.notFound {
                markLost("lost the lease on \(node): someone deleted \(NodeLease.namespace)/\(lease.metadata.name)")
                return
            } catch is CancellationError {
                return
            } catch {
                if ContinuousClock.now - lastRenewed >= timing.duration {
                    markLost("lost the lease on \(node): it could not be renewed for \(timing.durationSeconds) s (\(error)); "
                             + "another kubeskew may take the node now")
                    return
                }
            }
            // An API error (or an unreadable Lease after a 409): try again soon, until the Lease would have run out.
            if ContinuousClock.now - lastRenewed >= timing.duration {
                markLost("lost the lease on \(node): it could not be renewed for \(timing.durationSeconds) s; another kubeskew may take the node now")
                return
            }
            wait = timing.retryInterval
        }
    }

    private func markLost(_ reason: String) {
        state.withLock { if $0.lost == nil { $0.lost = reason } }
    }

    /// Stops renewing and gives the Lease up (deleted while it is still the one written; a Lease lost or changed
    /// meanwhile is left as it is). Returns a note when it could not be deleted (it then expires by itself).
    @discardableResult
    public func release() async -> String? {
        let task = renewer.withLock { t -> Task<Void, Never>? in
            defer { t = nil }
            return t
        }
        task?.cancel()
        await task?.value
        let (lease, lost, already) = state.withLock { s -> (Lease, String?, Bool) in
            defer { s.released = true }
            return (s.lease, s.lost, s.released)
        }
        guard !already, lost == nil else { return nil }
        do {
            try await api.delete(lease)
            return nil
        } catch KubeClientError.notFound {
            return nil
        } catch KubeClientError.conflict {
            return nil
        } catch {
            return "could not release the lease on \(node) (\(error)); it expires by itself within \(timing.durationSeconds) s"
        }
    }
}
