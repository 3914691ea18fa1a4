import Foundation

/// Why loading stopped before any plan could be read (exit code 2).
public struct LoadFailure: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

/// The files of a plan repository, read and validated as text.
public struct LoadedFiles {
    public var root: URL
    public var config: Config
    public var configFile: SourceFile?
    /// Plan files in path order.
    public var files: [SourceFile]
}

/// Finds and reads `strata.yaml` and every plan file under the plans folder.
public enum PlanLoader {
    public static let configName = "strata.yaml"
    static let planExtensions: Set<String> = ["yaml", "yml", "md", "markdown"]
    /// Deepest folder below the plans folder that is read.
    static let maxFolderDepth = 64

    public static func load(root: URL, plansOverride: String? = nil, into diagnostics: DiagnosticCollector) throws -> LoadedFiles {
        let fm = FileManager.default
        let root = root.standardizedFileURL
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw LoadFailure(description: "'\(root.path)' is not a folder")
        }
        let configURL = root.appendingPathComponent(configName)
        guard fm.fileExists(atPath: configURL.path) else {
            throw LoadFailure(description: "no \(configName) in '\(root.path)'; run 'strata init' to create one, or pass --root")
        }
        var config = Config()
        var configFile: SourceFile?
        let rootPath = root.resolvingSymlinksInPath().path
        if !isInside(configURL, rootPath) {
            // A strata.yaml that is a symbolic link out of the repository is not read: its
            // lines would be quoted in diagnostics.
            diagnostics.emit(.ioError, "'\(configName)' is a symbolic link that leads outside the plan repository; it is not read",
                             at: .wholeFile(configName), help: "copy the file into the repository instead")
        } else if let file = readFile(atPath: configURL.path, display: configName, limits: config.limits, into: diagnostics) {
            configFile = file
            config = ConfigDecoder.decode(file, into: diagnostics)
        }
        diagnostics.configure(config)

        let plansName = plansOverride ?? config.plansFolder
        let plansURL = root.appendingPathComponent(plansName).standardizedFileURL
        guard fm.fileExists(atPath: plansURL.path, isDirectory: &isDir), isDir.boolValue else {
            throw LoadFailure(description: "plans folder '\(plansName)' does not exist in '\(root.path)'")
        }
        var paths: [(path: String, display: String)] = []
        guard isInside(plansURL, rootPath) else {
            // The plans folder (or a folder on its path) is a symbolic link out of the
            // repository: reading it would publish files from elsewhere on the machine.
            diagnostics.emit(.ioError, "plans folder '\(plansName)' leads outside the plan repository through a symbolic link; it is not read",
                             at: .wholeFile(plansName), help: "keep the plans inside the repository")
            return LoadedFiles(root: root, config: config, configFile: configFile, files: [])
        }
        collect(plansURL.path, display: plansName, rootPath: rootPath, into: &paths, diagnostics: diagnostics, depth: 0)
        paths.sort { $0.display.utf8.lexicographicallyPrecedes($1.display.utf8) }
        if paths.count > config.limits.maxFiles {
            diagnostics.emit(.inputLimit, "the plan has \(paths.count) files, more than the limit of \(config.limits.maxFiles)",
                             at: .wholeFile(plansName), help: "raise limits.max_files in strata.yaml")
            paths = Array(paths.prefix(config.limits.maxFiles))
        }
        // Files are read and validated in parallel, a batch at a time, and taken in path
        // order; the total-size limit is applied in that order, as if read one by one.
        var files: [SourceFile] = []
        var total = 0
        let batchSize = 256
        var batchStart = 0
        reading: while batchStart < paths.count {
            let batch = Array(paths[batchStart..<min(paths.count, batchStart + batchSize)])
            batchStart += batch.count
            // Each file's diagnostics are added only if the total-size cut has not come yet.
            let read = Parallel.map(batch.count) { i -> (SourceFile?, [Diagnostic]) in
                let local = DiagnosticCollector()
                let file = readFile(atPath: batch[i].path, display: batch[i].display, limits: config.limits, into: local)
                return (file, local.all)
            }
            for (i, (file, found)) in read.enumerated() {
                diagnostics.append(contentsOf: found)
                guard let file else { continue }
                total += file.bytes.count
                if total > config.limits.maxTotalBytes {
                    diagnostics.emit(.inputLimit, "plan files exceed the total limit of \(config.limits.maxTotalBytes) bytes", at: .wholeFile(batch[i].display),
                                     help: "raise limits.max_total_bytes in strata.yaml")
                    break reading
                }
                files.append(file)
            }
        }
        return LoadedFiles(root: root, config: config, configFile: configFile, files: files)
    }

    /// True when `url`, with every symbolic link on its path resolved, is `rootPath` or below it.
    static func isInside(_ url: URL, _ rootPath: String) -> Bool {
        let path = url.resolvingSymlinksInPath().path
        return path == rootPath || path.hasPrefix(rootPath.hasSuffix("/") ? rootPath : rootPath + "/")
    }

    /// Adds the plan files below `dir` (an absolute path, shown as `display`) to `paths`, in
    /// name order folder by folder (the caller sorts the whole list). The folder is read with
    /// `readdir`, whose entry types spare a `stat` per file; only symbolic links (and entries
    /// of a file system that gives no type) are looked at more closely.
    static func collect(_ dir: String, display: String, rootPath: String, into paths: inout [(path: String, display: String)],
                        diagnostics: DiagnosticCollector, depth: Int) {
        guard depth < maxFolderDepth else {
            diagnostics.emit(.inputLimit, "folder '\(display)' is nested more than \(maxFolderDepth) levels deep; its files are not read",
                             at: .wholeFile(display), help: "keep plan folders fewer than \(maxFolderDepth) levels deep")
            return
        }
        guard let entries = folderEntries(dir) else {
            diagnostics.emit(.ioError, "cannot read folder '\(display)'", at: .wholeFile(display))
            return
        }
        for (name, entryType, isUTF8) in entries where !name.hasPrefix(".") {
            let path = dir + "/" + name
            let shown = display + "/" + name
            guard isUTF8 else {
                // Its path could not be spelled to open it, nor shown in a diagnostic as it is.
                if hasPlanExtension(name) || entryType == UInt8(DT_DIR) {
                    diagnostics.emit(.ioError, "'\(shown)' has a name that is not valid UTF-8; it is not read", at: .wholeFile(shown),
                                     help: "rename it with UTF-8 characters only")
                }
                continue
            }
            var type = entryType
            if type == UInt8(DT_UNKNOWN) {
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFLNK: type = UInt8(DT_LNK)
                case S_IFDIR: type = UInt8(DT_DIR)
                case S_IFREG: type = UInt8(DT_REG)
                default: continue
                }
            }
            switch type {
            case UInt8(DT_LNK):
                let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
                guard target == rootPath || target.hasPrefix(rootPath + "/") else {
                    diagnostics.emit(.ioError, "'\(shown)' is a symbolic link that leads outside the plan repository; it is not read",
                                     at: .wholeFile(shown), help: "copy the file into the repository instead")
                    continue
                }
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: target, isDirectory: &isDir), !isDir.boolValue, hasPlanExtension(name) {
                    paths.append((path, shown))
                }
            case UInt8(DT_DIR):
                collect(path, display: shown, rootPath: rootPath, into: &paths, diagnostics: diagnostics, depth: depth + 1)
            case UInt8(DT_REG):
                if hasPlanExtension(name) { paths.append((path, shown)) }
            default:
                continue
            }
        }
    }

    /// The names and `readdir` types of a folder's entries, sorted by name, and whether
    /// each name is valid UTF-8 (if not, it is shown with replacement characters); nil
    /// when the folder cannot be read.
    static func folderEntries(_ dir: String) -> [(name: String, type: UInt8, isUTF8: Bool)]? {
        guard let handle = opendir(dir) else { return nil }
        defer { closedir(handle) }
        var entries: [(name: String, type: UInt8, isUTF8: Bool)] = []
        while let entry = readdir(handle) {
            let (name, isUTF8) = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { p -> (String, Bool) in
                    if let valid = String(validatingCString: p) { return (valid, true) }
                    return (String(cString: p), false)
                }
            }
            entries.append((name, entry.pointee.d_type, isUTF8))
        }
        entries.sort { $0.name < $1.name }
        return entries
    }

    /// Whether a file name ends in one of `planExtensions` (any case), as
    /// `URL.pathExtension` reads it: the text after the last dot, if the dot is not first.
    static func hasPlanExtension(_ name: String) -> Bool {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.utf8.startIndex else { return false }
        return planExtensions.contains(String(decoding: name.utf8[name.utf8.index(after: dot)...], as: UTF8.self).lowercased())
    }

    /// Reads and validates one file; nil (with a diagnostic) when it cannot be used.
    static func readFile(atPath path: String, display: String, limits: InputLimits, into diagnostics: DiagnosticCollector) -> SourceFile? {
        var info = stat()
        var size = stat(path, &info) == 0 ? Int(info.st_size) : 0
        var bytes: [UInt8] = []
        if size <= limits.maxFileBytes {
            guard let read = readBytes(path, expected: size, limit: limits.maxFileBytes) else {
                diagnostics.emit(.ioError, "cannot read '\(display)'", at: .wholeFile(display))
                return nil
            }
            bytes = read
            size = bytes.count
        }
        if size > limits.maxFileBytes {
            diagnostics.emit(.inputLimit, "file is \(size) bytes, more than the limit of \(limits.maxFileBytes)", at: .wholeFile(display),
                             help: "split it into several files, or raise limits.max_file_bytes in strata.yaml")
            return nil
        }
        if let problem = TextValidation.firstProblem(bytes) {
            let located = SourceFile(path: display, text: String(decoding: bytes, as: UTF8.self))
            // Locate by counting lines in the raw bytes up to the offset.
            var line = 1, lineStart = 0
            var i = 0
            while i < problem.offset {
                if bytes[i] == 0x0A || (bytes[i] == 0x0D && (i + 1 >= bytes.count || bytes[i + 1] != 0x0A)) { line += 1; lineStart = i + 1 }
                i += 1
            }
            var column = 1
            for j in lineStart..<problem.offset where bytes[j] & 0xC0 != 0x80 { column += 1 }
            let loc = SourceLocation(line: line, column: column, offset: problem.offset)
            diagnostics.add(Diagnostic(rule: .inputEncoding, message: problem.message, at: located.range(loc, loc), help: problem.help))
            return nil
        }
        return SourceFile(path: display, bytes: bytes)
    }

    /// The whole file, or its first bytes past `limit` if it grew beyond that after it was
    /// measured; nil when it cannot be read.
    static func readBytes(_ path: String, expected: Int, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // Read straight into the array's memory (filling it with zeros first wrote every
        // byte of the plan once more), with room for one byte more than expected: when
        // that is filled too, the file grew after it was measured, and the rest is read
        // as it comes.
        var failed = false
        func chunk(_ size: Int) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                let n = readAll(fd, into: buffer)
                failed = n == nil
                initialized = n ?? 0
            }
        }
        var size = max(expected, 0) + 1
        var bytes = chunk(size)
        var full = bytes.count == size
        while !failed, full, bytes.count <= limit {
            size = max(4096, bytes.count)
            let more = chunk(size)
            full = more.count == size
            bytes += more
        }
        return failed ? nil : bytes
    }

    /// Reads until `buffer` is full or the file ends: the count read; nil on an error.
    private static func readAll(_ fd: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        var count = 0
        while count < buffer.count {
            let n = read(fd, buffer.baseAddress! + count, buffer.count - count)
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            count += n
        }
        return count
    }
}