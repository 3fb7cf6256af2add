import SkewCore

/// Colours of verdicts and risks; the words themselves carry the meaning, colour only helps.
enum VerdictStyle {
    static func style(_ verdict: Verdict) -> Style {
        switch verdict {
        case .current: return Style(.ok)
        case .patchBehind: return Style(.advisory)
        case .minorBehind: return Style(.warning)
        case .tooOld, .newerThanAPIServer, .kubeletSkew, .majorMismatch: return Style(.danger, bold: true)
        case .unknown: return Style(.dim)
        }
    }

    static func style(_ risk: RiskKind) -> Style {
        switch risk {
        case .cve, .eol, .blocksCPUpgrade: return Style(.danger, bold: true)
        case .drainRequired, .kubeadmMismatch: return Style(.warning)
        case .managed: return Style(.accent)
        }
    }

    static func style(_ bucket: SummaryBucket) -> Style {
        switch bucket {
        case .current: return Style(.ok)
        case .behind: return Style(.warning)
        case .unsupported: return Style(.danger, bold: true)
        case .unknown: return Style(.dim)
        }
    }
}
