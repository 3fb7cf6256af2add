import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// The certificates of one simulator run: a CA, the server certificate (IP SANs 127.0.0.1 and the addresses of the
/// instances served at their node's address, DNS localhost) and the admin client certificate (CN=kubeskew-admin,
/// O=system:masters), all ECDSA P-256, generated at start.
public struct SimulatorPKI: Sendable, Codable {
    public let caCertificatePEM: String
    public let serverCertificatePEM: String
    public let serverKeyPEM: String
    public let clientCertificatePEM: String
    public let clientKeyPEM: String

    /// The client certificate's user and group.
    public static let clientUser = "kubeskew-admin"
    public static let clientGroup = "system:masters"

    /// `ipAddresses`: IPv4 addresses the server certificate names besides 127.0.0.1 (kubeadm puts each instance's
    /// advertise address in its apiserver certificate, so a client connecting there verifies it for that IP).
    public static func generate(now: Date = Date(), ipAddresses: [String] = []) throws -> SimulatorPKI {
        let notBefore = now.addingTimeInterval(-300)
        let notAfter = now.addingTimeInterval(365 * 86_400)
        let caKey = P256.Signing.PrivateKey()
        let caPrivate = Certificate.PrivateKey(caKey)
        let caName = try DistinguishedName { CommonName("kubeskew-sim-ca") }
        let caSKI = SubjectKeyIdentifier(hash: caPrivate.publicKey)
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: caPrivate.publicKey,
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                caSKI
            },
            issuerPrivateKey: caPrivate)

        func leaf(subject: DistinguishedName, usage: ExtendedKeyUsage, sans: SubjectAlternativeNames?) throws
            -> (Certificate, Certificate.PrivateKey) {
            let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
                notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: subject,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                    usage
                    AuthorityKeyIdentifier(keyIdentifier: caSKI.keyIdentifier)
                    if let sans { sans }
                },
                issuerPrivateKey: caPrivate)
            return (certificate, key)
        }
        let (server, serverKey) = try leaf(
            subject: try DistinguishedName { CommonName("kube-apiserver") },
            usage: try ExtendedKeyUsage([.serverAuth]),
            sans: SubjectAlternativeNames([.dnsName("localhost"), .dnsName("kubernetes"), .dnsName("kubernetes.default")]
                + (["127.0.0.1"] + ipAddresses.filter { $0 != "127.0.0.1" }).compactMap(ipv4Bytes)
                    .map { .ipAddress(ASN1OctetString(contentBytes: ArraySlice($0))) }))
        let (client, clientKey) = try leaf(
            subject: try DistinguishedName { OrganizationName(clientGroup); CommonName(clientUser) },
            usage: try ExtendedKeyUsage([.clientAuth]), sans: nil)
        return SimulatorPKI(
            caCertificatePEM: try ca.serializeAsPEM().pemString + "\n",
            serverCertificatePEM: try server.serializeAsPEM().pemString + "\n",
            serverKeyPEM: try serverKey.serializeAsPEM().pemString + "\n",
            clientCertificatePEM: try client.serializeAsPEM().pemString + "\n",
            clientKeyPEM: try clientKey.serializeAsPEM().pemString + "\n")
    }

    /// The four bytes of a dotted IPv4 address, or nil.
    static func ipv4Bytes(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.compactMap { $0 }
    }

    /// The IPv4 addresses the server certificate names (a PKI kept from an earlier run may lack a node's address).
    func serverCertificateIPs() -> [String] {
        guard let certificate = try? Certificate(pemEncoded: serverCertificatePEM),
              let names = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return names.compactMap { name in
            guard case .ipAddress(let octets) = name, octets.bytes.count == 4 else { return nil }
            return octets.bytes.map(String.init).joined(separator: ".")
        }
    }

    /// Server TLS that asks for a client certificate but does not require one, like kube-apiserver, so both
    /// certificate users and bearer-token users can connect.
    func serverTLSConfiguration() throws -> TLSConfiguration {
        let certificate = try NIOSSLCertificate(bytes: Array(serverCertificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(serverKeyPEM.utf8), format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caCertificatePEM.utf8)))
        tls.certificateVerification = .optionalVerification
        return tls
    }
}

extension SimulatorPKI {
    /// The PKI kept in `path` (JSON, 0600), generated and saved there the first time: a simulator restarted with the
    /// same file (and port) is the same server to its clients, as a real apiserver restart is.
    /// `ipAddresses` go into a certificate generated now; a kept one names what it named when it was made.
    public static func persistent(at path: String, ipAddresses: [String] = []) throws -> SimulatorPKI {
        if let data = FileManager.default.contents(atPath: path) {
            do { return try JSONDecoder().decode(SimulatorPKI.self, from: data) } catch {
                throw SimulatorError(message: "\(path) is not a simulator PKI file: \(error)")
            }
        }
        let pki = try generate(ipAddresses: ipAddresses)
        let data = try JSONEncoder().encode(pki)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw SimulatorError(message: "cannot write the PKI file \(path)")
        }
        return pki
    }
}
