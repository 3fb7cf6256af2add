import Foundation
import Testing
@testable import KubeModel

/// The selective pod decoder must give exactly what JSONDecoder gives: on the example dumps' kube-system pods and on
/// tricky JSON covering every field `Pod` keeps.
struct FastPodDecodingTests {
    static func example(_ path: String) -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Assets/examples").appendingPathComponent(path)
        return (try? Data(contentsOf: url)) ?? Data()
    }

    func fast(_ data: Data) throws -> (pods: [Pod], metadata: ListMeta?) {
        try data.withUnsafeBytes { try FastPodDecoding.list($0) }
    }

    @Test(arguments: ["dump-v1.33.3/kube-system/pods.json", "dump-ha-mid-upgrade/kube-system/pods.json"])
    func exampleDumpsDecodeTheSame(path: String) throws {
        let data = Self.example(path)
        let expected = try JSONDecoder().decode(KubeList<Pod>.self, from: data)
        let decoded = try fast(data)
        #expect(decoded.pods.count > 5)
        #expect(decoded.pods == expected.items)
        #expect(decoded.metadata == expected.metadata)
    }

    static let tricky = #"""
    {"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7","continue":"c\u0041"},"items":[
      {"metadata":{"name":"kube-proxy-x","namespace":"kube-system","labels":{"k8s-app":"kube-proxy"},
                   "annotations":{"kubernetes.io/config.mirror":"abc"},"generation":2,"deletionTimestamp":null,
                   "ownerReferences":[{"apiVersion":"apps/v1","kind":"DaemonSet","name":"kube-proxy","uid":"u","controller":true,"blockOwnerDeletion":true},
                                      {"kind":"Other","name":"o"}],
                   "managedFields":[{"fieldsV1":{"f:spec":{"}":{"]":[1,2,{"x":"}"}]}}}}]},
       "spec":{"nodeName":"node-1","containers":[{"name":"kube-proxy","image":"registry.k8s.io/kube-proxy:v1.33.2","command":["a","b\"c"]},
                                                  {"name":"sidecar","image":null}],
               "volumes":[{"name":"scratch","emptyDir":{}},{"name":"mem","emptyDir":{"medium":"Memory","sizeLimit":"1Gi"}},
                          {"name":"cm","configMap":{"name":"x"}},{"name":"nul","emptyDir":null}],
               "tolerations":[{"operator":"Exists"}]},
       "status":{"phase":"Running","reason":"Evicted","message":"The node was low on resource: memory.",
                 "conditions":[{"type":"Ready","status":"False","lastProbeTime":null}],
                 "containerStatuses":[{"name":"kube-proxy","state":{"waiting":{"reason":"ErrImagePull","message":"pull \u00e9chou\u00e9"}},"ready":false},
                                      {"name":"sidecar","state":{"terminated":{"exitCode":137,"reason":"OOMKilled","startedAt":null}}},
                                      {"name":"third","state":null},{"name":"fourth","state":{"running":{"startedAt":"t"}}}]}},
      {"metadata":{"name":"bare"}},
      {"metadata":{"name":"nulls"},"spec":null,"status":null},
      {"metadata":{"name":"empty-status"},"spec":{"containers":[]},"status":{"conditions":null,"containerStatuses":null}}
    ]}
    """#

    @Test func trickyJSONDecodesTheSame() throws {
        let data = Data(Self.tricky.utf8)
        let expected = try JSONDecoder().decode(KubeList<Pod>.self, from: data)
        let decoded = try fast(data)
        #expect(decoded.pods == expected.items)
        #expect(decoded.pods[0].controller?.name == "kube-proxy")
        #expect(decoded.pods[0].hasEmptyDir && decoded.pods[0].isMirror)
        #expect(decoded.pods[0].status?.containerStatuses?[1].state?.terminated?.exitCode == 137)
        #expect(decoded.metadata?.continue == "cA")
    }

    @Test(arguments: [#"{"items":[{"spec":{"containers":[]}}]}"#, #"{"items":[{"metadata":{"name":"a"},"spec":{}}]}"#,
                      #"{"items":[{"metadata":{"name":"a"},"spec":{"containers":[{"image":"x"}]}}]}"#,
                      #"{"items":[{"metadata":{"name":"a"}}]} trailing"#, #"{"items":[{"metadata":{"name":"a"}"#])
    func malformedInputThrows(text: String) {
        #expect(throws: (any Error).self) { try fast(Data(text.utf8)) }
    }

    /// Property: random damage to real output never crashes, and whenever both decoders accept it they agree.
    @Test func damagedInputNeverCrashesAndAgreesWhenAccepted() throws {
        var agreed = 0
        for data in DamagedJSON.variants(of: Self.example("dump-ha-mid-upgrade/kube-system/pods.json")) {
            let decoded = try? fast(data)
            let slow = try? JSONDecoder().decode(KubeList<Pod>.self, from: data)
            if let decoded, let slow {
                #expect(decoded.pods == slow.items)
                agreed += 1
            }
        }
        #expect(agreed > 0)
    }
}
