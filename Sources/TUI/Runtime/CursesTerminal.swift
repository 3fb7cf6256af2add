import CNCursesW
import Glibc

/// The only type that touches ncurses. Not Sendable on purpose: it lives and dies on the UI thread.
final class CursesTerminal {
    private let window: UnsafeMutablePointer<WINDOW>
    private let screen: OpaquePointer
    let glyphs: Glyphs
    let colorMode: ColorMode
    private let isUTF8: Bool
    private var previous: Grid?
    private var ended = false

    /// Starts curses on the process's terminal: locale first, then raw keys, keypad, no echo, a short ESC delay.
    init(requestedColor: ColorMode) throws(DashboardError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw DashboardError("the dashboard needs a terminal on stdin and stdout; use `kubeskew check` for a report")
        }
        _ = setlocale(LC_ALL, "")
        let codeset = cnc_codeset().map { String(cString: $0) } ?? ""
        glyphs = Glyphs.forCodeset(codeset)
        isUTF8 = glyphs == .unicode
        guard let output = fdopen(STDOUT_FILENO, "w"), let input = fdopen(STDIN_FILENO, "r") else {
            throw DashboardError("cannot open the terminal")
        }
        // newterm (unlike initscr) returns NULL instead of exiting when TERM is unknown.
        guard let screen = newterm(nil, output, input) else {
            let term = getenv("TERM").map { String(cString: $0) } ?? "(unset)"
            throw DashboardError("the terminal type \"\(term)\" is unknown to ncurses; set TERM (e.g. TERM=xterm-256color)")
        }
        self.screen = screen
        guard let window = cnc_stdscr() else {
            endwin()
            throw DashboardError("ncurses started without a screen")
        }
        self.window = window
        raw()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        _ = set_escdelay(25)
        _ = curs_set(0)
        var mode = ColorMode.none
        if requestedColor != .none && has_colors() {
            start_color()
            _ = use_default_colors()
            mode = requestedColor.limited(toTerminalColors: Int(cnc_colors()), hasColors: true)
        }
        colorMode = mode
        if mode != .none { Self.definePairs(mode) }
    }

    /// The terminal size as curses sees it now.
    var size: (width: Int, height: Int) {
        (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    /// Ends curses once; safe to call again.
    func shutdown() {
        guard !ended else { return }
        ended = true
        if !isendwin() { endwin() }
        delscreen(screen)
    }

    deinit { shutdown() }

    // MARK: drawing

    /// Writes the cells that differ from the last frame, then updates the physical screen once.
    func draw(_ grid: Grid) {
        let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { _ = werase(window) }
        var wide = [wchar_t](repeating: 0, count: 6)
        var cell = cchar_t()
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let current = grid[x, y]
                if current.isContinuation { continue }
                if !full, let previous, previous[x, y] == current,
                   x + 1 >= grid.width || previous[x + 1, y] == grid[x + 1, y] { continue }
                var count = 0
                for scalar in current.symbol.unicodeScalars where count < 5 {
                    wide[count] = wchar_t(bitPattern: isUTF8 || scalar.isASCII ? scalar.value : 0x3F)
                    count += 1
                    if !isUTF8 { break }
                }
                wide[count] = 0
                let (attributes, pair) = attributesAndPair(current.style)
                _ = setcchar(&cell, wide, attributes, pair, nil)
                _ = mvwadd_wch(window, Int32(y), Int32(x), &cell)
            }
        }
        _ = wnoutrefresh(window)
        _ = doupdate()
        previous = grid
    }

    /// Forgets the last frame so the next draw repaints everything (after a resize).
    func invalidate() {
        previous = nil
    }

    private func attributesAndPair(_ style: Style) -> (attr_t, Int16) {
        var attributes = cnc_a_normal()
        if style.bold { attributes |= cnc_a_bold() }
        if style.reverse { attributes |= cnc_a_reverse() }
        if style.underline { attributes |= cnc_a_underline() }
        if colorMode == .none {
            switch style.role {
            case .dim, .border: attributes |= cnc_a_dim()
            case .title, .columnHeader, .danger: attributes |= cnc_a_bold()
            default: break
            }
            return (attributes, 0)
        }
        if style.role == .dim && colorMode == .eight { attributes |= cnc_a_dim() }
        return (attributes, Int16(style.role.rawValue) + 1)
    }

    /// One colour pair per role; -1 keeps the terminal's own background and foreground.
    private static func definePairs(_ mode: ColorMode) {
        for role in ColorRole.allCases {
            let foreground: Int16
            switch role {
            case .normal, .selection: foreground = -1
            case .title: foreground = Int16(COLOR_CYAN)
            case .columnHeader: foreground = mode == .palette256 ? 153 : Int16(COLOR_CYAN)
            case .ok: foreground = Int16(COLOR_GREEN)
            case .advisory: foreground = mode == .palette256 ? 39 : Int16(COLOR_CYAN)
            case .warning: foreground = Int16(COLOR_YELLOW)
            case .danger: foreground = Int16(COLOR_RED)
            case .dim: foreground = mode == .palette256 ? 245 : -1
            case .accent: foreground = Int16(COLOR_MAGENTA)
            case .border: foreground = mode == .palette256 ? 240 : Int16(COLOR_BLUE)
            }
            _ = init_pair(Int16(role.rawValue) + 1, foreground, -1)
        }
    }

    // MARK: input

    /// Every key waiting in the input, and whether the terminal was resized.
    func readInput() -> (keys: [Key], resized: Bool) {
        var keys: [Key] = []
        var resized = false
        var wch: wint_t = 0
        while true {
            let result = wget_wch(window, &wch)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if Int32(wch) == KEY_RESIZE {
                    resized = true
                } else if let key = Self.functionKey(Int32(wch)) {
                    keys.append(key)
                }
                continue
            }
            let value = UInt32(wch)
            if value < 0x80 {
                if let key = Key.fromByte(UInt8(value)) { keys.append(key) }
            } else if let scalar = Unicode.Scalar(value) {
                keys.append(.char(Character(scalar)))
            }
        }
        return (keys, resized)
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        default:
            if code >= KEY_F0 && code <= KEY_F0 + 12 { return .function(Int(code - KEY_F0)) }
            return nil
        }
    }
}
