import TestSupport

/// The name the demo and guided-upgrade tests have used for ``TmuxSession``.
typealias DemoTmux = TmuxSession
/// The name the demo and guided-upgrade tests have used for ``TmuxError``.
typealias DemoTmuxError = TmuxError
