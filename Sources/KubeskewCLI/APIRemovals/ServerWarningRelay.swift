import KubeClient
import TUI

/// Passes the `Warning` headers the API server sent on the dashboard's reads to the screen, each once: a deprecation
/// the server announces is shown, never dropped (`check` and `apis` print them on stderr, as kubectl does).
struct ServerWarningRelay {
    private var shown = 0

    /// Posts every warning received since the last call as a notice.
    mutating func relay(_ client: KubeAPIClient, to inbox: DashboardInbox) {
        let warnings = client.receivedWarnings
        guard warnings.count > shown else { return }
        for warning in warnings[shown...] { inbox.post(.notice("the API server warns: \(warning)")) }
        shown = warnings.count
    }
}
