import NIOSSL

/// Builds the NIOSSL client configuration for a cluster and a client certificate.
enum TLSSetup {
    static func configuration(
        for config: ResolvedKubeconfig, clientCertificate: ClientCertificate?
    ) throws(KubeClientError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch config.trust {
        case .systemRoots:
            break
        case .insecureSkipVerify:
            tls.certificateVerification = .none
        case .certificateAuthority(let pem, let source):
            let roots: [NIOSSLCertificate]
            do {
                roots = try NIOSSLCertificate.fromPEMBytes(pem)
            } catch {
                throw .invalidCredentialData(
                    owner: "cluster \"\(config.clusterName)\"", field: source,
                    reason: "it holds no PEM certificate")
            }
            guard !roots.isEmpty else {
                throw .invalidCredentialData(
                    owner: "cluster \"\(config.clusterName)\"", field: source, reason: "it holds no PEM certificate")
            }
            // Replaces the system store, as kubectl does when a CA is given.
            tls.trustRoots = .certificates(roots)
        }
        if let clientCertificate {
            let owner = "user \"\(config.userName)\""
            do {
                let chain = try NIOSSLCertificate.fromPEMBytes(clientCertificate.certificatePEM)
                guard !chain.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
                tls.certificateChain = chain.map { .certificate($0) }
            } catch {
                throw .invalidCredentialData(owner: owner, field: "client certificate", reason: "it is not a PEM certificate")
            }
            do {
                let key = try NIOSSLPrivateKey(bytes: Array(clientCertificate.keyPEM.value.utf8), format: .pem)
                tls.privateKey = .privateKey(key)
            } catch {
                throw .invalidCredentialData(owner: owner, field: "client key", reason: "it is not a PEM private key")
            }
        }
        return tls
    }
}
