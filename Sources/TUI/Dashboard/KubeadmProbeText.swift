import Foundation
import KubeModel

/// How the node details explain a kubeadm probe: the API does not report kubeadm, so each node is asked.
enum KubeadmProbeText {
    /// The cell and the explanation when no kubeadm version is known.
    static func unknown(_ probe: KubeadmProbeStatus?) -> (cell: String, why: String) {
        switch probe {
        case .probing?:
            return ("probing…", "asking the node (kubeadm version -o short through the executor)")
        case .failed(let short, let reason, let at)?:
            return (Sanitize.forScreen(short), "\(reason) (asked at \(clock(at)); K asks again)")
        case .notProbed(let reason)?, .notKubeadm(let reason)?:
            return (probe?.cellWithoutVersion ?? "?", reason)
        case .found?, nil:
            return ("?", "not probed yet: kubeadm's version is read on the node itself (K asks the marked nodes, or all)")
        }
    }

    /// When and how the version shown was learnt, for a node that answered.
    static func answered(_ probe: KubeadmProbeStatus?) -> String? {
        switch probe {
        case .found(_, let at, let cached)?:
            return cached ? "read from the cache: the node answered at \(clock(at)) on this boot and kubelet (K asks again)"
                          : "the node answered at \(clock(at)) (K asks again)"
        case .probing?:
            return "asking the node again…"
        default:
            return nil
        }
    }

    private static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = Calendar.current.isDateInToday(date) ? "HH:mm:ss" : "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
