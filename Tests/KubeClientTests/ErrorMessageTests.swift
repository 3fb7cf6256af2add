import Foundation
import Testing

@testable import KubeClient

@Suite("errors an operator can act on")
struct ErrorMessageTests {
    let context = StatusErrorMapping.Context(server: "https://10.0.0.1:6443", userName: "jane", authMethod: "token")

    func mapped(_ code: Int, _ body: String, _ operation: APIOperation) -> KubeClientError {
        StatusErrorMapping.error(code: code, body: Array(body.utf8), operation: operation, context: context)
    }

    @Test func unauthorizedNamesUserAndMethod() {
        let error = mapped(401, Captured.status401, .init(verb: "list", resource: "nodes"))
        #expect(error == .unauthorized(server: "https://10.0.0.1:6443", user: "jane", authMethod: "token"))
        #expect(error.description.contains("user \"jane\" (token)"))
        #expect(error.description.contains("401"))
    }

    @Test func forbiddenNamesVerbAndResourceFromTheStatus() {
        let list = mapped(403, Captured.status403ListNodes, .init(verb: "list", resource: "nodes"))
        #expect(list == .forbidden(
            user: "jane", verb: "list", resource: "nodes at the cluster scope",
            serverMessage: #"nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope"#))
        #expect(list.description.hasPrefix("forbidden: user \"jane\" may not list nodes at the cluster scope"))

        let patch = mapped(403, Captured.status403PatchNode, .init(verb: "patch", resource: "nodes", name: "node01"))
        #expect(patch.description.contains("may not patch nodes \"node01\" at the cluster scope"))

        let eviction = mapped(
            403, Captured.status403Eviction, .init(verb: "evict", resource: "pods", name: "web-1", namespace: "default"))
        #expect(eviction.description.contains("may not create pods/eviction \"web-1\" in namespace default"))
    }

    @Test func evictionBlockedByABudgetNamesIt() {
        let operation = APIOperation(verb: "evict", resource: "pods", name: "web-1", namespace: "default")
        let blocked = mapped(429, Captured.eviction429PDB, operation)
        #expect(blocked == .evictionBlocked(
            pod: "web-1", namespace: "default", budget: "web-pdb",
            serverMessage: "The disruption budget web-pdb needs 1 healthy pods and has 1 currently"))
        #expect(blocked.description.contains("blocked by PodDisruptionBudget web-pdb"))
        let pending = mapped(429, Captured.eviction429NotProcessed, operation)
        #expect(pending.description.contains("PodDisruptionBudget web-pdb"))
        #expect(pending.description.contains("still being processed"))
    }

    @Test func notFoundExpiredAndServerErrors() {
        #expect(mapped(404, Captured.status404Node, .init(verb: "get", resource: "nodes", name: "nope"))
            == .notFound(kind: "node", name: "nope"))
        let expired = mapped(410, Captured.status410ExpiredContinue, .init(verb: "list", resource: "nodes"))
        #expect(expired.isExpired)
        let server = mapped(503, "upstream connect error", .init(verb: "list", resource: "nodes"))
        #expect(server == .serverError(code: 503, operation: "list nodes", serverMessage: "upstream connect error"))
        #expect(server.isTransient)
    }

    @Test func transportErrorsHaveActionableMessages() {
        #expect(KubeClientError.connectionRefused(server: "https://127.0.0.1:1").description
            .contains("connection to https://127.0.0.1:1 was refused"))
        #expect(KubeClientError.dnsFailure(server: "https://api.nowhere:6443", host: "api.nowhere").description
            .contains("cannot resolve api.nowhere"))
        #expect(KubeClientError.timedOut(server: "https://h:6443", operation: "list nodes").description
            .contains("list nodes on https://h:6443 timed out"))
    }

    @Test func serverTextIsSanitizedBeforeItIsShown() {
        let hostile = #"{"kind":"Status","message":"bad\u001b[2J\u001b]0;pwned\u0007 thing\nmore","reason":"BadRequest","code":400}"#
        let error = mapped(400, hostile, .init(verb: "get", resource: "nodes", name: "x"))
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 })
        #expect(error.description.contains("bad thing more"))
    }

    @Test func sanitizeStripsEscapesAndControls() {
        #expect(DisplayText.sanitize("a\u{1B}[31mred\u{1B}[0m b") == "ared b")
        #expect(DisplayText.sanitize("x\u{1B}]8;;http://e\u{07}link\u{1B}]8;;\u{1B}\\ y") == "xlink y")
        // U+009B is the 8-bit CSI: as everywhere on screen, it swallows the sequence it starts (here `t`).
        #expect(DisplayText.sanitize("one\n\ntwo\u{9B}three\u{0}") == "one twohree")
        #expect(DisplayText.sanitize(String(repeating: "z", count: 50), limit: 10) == "zzzzzzzzzz…")
    }

    @Test func secretsNeverPrint() {
        let secret = Secret("s3cr3t-token")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        let credentials = UserCredentials(
            clientCertificate: ClientCertificate(certificatePEM: [1], keyPEM: Secret("PRIVATE KEY")),
            bearerToken: .literal(secret))
        let dumped = String(describing: credentials)
        #expect(!dumped.contains("s3cr3t-token") && !dumped.contains("PRIVATE KEY"))
        #expect(credentials.methodDescription == "client certificate + token")
    }

    @Test func handshakeAlertsAreExplained() {
        #expect(TransportErrorClassifier.handshakeReason("sslError: TLSV1_ALERT_UNKNOWN_CA").contains("rejected our client certificate"))
        #expect(TransportErrorClassifier.handshakeReason("TLSV1_ALERT_CERTIFICATE_REQUIRED").contains("requires a client certificate"))
        #expect(TransportErrorClassifier.handshakeReason("WRONG_VERSION_NUMBER").contains("does not speak TLS"))
        #expect(TransportErrorClassifier.handshakeReason(
            "sslError([Error: 1 error:10000410:SSL routines:OPENSSL_internal:NO_SHARED_CIPHER at /x/ssl/tls_record.cc:491])")
            == "TLS error NO_SHARED_CIPHER")
    }

    @Test func namesAreValidatedBeforeTheyReachAPath() {
        #expect(throws: Never.self) { try ObjectName.validate("node-01.example.com", what: "node name") }
        for bad in ["", "Node01", "../etc", "a/b", "x?watch=1", "-lead", "trail-", String(repeating: "a", count: 254)] {
            #expect(throws: KubeClientError.self, "\(bad)") { try ObjectName.validate(bad, what: "node name") }
        }
        #expect(throws: KubeClientError.self) { try ObjectName.validateNamespace("kube.system") }
        #expect(throws: KubeClientError.self) { try LabelSelectorText.validate("app=web&watch=1") }
        #expect(QueryEncoding.encode("spec.nodeName=node01") == "spec.nodeName%3Dnode01")
        #expect(QueryEncoding.encode("a b/c") == "a%20b%2Fc")
    }
}

/// Server text (Status messages, exec-plugin errors) goes through the one terminal sanitizer: no bidi controls.
struct DisplayTextBidiTests {
    @Test func bidiControlsAreRemovedFromServerText() {
        let shown = DisplayText.sanitize("pods \"web\u{202E}txt.exe\" is forbidden\u{2066}")
        #expect(!shown.unicodeScalars.contains { $0.properties.isBidiControl })
        #expect(shown == "pods \"webtxt.exe\" is forbidden")
    }
}
