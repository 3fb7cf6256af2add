// The sanitized-line types (OutputSanitizer, SanitizedLine, StyledRun, TextStyle) live in TerminalText, the one place
// every text bound for the terminal is cleaned; executors hand them out in `OutputLine`, so their users get them too.
@_exported import TerminalText
