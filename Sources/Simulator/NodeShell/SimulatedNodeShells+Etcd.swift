import Foundation

/// `etcdctl snapshot save` and `etcdutl snapshot status` on control-plane nodes, with etcd 3.5's output: the
/// snapshot "file" is recorded in the node's state, so a later status reads what the save wrote.
extension SimulatedNodeShells {
    /// The files kubeadm writes under /etc/kubernetes/pki that a client of the local etcd can use.
    static let etcdClientFiles: Set<String> = [
        "/etc/kubernetes/pki/etcd/ca.crt",
        "/etc/kubernetes/pki/etcd/server.crt", "/etc/kubernetes/pki/etcd/server.key",
        "/etc/kubernetes/pki/etcd/healthcheck-client.crt", "/etc/kubernetes/pki/etcd/healthcheck-client.key",
        "/etc/kubernetes/pki/etcd/peer.crt", "/etc/kubernetes/pki/etcd/peer.key",
        "/etc/kubernetes/pki/apiserver-etcd-client.crt", "/etc/kubernetes/pki/apiserver-etcd-client.key",
    ]

    /// Flags of the form `--name=value` or `--name value`, and the positional operands.
    static func parseFlags(_ args: [String], valued: Set<String>) -> (flags: [String: String], operands: [String]) {
        var flags: [String: String] = [:]
        var operands: [String] = []
        var rest = args[...]
        while let a = rest.popFirst() {
            if a.hasPrefix("--") || (a.hasPrefix("-") && a.count == 2) {
                let body = a.drop { $0 == "-" }
                if let eq = body.firstIndex(of: "=") {
                    flags[String(body[..<eq])] = String(body[body.index(after: eq)...])
                } else if valued.contains(String(body)) {
                    flags[String(body)] = rest.popFirst() ?? ""
                } else {
                    flags[String(body)] = "true"
                }
            } else {
                operands.append(a)
            }
        }
        return (flags, operands)
    }

    func etcdctl(_ node: String, _ args: [String], _ s: inout NodeShellState, _ emit: Emit) async -> Int32 {
        let (flags, operands) = Self.parseFlags(args, valued: ["endpoints", "cacert", "cert", "key", "w", "write-out", "command-timeout", "dial-timeout"])
        if operands.first == "version" {
            await emit("etcdctl version: \(etcdRelease(node: node, s))", false)
            await emit("API version: 3.5", false)
            return 0
        }
        guard operands.count >= 2, operands[0] == "snapshot" else {
            await emit("Error: unknown command \"\(operands.first ?? "")\" for \"etcdctl\"", true)
            return 1
        }
        if operands[1] == "status" {
            // etcd 3.5 still answers, with the deprecation notice on stderr.
            await emit("Deprecated: Use `etcdutl snapshot status` instead.", true)
            await emit("", true)
            return await etcdutl(Array(args.filter { $0 != "--endpoints" }), s, emit)
        }
        guard operands[1] == "save", operands.count == 3 else {
            await emit("Error: snapshot save expects one argument", true)
            return 1
        }
        let path = operands[2]
        let endpoint = flags["endpoints"] ?? "127.0.0.1:2379"
        for flag in ["cacert", "cert", "key"] {
            if let file = flags[flag], !Self.etcdClientFiles.contains(file) {
                await emit("Error: open \(file): no such file or directory", true)
                return 1
            }
        }
        let hasEtcd = await cluster.controlPlaneView().instance(node)?.etcd != nil
        let tls = flags["cacert"] != nil && flags["cert"] != nil && flags["key"] != nil
        guard hasEtcd, endpoint.contains("127.0.0.1:2379") || endpoint.contains("localhost:2379"), tls else {
            // Without the client certificate etcd refuses the TLS handshake and etcdctl retries until its deadline.
            await pause(1.0)
            await emit("{\"level\":\"warn\",\"ts\":\"\(Self.etcdTimestamp())\",\"logger\":\"etcd-client\",\"caller\":\"v3@v3.5.21/retry_interceptor.go:63\",\"msg\":\"retrying of unary invoker failed\",\"target\":\"etcd-endpoints://0xc0001f2000/\(endpoint.replacingOccurrences(of: "https://", with: ""))\",\"attempt\":0,\"error\":\"rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: connection error: desc = \\\"transport: authentication handshake failed: remote error: tls: certificate required\\\"\"}", true)
            await emit("Error: context deadline exceeded", true)
            return 1
        }
        let size = await cluster.resourceVersion * 1_800 + 4_202_496
        let ts = Self.etcdTimestamp()
        guard Self.folderExists(of: path, in: s) else {
            // etcdctl 3.5 creates `<path>.part` first; without the folder that open fails and nothing is fetched.
            await emit("Error: could not open \(path).part (open \(path).part: no such file or directory)", true)
            return 1
        }
        await emit("{\"level\":\"info\",\"ts\":\"\(ts)\",\"caller\":\"snapshot/v3_snapshot.go:65\",\"msg\":\"created temporary db file\",\"path\":\"\(path).part\"}", true)
        await emit("{\"level\":\"info\",\"ts\":\"\(ts)\",\"logger\":\"client\",\"caller\":\"v3@v3.5.21/maintenance.go:212\",\"msg\":\"opened snapshot stream; downloading\"}", true)
        await emit("{\"level\":\"info\",\"ts\":\"\(ts)\",\"caller\":\"snapshot/v3_snapshot.go:73\",\"msg\":\"fetching snapshot\",\"endpoint\":\"\(endpoint)\"}", true)
        await pause(0.6)
        await emit("{\"level\":\"info\",\"ts\":\"\(Self.etcdTimestamp())\",\"logger\":\"client\",\"caller\":\"v3@v3.5.21/maintenance.go:220\",\"msg\":\"completed snapshot read; closing\"}", true)
        await emit("{\"level\":\"info\",\"ts\":\"\(Self.etcdTimestamp())\",\"caller\":\"snapshot/v3_snapshot.go:88\",\"msg\":\"fetched snapshot\",\"endpoint\":\"\(endpoint)\",\"size\":\"\(Self.humanSize(size))\",\"took\":\"now\"}", true)
        await emit("{\"level\":\"info\",\"ts\":\"\(Self.etcdTimestamp())\",\"caller\":\"snapshot/v3_snapshot.go:97\",\"msg\":\"saved\",\"path\":\"\(path)\"}", true)
        await emit("Snapshot saved at \(path)", false)
        let revision = await cluster.resourceVersion
        let keys = await cluster.objectCount + 12
        s.snapshots = (s.snapshots ?? [:]).merging([path: EtcdSnapshot(hash: UInt32.random(in: 0x1000_0000...UInt32.max), revision: revision,
                                                                      totalKeys: keys, totalSizeBytes: size)]) { $1 }
        return 0
    }

    /// `etcdutl [-w table|json|simple] snapshot status FILE`.
    func etcdutl(_ args: [String], _ s: NodeShellState, _ emit: Emit) async -> Int32 {
        let (flags, operands) = Self.parseFlags(args, valued: ["w", "write-out", "cacert", "cert", "key", "endpoints", "data-dir"])
        guard operands.count == 3, operands[0] == "snapshot", operands[1] == "status" else {
            await emit("Error: unknown command \"\(operands.joined(separator: " "))\" for \"etcdutl\"", true)
            return 1
        }
        let path = operands[2]
        guard let snap = s.snapshots?[path] else {
            await emit("Error: stat \(path): no such file or directory", true)
            return 1
        }
        let hash = String(format: "%08x", snap.hash)
        let size = Self.humanSize(snap.totalSizeBytes)
        switch flags["write-out"] ?? flags["w"] ?? "simple" {
        case "table":
            let cells = [hash, String(snap.revision), String(snap.totalKeys), size]
            let headers = ["HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE"]
            let widths = zip(headers, cells).map { max($0.count, $1.count) }
            let rule = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+"
            func centered(_ t: String, _ w: Int) -> String {
                let left = (w - t.count) / 2
                return String(repeating: " ", count: left) + t + String(repeating: " ", count: w - t.count - left)
            }
            // tablewriter centres headers, right-aligns numbers and left-aligns text.
            let row = zip(cells, widths).enumerated().map { i, pair in
                let (t, w) = pair
                let pad = String(repeating: " ", count: w - t.count)
                return (i == 1 || i == 2) ? pad + t : t + pad
            }
            for line in [rule, "| " + zip(headers, widths).map { centered($0, $1) }.joined(separator: " | ") + " |", rule,
                         "| " + row.joined(separator: " | ") + " |", rule] {
                await emit(line, false)
            }
        case "json":
            await emit("{\"hash\":\(snap.hash),\"revision\":\(snap.revision),\"totalKey\":\(snap.totalKeys),\"totalSize\":\(snap.totalSizeBytes)}", false)
        default:
            await emit("\(hash), \(snap.revision), \(snap.totalKeys), \(size)", false)
        }
        return 0
    }

    /// The etcd release of the node's etcd static pod (`3.5.21` of `3.5.21-0`).
    private func etcdRelease(node: String, _ s: NodeShellState) async -> String {
        let tag = await cluster.controlPlaneView().instance(node)?.etcd ?? "3.5.21-0"
        return String(tag.prefix { $0 != "-" })
    }

    /// go-humanize's Bytes, as etcd prints sizes: "5.2 MB".
    static func humanSize(_ bytes: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: value < 10 ? "%.1f" : "%.0f", value) + " " + units[unit]
    }

    static func etcdTimestamp() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'"
        return f.string(from: Date())
    }
}
