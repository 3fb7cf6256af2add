import Foundation

/// Release, maintenance and end-of-life dates per minor, with the newest patch known, and the day the data was taken.
public struct ReleaseCalendar: Sendable, Codable {
    /// One minor line's dates.
    public struct Release: Sendable, Codable, Equatable {
        public let minor: MinorLine
        public let released: CalendarDate
        public let maintenanceStarts: CalendarDate?
        public let endOfLife: CalendarDate
        public let newestPatch: KubeVersion
        /// True when `newestPatch` is the last patch the line will get.
        public let final: Bool
    }

    public let dataTakenOn: CalendarDate
    public let source: String
    public let releases: [Release]

    /// The calendar that ships inside kubeskew.
    public static func embedded() -> ReleaseCalendar {
        do { return try decode(Data(EmbeddedData.files["releases.json", default: ""].utf8), origin: "embedded releases.json") } catch {
            preconditionFailure("the embedded release calendar does not parse: \(error)")
        }
    }

    /// Reads a calendar in the same JSON format (`--releases FILE`).
    public static func decode(_ data: Data, origin: String) throws -> ReleaseCalendar {
        do { return try JSONDecoder().decode(ReleaseCalendar.self, from: data) } catch {
            throw DataFileError(file: origin, problem: DataFileError.describe(error))
        }
    }

    public func release(_ minor: MinorLine) -> Release? { releases.first { $0.minor == minor } }

    /// True when the minor's end of life is before `today`; nil when the calendar does not know the minor.
    public func isEndOfLife(_ minor: MinorLine, on today: CalendarDate) -> Bool? {
        if let r = release(minor) { return r.endOfLife < today }
        // A line older than every known one is long past its end of life.
        if let oldest = releases.map(\.minor).min(), minor < oldest { return true }
        return nil
    }
}

/// A data file (`--releases`, `--advisories`, a nodes file) that cannot be used, with the file and the problem.
public struct DataFileError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let problem: String

    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }

    /// Turns a DecodingError into words that name the field.
    public static func describe(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ c: [any CodingKey]) -> String {
            let p = c.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "the top level" : String(p.drop(while: { $0 == "." }))
        }
        switch e {
        case .keyNotFound(let key, let ctx): return "\(path(ctx.codingPath + [key])) is missing"
        case .typeMismatch(let type, let ctx): return "\(path(ctx.codingPath)) is not a \(type)"
        case .valueNotFound(_, let ctx): return "\(path(ctx.codingPath)) is null"
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty {
                return "not valid JSON (\(ctx.underlyingError.map { "\($0)" } ?? ctx.debugDescription))"
            }
            return "\(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
