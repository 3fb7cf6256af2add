import Foundation

/// The kubeconfig a simulator writes: one cluster; users and contexts `sim` (client certificate, current),
/// `sim-token` (bearer token), `sim-viewer` (read-only bearer token, for 403 tests), and one user and context per
/// entry of `roleTokens` (the users the shipped RBAC roles authorize), named after the user.
enum KubeconfigWriter {
    static func yaml(server: String, pki: SimulatorPKI, token: String, viewerToken: String, roleTokens: [String: String] = [:]) -> String {
        func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
        let roleUsers = roleTokens.keys.sorted()
        let users = roleUsers.map { "- name: \($0)\n  user:\n    token: \(roleTokens[$0] ?? "")\n" }.joined()
        let contexts = roleUsers.map { "- name: \($0)\n  context:\n    cluster: sim\n    user: \($0)\n" }.joined()
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
        - name: sim-viewer
          user:
            token: \(viewerToken)
        \(users)contexts:
        - name: sim
          context:
            cluster: sim
            user: sim-admin
        - name: sim-token
          context:
            cluster: sim
            user: sim-token
        - name: sim-viewer
          context:
            cluster: sim
            user: sim-viewer
        \(contexts)current-context: sim
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
