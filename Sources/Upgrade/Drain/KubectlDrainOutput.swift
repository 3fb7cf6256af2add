import Foundation

/// Reads why `kubectl drain` failed from its output, in words an operator can act on. Pure; shared by the guided
/// upgrade's drain step and the dashboard's single drain.
public enum KubectlDrainOutput {
    /// The cause: a PodDisruptionBudget refusal first (with the pod and how long kubectl tried), then a timeout, then
    /// the last `error:` line with kubectl's wrapping taken off; nil when none of these is in the output.
    public static func reason(in output: [String]) -> String? {
        let lines = output.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let timeout = lines.last { $0.contains("global timeout reached: ") }.flatMap(timeoutText)
        if let refused = lines.first(where: { $0.contains("violate the pod's disruption budget") }) {
            var reason = "a PodDisruptionBudget allows no disruption"
            if let pod = podName(in: refused) { reason += " of \(pod)" }
            if let timeout { reason += "; gave up after \(timeout)" }
            return reason
        }
        if let timeout { return "gave up after \(timeout) (pods still running)" }
        if let error = lines.last(where: { $0.hasPrefix("error: ") || $0.hasPrefix("Error from server") }) {
            var text = error.hasPrefix("error: ") ? String(error.dropFirst(7)) : error
            // kubectl drain wraps the cause: `unable to drain node "n" due to error: CAUSE, continuing command...`
            if text.hasPrefix("unable to drain node"), let cause = text.range(of: " due to error: ") {
                text = String(text[cause.upperBound...])
            }
            if text.hasSuffix(", continuing command...") { text = String(text.dropLast(", continuing command...".count)) }
            return text
        }
        return nil
    }

    /// `shop/postgres-0` from kubectl's `error when evicting pods/"postgres-0" -n "shop" …`.
    static func podName(in line: String) -> String? {
        let parts = line.components(separatedBy: "\"")
        guard parts.count >= 4, parts[0].hasSuffix("pods/"), parts[2].trimmingCharacters(in: .whitespaces) == "-n" else { return nil }
        return "\(parts[3])/\(parts[1])"
    }

    /// `15s` from `… global timeout reached: 15s, continuing command...`.
    static func timeoutText(_ line: String) -> String? {
        guard let range = line.range(of: "global timeout reached: ") else { return nil }
        let value = line[range.upperBound...].prefix { $0 != "]" && $0 != "," && $0 != " " }
        return value.isEmpty ? nil : String(value)
    }
}
