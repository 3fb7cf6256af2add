/// A runbook that cannot be used, with the file and step at fault.
public struct RunbookError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, starting with the file (and step) name.
    public let message: String

    init(_ origin: String, step: String? = nil, _ detail: String) {
        message = "\(origin)\(step.map { ", step \($0)" } ?? ""): \(detail)"
    }

    public var description: String { message }
}
