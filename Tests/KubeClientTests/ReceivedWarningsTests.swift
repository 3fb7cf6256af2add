import Testing

@testable import KubeClient

/// Warning headers are kept for the operator, each text once (issue 14: "surfaced, never dropped").
struct ReceivedWarningsTests {
    @Test func aRepeatedTextDoesNotHideTheNewOnesOfTheSameHeader() {
        var warnings = ReceivedWarnings()
        warnings.add(#"299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice""#)
        warnings.add(#"299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice", 299 - "v1 ComponentStatus is deprecated in v1.19+""#)
        #expect(warnings.values == ["v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice",
                                    "v1 ComponentStatus is deprecated in v1.19+"])
    }

    @Test func aValueThatDoesNotParseIsKeptWhole() {
        var warnings = ReceivedWarnings()
        warnings.add("something odd")
        #expect(warnings.values == ["something odd"])
    }
}
