import Foundation

/// Loopback TCP sockets for tests: free ports, and a listener that never answers.
public enum LoopbackPort {
    public struct SocketError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Binds port 0 on 127.0.0.1, reads the port the kernel chose, and closes the socket.
    public static func free() throws -> Int {
        let fd = try bound()
        defer { close(fd) }
        return try port(of: fd)
    }

    /// A port that refuses connections for as long as the returned socket stays open: bound, never listening. A
    /// port from ``free()`` is only free until another test's server is given it (the kernel hands ports out again;
    /// a fleet test once found a simulator answering "unauthorized" on its "closed" port).
    public static func refusing() throws -> RefusingPort {
        let fd = try bound()
        return RefusingPort(fd: fd, port: try port(of: fd))
    }

    /// A listening socket whose connections are never accepted nor answered; close it with `close(fd)`.
    public static func silentListener() throws -> (fd: Int32, port: Int) {
        let fd = try bound()
        guard listen(fd, 1) == 0 else {
            close(fd)
            throw SocketError(description: "listen failed: errno \(errno)")
        }
        return (fd, try port(of: fd))
    }

    private static func bound() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(description: "socket failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw SocketError(description: "bind to 127.0.0.1:0 failed: errno \(errno)")
        }
        return fd
    }

    private static func port(of fd: Int32) throws -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw SocketError(description: "getsockname failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    public static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// A loopback port held bound and never listened on, so connections to it are refused; closed at deinit.
public final class RefusingPort: @unchecked Sendable {
    public let port: Int
    private let fd: Int32

    init(fd: Int32, port: Int) {
        self.fd = fd
        self.port = port
    }

    deinit { close(fd) }
}
