import TerminalText

/// The screen's name for TerminalText's field sanitizing (``OutputSanitizer/field(_:)``): every string from the
/// cluster passes here before it is drawn.
public enum Sanitize {
    /// `text` with escape sequences and bidirectional formatting removed, tabs turned into spaces and other control
    /// characters replaced by `�`, so that a hidden control still shows that it was there.
    public static func forScreen(_ text: String) -> String {
        OutputSanitizer.field(text)
    }
}
