import Hummingbird
import NIOCore
import NIOSSL
import X509

/// Hummingbird request context that keeps the connection's channel, to read the TLS peer certificate.
struct KubeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The verified client certificate's user (CN) and groups (O), if the client presented one.
    func clientCertificateIdentity() async -> Identity? {
        var certificate: NIOSSLCertificate?
        do {
            certificate = try await channel.nioSSL_peerCertificate().get()
        } catch ChannelPipelineError.notFound {
            // Under HTTP/2 the request runs on a stream child channel; TLS lives on the parent connection.
            certificate = try? await channel.parent?.nioSSL_peerCertificate().get()
        } catch {
            certificate = nil
        }
        guard let certificate, let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der) else {
            return nil
        }
        var user = ""
        var groups: [String] = []
        for rdn in parsed.subject {
            for attribute in rdn {
                if attribute.type == .RDNAttributeType.commonName { user = String(describing: attribute.value) }
                if attribute.type == .RDNAttributeType.organizationName { groups.append(String(describing: attribute.value)) }
            }
        }
        return user.isEmpty ? nil : Identity(user: user, groups: groups + ["system:authenticated"])
    }
}

/// Who made a request.
struct Identity: Sendable, Equatable {
    let user: String
    let groups: [String]
    static let anonymous = Identity(user: "system:anonymous", groups: ["system:unauthenticated"])
}
