import ArgumentParser
import Foundation
import SkewCore

/// Options shared by the commands that assess: newer data files, the target, and the day to judge end of life on.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Advisory data (JSON, same format as Assets/data/advisories.json) instead of the embedded table.", valueName: "FILE"))
    var advisories: String?

    @Option(name: .long, help: ArgumentHelp("Release calendar (JSON, same format as Assets/data/releases.json) instead of the embedded one.", valueName: "FILE"))
    var releases: String?

    @Option(name: .customLong("removed-apis"), help: ArgumentHelp("Removed-API table (JSON, same format as Assets/data/removed-apis.json) instead of the embedded one.", valueName: "FILE"))
    var removedAPIs: String?

    @Option(name: .long, help: ArgumentHelp(
        "The version to reach: vX.Y.Z, latest-patch (newest patch of the control plane's minor) or next-minor (newest patch of the next minor). Default: the version the control plane is being upgraded to (kubeadm-config's kubernetesVersion, else the newest kube-apiserver). A target newer than the control plane means the control plane is upgraded first.",
        valueName: "T"))
    var target: String?

    @Option(name: .long, help: ArgumentHelp("Judge end of life as on this day (YYYY-MM-DD) instead of today.", valueName: "DATE", visibility: .hidden))
    var today: String?

    /// The assessment context these options describe; errors name the file or value.
    func context() throws -> AssessmentContext {
        let calendar = try releases.map { path in try ReleaseCalendar.decode(readFile(path), origin: path) } ?? .embedded()
        let advisoryData = try advisories.map { path in try Advisories.decode(readFile(path), origin: path) } ?? .embedded()
        var choice = TargetChoice.intended
        if let target {
            guard let parsed = TargetChoice(argument: target) else {
                var reason = "not a version"
                do { _ = try KubeVersion(target) } catch { reason = error.message }
                throw OperatorError(message: "--target: \(DisplaySafe.quote(target)) is neither vX.Y.Z, latest-patch nor next-minor (\(reason))")
            }
            choice = parsed
        }
        let day: CalendarDate
        if let today {
            guard let d = CalendarDate(today) else { throw OperatorError(message: "--today: \(DisplaySafe.quote(today)) is not a YYYY-MM-DD date") }
            day = d
        } else {
            day = Self.currentDay()
        }
        return AssessmentContext(today: day, calendar: calendar, advisories: advisoryData, target: choice)
    }

    /// The table of removed API versions: `--removed-apis FILE`, else the embedded one; errors name the file.
    func removedAPITable() throws -> RemovedAPIs {
        try removedAPIs.map { path in try RemovedAPIs.decode(readFile(path), origin: path) } ?? .embedded()
    }

    static func currentDay(_ now: Date = Date()) -> CalendarDate {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = utc.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
    }
}

/// Reads a whole file, mapped rather than copied when the system allows; errors name the file.
func readFile(_ path: String) throws -> Data {
    do { return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
        let reason: String
        if !FileManager.default.fileExists(atPath: path) { reason = "no such file" }
        else if !FileManager.default.isReadableFile(atPath: path) { reason = "permission denied" }
        else { reason = "cannot be read (\((error as NSError).localizedDescription))" }
        throw OperatorError(message: "\(path): \(reason)")
    }
}
