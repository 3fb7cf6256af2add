import Foundation

/// Files kubeskew keeps in its state directory are replaced whole: written beside, then renamed over the old one, so a
/// reader (or a crash) sees the old or the new contents, never half of them. Files are 0600.
enum AtomicFile {
    /// Replaces `url` with `data`; the error names the file and the cause.
    static func replace(_ url: URL, with data: Data) throws(AtomicFileError) {
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: tmp.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw AtomicFileError(message: "\(tmp.path): cannot be written")
        }
        guard rename(tmp.path, url.path) == 0 else {
            let cause = String(cString: strerror(errno))
            unlink(tmp.path)
            throw AtomicFileError(message: "\(url.path): cannot be replaced (\(cause))")
        }
    }
}

/// Why a state file could not be replaced.
struct AtomicFileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
