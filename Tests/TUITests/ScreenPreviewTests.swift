import Testing
@testable import TUI

struct ScreenPreviewTests {
    @Test func preview() {
        for (w, h) in [(80, 24), (120, 40), (200, 50)] {
            let s = Fixtures.state(width: w, height: h)
            print("=== \(w)x\(h)\n" + s.screen)
        }
    }
}
