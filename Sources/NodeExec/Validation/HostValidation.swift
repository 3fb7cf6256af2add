import Foundation

/// Strict, pure checks for names and addresses that end up in an ssh command line.
///
/// Everything from the cluster or the operator passes one of these before it reaches an argv: a value that
/// starts with `-` could become an option, and a value with shell metacharacters could escape quoting.
public enum HostValidation {
    /// An RFC 1123 label: 1–63 lowercase letters, digits or `-`, starting and ending with a letter or digit.
    public static func isRFC1123Label(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...63).contains(bytes.count) else { return false }
        guard let first = bytes.first, let last = bytes.last,
              isLowerAlnum(first), isLowerAlnum(last) else { return false }
        return bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// An RFC 1123 subdomain as Kubernetes validates node names: at most 253 characters, dot-separated labels.
    public static func isRFC1123Subdomain(_ text: String) -> Bool {
        guard (1...253).contains(text.utf8.count) else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isRFC1123Label(String($0)) }
    }

    /// A DNS host name as ssh accepts it: like a subdomain, but letters may be upper case.
    public static func isHostName(_ text: String) -> Bool {
        isRFC1123Subdomain(text.lowercased()) && text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// A dotted-quad IPv4 address; leading zeros are refused because some tools read them as octal.
    public static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
            if part.count > 1 && part.first == "0" { return false }
            guard let value = Int(part) else { return false }
            return value <= 255
        }
    }

    /// An IPv6 address without zone index or brackets, as `inet_pton` parses it.
    public static func isIPv6(_ text: String) -> Bool {
        guard text.contains(":"), text.utf8.count <= 45,
              text.utf8.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
        else { return false }
        var address = in6_addr()
        return text.withCString { inet_pton(AF_INET6, $0, &address) } == 1
    }

    /// An IPv4 or IPv6 address.
    public static func isIPAddress(_ text: String) -> Bool {
        isIPv4(text) || isIPv6(text)
    }

    /// Something ssh may connect to: a host name, an IPv4 or an IPv6 address.
    public static func isSSHHost(_ text: String) -> Bool {
        isIPAddress(text) || isHostName(text)
    }

    /// A login name: a letter or `_` first, then letters, digits, `_`, `.` or `-`; at most 32 characters.
    public static func isUserName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...32).contains(bytes.count), let first = bytes.first,
              isASCIILetter(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy {
            isASCIILetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
    }

    /// A TCP port number, 1–65535.
    public static func isPort(_ port: Int) -> Bool {
        (1...65535).contains(port)
    }

    /// An environment variable name: a letter or `_` first, then letters, digits or `_`.
    public static func isEnvironmentName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, isASCIILetter(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy { isASCIILetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// An ssh `-o` option as `Key=Value`: an alphabetic key, a value without control characters or newlines.
    public static func isSSHOption(_ text: String) -> Bool {
        guard let equals = text.firstIndex(of: "=") else { return false }
        let key = text[..<equals]
        let value = text[text.index(after: equals)...]
        guard !key.isEmpty, key.utf8.allSatisfy(isASCIILetter) else { return false }
        return !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || isDigit(byte)
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte)
    }
}
