#if canImport(Glibc)
import Glibc
#endif

/// A regular file mapped read-only, so that a 100 MB node list is decoded in place in one pass; the pages already
/// read are given back as the decoder moves on (`release(upTo:)`), so resident memory stays near a few MB of the
/// file plus the decoded nodes. Not for pipes or other unmappable files: `open` returns nil and the caller reads.
final class MappedFile {
    private let base: UnsafeMutableRawPointer
    let count: Int
    private var released = 0
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    /// Pages are released in steps of this many bytes: one madvise call per step, not per node.
    private static let releaseStep = 8 << 20

    private init(base: UnsafeMutableRawPointer, count: Int) {
        self.base = base
        self.count = count
    }

    /// The mapped file, or nil when it is empty, not a regular file or cannot be mapped.
    static func open(_ path: String) -> MappedFile? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else { return nil }
        let count = Int(info.st_size)
        guard let base = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        _ = madvise(base, count, MADV_SEQUENTIAL)
        return MappedFile(base: base, count: count)
    }

    /// The file's bytes, valid only inside `body`.
    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Gives back the pages before `offset` (they are read again from the file if touched later).
    func release(upTo offset: Int) {
        let end = offset / Self.pageSize * Self.pageSize
        guard end - released >= Self.releaseStep else { return }
        _ = madvise(base + released, end - released, MADV_DONTNEED)
        released = end
    }

    deinit { munmap(base, count) }
}
