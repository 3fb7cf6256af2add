/// A simulator failure with a message an operator or test author can act on.
public struct SimulatorError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
