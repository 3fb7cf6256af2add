/// Why a string is not a Kubernetes version; the message quotes the (sanitized) input.
public struct VersionParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let input: String
    public let reason: String

    public var message: String { "\(DisplaySafe.quote(input)) is not a version: \(reason)" }
    public var description: String { message }
}

/// Makes untrusted text safe to show: control characters escaped, length bounded.
public enum DisplaySafe {
    /// The text in double quotes, with control characters as `\u{..}` and at most `limit` characters.
    public static func quote(_ text: String, limit: Int = 64) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit { out += "…"; break }
            switch scalar.value {
            case 0x20...0x7E where scalar != "\"" && scalar != "\\": out.unicodeScalars.append(scalar)
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0..<0x20, 0x7F...0x9F: out += "\\u{\(String(scalar.value, radix: 16))}"
            default:
                if scalar.properties.generalCategory == .format || scalar.properties.generalCategory == .control {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            count += 1
        }
        return "\"" + out + "\""
    }
}
