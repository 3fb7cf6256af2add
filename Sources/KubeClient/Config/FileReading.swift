import Foundation

/// Reads the files and base64 blobs a kubeconfig references, turning failures into operator messages.
enum FileReading {
    static func bytes(_ path: String, owner: String, field: String) throws(KubeClientError) -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .credentialFileUnreadable(owner: owner, field: field, path: path, reason: reason(error))
        }
    }

    static func base64(_ text: String, owner: String, field: String) throws(KubeClientError) -> [UInt8] {
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else {
            throw .invalidCredentialData(owner: owner, field: field, reason: "it is not valid base64")
        }
        return [UInt8](data)
    }

    /// A token file's content without surrounding whitespace; an empty file is an error.
    static func token(_ path: String, owner: String) throws(KubeClientError) -> Secret {
        let raw = try bytes(path, owner: owner, field: "tokenFile")
        let token = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw .credentialFileUnreadable(owner: owner, field: "tokenFile", path: path, reason: "the file is empty")
        }
        return Secret(token)
    }

    /// A short reason for a file error ("no such file", "permission denied").
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code))).lowercased()
        }
        if nsError.domain == NSCocoaErrorDomain {
            switch nsError.code {
            case NSFileReadNoSuchFileError, NSFileNoSuchFileError: return "no such file"
            case NSFileReadNoPermissionError: return "permission denied"
            case NSFileReadInapplicableStringEncodingError: return "the file is not UTF-8 text"
            default: break
            }
        }
        return DisplayText.sanitize(nsError.localizedDescription, limit: 200)
    }
}
