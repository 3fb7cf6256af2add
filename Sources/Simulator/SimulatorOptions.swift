/// How to start a simulator.
public struct SimulatorOptions: Sendable {
    public var scenario: Scenario
    /// TCP port on 127.0.0.1; 0 picks a free one.
    public var port: Int
    /// Node heartbeat updates per second delivered to watches (0: none).
    public var churnPerSecond: Int
    public var faults: FaultSettings
    /// Speed of the simulated node shells: 1 = realistic (a few seconds per node), larger is faster, 0 = instant.
    public var shellSpeed: Double
    /// Certificates to serve with; nil generates a fresh CA.
    public var pki: SimulatorPKI?
    /// The first resourceVersion. A simulator restarted as "the same server" starts above every version it served
    /// before (as etcd's revision keeps growing), so clients' old versions get 410 Gone and they relist.
    public var resourceVersionBase: Int = 1
    /// Start from this image (objects and node shells) instead of building the scenario afresh.
    public var image: SimulatorImage?
    /// Manifests (text, and a name for errors) whose Roles and ClusterRoles replace the shipped ones of the same
    /// name, for the users `kubeskew-readonly` and `kubeskew-upgrader` (a test takes a rule away this way).
    public var rbacOverrides: [(text: String, source: String)] = []

    public init(scenario: Scenario, port: Int = 0, churnPerSecond: Int = 0, faults: FaultSettings = .none, shellSpeed: Double = 1,
                pki: SimulatorPKI? = nil) {
        self.scenario = scenario
        self.port = port
        self.churnPerSecond = churnPerSecond
        self.faults = faults
        self.shellSpeed = shellSpeed
        self.pki = pki
    }
}
