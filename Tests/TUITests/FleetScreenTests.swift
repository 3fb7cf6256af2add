import Foundation
import Testing
@testable import TUI

/// Issue 17, "Many clusters": the fleet view rendered into the grid — rows filled in as clusters are read, a
/// spinner for the ones not in yet, an unreachable cluster saying why — and its keys.
struct FleetScreenTests {
    static func read(_ context: String, _ version: String, eol: String, past: Bool, cves: Int, _ counts: (Int, Int, Int),
                     _ verdict: FleetRow.Verdict) -> FleetRow {
        var row = FleetRow(context: context, server: "https://\(context).example:6443", status: .read(verdict))
        row.controlPlane = version
        row.endOfLife = eol
        row.endOfLifePast = past
        row.cves = cves
        (row.current, row.behind, row.unsupported) = counts
        return row
    }

    static let prod = read("prod-eu", "v1.33.3", eol: "2026-06-28", past: false, cves: 2, (3, 6, 1), .unsupported)
    static let staging = read("staging", "v1.31.11", eol: "2025-11-11", past: true, cves: 1, (3, 1, 0), .behind)
    static let gone = FleetRow(context: "gone", server: "https://127.0.0.1:9",
                               status: .unreachable(reason: "connection refused",
                                                    detail: "connection to https://127.0.0.1:9 was refused: is the API server running?"))

    static func state(width: Int = 120, height: Int = 16) -> FleetState {
        FleetState(contexts: ["prod-eu", "staging", "gone", "dev"], glyphs: .unicode, width: width, height: height,
                   now: Date(timeIntervalSince1970: 1_800_000_000))
    }

    static func loaded(width: Int = 120, height: Int = 16) -> FleetState {
        var s = state(width: width, height: height)
        for row in [prod, staging, gone] { _ = s.update(.row(generation: 0, row)) }
        return s
    }

    @Test func rowsAppearAsEachClusterIsReadAndTheRestShowLoading() {
        var s = Self.state()
        let empty = FleetView.render(s).text
        #expect(empty.contains("4 clusters: 0 read · 4 loading…"))
        #expect(empty.split(separator: "\n").filter { $0.contains("⠋ loading…") }.count == 4)
        _ = s.update(.row(generation: 0, Self.staging))
        let one = FleetView.render(s).text
        #expect(one.contains("1 read · 3 loading…"))
        let line = one.split(separator: "\n").first { $0.contains("staging") }.map(String.init) ?? ""
        #expect(line.contains("v1.31.11") && line.contains("2025-11-11 past") && line.hasSuffix("behind"), "\(line)")
        // The spinner turns while something loads.
        _ = s.update(.tick(Date(timeIntervalSince1970: 1_800_000_001)))
        #expect(FleetView.render(s).text.contains("⠙ loading…"))
    }

    @Test func theWholeScreenWithReadUnreachableAndLoadingRows() {
        var s = Self.loaded(width: 140)
        _ = s.update(.key(.char("j")))
        _ = s.update(.key(.char("j")))
        let expected = """
             kubeskew   fleet  4 clusters: 2 read · 1 unreachable · 1 loading…
             nodes in the clusters read: 6 current · 7 behind · 1 unsupported
              CONTEXT    SERVER               API      END OF LIFE     CVES CURRENT BEHIND UNSUPPORTED STATUS
              prod-eu    prod-eu.example:6443 v1.33.3  2026-06-28         2       3      6           1 unsupported
              staging    staging.example:6443 v1.31.11 2025-11-11 past    1       3      1           0 behind
            ▸ gone       127.0.0.1:9          -        -                  -       -      -           - ✗ unreachable: connection refused
              dev        -                                                                             ⠋ loading…







             gone: connection refused: connection to https://127.0.0.1:9 was refused: is the API server running?
             enter open · j/k move · r reload · ? help · q quit
            """
        #expect(FleetView.render(s).text == expected)
    }

    @Test func enterOpensAReadClusterAndShowsWhyForAnUnreachableOne() {
        var s = Self.loaded()
        #expect(s.update(.key(.char("j"))) == [])
        #expect(s.update(.key(.enter)) == [.open("staging")])
        _ = s.update(.key(.down))
        #expect(s.update(.key(.enter)) == [], "an unreachable cluster is not opened")
        #expect(s.overlay == .reason(context: "gone"))
        let screen = FleetView.render(s).text
        #expect(screen.contains("cannot open gone"))
        #expect(screen.contains("gone could not be read: connection refused."))
        #expect(screen.contains("is the API server running?"))
        #expect(s.update(.key(.escape)) == [])
        #expect(s.overlay == .none)
        // A cluster still loading opens: its dashboard reads it itself.
        _ = s.update(.key(.char("G")))
        #expect(s.update(.key(.enter)) == [.open("dev")])
        _ = s.update(.key(.up))
        _ = s.update(.key(.up))
        _ = s.update(.key(.char("k")))
        #expect(s.cursorRow?.context == "prod-eu")
        _ = s.update(.key(.char("k")))
        #expect(s.cursorRow?.context == "prod-eu", "the cursor stops at the first row")
        #expect(s.update(.key(.char("q"))) == [.quit])
    }

    @Test func reloadForgetsWhatWasReadAndDropsRowsOfTheOldLoad() {
        var s = Self.loaded()
        #expect(s.update(.key(.char("r"))) == [.reload(generation: 1)])
        #expect(s.rows.allSatisfy { $0.isLoading }, "nothing old passes for new")
        #expect(s.rows.map { $0.server } == ["https://prod-eu.example:6443", "https://staging.example:6443", "https://127.0.0.1:9", nil])
        _ = s.update(.row(generation: 0, Self.prod))
        #expect(s.rows[0].isLoading, "a row of the load before r is dropped")
        _ = s.update(.row(generation: 1, Self.prod))
        #expect(s.rows[0] == Self.prod)
        // r in the reason's box reads again too.
        _ = s.update(.row(generation: 1, Self.gone))
        _ = s.update(.key(.char("G")))
        _ = s.update(.key(.char("k")))
        _ = s.update(.key(.enter))
        #expect(s.overlay == .reason(context: "gone"))
        #expect(s.update(.key(.char("r"))) == [.reload(generation: 2)])
        #expect(s.overlay == .none)
    }

    @Test func narrowScreensKeepContextVersionAndStatus() {
        let s = Self.loaded(width: 80, height: 16)
        let screen = FleetView.render(s).text
        let header = screen.split(separator: "\n")[2]
        #expect(header.contains("CONTEXT") && header.contains("API") && header.contains("STATUS"), "\(screen)")
        #expect(!header.contains("SERVER") && !header.contains("CVES"), "the server goes first, then the CVEs: \(screen)")
        #expect(header.contains("END OF LIFE") && header.contains("UNSUPPORTED"), "\(screen)")
        #expect(screen.contains("2025-11-11 past"), "\(screen)")
        // At 120 columns only the server is cut.
        let wider = FleetView.render(Self.loaded(width: 120)).text
        #expect(wider.contains("SERVER") && wider.contains("prod-eu.exampl… v1.33.3") && wider.contains("CVES"), "\(wider)")
        #expect(wider.contains("✗ unreachable: connection refused"), "\(wider)")
    }
}
