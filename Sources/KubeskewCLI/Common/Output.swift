import Foundation

/// Writes to stdout and stderr without buffering surprises (stdout is block-buffered when it is a pipe).
enum Output {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// An error the operator can act on: printed as one line on stderr, and the command exits with `status`.
struct OperatorError: Error, CustomStringConvertible {
    let message: String
    var status: Int32 = 1
    var description: String { message }
}
