import CompressNIO
import Foundation
import NIOCore
import Testing
@testable import KubeModel

/// Decoding the `data.release` of a Helm 3 release Secret into the objects its manifest names.
struct HelmReleaseTests {
    /// The Secret value as Helm and Kubernetes make it: base64(base64(payload)).
    static func secretValue(_ payload: Data) -> String {
        Data(payload.base64EncodedString().utf8).base64EncodedString()
    }

    static func gzip(_ data: Data) throws -> Data {
        var buffer = ByteBuffer(bytes: data)
        var out = try buffer.compress(with: .gzip())
        return Data(out.readBytes(length: out.readableBytes) ?? [])
    }

    static func failure(_ secretData: String) -> String? {
        do {
            _ = try HelmRelease.decode(secretData: secretData)
            return nil
        } catch let e as HelmReleaseError {
            return e.description
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func aSecretMadeByGzipAndBase64FromTheShellDecodes() throws {
        let release = try HelmRelease.decode(secretData: HelmReleaseFixture.secretData)
        #expect(release.name == "shop")
        #expect(release.namespace == "web")
        #expect(release.revision == 3)
        #expect(release.status == "deployed")
        #expect(release.chart == "shop-1.4.2")
        #expect(release.objects == [
            ManifestObject(apiVersion: "v1", kind: "ServiceAccount", name: "shop", namespace: nil),
            ManifestObject(apiVersion: "v1", kind: "Service", name: "shop", namespace: nil),
            ManifestObject(apiVersion: "apps/v1", kind: "Deployment", name: "shop", namespace: nil),
            ManifestObject(apiVersion: "policy/v1beta1", kind: "PodDisruptionBudget", name: "shop", namespace: "web"),
        ])
    }

    @Test func gzipFromCompressNIODecodesTheSame() throws {
        let value = Self.secretValue(try Self.gzip(Data(HelmReleaseFixture.releaseJSON.utf8)))
        let release = try HelmRelease.decode(secretData: value)
        #expect(release.objects.count == 4)
        #expect(release.revision == 3)
    }

    @Test func uncompressedJSONIsAcceptedAsHelmDoes() throws {
        // Helm stored releases uncompressed before it added gzip, and still reads them.
        let release = try HelmRelease.decode(secretData: Self.secretValue(Data(HelmReleaseFixture.releaseJSON.utf8)))
        #expect(release.chart == "shop-1.4.2")
    }

    @Test func aValueAlreadyDecodedOnceIsAccepted() throws {
        // Some readers hand over the Secret's bytes (Helm's base64), not the JSON field.
        let once = try Self.gzip(Data(HelmReleaseFixture.releaseJSON.utf8)).base64EncodedString()
        #expect(try HelmRelease.decode(secretData: once).name == "shop")
    }

    @Test func notBase64SaysSo() {
        #expect(Self.failure("this is not base64!")?.contains("not base64") == true)
        #expect(Self.failure("")?.contains("empty") == true)
        // Valid outer base64 whose content is neither gzip, JSON nor base64.
        #expect(Self.failure(Data("hello world, no release".utf8).base64EncodedString())?.contains("helm.sh/release.v1") == true)
    }

    @Test func corruptGzipSaysSo() throws {
        var gz = try Self.gzip(Data(HelmReleaseFixture.releaseJSON.utf8))
        for i in 20..<min(gz.count, 60) { gz[i] ^= 0x5A }
        let problem = Self.failure(Self.secretValue(gz))
        #expect(problem != nil)
        #expect(problem?.contains("gzip") == true || problem?.contains("not Helm release JSON") == true, "\(problem ?? "")")
        // Only the magic: the stream ends at once.
        let truncated = Self.failure(Self.secretValue(Data([0x1F, 0x8B, 0x08, 0x00])))
        #expect(truncated != nil)
    }

    @Test func aGzipBombIsRefusedAtTheCap() async throws {
        let (size, problem) = try await onOwnThread {
            let bomb = try Self.gzip(Data(count: HelmRelease.maxDecompressedBytes + 1024))
            return (bomb.count, Self.failure(Self.secretValue(bomb)))
        }
        #expect(size < 1 << 20)
        #expect(problem?.contains("gzip bomb") == true, "\(problem ?? "accepted")")
    }

    @Test func jsonThatIsNotAReleaseNamesTheField() {
        let problem = Self.failure(Self.secretValue(Data(#"{"namespace":"web","version":1}"#.utf8)))
        #expect(problem == "the release is not Helm release JSON: name is missing")
    }

    @Test func aBrokenYAMLDocumentIsSkippedNotFatal() {
        let manifest = """
        ---
        # Source: a/templates/ok.yaml
        apiVersion: batch/v1beta1
        kind: CronJob
        metadata:
          name: nightly
          namespace: ops
        ---
        # Source: a/templates/broken.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: [unclosed
        ---
        ---
        # Source: a/templates/empty.yaml
        ---
        just a string
        ---
        - a list
        ---
        kind: NoVersion
        metadata:
          name: x
        --- # Source: a/templates/inline-marker.yaml
        apiVersion: networking.k8s.io/v1beta1
        kind: Ingress
        metadata:
          name: front
        """
        #expect(ManifestDocuments.objects(in: manifest) == [
            ManifestObject(apiVersion: "batch/v1beta1", kind: "CronJob", name: "nightly", namespace: "ops"),
            ManifestObject(apiVersion: "networking.k8s.io/v1beta1", kind: "Ingress", name: "front", namespace: nil),
        ])
    }

    @Test func deeplyNestedDocumentsAreSkippedWithoutCrashing() {
        let flow = "apiVersion: v1\nkind: ConfigMap\ndata: " + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        var block = "apiVersion: v1\nkind: ConfigMap\ndata:\n"
        for depth in 1...600 { block += String(repeating: " ", count: depth) + "k:\n" }
        let fine = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n"
        #expect(ManifestDocuments.objects(in: [flow, block, fine].joined(separator: "\n---\n")).map(\.kind) == ["Secret"])
    }
}
