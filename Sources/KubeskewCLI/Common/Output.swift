import Foundation

/// Writes to stdout and stderr without buffering surprises (stdout is block-buffered when it is a pipe).
enum Output {
    static func out(_ text: String) {
        // A lost terminal (EIO) or a closed pipe (EPIPE) must not end kubeskew while its children run.
        try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    }

    static func err(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}

/// An error the operator can act on: printed as one line on stderr, and the command exits with `status`.
struct OperatorError: Error, CustomStringConvertible {
    let message: String
    var status: Int32 = 1
    var description: String { message }
}
