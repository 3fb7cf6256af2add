import Foundation
import Testing
@testable import SkewCore

/// The parser against real version strings of every distribution, and against what Kubernetes' strict parser
/// (k8s.io/apimachinery/pkg/util/version ParseSemantic) rejects.
struct KubeVersionTests {
    @Test(arguments: [
        ("v1.33.3", 1, 33, 3, Distribution.vanilla),
        ("1.33.3", 1, 33, 3, .vanilla),
        ("v1.29.6-gke.1326000", 1, 29, 6, .gke),
        ("v1.30.4-eks-a737599", 1, 30, 4, .eks),
        ("v1.31.5+k3s1", 1, 31, 5, .k3s),
        ("v1.28.9+rke2r1", 1, 28, 9, .rke2),
        ("v1.29.5+a1b2c3d", 1, 29, 5, .openshift),
        // Issue 13: OpenShift kubelets on a release-candidate tag (OpenShift 4.8 shipped this one).
        ("v1.21.0-rc.0+6143dea", 1, 21, 0, .openshift),
        ("v1.27.6+f67aeb3", 1, 27, 6, .openshift),
        ("v1.30.1-aliyun.1", 1, 30, 1, .unknown),
        ("v1.30.2+k0s.0", 1, 30, 2, .k0s),
        ("v1.34.0-rc.1", 1, 34, 0, .vanilla),
        ("v1.35.0-alpha.0.123+abcdef", 1, 35, 0, .vanilla),
        // An upstream build between tags: a commit count, then the commit (hack/lib/version.sh), not OpenShift.
        ("v1.35.0-alpha.0.123+0123456789abcd", 1, 35, 0, .vanilla),
        ("v1.36.2", 1, 36, 2, .vanilla),
    ])
    func parsesRealVersions(text: String, major: Int, minor: Int, patch: Int, distribution: Distribution) throws {
        let v = try KubeVersion(text)
        #expect(v.major == major && v.minor == minor && v.patch == patch)
        #expect(v.distribution == distribution)
        // The canonical form parses back to the same value.
        #expect(try KubeVersion(v.description) == v)
    }

    // apimachinery version_test.go lists these as invalid semantic versions.
    @Test(arguments: ["1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "1.2.3-01", "", "v", "1", "1.2.", ".1.2",
                      "1.2.3-", "1.2.3+", "1.2.3-a..b", "1.2.3+a_b", "v1.33.3; rm -rf /", "v1.33.3 ", " v1.33.3",
                      "v1.33.3\n", "V1.33.3", "vv1.33.3", "１.33.3", "1.33.3\u{1B}[31m", "-1.2.3", "1.2.3.", "99999999999.1.1"])
    func rejectsWhatTheStrictParserRejects(text: String) {
        #expect(KubeVersion.parse(text) == nil, "accepted \(DisplaySafe.quote(text))")
        #expect(throws: VersionParseError.self) { try KubeVersion(text) }
    }

    @Test func errorMessagesNameTheInputSafely() {
        do {
            _ = try KubeVersion("v1.33.3\u{1B}]0;pwned\u{07}")
            Issue.record("accepted a control sequence")
        } catch {
            #expect(!error.message.contains("\u{1B}"))
            #expect(error.message.contains("\\u{1b}"))
        }
        do { _ = try KubeVersion("1.2") } catch { #expect(error.message == "\"1.2\" is not a version: needs MAJOR.MINOR.PATCH") }
    }

    @Test func precedenceFollowsSemver() throws {
        let ordered = ["v1.33.0-alpha.0", "v1.33.0-alpha.1", "v1.33.0-beta.0", "v1.33.0-rc.1", "v1.33.0", "v1.33.1", "v1.34.0"]
        let versions = try ordered.map { try KubeVersion($0) }
        for (a, b) in zip(versions, versions.dropFirst()) { #expect(a < b, "\(a) < \(b)") }
        #expect(try KubeVersion("v1.31.5+k3s1").samePrecedence(as: KubeVersion("v1.31.5")))
        #expect(try KubeVersion("v1.2.3-2") < KubeVersion("v1.2.3-10"), "numeric identifiers compare as numbers")
    }

    @Test func genericFormAcceptsWhatItShould() {
        #expect(KubeVersion.genericComponents("1.2") == [1, 2])
        #expect(KubeVersion.genericComponents("v1.2.3.4") == [1, 2, 3, 4])
        #expect(KubeVersion.genericComponents("1.28.0-whatever") == [1, 28, 0])
        #expect(KubeVersion.genericComponents("1") == nil)
        #expect(KubeVersion.genericComponents("x1.2") == nil)
    }

    /// Property: over random and hostile strings the parser never crashes and never accepts what the reference
    /// (apimachinery's regular expressions, transcribed) rejects.
    @Test func neverAcceptsWhatKubernetesRejects() {
        var rng = SplitMix64(seed: 0x6B756265736B6577)
        let alphabet = Array("0123456789..........vv--++abcrlphz\u{0} \u{1B};é١")
        var accepted = 0
        for _ in 0..<60_000 {
            let length = Int(rng.next() % 16)
            let text = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            if let v = KubeVersion.parse(text) {
                accepted += 1
                #expect(ReferenceSemverParser.accepts(text), "accepted \(DisplaySafe.quote(text)) → \(v)")
            }
        }
        // Mutations of real versions reach the interesting corners more often than random text does.
        let seeds = ["v1.33.3", "1.29.6-gke.1326000", "v1.35.0-alpha.0.123+abcdef", "v1.31.5+k3s1"]
        for seed in seeds {
            for _ in 0..<5_000 {
                var chars = Array(seed)
                let i = Int(rng.next() % UInt64(chars.count))
                switch rng.next() % 3 {
                case 0: chars.remove(at: i)
                case 1: chars.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: i)
                default: chars[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                }
                let text = String(chars)
                if KubeVersion.parse(text) != nil {
                    accepted += 1
                    #expect(ReferenceSemverParser.accepts(text), "accepted \(DisplaySafe.quote(text))")
                }
            }
        }
        #expect(accepted > 100, "the generator should reach valid versions too")
    }
}

/// apimachinery's ParseSemantic, transcribed from its regular expressions and checks, as the test's oracle.
enum ReferenceSemverParser {
    static func accepts(_ s: String) -> Bool {
        guard let outer = try? NSRegularExpression(pattern: #"^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)*$"#),
              let extra = try? NSRegularExpression(pattern: #"^(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?\s*$"#)
        else { return false }
        let ns = s as NSString
        guard let m = outer.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)), m.range(at: 1).location != NSNotFound
        else { return false }
        let numbers = ns.substring(with: m.range(at: 1)).split(separator: ".", omittingEmptySubsequences: false)
        let rest = m.range(at: 2).location == NSNotFound ? "" : ns.substring(with: m.range(at: 2))
        guard numbers.count == 3 else { return false }
        for n in numbers {
            if n.count > 1 && n.first == "0" { return false }
            guard UInt32(n) != nil else { return false }
        }
        let rns = rest as NSString
        guard let e = extra.firstMatch(in: rest, range: NSRange(location: 0, length: rns.length)) else { return false }
        if e.range(at: 1).location != NSNotFound {
            for id in rns.substring(with: e.range(at: 1)).split(separator: ".") where id.allSatisfy(\.isNumber) {
                if id.count > 1 && id.first == "0" { return false }
            }
        }
        return true
    }
}

/// A small deterministic generator, so a failing property run can be replayed.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

/// Distributions whose kubelet reports a plain version are recognised from the node's facts.
struct DistributionDetectionTests {
    let plain = KubeVersion.parse("v1.33.2")

    @Test func fromNodeFacts() {
        // azure:// alone is any Azure VM (AzureDistributionTests); AKS's node resource group says AKS.
        #expect(Distribution.detect(kubeletVersion: plain, providerID: "azure:///subscriptions/1/x", labels: [:], osImage: nil) == .vanilla)
        #expect(Distribution.detect(kubeletVersion: plain, providerID: "azure:///subscriptions/1/resourceGroups/MC_rg_aks_westeurope/x", labels: [:], osImage: nil) == .aks)
        #expect(Distribution.detect(kubeletVersion: plain, providerID: nil, labels: ["kubernetes.azure.com/cluster": "c"], osImage: nil) == .aks)
        #expect(Distribution.detect(kubeletVersion: plain, providerID: nil, labels: ["eks.amazonaws.com/nodegroup": "ng"], osImage: nil) == .eks)
        #expect(Distribution.detect(kubeletVersion: plain, providerID: nil, labels: ["cloud.google.com/gke-nodepool": "p"], osImage: nil) == .gke)
        #expect(Distribution.detect(kubeletVersion: plain, providerID: nil, labels: ["microk8s.io/cluster": "true"], osImage: nil) == .microk8s)
        #expect(Distribution.detect(kubeletVersion: plain, providerID: nil, labels: [:], osImage: "Talos (v1.7.0)") == .talos)
        #expect(Distribution.detect(kubeletVersion: plain, providerID: nil, labels: ["node.openshift.io/os_id": "rhcos"], osImage: nil) == .openshift)
        #expect(Distribution.detect(kubeletVersion: plain, providerID: nil, labels: ["kubernetes.io/hostname": "n"], osImage: "Ubuntu 22.04.5 LTS") == .vanilla)
        // The suffix wins over facts: a k3s build is k3s wherever it runs.
        #expect(Distribution.detect(kubeletVersion: KubeVersion.parse("v1.31.5+k3s1"), providerID: "aws:///x", labels: [:], osImage: nil) == .k3s)
    }

    // Issue 13: a kubelet version of `banana` was badged "managed: unrecognised distribution". An unreadable version
    // says nothing about who built the node: its verdict is `unknown`, and only the node's facts name a distribution.
    @Test func unreadableVersionIsNotADistribution() {
        #expect(Distribution.detect(kubeletVersion: nil, providerID: nil, labels: [:], osImage: "Ubuntu 22.04.5 LTS") == .vanilla)
        #expect(Distribution.detect(kubeletVersion: nil, providerID: nil, labels: ["eks.amazonaws.com/nodegroup": "ng"], osImage: nil) == .eks)
    }

    @Test func onlyUpstreamBuildsAreKubeadmManageable() {
        for d in Distribution.allCases {
            #expect(d.isKubeadmManageable == (d == .vanilla), "\(d)")
            #expect(!d.upgradeAdvice.isEmpty)
        }
    }
}
