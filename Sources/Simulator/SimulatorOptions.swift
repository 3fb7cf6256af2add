/// How to start a simulator.
public struct SimulatorOptions: Sendable {
    public var scenario: Scenario
    /// TCP port on 127.0.0.1; 0 picks a free one.
    public var port: Int
    /// Node heartbeat updates per second delivered to watches (0: none).
    public var churnPerSecond: Int
    public var faults: FaultSettings

    public init(scenario: Scenario, port: Int = 0, churnPerSecond: Int = 0, faults: FaultSettings = .none) {
        self.scenario = scenario
        self.port = port
        self.churnPerSecond = churnPerSecond
        self.faults = faults
    }
}
