import Testing
@testable import KubeModel

/// Reading `apiserver_requested_deprecated_apis` out of an apiserver's /metrics text.
struct DeprecatedAPIMetricTests {
    static let exposition = """
    # HELP apiserver_requested_deprecated_apis [STABLE] Gauge of deprecated APIs that have been requested, broken out by API group, version, resource, subresource, and removed_release.
    # TYPE apiserver_requested_deprecated_apis gauge
    apiserver_requested_deprecated_apis{group="policy",removed_release="1.25",resource="poddisruptionbudgets",subresource="",version="v1beta1"} 1
    apiserver_requested_deprecated_apis{group="",removed_release="",resource="endpoints",subresource="",version="v1"} 1
    apiserver_requested_deprecated_apis_total{group="batch",removed_release="1.25",resource="cronjobs",subresource="",version="v1beta1"} 7
    apiserver_request_total{code="200",component="apiserver",group="policy",resource="poddisruptionbudgets",verb="LIST",version="v1beta1"} 12
    apiserver_requested_deprecated_apis{group="extensions",removed_release="1.22",resource="ingresses",subresource="status",version="v1beta1"} 0
    """

    @Test func readsTheSeriesAndIgnoresCommentsOtherMetricsAndZeros() {
        let found = DeprecatedAPIMetric.parse(Self.exposition)
        #expect(found == [
            RequestedDeprecatedAPI(group: "policy", version: "v1beta1", resource: "poddisruptionbudgets", subresource: "", removedRelease: "1.25"),
            RequestedDeprecatedAPI(group: "", version: "v1", resource: "endpoints", subresource: "", removedRelease: nil),
        ])
    }

    @Test func labelsInAnyOrderWithBlanksATimestampAndCRLF() {
        let line = "apiserver_requested_deprecated_apis { version=\"v1beta1\" , resource=\"cronjobs\", group=\"batch\",removed_release=\"1.25\",subresource=\"\",} 1 1718000000000\r"
        #expect(DeprecatedAPIMetric.parse(line) == [
            RequestedDeprecatedAPI(group: "batch", version: "v1beta1", resource: "cronjobs", subresource: "", removedRelease: "1.25"),
        ])
        #expect(DeprecatedAPIMetric.parse(line: line[...])?.resource == "cronjobs")
        #expect(DeprecatedAPIMetric.parse("apiserver_requested_deprecated_apis{group=\"batch\",resource=\"cronjobs\",version=\"v1beta1\"} 1.0e+00")
            .first?.subresource == "")
    }

    @Test func escapesInLabelValuesAreDecoded() {
        // A value with \\ or \" decodes; one of the other labels may hold anything, including an escaped newline.
        let line = #"apiserver_requested_deprecated_apis{note="a \"b\" \\ c\nd",group="example.io",resource="widgets",subresource="",version="v1alpha1",removed_release="1.40"} 1"#
        #expect(DeprecatedAPIMetric.parse(line).first?.group == "example.io")
        let quoted = #"apiserver_requested_deprecated_apis{group="ex\"ample",resource="w",version="v1"} 1"#
        #expect(DeprecatedAPIMetric.parse(quoted).first?.group == "ex\"ample")
    }

    @Test(arguments: [
        "apiserver_requested_deprecated_apis",
        "apiserver_requested_deprecated_apis 1",
        "apiserver_requested_deprecated_apis{group=\"a\",version=\"v1\",resource=\"r\"}",
        "apiserver_requested_deprecated_apis{group=\"a\",version=\"v1\",resource=\"r\"} one",
        "apiserver_requested_deprecated_apis{group=\"a\",version=\"v1\",resource=\"r\"} NaN",
        "apiserver_requested_deprecated_apis{group=\"a\",version=\"v1\",resource=\"r\"} 1 notatime",
        "apiserver_requested_deprecated_apis{group=\"a\",version=\"v1\",resource=\"r\"} 1 2 3",
        "apiserver_requested_deprecated_apis{group=\"a\",version=\"v1\",resource=\"r\" 1",
        "apiserver_requested_deprecated_apis{group=\"a,version=\"v1\",resource=\"r\"} 1",
        "apiserver_requested_deprecated_apis{group=\"a\",version=\"v1\",resource=\"r\\",
        "apiserver_requested_deprecated_apis{group=a,version=\"v1\",resource=\"r\"} 1",
        "apiserver_requested_deprecated_apis{=\"a\",version=\"v1\",resource=\"r\"} 1",
        "apiserver_requested_deprecated_apis{group=\"a\",version=\"v1\"} 1",
        "apiserver_requested_deprecated_apis{group=\"a\",version=\"\",resource=\"r\"} 1",
        "apiserver_requested_deprecated_apisx{group=\"a\",version=\"v1\",resource=\"r\"} 1",
        "#apiserver_requested_deprecated_apis{group=\"a\",version=\"v1\",resource=\"r\"} 1",
        "{group=\"a\",version=\"v1\",resource=\"r\"} 1",
        "",
        "\u{0}\u{1}\u{7F}{}\"\\",
    ])
    func malformedLinesAreSkipped(line: String) {
        #expect(DeprecatedAPIMetric.parse(line).isEmpty)
        #expect(DeprecatedAPIMetric.parse(line + "\n" + line).isEmpty)
    }

    @Test func hostileLabelValuesDropTheLineNotTheOthers() {
        let good = "apiserver_requested_deprecated_apis{group=\"batch\",resource=\"cronjobs\",version=\"v1beta1\"} 1"
        let long = "apiserver_requested_deprecated_apis{group=\"\(String(repeating: "g", count: 300))\",resource=\"r\",version=\"v1\"} 1"
        let huge = "apiserver_requested_deprecated_apis{group=\"\(String(repeating: "x", count: 2_000_000))\",resource=\"r\",version=\"v1\"} 1"
        let control = "apiserver_requested_deprecated_apis{group=\"ev\u{1B}[2Jil\",resource=\"r\",version=\"v1\"} 1"
        let newline = #"apiserver_requested_deprecated_apis{group="a\nb",resource="r",version="v1"} 1"#
        let c1 = "apiserver_requested_deprecated_apis{group=\"a\u{9B}31m\",resource=\"r\",version=\"v1\"} 1"
        let notUTF8Safe = "apiserver_requested_deprecated_apis{group=\"a\u{FFFD}\",resource=\"r\",version=\"v1\"} 1"
        let text = [long, huge, control, newline, c1, good].joined(separator: "\n")
        #expect(DeprecatedAPIMetric.parse(text).map(\.resource) == ["cronjobs"])
        #expect(DeprecatedAPIMetric.parse(line: huge[...]) == nil)
        // Exactly at the cap is still a value.
        let atCap = "apiserver_requested_deprecated_apis{group=\"\(String(repeating: "g", count: 256))\",resource=\"r\",version=\"v1\"} 1"
        #expect(DeprecatedAPIMetric.parse(atCap).count == 1)
        #expect(DeprecatedAPIMetric.parse(notUTF8Safe).count == 1)
    }

    @Test func invalidUTF8DoesNotCrash() {
        var bytes = Array("apiserver_requested_deprecated_apis{group=\"".utf8)
        bytes += [0xFF, 0xC3, 0x28, 0xE2, 0x82]
        bytes += Array("\",resource=\"r\",version=\"v1\"} 1\n".utf8)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(DeprecatedAPIMetric.parse(text).count == 1)
    }

    @Test func repeatedSeriesAreListedOnce() {
        let line = "apiserver_requested_deprecated_apis{group=\"batch\",resource=\"cronjobs\",version=\"v1beta1\"} 1"
        #expect(DeprecatedAPIMetric.parse([line, line, line].joined(separator: "\n")).count == 1)
    }

    @Test func aHundredMegabytesOfOtherSeriesIsReadWithTheFewThatMatter() async throws {
        let (size, found) = try await onOwnThread { Self.hundredMegabytes() }
        #expect(size > 100_000_000)
        #expect(found == [RequestedDeprecatedAPI(group: "discovery.k8s.io", version: "v1beta1", resource: "endpointslices",
                                                 subresource: "", removedRelease: "1.25")])
    }

    /// Builds a /metrics of over 100 MB with the one series twice (once after a megabyte-long line) and parses it.
    static func hundredMegabytes() -> (Int, [RequestedDeprecatedAPI]) {
        // Realistic /metrics is mostly histograms of other metrics; the metric's lines hide in between.
        let filler = """
        apiserver_request_duration_seconds_bucket{component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="LIST",version="v1",le="0.005"} 123456
        apiserver_requested_deprecated_apis_count{group="x",resource="y",version="v1"} 3
        # HELP something else

        """
        let chunk = String(repeating: filler, count: 1000)
        let n = 100_000_000 / chunk.utf8.count
        let needle = "apiserver_requested_deprecated_apis{group=\"discovery.k8s.io\",removed_release=\"1.25\",resource=\"endpointslices\",subresource=\"\",version=\"v1beta1\"} 1\n"
        var text = String(repeating: chunk, count: n / 2) + needle + String(repeating: chunk, count: n - n / 2)
        text += String(repeating: "x", count: 1_000_000) + "\n" + needle
        return (text.utf8.count, DeprecatedAPIMetric.parse(text))
    }
}
