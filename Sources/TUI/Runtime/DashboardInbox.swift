import Glibc
import Synchronization

/// Where other tasks post messages for a screen: a locked queue plus a self-pipe that wakes the UI thread's
/// `poll`. Posting never blocks, and a burst costs one wake-up byte.
public final class Inbox<Message: Sendable>: Sendable {
    private let queue = Mutex<[InboxItem<Message>]>([])
    let readFD: Int32
    private let writeFD: Int32

    /// Creates the inbox and its pipe; fails only when the process is out of file descriptors.
    public init() throws(DashboardError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw DashboardError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// Hands a message to the screen (from any thread or task).
    public func post(_ message: Message) {
        push(.message(message))
    }

    /// Asks the screen to close (signals, the caller giving up).
    public func requestShutdown(reason: String) {
        push(.shutdown(.requested(reason)))
    }

    /// Asks the screen to close for `exit` (the runtime's signal handlers).
    func requestShutdown(_ exit: DashboardExit) {
        push(.shutdown(exit))
    }

    func push(_ item: InboxItem<Message>) {
        let wasEmpty = queue.withLock { items in
            let empty = items.isEmpty
            items.append(item)
            return empty
        }
        if wasEmpty {
            var byte: UInt8 = 1
            _ = write(writeFD, &byte, 1)
        }
    }

    /// Everything posted so far, in order; empties the pipe first so no wake-up is lost.
    func drain() -> [InboxItem<Message>] {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(readFD, &buffer, buffer.count) > 0 {}
        return queue.withLock { items in
            let taken = items
            items.removeAll(keepingCapacity: true)
            return taken
        }
    }
}

/// The dashboard's inbox.
public typealias DashboardInbox = Inbox<DashboardMessage>

/// One entry of an inbox.
enum InboxItem<Message: Sendable>: Sendable {
    case message(Message)
    case shutdown(DashboardExit)
}

/// Why the dashboard could not run, in words an operator can act on.
public struct DashboardError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
