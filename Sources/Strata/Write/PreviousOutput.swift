import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The output folder a build is about to replace. A file the new build would write with
/// exactly the bytes it already has there is hard-linked into the new tree instead:
/// nothing is written, and no file is created and deleted. On a 20,000-objective plan that
/// is 40,000 files; creating them right after the last build deleted as many is what made
/// writing slow (the file system scans past recently freed entries for every new one).
///
/// The new tree is still complete before it is swapped in, and the old tree is still removed
/// after, so readers see the old output or the new one as before. Only what can be proved
/// the same is linked: a regular file reached without following any link, with no other
/// name (a planted hard link would make a file outside the output change with it), with
/// the owner and permissions a new file would get, and every byte compared. The link is
/// made to the very file that was compared (through its descriptor), so swapping the file
/// in between cannot slip another one in. Anything else — a link, a folder that is a link,
/// a file of another size, a system without `/proc` — is written as usual. A linked file
/// keeps its modification time, as files that did not change do with `make` or `rsync`.
///
/// Used by one thread at a time (the writer's queue).
final class PreviousOutput {
    /// The old output folder, opened without following a link.
    private let root: Int32
    /// Folders of the old tree by relative path, opened one component at a time without
    /// following links; -1 for one that cannot be used.
    private var folders: [String: Int32] = [:]
    /// What a file created by the writer gets: `0o644` less the process's umask.
    private let newFileMode: mode_t
    private let owner = geteuid()
    /// The old file's bytes, read here for the comparison; reused from file to file.
    private var scratch: [UInt8] = []

    /// Nil when there is no old output folder (or it is not a real folder), or when this
    /// system does not tell the umask (then nothing could be proved the same).
    init?(_ path: String) {
        guard let mask = Self.umask() else { return nil }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        root = fd
        newFileMode = 0o644 & ~mask
    }

    deinit {
        for fd in folders.values where fd >= 0 { close(fd) }
        close(root)
    }

    /// Links the old tree's `relativePath` to `newPath` when it holds exactly `bytes`; false
    /// (and nothing done) otherwise.
    func link(_ relativePath: String, ifItHolds bytes: [UInt8], to newPath: String) -> Bool {
        let (folder, name) = folderAndName(relativePath[...])
        guard folder >= 0 else { return false }
        let fd = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_nlink == 1, info.st_uid == owner,
              info.st_mode & 0o7777 == newFileMode, info.st_size == bytes.count, holds(fd, bytes) else { return false }
        return linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, newPath, AT_SYMLINK_FOLLOW) == 0
    }

    /// True when the rest of `fd` is exactly `bytes`.
    private func holds(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        if scratch.count < bytes.count + 1 { scratch = [UInt8](repeating: 0, count: bytes.count + 1) }
        return scratch.withUnsafeMutableBytes { buffer -> Bool in
            // One byte more than expected is asked for, so a file that grew is noticed.
            var filled = 0
            while filled <= bytes.count {
                let n = read(fd, buffer.baseAddress! + filled, bytes.count + 1 - filled)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                filled += n
            }
            guard filled == bytes.count else { return false }
            return bytes.withUnsafeBytes { new in new.isEmpty || memcmp(buffer.baseAddress!, new.baseAddress!, new.count) == 0 }
        }
    }

    /// The old tree's folder `path`, opened component by component without following links.
    private func folderDescriptor(_ path: Substring) -> Int32 {
        if let fd = folders[String(path)] { return fd }
        let (parent, name) = folderAndName(path)
        let fd = parent >= 0 ? openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1
        folders[String(path)] = fd
        return fd
    }

    /// The folder holding `path` (the root for a top-level name; -1 if it cannot be used)
    /// and the last component's name.
    private func folderAndName(_ path: Substring) -> (folder: Int32, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (root, String(path)) }
        return (folderDescriptor(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    /// The process's umask, read from `/proc/self/status`: setting it to read it back would
    /// change it for every thread in between.
    private static func umask() -> mode_t? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
              let value = line.split(separator: "\t").last.flatMap({ mode_t($0.trimmingCharacters(in: .whitespaces), radix: 8) }) else { return nil }
        return value
    }
}
