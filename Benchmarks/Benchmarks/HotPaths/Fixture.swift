import Foundation
import KubeModel
import Simulator
import Synchronization

/// The cluster every benchmark reads: the simulator's generated 5,000-node cluster (`kubeskew sim --nodes 5000`),
/// as bytes the way kubeskew receives them.
///
/// - `pages`: the NodeList pages `KubeAPIClient.listNodes()` reads (500 nodes a page, the client's default), byte
///   for byte as the simulator's API server writes them (compact items, list metadata with `continue` and
///   `remainingItemCount`).
/// - `nodesFile`: `kubectl get nodes -o json` of the same nodes (a `List` of items with kind and apiVersion, four
///   spaces of indentation), what `kubeskew check --nodes-file` streams.
/// - the version-bearing kube-system objects the snapshot loader reads (static control-plane pods, kube-proxy and
///   CoreDNS pods, the kube-proxy DaemonSet, kubeadm-config).
///
/// package-benchmark runs every benchmark in a process of its own, so the fixture is generated once (starting the
/// simulator takes seconds) and kept in `KUBESKEW_BENCH_FIXTURES` (default: a folder in the temporary directory);
/// scripts/bench-inprocess empties it before each run, so a run never reads an older simulator's nodes.
struct Fixture: Sendable {
    static let nodeCount = 5_000
    /// `KubeAPIClient.Settings.pageSize`.
    static let pageSize = 500
    static let seed: UInt64 = 2

    let pages: [[UInt8]]
    let nodesFile: [UInt8]
    let systemPods: [Pod]
    let kubeProxyDaemonSet: DaemonSet?
    let kubeadmConfig: ConfigMap?

    var pageBytes: Int { pages.reduce(0) { $0 + $1.count } }

    /// The cluster as the dashboard's first snapshot holds it (nodes decoded from the pages).
    func snapshot() throws -> ClusterSnapshot {
        var nodes: [Node] = []
        nodes.reserveCapacity(Self.nodeCount)
        for page in pages { nodes += try FastNodeDecoding.list(page).nodes }
        return ClusterSnapshot(context: "bench", server: "https://127.0.0.1:6443", serverVersion: "v1.33.3", nodes: nodes,
                               systemPods: systemPods, kubeProxyDaemonSet: kubeProxyDaemonSet, kubeadmConfig: kubeadmConfig)
    }

    // MARK: loading

    private static let cache = Mutex<Fixture?>(nil)

    static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["KUBESKEW_BENCH_FIXTURES"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kubeskew-bench-fixtures-\(getuid())")
    }

    /// The fixture: from this process's memory, else from the folder, else generated (and written there).
    static func load() async throws -> Fixture {
        if let fixture = cache.withLock({ $0 }) { return fixture }
        let fixture: Fixture
        if let stored = try read(directory) { fixture = stored } else { fixture = try await generate(into: directory) }
        cache.withLock { $0 = fixture }
        return fixture
    }

    private struct System: Codable {
        var pods: [Pod]
        var daemonSet: DaemonSet?
        var configMap: ConfigMap?
    }

    private static func read(_ dir: URL) throws -> Fixture? {
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("complete").path) else { return nil }
        let count = (nodeCount + pageSize - 1) / pageSize
        let pages = try (0..<count).map { try bytes(dir.appendingPathComponent(pageName($0))) }
        let system = try JSONDecoder().decode(System.self, from: Data(contentsOf: dir.appendingPathComponent("system.json")))
        return Fixture(pages: pages, nodesFile: try bytes(dir.appendingPathComponent("nodes.json")), systemPods: system.pods,
                       kubeProxyDaemonSet: system.daemonSet, kubeadmConfig: system.configMap)
    }

    private static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    private static func pageName(_ index: Int) -> String { "page-\(index < 10 ? "0" : "")\(index).json" }

    private static func generate(into dir: URL) async throws -> Fixture {
        let started = ContinuousClock.now
        let scenario = Scenario.generated(nodes: nodeCount, seed: seed)
        let sim = try await RunningSimulator.start(SimulatorOptions(scenario: scenario))
        let image = await sim.image(runID: nil)
        let resourceVersion = await sim.cluster.resourceVersion
        try await sim.stop()

        // The node list pages, as APIServer.list writes them (objects in key order, i.e. by name).
        let nodes = image.objects(of: .nodes)
        var pages: [[UInt8]] = []
        var start = 0
        while start < nodes.count {
            let end = min(start + pageSize, nodes.count)
            var header = #"{"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"\#(resourceVersion)""#
            if end < nodes.count {
                let last = nodes[end - 1][["metadata", "name"]]?.stringValue ?? ""
                header += #","continue":"\#(continueToken(resourceVersion: resourceVersion, start: "/" + last + "\u{0}"))""#
                header += #","remainingItemCount":\#(nodes.count - end)"#
            }
            header += #"},"items":["#
            var page = Array(header.utf8)
            for index in start..<end {
                if index > start { page.append(UInt8(ascii: ",")) }
                JSONWriter.write(nodes[index], into: &page)
            }
            page += Array("]}\n".utf8)
            pages.append(page)
            start = end
        }

        // kubectl get nodes -o json: a List, each item with kind and apiVersion.
        let items = nodes.map { node -> JSONValue in
            .object([("apiVersion", .string("v1")), ("kind", .string("Node"))] + (node.objectValue ?? []))
        }
        let list = JSONValue.object([("apiVersion", .string("v1")), ("items", .array(items)), ("kind", .string("List")),
                                     ("metadata", .object([("resourceVersion", .string(""))]))])
        var nodesFile: [UInt8] = []
        nodesFile.reserveCapacity(pages.reduce(0) { $0 + $1.count } * 2)
        KubectlJSON.write(list, indent: 0, into: &nodesFile)
        nodesFile.append(UInt8(ascii: "\n"))

        // The kube-system objects ClusterSnapshotLoader reads.
        let systemPods = image.objects(of: .pods).filter { pod in
            guard pod[["metadata", "namespace"]]?.stringValue == "kube-system" else { return false }
            let labels = pod[["metadata", "labels"]]?.stringMap ?? [:]
            return labels["tier"] == "control-plane" || labels["k8s-app"] == "kube-proxy" || labels["k8s-app"] == "kube-dns"
        }
        let daemonSet = image.objects(of: .daemonSets).first {
            $0[["metadata", "namespace"]]?.stringValue == "kube-system" && $0[["metadata", "name"]]?.stringValue == "kube-proxy"
        }
        let configMap = image.objects(of: .configMaps).first {
            $0[["metadata", "namespace"]]?.stringValue == "kube-system" && $0[["metadata", "name"]]?.stringValue == "kubeadm-config"
        }
        var systemMembers: [(String, JSONValue)] = [("pods", .array(systemPods))]
        if let daemonSet { systemMembers.append(("daemonSet", daemonSet)) }
        if let configMap { systemMembers.append(("configMap", configMap)) }
        let systemBytes = JSONWriter.bytes(.object(systemMembers))
        let system = try JSONDecoder().decode(System.self, from: Data(systemBytes))

        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("complete"))
        for (index, page) in pages.enumerated() { try Data(page).write(to: dir.appendingPathComponent(pageName(index))) }
        try Data(nodesFile).write(to: dir.appendingPathComponent("nodes.json"))
        try Data(systemBytes).write(to: dir.appendingPathComponent("system.json"))
        try Data().write(to: dir.appendingPathComponent("complete"))
        let fixture = Fixture(pages: pages, nodesFile: nodesFile, systemPods: system.pods, kubeProxyDaemonSet: system.daemonSet,
                              kubeadmConfig: system.configMap)
        let elapsed = ContinuousClock.now - started
        FileHandle.standardError.write(Data("""
            fixture: \(nodes.count) nodes in \(pages.count) pages, \(fixture.pageBytes / nodes.count) bytes/node; \
            nodes file \(nodesFile.count >> 20) MiB; \(system.pods.count) system pods; generated in \(elapsed) into \(dir.path)\n
            """.utf8))
        return fixture
    }

    /// `{"v":"meta.k8s.io/v1","rv":…,"start":"/name\u0000"}`, unpadded base64url, as the API server encodes it.
    private static func continueToken(resourceVersion: Int, start: String) -> String {
        let json = JSONWriter.bytes(.object([("v", .string("meta.k8s.io/v1")), ("rv", .int(resourceVersion)), ("start", .string(start))]))
        return Data(json).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// JSON as `kubectl … -o json` prints it: keys sorted (it prints unstructured objects, Go maps), four spaces of
/// indentation, `"key": value`, empty objects and arrays as `{}` and `[]`.
enum KubectlJSON {
    static func write(_ value: JSONValue, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .array(let items) where !items.isEmpty:
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 4, &out)
                write(item, indent: indent + 4, into: &out)
            }
            newline(indent, &out)
            out.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (index, (key, member)) in members.sorted(by: { $0.0 < $1.0 }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 4, &out)
                JSONWriter.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                out.append(UInt8(ascii: " "))
                write(member, indent: indent + 4, into: &out)
            }
            newline(indent, &out)
            out.append(UInt8(ascii: "}"))
        default:
            JSONWriter.write(value, into: &out)
        }
    }

    private static func newline(_ indent: Int, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }
}
