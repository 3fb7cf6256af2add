import SkewCore

/// The HTTP `Warning` header the apiserver sends (`299 - "text"`), and the deprecation it usually reports.
public enum WarningHeader {
    /// Kubernetes sends at most 4 KiB of warnings per response; a longer header value is read only this far.
    static let maxValueBytes = 64 * 1024

    /// The quoted texts of a header value with one or more comma-separated warnings; malformed parts are skipped.
    public static func texts(_ value: String) -> [String] {
        var texts: [String] = []
        var s = Substring(value).utf8.prefix(maxValueBytes)
        while !s.isEmpty {
            skip(&s) { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: ",") }
            guard !s.isEmpty else { break }
            // warn-code SP warn-agent SP warn-text [SP warn-date]
            let code = take(&s) { $0 != 0x20 && $0 != UInt8(ascii: ",") }
            let ok = code.count == 3 && code.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            skip(&s) { $0 == 0x20 }
            _ = take(&s) { $0 != 0x20 && $0 != UInt8(ascii: ",") }
            skip(&s) { $0 == 0x20 }
            if ok, let text = quoted(&s) {
                texts.append(text)
                skip(&s) { $0 == 0x20 }
                _ = quoted(&s)   // the optional warn-date
            }
            // Whatever is left of this warning up to the next comma outside quotes.
            skipToComma(&s)
        }
        return texts
    }

    /// The API version a standard deprecation text names, e.g. `networking.k8s.io/v1beta1 Ingress is deprecated in
    /// v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress`; nil for other texts (a CRD's own wording,
    /// a webhook's warning).
    public static func apiUse(fromWarning text: String) -> APIUse? {
        guard text.utf8.count <= 1024,
              let m = text.wholeMatch(of: /(\S+) (\S+) is deprecated in v(\d+\.\d+)\+(?:, unavailable in v(\d+\.\d+)\+)?(?:; use .*)?/)
        else { return nil }
        let apiVersion = String(m.1)
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        let group = parts.count == 2 ? String(parts[0]) : ""
        return APIUse(group: group, version: String(parts[parts.count - 1]), kind: String(m.2),
                      removedRelease: m.4.flatMap { MinorLine(String($0)) }, evidence: .warning(text: text))
    }

    private typealias Bytes = Substring.UTF8View.SubSequence

    private static func skip(_ s: inout Bytes, while p: (UInt8) -> Bool) {
        while let b = s.first, p(b) { s.removeFirst() }
    }

    private static func take(_ s: inout Bytes, while p: (UInt8) -> Bool) -> [UInt8] {
        var taken: [UInt8] = []
        while let b = s.first, p(b), taken.count < 1024 { taken.append(s.removeFirst()) }
        return taken
    }

    /// A quoted-string with backslash escapes; nil (and nothing consumed) when `s` does not start with one that ends.
    private static func quoted(_ s: inout Bytes) -> String? {
        guard s.first == UInt8(ascii: "\"") else { return nil }
        var out: [UInt8] = []
        var i = s.index(after: s.startIndex)
        while i < s.endIndex {
            let b = s[i]
            if b == UInt8(ascii: "\"") {
                s = s[s.index(after: i)...]
                return String(decoding: out, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") {
                i = s.index(after: i)
                guard i < s.endIndex else { return nil }
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return nil
    }

    private static func skipToComma(_ s: inout Bytes) {
        var inQuotes = false
        while let b = s.first {
            if b == UInt8(ascii: ",") && !inQuotes { return }
            if b == UInt8(ascii: "\"") { inQuotes.toggle() }
            if b == UInt8(ascii: "\\") && inQuotes { s.removeFirst() }
            if !s.isEmpty { s.removeFirst() }
        }
    }
}
