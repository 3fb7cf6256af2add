import Foundation
import Testing

@testable import KubeClient

@Suite("TLS verification failures explained")
struct CertificateDiagnosisTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    var facts: CertificateFacts {
        CertificateFacts(
            commonName: "kube-apiserver", dnsNames: ["kubernetes", "*.cluster.example"], ipAddresses: ["10.96.0.1"],
            notBefore: now.addingTimeInterval(-86_400), notAfter: now.addingTimeInterval(86_400))
    }

    func explain(_ facts: CertificateFacts, host: String, trusted: Bool = true) -> String {
        CertificateDiagnosis.explain(facts, host: host, now: now, chainTrusted: trusted, trustSource: "the CA in ca.crt")
    }

    @Test func expired() {
        var old = facts
        old.notAfter = now.addingTimeInterval(-60)
        let text = explain(old, host: "kubernetes", trusted: false)
        #expect(text.contains("(CN=kube-apiserver) expired on"))
    }

    @Test func notYetValid() {
        var future = facts
        future.notBefore = now.addingTimeInterval(3600)
        #expect(explain(future, host: "kubernetes").contains("check the clocks"))
    }

    @Test func unknownAuthority() {
        #expect(explain(facts, host: "kubernetes", trusted: false).contains("signed by an unknown authority: it does not chain to the CA in ca.crt"))
    }

    @Test func nameMismatchListsTheNames() {
        let text = explain(facts, host: "10.0.0.7")
        #expect(text.contains("valid for kubernetes, *.cluster.example, 10.96.0.1, not for 10.0.0.7"))
        #expect(text.contains("tls-server-name"))
    }

    @Test func matchingRules() {
        #expect(CertificateDiagnosis.matches(host: "api.cluster.example", facts: facts))
        #expect(!CertificateDiagnosis.matches(host: "a.b.cluster.example", facts: facts))
        #expect(CertificateDiagnosis.matches(host: "10.96.0.1", facts: facts))
        #expect(!CertificateDiagnosis.matches(host: "kubernetes.default", facts: facts))
        #expect(CertificateDiagnosis.ipText([127, 0, 0, 1]) == "127.0.0.1")
        #expect(CertificateDiagnosis.ipText([0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]) == "fd00::1")
    }
}
