import Foundation

/// The kubeconfig a simulator writes: one cluster, two users (client certificate and bearer token) and two
/// contexts, `sim` (certificate, current) and `sim-token`.
enum KubeconfigWriter {
    static func yaml(server: String, pki: SimulatorPKI, token: String) -> String {
        func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
        return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sim
          cluster:
            server: \(server)
            certificate-authority-data: \(b64(pki.caCertificatePEM))
        users:
        - name: sim-admin
          user:
            client-certificate-data: \(b64(pki.clientCertificatePEM))
            client-key-data: \(b64(pki.clientKeyPEM))
        - name: sim-token
          user:
            token: \(token)
        contexts:
        - name: sim
          context:
            cluster: sim
            user: sim-admin
        - name: sim-token
          context:
            cluster: sim
            user: sim-token
        current-context: sim
        preferences: {}

        """
    }

    /// Writes `text` to `path` with mode 0600, created that way so the key is never world-readable.
    static func writeFile(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else {
            throw SimulatorError(message: "cannot write kubeconfig \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        _ = fchmod(fd, 0o600)
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw SimulatorError(message: "cannot write kubeconfig \(path): \(String(cString: strerror(errno)))") }
            written += n
        }
    }
}
