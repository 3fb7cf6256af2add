import Foundation

// libFuzzer target: the kubeconfig loader (KubeClient/Config, with Yams), on whatever a kubeconfig file may hold.
// Oracle: never crash nor hang; every refusal is a KubeClientError whose message is one screen-safe text (no
// escape sequence or other control character but newline and tab, at most 2,000 characters); and a file that
// parses resolves (its current context, no environment) to a configuration or to such an error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKubeconfigLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let config = try KubeconfigLoader.parse(text, path: "/fuzz/kubeconfig")
        do {
            _ = try KubeconfigLoader.resolve(config, context: nil, environment: [:], sourceFiles: ["/fuzz/kubeconfig"])
        } catch {
            check(error)
        }
    } catch {
        check(error)
    }
    return 0
}

private func check(_ error: KubeClientError) {
    let message = error.description
    if message.isEmpty { fatalError("an empty error message for \(error)") }
    if message.count > 2_000 { fatalError("an error message of \(message.count) characters: \(message.prefix(200))…") }
    for scalar in message.unicodeScalars where scalar.value < 0x20 && scalar != "\n" && scalar != "\t" || scalar.value == 0x7F
        || (0x80...0x9F).contains(scalar.value) {
        fatalError("a control character U+\(String(scalar.value, radix: 16)) reaches the screen: \(message.debugDescription)")
    }
}
