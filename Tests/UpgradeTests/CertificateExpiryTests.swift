import Foundation
import Testing
@testable import Upgrade

/// Issue 12: "`kubeadm certs check-expiration` read, and an expired or soon-expiring certificate shown before anything
/// runs". The layout is kubeadm's (control-plane-upgrade.md §5: two tables, EXPIRES like `Apr 09, 2024 09:17 UTC`,
/// RESIDUAL TIME `<invalid>` when expired, `!MISSING! super-admin.conf` for a missing file).
struct CertificateExpiryTests {
    static let output = """
        [check-expiration] Reading configuration from the cluster...
        [check-expiration] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'

        CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED
        admin.conf                 Dec 19, 2026 09:17 UTC   12d             ca                      no
        apiserver                  Dec 19, 2026 09:17 UTC   12d             ca                      no
        apiserver-etcd-client      Dec 01, 2026 09:17 UTC   <invalid>       etcd-ca                 no
        front-proxy-client         Nov 20, 2027 09:17 UTC   348d            front-proxy-ca          no
        !MISSING! super-admin.conf

        CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED
        ca                      Nov 18, 2035 09:17 UTC   8y              no
        etcd-ca                 Dec 20, 2026 09:17 UTC   13d             no
        front-proxy-ca          Nov 18, 2035 09:17 UTC   8y              no
        """

    static let now = ISO8601DateFormatter().date(from: "2026-12-07T10:00:00Z")!

    @Test func readsBothTablesAndTheMissingFile() throws {
        let report = CertificateExpiry.parse(Self.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        #expect(report.entries.map(\.name) == ["admin.conf", "apiserver", "apiserver-etcd-client", "front-proxy-client", "super-admin.conf",
                                               "ca", "etcd-ca", "front-proxy-ca"])
        #expect(report.entries.filter(\.isAuthority).map(\.name) == ["ca", "etcd-ca", "front-proxy-ca"])
        #expect(report.entries.first { $0.name == "super-admin.conf" }?.expires == nil)
        #expect(report.entries[0].expires == ISO8601DateFormatter().date(from: "2026-12-19T09:17:00Z"))
    }

    @Test func anExpiredCertificateStopsTheRunAndSoonExpiringOnesAreSaid() {
        let report = CertificateExpiry.parse(Self.output.split(separator: "\n").map(String.init))
        #expect(report.blocking(on: "cp-3", now: Self.now)
                == "cp-3: certificates expired (apiserver-etcd-client): run `sudo kubeadm certs renew all` there and restart the control-plane static pods, then plan again")
        let warnings = report.warnings(on: "cp-3", now: Self.now)
        #expect(warnings == [
            "cp-3: certificates expire in 11 days (admin.conf, apiserver); kubeadm upgrade renews them",
            "cp-3: certificate authority expires in 12 days (etcd-ca); kubeadm does not renew CAs",
            "cp-3: kubeadm reports missing: super-admin.conf",
        ])
        let healthy = CertificateExpiry(entries: [.init(name: "apiserver", isAuthority: false, expires: Self.now.addingTimeInterval(300 * 86_400))])
        #expect(healthy.blocking(on: "cp-1", now: Self.now) == nil && healthy.warnings(on: "cp-1", now: Self.now).isEmpty)
        let caGone = CertificateExpiry(entries: [.init(name: "ca", isAuthority: true, expires: Self.now.addingTimeInterval(-60))])
        #expect(caGone.blocking(on: "cp-1", now: Self.now)?.hasPrefix("cp-1: certificate authority expired (ca): kubeadm does not renew CAs") == true)
    }
}
