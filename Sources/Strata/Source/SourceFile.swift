import Foundation

/// A position in a source file.
///
/// `line` and `column` are 1-based. `column` counts Unicode scalars from the start of
/// the line (a tab, an emoji or a CJK character each count as one), which is what editors
/// and GitHub annotations show. `offset` is the 0-based UTF-8 byte offset in the file.
///
/// Stored as three 32-bit numbers, so a position is 12 bytes and copying one costs nothing.
/// A plan file is at most `InputLimits.largestFileBytes` (4 GiB); larger values saturate.
public struct SourceLocation: Hashable, Comparable, Sendable, Codable {
    private var storedLine: UInt32
    private var storedColumn: UInt32
    private var storedOffset: UInt32

    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = UInt32(clamping: newValue) }
    }
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = UInt32(clamping: newValue) }
    }
    public var offset: Int {
        get { Int(storedOffset) }
        set { storedOffset = UInt32(clamping: newValue) }
    }

    @inline(__always)
    public init(line: Int, column: Int, offset: Int) {
        storedLine = UInt32(clamping: line)
        storedColumn = UInt32(clamping: column)
        storedOffset = UInt32(clamping: offset)
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.storedLine, a.storedColumn, a.storedOffset) < (b.storedLine, b.storedColumn, b.storedOffset)
    }

    private enum CodingKeys: String, CodingKey { case line, column, offset }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(line: try c.decode(Int.self, forKey: .line), column: try c.decode(Int.self, forKey: .column),
                  offset: try c.decode(Int.self, forKey: .offset))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(line, forKey: .line)
        try c.encode(column, forKey: .column)
        try c.encode(offset, forKey: .offset)
    }
}

/// A file path stored once per process and named by a number, so that the millions of
/// source ranges in a large plan hold 4 bytes instead of a reference-counted `String`.
///
/// Only equality of two ids means anything; their order depends on which file was
/// read first and is never used.
public struct SourcePathID: Hashable, Sendable {
    let index: UInt32

    public init(_ path: String) { index = SourcePathTable.shared.intern(path) }

    public var path: String { SourcePathTable.shared.path(at: index) }
}

/// The process-wide table behind `SourcePathID`. It only grows, by one entry per
/// distinct path, and is safe to use from several threads.
final class SourcePathTable: @unchecked Sendable {
    static let shared = SourcePathTable()

    private let lock = NSLock()
    private var paths: [String] = []
    private var indices: [String: UInt32] = [:]

    func intern(_ path: String) -> UInt32 {
        lock.lock()
        defer { lock.unlock() }
        if let i = indices[path] { return i }
        let i = UInt32(paths.count)
        paths.append(path)
        indices[path] = i
        return i
    }

    func path(at index: UInt32) -> String {
        lock.lock()
        defer { lock.unlock() }
        return paths[Int(index)]
    }
}

/// A half-open range in one file.
public struct SourceRange: Hashable, Sendable, Codable {
    public var fileID: SourcePathID
    public var start: SourceLocation
    public var end: SourceLocation

    /// The file's path, as shown in diagnostics.
    public var file: String {
        get { fileID.path }
        set { fileID = SourcePathID(newValue) }
    }

    public init(file: String, start: SourceLocation, end: SourceLocation) {
        self.init(fileID: SourcePathID(file), start: start, end: end)
    }

    public init(fileID: SourcePathID, start: SourceLocation, end: SourceLocation) {
        self.fileID = fileID
        self.start = start
        self.end = max(start, end)
    }

    /// A range for a whole file, used when no better position exists.
    public static func wholeFile(_ path: String) -> SourceRange {
        let l = SourceLocation(line: 1, column: 1, offset: 0)
        return SourceRange(file: path, start: l, end: l)
    }

    private enum CodingKeys: String, CodingKey { case file, start, end }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(file: try c.decode(String.self, forKey: .file), start: try c.decode(SourceLocation.self, forKey: .start),
                  end: try c.decode(SourceLocation.self, forKey: .end))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
    }
}

/// The text of one input file and a table of where its lines start.
///
/// Line breaks are LF, CR and CRLF, as in both YAML and CommonMark.
public final class SourceFile: @unchecked Sendable {
    /// The path shown in diagnostics (relative to the plan root when possible).
    public let path: String
    /// `path` as stored in every `SourceRange` of this file.
    public let pathID: SourcePathID
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line.
    public let lineStarts: [Int]
    /// For long lines with non-ASCII text: the column at every `checkpointStride`-th byte,
    /// so positions on a huge single line cost O(stride), not O(line length).
    private let checkpoints: [Int: [Int]]
    /// Lines made only of ASCII bytes, where column = byte offset + 1.
    private let asciiLines: [Bool]
    /// True when every byte of the file is ASCII (every line is).
    public let isASCII: Bool
    static let checkpointStride = 512

    public convenience init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// `bytes` must be valid UTF-8 (the loader validates every file first).
    init(path: String, bytes: [UInt8]) {
        self.path = path
        self.pathID = SourcePathID(path)
        self.bytes = bytes
        // One pass over the bytes for line starts and which lines are all ASCII; column
        // checkpoints only for the rare long lines that are not.
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        var ascii: [Bool] = []
        ascii.reserveCapacity(bytes.count / 32 + 1)
        let n = bytes.count
        var allASCII = true
        bytes.withUnsafeBufferPointer { buffer in
            let raw = UnsafeRawBufferPointer(buffer)
            var i = 0
            var lineASCII = true
            while i < n {
                // Inside ASCII lines (most of a plan) eight bytes at a time, up to the first
                // line break or non-ASCII byte.
                i = ASCIIWords.skipUnflagged(raw, from: i, ASCIIWords.notASCIIOrLineBreak)
                guard i < n else { break }
                let b = buffer[i]
                if b >= 0x80 {
                    lineASCII = false
                    allASCII = false
                } else if b == 0x0A || b == 0x0D {
                    if b == 0x0D, i + 1 < n, buffer[i + 1] == 0x0A { i += 1 }
                    starts.append(i + 1)
                    ascii.append(lineASCII)
                    lineASCII = true
                }
                i += 1
            }
            ascii.append(lineASCII)
        }
        self.lineStarts = starts
        var marks: [Int: [Int]] = [:]
        for line in 0..<starts.count where !ascii[line] {
            let start = starts[line]
            let end = line + 1 < starts.count ? starts[line + 1] : n
            guard end - start > Self.checkpointStride else { continue }
            var columns: [Int] = []
            var column = 1
            for j in start..<end {
                if (j - start) % Self.checkpointStride == 0 { columns.append(column) }
                if bytes[j] & 0xC0 != 0x80 { column += 1 }
            }
            marks[line] = columns
        }
        self.asciiLines = ascii
        self.isASCII = allASCII
        self.checkpoints = marks
    }

    /// The whole text. Made from `bytes` on each call (the file keeps only its bytes).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public var lineCount: Int { lineStarts.count }

    /// The byte range of a 1-based line, without its line break.
    public func lineByteRange(_ line: Int) -> Range<Int> {
        guard line >= 1, line <= lineStarts.count else { return bytes.count..<bytes.count }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return start..<end
    }

    /// The text of a 1-based line, without its line break.
    public func lineText(_ line: Int) -> String {
        let r = lineByteRange(line)
        return String(decoding: bytes[r], as: UTF8.self)
    }

    /// The location of a byte offset.
    public func location(atOffset offset: Int) -> SourceLocation {
        let off = min(max(0, offset), bytes.count)
        // Binary search for the last line start <= off.
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= off { lo = mid } else { hi = mid - 1 }
        }
        let start = lineStarts[lo]
        if asciiLines[lo] { return SourceLocation(line: lo + 1, column: off - start + 1, offset: off) }
        var column = 1
        var i = start
        if let marks = checkpoints[lo] {
            let k = min((off - start) / Self.checkpointStride, marks.count - 1)
            column = marks[k]
            i = start + k * Self.checkpointStride
        }
        while i < off {
            // Count scalars: every byte that is not a UTF-8 continuation byte starts one.
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        if start == 0, hasBOM, off >= 3 { column -= 1 }
        return SourceLocation(line: lo + 1, column: column, offset: off)
    }

    /// The location of a 1-based line and a 1-based column counted in Unicode scalars.
    public func location(line: Int, column: Int) -> SourceLocation {
        let line = min(max(1, line), lineStarts.count)
        var i = lineStarts[line - 1]
        if line == 1, hasBOM { i = 3 }
        if asciiLines[line - 1] {
            let offset = i + max(0, column - 1)
            // Before the last two bytes of the line, the offset cannot reach its line break.
            let next = line < lineStarts.count ? lineStarts[line] : bytes.count
            if offset + 2 < next { return SourceLocation(line: line, column: column, offset: offset) }
            return SourceLocation(line: line, column: column, offset: min(offset, lineByteRange(line).upperBound))
        }
        let end = lineByteRange(line).upperBound
        var c = 1
        if let marks = checkpoints[line - 1], !(line == 1 && hasBOM) {
            // The last checkpoint at or before the column.
            var lo = 0, hi = marks.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if marks[mid] <= column { lo = mid } else { hi = mid - 1 }
            }
            // A checkpoint may fall inside a multi-byte character; step back to its start.
            var k = lo
            while k > 0, (i + k * Self.checkpointStride) < bytes.count, bytes[i + k * Self.checkpointStride] & 0xC0 == 0x80 { k -= 1 }
            c = marks[k]
            i += k * Self.checkpointStride
        }
        while c < column, i < end {
            i += 1
            while i < end, bytes[i] & 0xC0 == 0x80 { i += 1 }
            c += 1
        }
        return SourceLocation(line: line, column: column, offset: i)
    }

    /// The location of a 1-based line and a 1-based column counted in UTF-8 bytes (cmark).
    public func location(line: Int, byteColumn: Int) -> SourceLocation {
        let line = min(max(1, line), lineStarts.count)
        let r = lineByteRange(line)
        let off = min(r.lowerBound + max(0, byteColumn - 1), r.upperBound)
        return location(atOffset: off)
    }

    public func range(_ start: SourceLocation, _ end: SourceLocation) -> SourceRange {
        SourceRange(fileID: pathID, start: start, end: end)
    }

    public func range(offsets: Range<Int>) -> SourceRange {
        SourceRange(fileID: pathID, start: location(atOffset: offsets.lowerBound), end: location(atOffset: offsets.upperBound))
    }

    public var hasBOM: Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }
}
