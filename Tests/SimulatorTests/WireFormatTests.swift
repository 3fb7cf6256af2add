import Foundation
@testable import Simulator
import Testing

/// The pieces of the wire format that do not need a server: JSON as Go writes it, patches, selectors, tokens, ages.
@Suite("wire format units")
struct WireFormatTests {
    @Test("JSON round-trips with key order kept and Go's HTML escaping")
    func json() throws {
        let text = #"{"kind":"Node","b":[1,2.5,-3e2,true,null],"s":"a<b>&c \"q\" \\ é 🚀","z":{}}"#
        let value = try JSONParser.parse(text)
        let written = JSONWriter.string(value)
        #expect(written == #"{"kind":"Node","b":[1,2.5,-3e2,true,null],"s":"a\u003cb\u003e\u0026c \"q\" \\ é 🚀","z":{}}"#)
        #expect(try JSONParser.parse(written) == value)
        #expect(try JSONParser.parse(#""\ud83d\ude80""#) == .string("🚀"))
        // A high surrogate without its low half is U+FFFD, and what follows it is kept (it used to be swallowed).
        #expect(try JSONParser.parse(#""\ud83d\u0041\n""#) == .string("\u{FFFD}A\n"))
        #expect(try JSONParser.parse(#""\ude80x""#) == .string("\u{FFFD}x"))
    }

    @Test("bad escapes fail where Go's decoder does")
    func badEscapes() {
        for (input, message) in [(#""\u12G4""#, "invalid character 'G' in \\u hexadecimal character escape"),
                                 (#""\q""#, "invalid character 'q' in string escape code")] {
            do {
                _ = try JSONParser.parse(input)
                Issue.record("\(input) parsed")
            } catch {
                #expect(error.message == message)
            }
        }
    }

    @Test("malformed JSON gives the messages the real server returns", arguments: [
        ("{\"spec\":", "unexpected end of JSON input"), ("", "unexpected end of JSON input"), ("{} x", "invalid character after top-level value"),
    ])
    func malformed(input: String, message: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(input) }
        do { _ = try JSONParser.parse(input) } catch { #expect(error.message == message) }
    }

    @Test("strategic merge patch merges conditions by type and deletes nulls")
    func strategicMerge() throws {
        let node = try JSONParser.parse(#"{"spec":{"unschedulable":true,"podCIDR":"x"},"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"DiskPressure","status":"False"}]}}"#)
        let patch = try JSONParser.parse(#"{"spec":{"unschedulable":null},"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady"}]}}"#)
        let result = try PatchType.strategicMerge.apply(patch, to: node)
        #expect(JSONWriter.string(result) == #"{"spec":{"podCIDR":"x"},"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady"},{"type":"DiskPressure","status":"False"}]}}"#)
        // A merge patch replaces lists instead.
        let merged = try PatchType.merge.apply(patch, to: node)
        #expect(merged[["status", "conditions"]]?.arrayValue?.count == 1)
    }

    @Test("JSON patch add, replace, remove, test, move, copy")
    func jsonPatch() throws {
        let object = try JSONParser.parse(#"{"metadata":{"labels":{"a":"1"}},"spec":{"taints":[{"key":"k"}]}}"#)
        let patch = try JSONParser.parse(#"""
            [{"op":"test","path":"/metadata/labels/a","value":"1"},
             {"op":"add","path":"/metadata/labels/b~1c","value":"2"},
             {"op":"replace","path":"/metadata/labels/a","value":"3"},
             {"op":"add","path":"/spec/taints/-","value":{"key":"n"}},
             {"op":"copy","from":"/metadata/labels/a","path":"/metadata/labels/d"},
             {"op":"move","from":"/metadata/labels/d","path":"/metadata/labels/e"},
             {"op":"remove","path":"/spec/taints/0"}]
            """#)
        let result = try PatchType.json.apply(patch, to: object)
        #expect(JSONWriter.string(result) == #"{"metadata":{"labels":{"a":"3","b/c":"2","e":"3"}},"spec":{"taints":[{"key":"n"}]}}"#)
        let failing = try JSONParser.parse(#"[{"op":"test","path":"/metadata/labels/a","value":"9"}]"#)
        #expect(throws: PatchError.self) { try PatchType.json.apply(failing, to: object) }
        let missing = try JSONParser.parse(#"[{"op":"remove","path":"/nope"}]"#)
        #expect(throws: PatchError.self) { try PatchType.json.apply(missing, to: object) }
    }

    @Test("label selectors: equality, sets, existence")
    func labelSelectors() throws {
        let labels = ["app": "web", "tier": "front", "env": "prod"]
        func matches(_ text: String) throws -> Bool { try #require(LabelSelector.parse(text)).matches(labels) }
        #expect(try matches("app=web"))
        #expect(try matches("app==web,tier!=db"))
        #expect(try !matches("app=db"))
        #expect(try matches("env in (prod,staging)"))
        #expect(try !matches("env notin (prod)"))
        #expect(try matches("tier"))
        #expect(try matches("!gpu"))
        #expect(try !matches("!app"))
    }

    @Test("field selectors accept what the server supports and refuse the rest")
    func fieldSelectors() throws {
        let pod = try JSONParser.parse(#"{"metadata":{"name":"web-1","namespace":"default"},"spec":{"nodeName":"node01"},"status":{"phase":"Running"}}"#)
        let selector = try FieldSelector.parse("spec.nodeName=node01,metadata.name!=x", resource: "pods").get()
        #expect(selector.matches(pod))
        #expect(selector.nodeName == "node01")
        #expect(try !FieldSelector.parse("spec.nodeName=node02", resource: "pods").get().matches(pod))
        guard case .failure(let error) = FieldSelector.parse("spec.bogus=x", resource: "pods") else {
            Issue.record("spec.bogus was accepted"); return
        }
        #expect(error.message == "field label not supported: spec.bogus")
        #expect(error.code == 400)
    }

    @Test("continue tokens are the real server's base64url JSON")
    func continueTokens() throws {
        // The token of the capture nodes-list-limit2.
        let real = "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6Mjk0LCJzdGFydCI6Ii9ub2RlMDFcdTAwMDAifQ"
        let decoded = try #require(APIServer.decodeContinue(real))
        #expect(decoded.resourceVersion == 294)
        #expect(decoded.start == "/node01\u{0}")
        #expect(APIServer.encodeContinue(resourceVersion: 294, start: "/node01\u{0}") == real)
    }

    static let ageCases: [(Double, String)] = [
        (59, "59s"), (119, "119s"), (154, "2m34s"), (445, "7m25s"), (600, "10m"), (3 * 3600 + 5, "3h"), (7 * 3600 + 60, "7h1m"),
        (30 * 3600, "30h"), (3 * 86_400, "3d"), (3 * 86_400 + 7200, "3d2h"), (45 * 86_400, "45d"), (800 * 86_400, "2y70d"),
    ]

    @Test("ages print like kubectl's HumanDuration", arguments: ageCases)
    func ages(seconds: Double, text: String) {
        #expect(Timestamps.humanDuration(seconds) == text)
    }

    @Test("Status errors match the captured bodies byte for byte")
    func statusBodies() {
        #expect(JSONWriter.string(StatusError.notFound("nodes", "nope").json)
            == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"nodes \"nope\" not found","reason":"NotFound","details":{"name":"nope","kind":"nodes"},"code":404}"#)
        #expect(JSONWriter.string(StatusError.methodNotAllowed.json)
            == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server does not allow this method on the requested resource","reason":"MethodNotAllowed","details":{},"code":405}"#)
        #expect(JSONWriter.string(StatusError.unauthorized.json)
            == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#)
        #expect(JSONWriter.string(StatusError.success(code: 201)) == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}"#)
    }

    @Test("discovery lists pods/eviction in policy/v1, which kubectl drain looks for")
    func discovery() throws {
        let list = try #require(Discovery.resourceList(group: "", version: "v1"))
        let eviction = list["resources"]?.arrayValue?.first { $0["name"]?.stringValue == "pods/eviction" }
        #expect(eviction.map(JSONWriter.string) == #"{"name":"pods/eviction","singularName":"","namespaced":true,"group":"policy","version":"v1","kind":"Eviction","verbs":["create"]}"#)
        #expect(Discovery.wantsAggregated("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"))
        #expect(!Discovery.wantsAggregated("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"))
    }
}
