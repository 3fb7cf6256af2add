import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// After a failed verification, looks at the server's certificate over a second, unverified handshake (nothing
/// is sent over it) to say which certificate failed and why.
enum TLSDiagnoser {
    static func diagnose(config: ResolvedKubeconfig, fallback: KubeClientError) async -> KubeClientError {
        guard let facts = try? await leafFacts(config: config, verification: .none) else { return fallback }
        // A second handshake with our roots but no name check tells "unknown authority" from "wrong name".
        let chainTrusted = (try? await leafFacts(config: config, verification: .noHostnameVerification)) != nil
        let trustSource: String
        switch config.trust {
        case .certificateAuthority(_, let source): trustSource = "the CA in \(source)"
        case .systemRoots: trustSource = "any CA trusted by this system (the kubeconfig sets none)"
        case .insecureSkipVerify: return fallback
        }
        let diagnosis = CertificateDiagnosis.explain(
            facts, host: config.tlsServerName ?? config.serverHost, now: Date(), chainTrusted: chainTrusted,
            trustSource: trustSource)
        return .tlsVerificationFailed(server: config.server, diagnosis: diagnosis)
    }

    private static func leafFacts(
        config: ResolvedKubeconfig, verification: CertificateVerification
    ) async throws -> CertificateFacts {
        var tls = try TLSSetup.configuration(for: config, clientCertificate: nil)
        tls.certificateVerification = verification
        let context = try NIOSSLContext(configuration: tls)
        let sniName = config.tlsServerName ?? config.serverHost
        let serverName: String? = sniName.contains(":") || sniName.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : sniName
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let handshake = loop.makePromise(of: Void.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: context, serverHostname: serverName))
                    try channel.pipeline.syncOperations.addHandler(HandshakeWaiter(promise: handshake))
                }
            }
            .connect(host: config.serverHost, port: config.serverPort).get()
        } catch {
            // A promise must be completed before it is released.
            handshake.fail(error)
            throw error
        }
        defer { channel.close(promise: nil) }
        let timeout = loop.scheduleTask(in: .seconds(5)) { handshake.fail(ChannelError.connectTimeout(.seconds(5))) }
        defer { timeout.cancel() }
        try await handshake.futureResult.get()
        guard let leaf = try await channel.nioSSL_peerCertificate().get() else {
            throw NIOSSLError.noCertificateToValidate
        }
        return facts(of: leaf)
    }

    static func facts(of certificate: NIOSSLCertificate) -> CertificateFacts {
        var dnsNames: [String] = []
        var ipAddresses: [String] = []
        for name in certificate._subjectAlternativeNames() {
            let bytes = Array(name.contents)
            if name.nameType == .dnsName {
                dnsNames.append(DisplayText.sanitize(String(decoding: bytes, as: UTF8.self), limit: 253))
            } else if name.nameType == .ipAddress, let text = CertificateDiagnosis.ipText(bytes) {
                ipAddresses.append(text)
            }
        }
        var commonName: String?
        let description = certificate.description
        if let range = description.range(of: ";common_name=") {
            let rest = description[range.upperBound...]
            commonName = String(rest.prefix { $0 != ";" && $0 != ">" })
        }
        return CertificateFacts(
            commonName: commonName.map { DisplayText.sanitize($0, limit: 200) }, dnsNames: dnsNames,
            ipAddresses: ipAddresses,
            notBefore: Date(timeIntervalSince1970: TimeInterval(certificate.notValidBefore)),
            notAfter: Date(timeIntervalSince1970: TimeInterval(certificate.notValidAfter)))
    }
}

/// Completes a promise when the TLS handshake finishes or the channel fails.
private final class HandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = Any
    private let promise: EventLoopPromise<Void>

    init(promise: EventLoopPromise<Void>) { self.promise = promise }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // TLSUserEvent lives in NIOTLS, which this target does not import; its description names the case.
        if String(describing: event).hasPrefix("handshakeCompleted") { promise.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }
}
