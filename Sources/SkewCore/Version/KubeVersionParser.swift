/// The parsing rules of k8s.io/apimachinery/pkg/util/version, written out by hand so every branch can be tested.
enum KubeVersionParser {
    /// Strict semantic form: `v?MAJOR.MINOR.PATCH(-PRE)?(+BUILD)?`, no leading zeros, exactly three numbers.
    /// Stricter than apimachinery in one way: no surrounding white space is accepted.
    static func parseSemantic(_ text: String) throws(VersionParseError) -> KubeVersion {
        func fail(_ reason: String) -> VersionParseError { VersionParseError(input: text, reason: reason) }
        guard !text.isEmpty else { throw fail("empty") }
        guard text.utf8.count <= 128 else { throw fail("longer than 128 characters") }
        var rest = Substring(text)
        if rest.first == "v" { rest = rest.dropFirst() }
        // The numeric core ends at the first '-' or '+'.
        let coreEnd = rest.firstIndex(where: { $0 == "-" || $0 == "+" }) ?? rest.endIndex
        let core = rest[..<coreEnd]
        let numbers = core.split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 3 else {
            throw fail(numbers.count < 3 ? "needs MAJOR.MINOR.PATCH" : "has more than three numbers")
        }
        var parsed: [Int] = []
        for n in numbers {
            guard let value = number(n) else {
                if n.count > 1, n.first == "0", n.allSatisfy(\.isASCIIDigit) { throw fail("leading zero in \(n)") }
                throw fail("\(DisplaySafe.quote(String(n))) is not a number")
            }
            parsed.append(value)
        }
        var pre: [String] = []
        var build: [String] = []
        var suffix = rest[coreEnd...]
        if suffix.first == "-" {
            suffix = suffix.dropFirst()
            let end = suffix.firstIndex(of: "+") ?? suffix.endIndex
            pre = try identifiers(suffix[..<end], numericMustNotHaveLeadingZero: true, what: "pre-release", text)
            suffix = suffix[end...]
        }
        if suffix.first == "+" {
            build = try identifiers(suffix.dropFirst(), numericMustNotHaveLeadingZero: false, what: "build metadata", text)
            suffix = suffix[suffix.endIndex...]
        }
        guard suffix.isEmpty else { throw fail("unexpected text after the version") }
        return KubeVersion(major: parsed[0], minor: parsed[1], patch: parsed[2], preRelease: pre, buildMetadata: build)
    }

    /// A decimal number without sign or leading zero, small enough to be a version part.
    static func number(_ s: Substring) -> Int? {
        guard !s.isEmpty, s.count <= 9, s.allSatisfy(\.isASCIIDigit) else { return nil }
        if s.count > 1 && s.first == "0" { return nil }
        return Int(s)
    }

    private static func identifiers(
        _ s: Substring, numericMustNotHaveLeadingZero: Bool, what: String, _ text: String
    ) throws(VersionParseError) -> [String] {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        var out: [String] = []
        for p in parts {
            guard !p.isEmpty else { throw VersionParseError(input: text, reason: "empty \(what) identifier") }
            guard p.allSatisfy({ $0.isASCIIAlphanumericOrHyphen }) else {
                throw VersionParseError(input: text, reason: "\(what) may hold only [0-9A-Za-z-]")
            }
            if numericMustNotHaveLeadingZero, p.count > 1, p.first == "0", p.allSatisfy(\.isASCIIDigit) {
                throw VersionParseError(input: text, reason: "leading zero in numeric \(what) identifier \(p)")
            }
            out.append(String(p))
        }
        return out
    }

    /// Generic form (apimachinery `ParseGeneric`): at least MAJOR.MINOR, anything after the numbers ignored.
    static func parseGeneric(_ text: String) -> [Int]? {
        var rest = Substring(text)
        if rest.first == "v" { rest = rest.dropFirst() }
        let digitsAndDots = rest.prefix(while: { $0.isASCIIDigit || $0 == "." })
        var parts = digitsAndDots.split(separator: ".", omittingEmptySubsequences: false)
        if parts.last?.isEmpty == true, digitsAndDots.count < rest.count { parts.removeLast() }
        guard parts.count >= 2 else { return nil }
        var out: [Int] = []
        for p in parts {
            guard let n = number(p) else { return nil }
            out.append(n)
        }
        return out
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) && isASCII }
    var isASCIIAlphanumericOrHyphen: Bool {
        isASCII && (("0"..."9").contains(self) || ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "-")
    }
}

extension KubeVersion {
    /// The numbers of a version in apimachinery's generic form (`1.2`, `v1.2.3.4`, `1.28.0-whatever`): at least two,
    /// suffix ignored; nil where even that form rejects the text.
    public static func genericComponents(_ text: String) -> [Int]? { KubeVersionParser.parseGeneric(text) }
}
