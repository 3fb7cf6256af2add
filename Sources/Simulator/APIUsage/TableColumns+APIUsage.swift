/// The printers of kubernetes/pkg/printers/internalversion for Secrets, Endpoints and Ingresses.
extension TableColumns {
    static func withNameAndAge(_ middle: [(name: String, description: String)]) -> JSONValue {
        let standard = TableColumns.standard.arrayValue ?? []
        let columns = middle.map { column in
            JSONValue.object([("name", .string(column.name)), ("type", .string("string")), ("format", .string("")),
                              ("description", .string(column.description)), ("priority", .int(0))])
        }
        return .array(Array(standard.prefix(1)) + columns + Array(standard.dropFirst()))
    }

    /// printLease: Name, Holder (spec.holderIdentity, empty when none), Age.
    static let leases = withNameAndAge([
        ("Holder", "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field."),
    ])

    static let secrets = withNameAndAge([
        ("Type", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
        ("Data", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
    ])

    static let endpoints = withNameAndAge([
        ("Endpoints", "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service."),
    ])

    static let ingresses = withNameAndAge([
        ("Class", "The name of the IngressClass resource that should be used by this Ingress"),
        ("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
        ("Address", "Address is a list containing ingress points for the load-balancer"),
        ("Ports", "Ports of TLS configurations that open"),
    ])
}

extension TableBuilder {
    static func secretCells(_ secret: JSONValue, name: String, age: String) -> [String] {
        [name, secret["type"]?.stringValue ?? "Opaque", String(secret["data"]?.objectValue?.count ?? 0), age]
    }

    /// formatEndpoints: ip:port pairs of every subset, at most three, then "+ N more...".
    static func endpointsCells(_ endpoints: JSONValue, name: String, age: String) -> [String] {
        var pairs: [String] = []
        for subset in endpoints["subsets"]?.arrayValue ?? [] {
            for address in subset["addresses"]?.arrayValue ?? [] {
                for port in subset["ports"]?.arrayValue ?? [] {
                    pairs.append("\(address["ip"]?.stringValue ?? ""):\(port["port"]?.intValue ?? 0)")
                }
            }
        }
        var text = pairs.isEmpty ? "<none>" : pairs.prefix(3).joined(separator: ",")
        if pairs.count > 3 { text += " + \(pairs.count - 3) more..." }
        return [name, text, age]
    }

    /// printIngress: class or <none>, hosts ("*" when a rule has none; more than three become "+ N more..."),
    /// load-balancer addresses, 80 or "80, 443" with TLS.
    static func ingressCells(_ ingress: JSONValue, name: String, age: String) -> [String] {
        let className = ingress[["spec", "ingressClassName"]]?.stringValue ?? "<none>"
        let hosts = (ingress[["spec", "rules"]]?.arrayValue ?? []).map { $0["host"]?.stringValue ?? "*" }
        var hostText = hosts.isEmpty ? "*" : hosts.prefix(3).joined(separator: ",")
        if hosts.count > 3 { hostText += " + \(hosts.count - 3) more..." }
        let addresses = (ingress[["status", "loadBalancer", "ingress"]]?.arrayValue ?? []).compactMap {
            $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue
        }
        let ports = (ingress[["spec", "tls"]]?.arrayValue ?? []).isEmpty ? "80" : "80, 443"
        return [name, className, hostText, addresses.joined(separator: ","), ports, age]
    }
}
