import Foundation
import Synchronization

/// The bearer tokens the simulator accepts, with expiry and rotation for exec-plugin tests.
final class TokenAuthority: Sendable {
    struct State {
        var token: String
        var issued: Date
        var expired = false
        var lifetime: Double?
    }

    /// The user name a valid token authenticates as.
    static let tokenUser = "sim-token-admin"
    /// A read-only user (get, list, watch), so clients can be tested against 403 Forbidden.
    static let viewerUser = "sim-viewer"
    /// The viewer's token, fixed for the run.
    let viewerToken = TokenAuthority.makeToken()
    /// The tokens of the users the shipped RBAC roles authorize (`kubeskew-readonly`, `kubeskew-upgrader`), fixed
    /// for the run: user → token.
    let roleTokens: [String: String] = [
        RBACAuthorizer.readOnlyUser: TokenAuthority.makeToken(), RBACAuthorizer.upgraderUser: TokenAuthority.makeToken(),
    ]

    private let state: Mutex<State>

    init() { state = Mutex(State(token: TokenAuthority.makeToken(), issued: Date())) }

    static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let id = String((0..<6).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        let secret = String((0..<16).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        return "\(id).\(secret)"
    }

    var current: String { state.withLock { $0.token } }

    /// The token's expiry time, when it has a lifetime.
    var expiry: Date? { state.withLock { s in s.lifetime.map { s.issued.addingTimeInterval($0) } } }

    func configure(expired: Bool, lifetime: Double?) {
        state.withLock { s in
            s.expired = expired
            s.lifetime = lifetime
        }
    }

    /// Issues a new token and makes it the only valid one.
    func rotate() -> String {
        state.withLock { s in
            s.token = TokenAuthority.makeToken()
            s.issued = Date()
            s.expired = false
            return s.token
        }
    }

    /// Whether `presented` is the current, unexpired token (constant-time comparison).
    func accepts(_ presented: String) -> Bool {
        state.withLock { s in
            if s.expired { return false }
            if let lifetime = s.lifetime, Date().timeIntervalSince(s.issued) > lifetime { return false }
            let a = Array(presented.utf8), b = Array(s.token.utf8)
            guard a.count == b.count else { return false }
            var difference: UInt8 = 0
            for i in 0..<a.count { difference |= a[i] ^ b[i] }
            return difference == 0
        }
    }
}
