import Foundation
import Simulator
import Testing

/// `coordination.k8s.io/v1` Leases as kube-apiserver serves them: create, read, update at a resourceVersion,
/// delete with preconditions, each refusal with the real status code and Status body; and the real kubectl on them.
@Suite struct LeaseTests {
    struct Answer {
        let status: Int
        let body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:] }
        var resourceVersion: String { (json["metadata"] as? [String: Any])?["resourceVersion"] as? String ?? "" }
        var uid: String { (json["metadata"] as? [String: Any])?["uid"] as? String ?? "" }
    }

    /// One request with curl (the simulator's bearer token; its CA is self-made, so -k), as a client sends it.
    static func request(_ sim: SimulatorHarness, _ method: String, _ path: String, body: String? = nil) async throws -> Answer {
        var arguments = ["-sk", "-X", method, "-H", "Authorization: Bearer \(sim.simulator.token)", "-H", "Accept: application/json",
                         "-A", "lease-test/1.0", "-w", "\n%{http_code}"]
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        let result = try await ProcessRunner.run("/usr/bin/curl", arguments + [sim.simulator.url + path])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        // The server ends its JSON with a newline; curl's status line follows.
        return Answer(status: Int(lines.last ?? "") ?? 0, body: lines.dropLast(2).joined(separator: "\n"))
    }

    static let path = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases"

    static func lease(_ holder: String, resourceVersion: String? = nil, renewTime: String = "2026-12-07T16:02:11.250000Z") -> String {
        let rv = resourceVersion.map { #","resourceVersion":"\#($0)""# } ?? ""
        return #"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"kubeskew-node-node01","namespace":"kube-system"\#(rv),"labels":{"app.kubernetes.io/managed-by":"kubeskew"}},"spec":{"holderIdentity":"\#(holder)","leaseDurationSeconds":60,"acquireTime":"2026-12-07T16:02:11.250000Z","renewTime":"\#(renewTime)"}}"#
    }

    @Test func createReadUpdateDeleteWithTheRealStatuses() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let created = try await Self.request(sim, "POST", Self.path, body: Self.lease("alice@laptop run r1"))
            #expect(created.status == 201, "\(created.body)")
            #expect(created.json["kind"] as? String == "Lease")
            #expect(created.json["apiVersion"] as? String == "coordination.k8s.io/v1")
            #expect((created.json["spec"] as? [String: Any])?["renewTime"] as? String == "2026-12-07T16:02:11.250000Z")
            let first = created.resourceVersion

            let again = try await Self.request(sim, "POST", Self.path, body: Self.lease("bob@desk run r2"))
            #expect(again.status == 409)
            #expect(again.body == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"leases.coordination.k8s.io \"kubeskew-node-node01\" already exists","reason":"AlreadyExists","details":{"name":"kubeskew-node-node01","group":"coordination.k8s.io","kind":"leases"},"code":409}"#)

            let renewed = try await Self.request(sim, "PUT", Self.path + "/kubeskew-node-node01", body: Self.lease("alice@laptop run r1", resourceVersion: first,
                                                                                                                              renewTime: "2026-12-07T16:02:31.250000Z"))
            #expect(renewed.status == 200, "\(renewed.body)")
            #expect(renewed.resourceVersion != first)

            // A writer that read the first version loses: 409 Conflict, and the Lease is unchanged.
            let stale = try await Self.request(sim, "PUT", Self.path + "/kubeskew-node-node01", body: Self.lease("bob@desk run r2", resourceVersion: first))
            #expect(stale.status == 409)
            #expect(stale.body == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on leases.coordination.k8s.io \"kubeskew-node-node01\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"kubeskew-node-node01","group":"coordination.k8s.io","kind":"leases"},"code":409}"#)
            let read = try await Self.request(sim, "GET", Self.path + "/kubeskew-node-node01")
            #expect((read.json["spec"] as? [String: Any])?["holderIdentity"] as? String == "alice@laptop run r1")

            // Delete with preconditions: a stale resourceVersion is refused (storage's precondition error as a Conflict).
            let staleDelete = try await Self.request(sim, "DELETE", Self.path + "/kubeskew-node-node01",
                                                     body: #"{"preconditions":{"resourceVersion":"\#(first)"}}"#)
            #expect(staleDelete.status == 409)
            #expect(staleDelete.body == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on leases.coordination.k8s.io \"kubeskew-node-node01\": Precondition failed: ResourceVersion in precondition: \#(first), ResourceVersion in object meta: \#(renewed.resourceVersion)","reason":"Conflict","details":{"name":"kubeskew-node-node01","group":"coordination.k8s.io","kind":"leases"},"code":409}"#)
            let wrongUID = try await Self.request(sim, "DELETE", Self.path + "/kubeskew-node-node01", body: #"{"preconditions":{"uid":"nope"}}"#)
            #expect(wrongUID.status == 409)
            #expect(wrongUID.body.contains(#"Precondition failed: UID in precondition: nope, UID in object meta: \#(created.uid)""#), "\(wrongUID.body)")

            let deleted = try await Self.request(sim, "DELETE", Self.path + "/kubeskew-node-node01",
                                                 body: #"{"preconditions":{"uid":"\#(created.uid)","resourceVersion":"\#(renewed.resourceVersion)"}}"#)
            #expect(deleted.status == 200)
            #expect(deleted.body == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"kubeskew-node-node01","group":"coordination.k8s.io","kind":"leases","uid":"\#(created.uid)"}}"#)

            let gone = try await Self.request(sim, "GET", Self.path + "/kubeskew-node-node01")
            #expect(gone.status == 404)
            #expect(gone.body == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"leases.coordination.k8s.io \"kubeskew-node-node01\" not found","reason":"NotFound","details":{"name":"kubeskew-node-node01","group":"coordination.k8s.io","kind":"leases"},"code":404}"#)
            let updateGone = try await Self.request(sim, "PUT", Self.path + "/kubeskew-node-node01", body: Self.lease("bob@desk run r2", resourceVersion: first))
            #expect(updateGone.status == 404)
        }
    }

    /// The real kubectl finds leases through discovery, lists them with their holder, and deletes them.
    @Test func kubectlGetsAndDeletesLeases() async throws {
        try await SimulatorHarness.with(try Scenario.named("default")) { sim in
            let created = try await Self.request(sim, "POST", Self.path, body: Self.lease("alice@laptop run r1"))
            #expect(created.status == 201)
            let resources = try await sim.kubectl(["api-resources", "--api-group", "coordination.k8s.io"])
            #expect(resources.status == 0, "\(resources.stderr)")
            #expect(resources.stdout.contains("leases") && resources.stdout.contains("coordination.k8s.io/v1"), "\(resources.stdout)")
            let listed = try await sim.kubectl(["get", "leases", "-n", "kube-system"])
            #expect(listed.status == 0, "\(listed.stderr)")
            let header = listed.stdout.split(separator: "\n").first.map(String.init) ?? ""
            #expect(header.split(separator: " ", omittingEmptySubsequences: true) == ["NAME", "HOLDER", "AGE"], "\(listed.stdout)")
            let row = tableRows(listed.stdout)["kubeskew-node-node01"]
            #expect(row.map { Array($0.dropFirst().prefix(3)) } == ["alice@laptop", "run", "r1"], "\(listed.stdout)")
            let holder = try await sim.kubectl(["get", "lease", "-n", "kube-system", "kubeskew-node-node01", "-o", "jsonpath={.spec.holderIdentity}"])
            #expect(holder.stdout == "alice@laptop run r1")
            let deleted = try await sim.kubectl(["delete", "lease", "-n", "kube-system", "kubeskew-node-node01"])
            #expect(deleted.status == 0, "\(deleted.stderr)")
            #expect(deleted.stdout.contains(#"lease.coordination.k8s.io "kubeskew-node-node01" deleted"#), "\(deleted.stdout)")
            let none = try await sim.kubectl(["get", "leases", "-n", "kube-system", "-l", "app.kubernetes.io/managed-by=kubeskew"])
            #expect(none.stderr.contains("No resources found in kube-system namespace."), "\(none.stdout)\(none.stderr)")
        }
    }
}
