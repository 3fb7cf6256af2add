import Foundation

// libFuzzer target: the fast Node decoder (KubeModel/Fast), which must read what Foundation's JSONDecoder reads.
// Oracle: never crash on any input; and for every input JSONDecoder reads as a named Node, the fast decoder reads
// that Node's canonical JSON (JSONEncoder's, escapes included) back as the same Node.
// The comparison goes through the canonical form because fuzzed input may repeat a key: Foundation keeps the first,
// the fast decoder (like Go's encoding/json, which wrote the object) the last. kube-apiserver never repeats one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNodeDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    _ = try? FastNodeDecoding.node(bytes)
    _ = try? FastNodeDecoding.list(bytes)
    guard let reference = try? JSONDecoder().decode(Node.self, from: bytes), !reference.metadata.name.isEmpty,
          let canonical = try? JSONEncoder().encode(reference) else { return 0 }
    let fast = try? FastNodeDecoding.node(canonical)
    if fast != reference {
        fatalError("the fast decoder reads \(String(decoding: canonical, as: UTF8.self).debugDescription) otherwise than JSONDecoder")
    }
    return 0
}
