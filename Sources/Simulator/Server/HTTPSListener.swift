import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// One address the simulator serves HTTPS on. Hummingbird binds one address per application, so each address is
/// its own application in its own service group: a node address that cannot be bound ends that listener alone
/// (one service group for all would cancel every listener when one service fails).
struct HTTPSListener: Sendable {
    let host: String
    /// The port actually bound (the kernel's pick when asked for 0).
    let port: Int
    private let serviceGroup: ServiceGroup
    private let runTask: Task<Void, any Error>

    /// The simulator's servers log nothing below critical: their clients' errors are the clients' to report.
    static let quietLogger: Logger = {
        var logger = Logger(label: "kubeskew.sim")
        logger.logLevel = .critical
        return logger
    }()

    /// Binds `host:port` (0: any free port) and returns once it accepts connections; throws why it could not.
    static func start(host: String, port: Int, tls: TLSConfiguration, logger: Logger = quietLogger,
                      respond: @escaping @Sendable (Request, KubeRequestContext) async throws -> Response) async throws -> HTTPSListener {
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: CallbackResponder<KubeRequestContext> { request, context in try await respond(request, context) },
            server: try .tls(.http1(configuration: .init(additionalChannelHandlers: [CloseOnHalfClose()])), tlsConfiguration: tls),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let serviceGroup = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let runTask = Task {
            // A failed bind ends run() without onServerRunning: finishing the stream wakes the wait below.
            defer { portContinuation.finish() }
            try await serviceGroup.run()
        }
        var boundPort: Int?
        for await port in portStream { boundPort = port }
        guard let bound = boundPort, bound > 0 else {
            runTask.cancel()
            let reason: String
            do { try await runTask.value; reason = "the server stopped before listening" } catch { reason = "\(error)" }
            throw SimulatorError(message: "cannot listen on \(host):\(port): \(reason)")
        }
        return HTTPSListener(host: host, port: bound, serviceGroup: serviceGroup, runTask: runTask)
    }

    /// Stops accepting, lets open requests finish, and waits for the server to close.
    func stop() async throws {
        await serviceGroup.triggerGracefulShutdown()
        try await runTask.value
    }
}
