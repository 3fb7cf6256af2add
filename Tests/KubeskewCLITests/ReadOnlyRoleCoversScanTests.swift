@testable import KubeskewCLI
import SkewCore
@testable import Simulator
import Testing

/// The removed-API scan's lists follow Assets/data/removed-apis.json; the read-only role (deploy/rbac) must grant
/// every one of them, or `kubeskew apis` would say "forbidden" for a kind the role forgot.
@Suite("read-only role covers the removed-API scan")
struct ReadOnlyRoleCoversScanTests {
    @Test("every kind the scan lists, for the newest target it knows, is listable by kubeskew-readonly")
    func everyListedKindIsGranted() throws {
        let rbac = try RBACAuthorizer.shipped()
        let resources = APIUsageScan.resourcesToList(table: .embedded(), target: MinorLine("1.99")!)
        #expect(resources.count > 20)
        for r in resources {
            let request = RequestAttributes.resource(verb: "list", apiGroup: r.group, resource: r.resource, subresource: nil, name: nil, namespace: nil)
            #expect(rbac.allows(user: RBACAuthorizer.readOnlyUser, request), "\(r.display) is not granted")
        }
    }
}
