import Foundation
import Testing
@testable import KubeModel

/// The selective decoder must give exactly what JSONDecoder gives, on real kubectl output and on tricky JSON.
struct FastNodeDecodingTests {
    static let realList: Data = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Assets/examples/nodes-v1.33.json")
        return (try? Data(contentsOf: url)) ?? Data()
    }()

    @Test func realKubectlOutputDecodesTheSame() throws {
        let expected = try JSONDecoder().decode(KubeList<Node>.self, from: Self.realList)
        let fast = try FastNodeDecoding.list(Self.realList)
        #expect(fast.nodes.count == 3)
        #expect(fast.nodes == expected.items)
        #expect(fast.metadata == expected.metadata)
    }

    static let tricky = #"""
    {"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"42","continue":"eyJ2Ijoi\u0041"},"items":[
      {"metadata":{"name":"n\u00e9ud-1","labels":{"a\"b":"c\\d","emoji":"\ud83d\ude80","ctl":"\n\t"},"annotations":null,
                   "managedFields":[{"fieldsV1":{"f:spec":{"}":{"]":[1,2,{"x":"}"}]}}}}]},
       "spec":{"unschedulable":true,"taints":[{"key":"k","effect":"NoSchedule","value":null,"extra":[true,false,null,-1.5e3]}]},
       "status":{"images":[{"names":["a","b"],"sizeBytes":123}],"nodeInfo":{"kubeletVersion":"v1.33.2","bogus":{"deep":[[[]]]}},
                 "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}],"addresses":[{"type":"InternalIP","address":"10.0.0.1"}]}},
      {"metadata":{"name":"bare"}},
      {"metadata":{"name":"nulls"},"spec":null,"status":null}
    ]}
    """#

    @Test func trickyJSONDecodesTheSame() throws {
        let data = Data(Self.tricky.utf8)
        let expected = try JSONDecoder().decode(KubeList<Node>.self, from: data)
        let fast = try FastNodeDecoding.list(data)
        #expect(fast.nodes == expected.items)
        #expect(fast.nodes[0].name == "nœud-1".replacingOccurrences(of: "œ", with: "é"))
        #expect(fast.nodes[0].labels["emoji"] == "🚀")
        #expect(fast.metadata?.continue == "eyJ2IjoiA")
    }

    /// Found by fuzzing (scripts/fuzz node): the fast decoder dropped `deletionTimestamp`, `generation` and
    /// `ownerReferences`, which JSONDecoder reads; a node being deleted lost its deletion.
    @Test func aNodeBeingDeletedKeepsItsDeletionAndOwners() throws {
        let data = Data(#"""
        {"metadata":{"name":"going","deletionTimestamp":"2026-12-07T10:00:00Z","generation":3,
         "ownerReferences":[{"apiVersion":"cluster.x-k8s.io/v1beta1","kind":"Machine","name":"m-1","uid":"u","controller":true,"extra":1}]}}
        """#.utf8)
        let expected = try JSONDecoder().decode(Node.self, from: data)
        let fast = try FastNodeDecoding.node(data)
        #expect(fast == expected)
        #expect(fast.metadata.deletionTimestamp == "2026-12-07T10:00:00Z" && fast.metadata.generation == 3)
        #expect(fast.metadata.ownerReferences?.first?.kind == "Machine")
    }

    /// The one-pass reader of a whole file (`check --nodes-file`) agrees with the streaming decoder it stands in for.
    @Test func wholeDocumentAgreesWithTheStreamingDecoder() throws {
        for text in [StreamingNodeDecoderTests.tricky, String(decoding: Self.realList, as: UTF8.self), Self.tricky] {
            var stream = StreamingNodeDecoder()
            try stream.feed(Array(text.utf8))
            let streamed = try stream.finish()
            var offsets: [Int] = []
            let whole = try Array(text.utf8).withUnsafeBytes { try FastNodeDecoding.document($0, progress: { offsets.append($0) }) }
            #expect(whole == streamed)
            #expect(offsets == offsets.sorted() && offsets.count >= (whole?.count ?? 0), "progress moves forward, once per item")
        }
    }

    @Test(arguments: [(#"{"kind":"Node","metadata":{"name":"solo"}}"#, "nil"),
                      (#"{"items":[{"metadata":{"name":"p"}}],"kind":"PodList"}"#, "throws"),
                      (#"{"kind":"NodeList","items":[{"metadata":{"name":"a"}}]} {}"#, "throws"),
                      (#"{"kind":"NodeList","items":[{"metadata":{"name":"a"}}],"items":[]}"#, "throws"),
                      (#"{"kind":"NodeList","items":null}"#, "nil")])
    func wholeDocumentLeavesTheUnusualToTheStreamingDecoder(text: String, outcome: String) {
        let result = Result { try Array(text.utf8).withUnsafeBytes { try FastNodeDecoding.document($0) } }
        switch (result, outcome) {
        case (.success(nil), "nil"), (.failure, "throws"): break
        default: Issue.record("\(text): \(result), expected \(outcome)")
        }
    }

    /// A node watch's lines: the Node of ADDED, MODIFIED and DELETED as JSONDecoder reads it; the rest refused (the
    /// watch then reads it with JSONDecoder).
    @Test func watchEventsCarryingANodeDecodeTheSame() throws {
        let list = try JSONSerialization.jsonObject(with: Data(Self.tricky.utf8)) as? [String: Any]
        let items = try #require(list?["items"] as? [Any])
        for (type, item) in zip(["ADDED", "MODIFIED", "DELETED"], items) {
            let line = try JSONSerialization.data(withJSONObject: ["type": type, "object": item])
            let fast = try line.withUnsafeBytes { try FastNodeDecoding.watchEvent($0) }
            let slow = try JSONDecoder().decode(WatchEvent<Node>.self, from: line)
            switch (fast, slow) {
            case (.added(let a), .added(let b)), (.modified(let a), .modified(let b)), (.deleted(let a), .deleted(let b)):
                #expect(a == b)
            default: Issue.record("\(type): \(fast) is not \(slow)")
            }
        }
        for refused in [#"{"type":"BOOKMARK","object":{"kind":"Node","metadata":{"resourceVersion":"12"}}}"#,
                        #"{"type":"ERROR","object":{"kind":"Status","code":410}}"#,
                        #"{"type":"SOMETHING","object":{"metadata":{"name":"a"}}}"#, #"{"type":"ADDED"}"#] {
            #expect(throws: (any Error).self) { try Array(refused.utf8).withUnsafeBytes { try FastNodeDecoding.watchEvent($0) } }
        }
    }

    @Test(arguments: [#"{"items":[{"spec":{}}]}"#, #"{"items":[{"metadata":{"name":"a"}"#, #"{"items":[{"metadata":{"name":1}}]}"#,
                      #"[1]"#, "", #"{"items":[{"metadata":{"name":"a\q"}}]}"#, #"{"items":[{"metadata":{"name":"a"}},]}"#])
    func malformedInputThrows(text: String) {
        #expect(throws: (any Error).self) { try FastNodeDecoding.list(Data(text.utf8)) }
    }

    /// Property: random damage to real output never crashes, and whenever both decoders accept it they agree.
    @Test func damagedInputNeverCrashesAndAgreesWhenAccepted() throws {
        var agreed = 0
        for data in DamagedJSON.variants(of: Self.realList) {
            let fast = try? FastNodeDecoding.list(data)
            let slow = try? JSONDecoder().decode(KubeList<Node>.self, from: data)
            if let fast, let slow {
                #expect(fast.nodes == slow.items)
                agreed += 1
            }
        }
        #expect(agreed > 0)
    }
}
