import Foundation
import NodeExec
import SkewCore

/// How to tell that a step's effect is already there: every probe must succeed and print what it expects. A check
/// that claims less than its step does would skip work that was never done, so a runbook's check names every
/// package version and every hold (or exclude) its step sets.
public struct StepCheck: Sendable, Codable, Hashable {
    public let probes: [StepProbe]

    public init(probes: [StepProbe]) {
        self.probes = probes
    }

    /// A check of one probe.
    public init(argv: [String], expectOutput: String? = nil) {
        self.probes = [StepProbe(argv: argv, expectOutput: expectOutput)]
    }

    public var displayLine: String { probes.map(\.displayLine).joined(separator: ", and ") }

    /// What running the check found.
    public enum Outcome: Sendable, Equatable {
        /// Every probe passed: the step may be skipped.
        case alreadyDone
        /// A probe said the effect is not (all) there; the reason names it.
        case toDo(String)
        /// A probe could not run at all (the step then runs, as when the effect is missing).
        case couldNotRun(String)
    }

    /// Runs the probes in order on `target` and stops at the first that does not pass. Probes get the step's
    /// privilege (reading package state may need root) and a minute each.
    public func evaluate(privileged: Bool, executor: any NodeExecutor, on target: NodeTarget) async -> Outcome {
        for probe in probes {
            do {
                let (result, lines) = try await executor.collect(CommandSpec(probe.argv, privileged: privileged, timeout: .seconds(60)), on: target)
                let stdout = lines.filter { $0.source == .stdout }.map(\.text)
                if let why = probe.mismatch(succeeded: result.succeeded, status: result.status.description, stdout: stdout) {
                    return .toDo(why)
                }
            } catch {
                return .couldNotRun(error.description)
            }
        }
        return .alreadyDone
    }

    enum CodingKeys: String, CodingKey { case probes, argv, expectOutput }

    // Journals written before checks had several probes hold one `argv` and `expectOutput`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let probes = try c.decodeIfPresent([StepProbe].self, forKey: .probes) {
            self.probes = probes
        } else {
            self.probes = [StepProbe(argv: try c.decode([String].self, forKey: .argv),
                                     expectOutput: try c.decodeIfPresent(String.self, forKey: .expectOutput))]
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(probes, forKey: .probes)
    }
}

/// One command of a check and what its standard output must be for the probe to pass.
public struct StepProbe: Sendable, Codable, Hashable {
    public let argv: [String]
    /// The whole output, trimmed, must be exactly this.
    public let expectOutput: String?
    /// Each pattern must equal some output line (`*` matches any run of characters, as in `kubelet=1.33.3-*`).
    public let expectLines: [String]?

    public init(argv: [String], expectOutput: String? = nil, expectLines: [String]? = nil) {
        self.argv = argv
        self.expectOutput = expectOutput
        self.expectLines = expectLines
    }

    public var displayLine: String {
        let command = argv.map(PlannedStep.shellQuoteForDisplay).joined(separator: " ")
        if let expectOutput { return "\(command) prints \(expectOutput)" }
        if let expectLines { return "\(command) lists \(expectLines.joined(separator: ", "))" }
        return command
    }

    /// Why the probe does not pass, or nil when it does.
    func mismatch(succeeded: Bool, status: String, stdout: [String]) -> String? {
        let command = argv.map(PlannedStep.shellQuoteForDisplay).joined(separator: " ")
        guard succeeded else { return "`\(command)` \(status)" }
        if let expectOutput {
            let printed = stdout.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if printed != expectOutput { return "`\(command)` printed \(DisplaySafe.quote(printed)), not \(expectOutput)" }
        }
        let lines = stdout.map { $0.trimmingCharacters(in: .whitespaces) }
        for pattern in expectLines ?? [] where !lines.contains(where: { Self.glob(pattern, matches: $0) }) {
            return "`\(command)` does not list \(pattern)"
        }
        return nil
    }

    /// `*` matches any run of characters; everything else matches itself.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == text }
        guard text.hasPrefix(parts[0]), text.dropFirst(parts[0].count).hasSuffix(parts[parts.count - 1]),
              text.count >= parts[0].count + parts[parts.count - 1].count else { return false }
        var rest = Substring(text.dropFirst(parts[0].count).dropLast(parts[parts.count - 1].count))
        for middle in parts.dropFirst().dropLast() where !middle.isEmpty {
            guard let r = rest.range(of: middle) else { return false }
            rest = rest[r.upperBound...]
        }
        return true
    }
}
