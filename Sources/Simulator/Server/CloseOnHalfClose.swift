import NIOCore

/// Closes a connection as soon as the client closes its side. Hummingbird allows half-closed connections, so without
/// this a long watch would never notice that its client went away (Go clients never half-close on purpose).
final class CloseOnHalfClose: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
