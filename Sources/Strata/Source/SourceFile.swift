/// A position in a source file.
///
/// `line` and `column` are 1-based. `column` counts Unicode scalars from the start of
/// the line (a tab, an emoji or a CJK character each count as one), which is what editors
/// and GitHub annotations show. `offset` is the 0-based UTF-8 byte offset in the file.
public struct SourceLocation: Hashable, Comparable, Sendable, Codable {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column, a.offset) < (b.line, b.column, b.offset)
    }
}

/// A half-open range in one file.
public struct SourceRange: Hashable, Sendable, Codable {
    public var file: String
    public var start: SourceLocation
    public var end: SourceLocation

    public init(file: String, start: SourceLocation, end: SourceLocation) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// A range for a whole file, used when no better position exists.
    public static func wholeFile(_ path: String) -> SourceRange {
        let l = SourceLocation(line: 1, column: 1, offset: 0)
        return SourceRange(file: path, start: l, end: l)
    }
}

/// The text of one input file and a table of where its lines start.
///
/// Line breaks are LF, CR and CRLF, as in both YAML and CommonMark.
public final class SourceFile: @unchecked Sendable {
    /// The path shown in diagnostics (relative to the plan root when possible).
    public let path: String
    public let text: String
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line.
    public let lineStarts: [Int]
    /// For long lines with non-ASCII text: the column at every `checkpointStride`-th byte,
    /// so positions on a huge single line cost O(stride), not O(line length).
    private let checkpoints: [Int: [Int]]
    /// Lines made only of ASCII bytes, where column = byte offset + 1.
    private let asciiLines: [Bool]
    static let checkpointStride = 512

    public convenience init(path: String, text: String) {
        self.init(path: path, text: text, bytes: Array(text.utf8))
    }

    /// `bytes` must be the UTF-8 of `text` (the loader has both after validating a file).
    init(path: String, text: String, bytes: [UInt8]) {
        self.path = path
        self.text = text
        self.bytes = bytes
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x0A {
                starts.append(i + 1)
            } else if b == 0x0D {
                if i + 1 < n, bytes[i + 1] == 0x0A { i += 1 }
                starts.append(i + 1)
            }
            i += 1
        }
        self.lineStarts = starts
        var ascii = [Bool](repeating: true, count: starts.count)
        var marks: [Int: [Int]] = [:]
        for line in 0..<starts.count {
            let start = starts[line]
            let end = line + 1 < starts.count ? starts[line + 1] : n
            var allASCII = true
            for j in start..<end where bytes[j] >= 0x80 { allASCII = false; break }
            ascii[line] = allASCII
            guard !allASCII, end - start > Self.checkpointStride else { continue }
            var columns: [Int] = []
            var column = 1
            for j in start..<end {
                if (j - start) % Self.checkpointStride == 0 { columns.append(column) }
                if bytes[j] & 0xC0 != 0x80 { column += 1 }
            }
            marks[line] = columns
        }
        self.asciiLines = ascii
        self.checkpoints = marks
    }

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
        let end = lineByteRange(line).upperBound
        if asciiLines[line - 1] {
            return SourceLocation(line: line, column: column, offset: min(i + max(0, column - 1), end))
        }
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
        SourceRange(file: path, start: start, end: end)
    }

    public func range(offsets: Range<Int>) -> SourceRange {
        SourceRange(file: path, start: location(atOffset: offsets.lowerBound), end: location(atOffset: offsets.upperBound))
    }

    public var hasBOM: Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }
}
