import Foundation
import Testing

@testable import KubeClient

@Suite("exec credential plugins: parsing, caching, environment")
struct ExecCredentialTests {
    let v1 = ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: "get-token", interactiveMode: "Never")

    func parse(_ json: String, exec: ExecConfig? = nil) throws(KubeClientError) -> IssuedCredential {
        try ExecPluginPolicy.parseOutput(Array(json.utf8), exec: exec ?? v1, userName: "u")
    }

    @Test func parsesTokenAndExpiry() throws {
        let credential = try parse("""
            {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",
             "status":{"token":"abc","expirationTimestamp":"2026-11-25T15:00:00Z"}}
            """)
        #expect(credential.token == Secret("abc"))
        let expiry = try #require(credential.expiresAt)
        #expect(credential.isExpired(at: expiry.addingTimeInterval(-1)) == false)
        #expect(credential.isExpired(at: expiry))
        let fractional = try parse("""
            {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",
             "status":{"token":"abc","expirationTimestamp":"2026-11-25T15:00:00.250Z"}}
            """)
        #expect(fractional.expiresAt == expiry.addingTimeInterval(0.25))
    }

    @Test func withoutExpiryTheCredentialNeverExpiresByTime() throws {
        let credential = try parse(#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}"#)
        #expect(credential.expiresAt == nil)
        #expect(!credential.isExpired(at: .distantFuture))
    }

    @Test func parsesClientCertificateCredentials() throws {
        let credential = try parse("""
            {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",
             "status":{"clientCertificateData":"CERT","clientKeyData":"KEY"}}
            """)
        #expect(credential.token == nil)
        #expect(credential.clientCertificate == ClientCertificate(certificatePEM: Array("CERT".utf8), keyPEM: Secret("KEY")))
    }

    @Test func rejectsWhatClientGoRejects() {
        let cases: [(String, String)] = [
            ("not json", "not an ExecCredential"),
            (#"{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}"#, "apiVersion"),
            (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"Pod","status":{"token":"t"}}"#, "kind"),
            (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}"#, "no status"),
            (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}"#, "neither a token"),
            (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"C"}}"#, "without clientKeyData"),
            (#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"soon"}}"#, "RFC 3339"),
        ]
        for (json, expected) in cases {
            do {
                _ = try parse(json)
                Issue.record("accepted: \(json)")
            } catch {
                #expect(error.description.contains(expected), "\(error.description) should mention \(expected)")
                #expect(error.description.contains("get-token"))
            }
        }
    }

    @Test func execInfoCarriesClusterOnlyWhenAsked() throws {
        let cluster = ResolvedKubeconfig(
            contextName: "x", clusterName: "c", userName: "u", namespace: "default", server: "https://h:6443",
            serverHost: "h", serverPort: 6443, usesTLS: true,
            trust: .certificateAuthority(pem: Array("PEM".utf8), source: "s"), tlsServerName: "api.internal",
            proxy: nil, credentials: UserCredentials(), sourceFiles: [], certificateAuthorityData: "UEVN")
        func decoded(_ exec: ExecConfig) throws -> [String: Any] {
            let json = ExecPluginPolicy.execInfo(for: exec, cluster: cluster)
            return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        }
        let plain = try decoded(v1)
        #expect(plain["kind"] as? String == "ExecCredential")
        #expect(plain["apiVersion"] as? String == "client.authentication.k8s.io/v1")
        let spec = try #require(plain["spec"] as? [String: Any])
        #expect(spec["interactive"] as? Bool == false)
        #expect(spec["cluster"] == nil)

        var asking = v1
        asking.provideClusterInfo = true
        let withCluster = try #require(try decoded(asking)["spec"] as? [String: Any])
        let info = try #require(withCluster["cluster"] as? [String: Any])
        #expect(info["server"] as? String == "https://h:6443")
        #expect(info["tls-server-name"] as? String == "api.internal")
        #expect(info["certificate-authority-data"] as? String == "UEVN")
    }

    @Test func interactiveModeValidation() {
        #expect(throws: Never.self) {
            try ExecPluginPolicy.validate(
                ExecConfig(apiVersion: "client.authentication.k8s.io/v1beta1", command: "x"), userName: "u")
        }
        #expect(throws: KubeClientError.self) {
            try ExecPluginPolicy.validate(
                ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: "x", interactiveMode: "Sometimes"),
                userName: "u")
        }
    }
}
