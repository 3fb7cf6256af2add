import SkewCore
import Testing
@testable import KubeModel

/// The last-applied-configuration annotation and the Warning header: where a used API version shows.
struct LastAppliedAndWarningTests {
    @Test func lastAppliedNamesItsVersionAndKind() throws {
        let annotation = #"{"apiVersion":"extensions/v1beta1","kind":"Ingress","metadata":{"annotations":{},"name":"front","namespace":"web"},"spec":{"backend":{"serviceName":"front","servicePort":80}}}"#
        let found = try #require(LastAppliedConfiguration.apiVersionAndKind(annotation))
        #expect(found.apiVersion == "extensions/v1beta1")
        #expect(found.kind == "Ingress")
        #expect(LastAppliedConfiguration.apiVersionAndKind(#"{"kind":"Service","apiVersion":"v1"}"#)?.apiVersion == "v1")
    }

    @Test(arguments: [
        "", "null", "[]", "\"text\"", "{", "{}", #"{"apiVersion":"v1"}"#, #"{"apiVersion":1,"kind":"Pod"}"#,
        #"{"apiVersion":"","kind":"Pod"}"#, #"{"apiVersion":"v1","kind":"Po d"}"#, #"{"apiVersion":"v1\u001b[2J","kind":"Pod"}"#,
        "\u{0}\u{FFFF}", #"{"apiVersion":"v1","kind":"Pod""#,
    ])
    func garbageIsNil(annotation: String) {
        #expect(LastAppliedConfiguration.apiVersionAndKind(annotation) == nil)
    }

    @Test func hostileSizesAndNestingDoNotCrash() {
        let deep = #"{"apiVersion":"v1","kind":"Pod","x":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        _ = LastAppliedConfiguration.apiVersionAndKind(deep)
        let huge = #"{"apiVersion":"v1","kind":"Pod","x":""# + String(repeating: "a", count: 1_000_000) + #""}"#
        #expect(LastAppliedConfiguration.apiVersionAndKind(huge) == nil)
    }

    @Test func warningHeaderTexts() {
        #expect(WarningHeader.texts(#"299 - "networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress""#)
            == ["networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress"])
        #expect(WarningHeader.texts(#"299 - "a, \"quoted\" b", 299 - "second" "Sat, 01 Jan 2000 00:00:00 GMT",299 kube-apiserver "third""#)
            == [#"a, "quoted" b"#, "second", "third"])
        #expect(WarningHeader.texts(#"299 - "unterminated"#).isEmpty)
        #expect(WarningHeader.texts(#"garbage, 99 - "short code", 299 - noquote, 299 - "ok""#) == ["ok"])
        #expect(WarningHeader.texts("").isEmpty)
        #expect(WarningHeader.texts(String(repeating: "\"\\,", count: 100_000)).isEmpty)
    }

    @Test func theStandardDeprecationTextBecomesAnAPIUse() throws {
        let text = "networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress"
        let use = try #require(WarningHeader.apiUse(fromWarning: text))
        #expect(use == APIUse(group: "networking.k8s.io", version: "v1beta1", kind: "Ingress", removedRelease: MinorLine("1.22"),
                              evidence: .warning(text: text)))
        let core = try #require(WarningHeader.apiUse(fromWarning: "v1 ComponentStatus is deprecated in v1.19+"))
        #expect(core.group == "")
        #expect(core.version == "v1")
        #expect(core.kind == "ComponentStatus")
        #expect(core.removedRelease == nil)
        #expect(WarningHeader.apiUse(fromWarning: "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice")?.kind == "Endpoints")
    }

    @Test(arguments: [
        "example.com/v1alpha1 Widget is deprecated; use example.com/v1 Widget",
        "metadata.finalizers: \"foo\": prefer a domain-qualified finalizer name",
        "a/b/c Ingress is deprecated in v1.19+",
        "/v1 Ingress is deprecated in v1.19+",
        "",
    ])
    func otherTextsAreNotAPIUses(text: String) {
        #expect(WarningHeader.apiUse(fromWarning: text) == nil)
    }
}
