/// The `PartialObjectMetadataList` form of a list (`Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;
/// v=v1`): each item's metadata only, managedFields included, as the captured kube-apiserver answers
/// (apiserver-captures/nodes-list-partialobjectmetadata). Clients that need only names, labels and annotations (the
/// garbage collector, kubeskew's search for last-applied manifests) ask for it to save the transfer.
enum PartialMetadataList {
    static func document(_ objects: [StoredObject], resourceVersion: Int, continueToken: String?, remaining: Int?) -> JSONValue {
        var metadata: [(String, JSONValue)] = [("resourceVersion", .string(String(resourceVersion)))]
        if let continueToken { metadata.append(("continue", .string(continueToken))) }
        if let remaining { metadata.append(("remainingItemCount", .int(remaining))) }
        let items: [JSONValue] = objects.map { object in
            .object([("kind", .string("PartialObjectMetadata")), ("apiVersion", .string("meta.k8s.io/v1")),
                     ("metadata", object.object["metadata"] ?? .object([]))])
        }
        return .object([("kind", .string("PartialObjectMetadataList")), ("apiVersion", .string("meta.k8s.io/v1")),
                        ("metadata", .object(metadata)), ("items", .array(items))])
    }
}
