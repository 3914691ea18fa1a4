import Foundation
import Testing
@testable import Strata

/// `SourceFile` position math: lines are 1-based; columns are 1-based and count Unicode
/// scalars; offsets are 0-based UTF-8 byte offsets. Line breaks are LF, CR and CRLF.
@Suite struct SourceFileTests {
    /// "line:column@offset" of a byte offset.
    func at(_ file: SourceFile, _ offset: Int) -> String {
        let l = file.location(atOffset: offset)
        return "\(l.line):\(l.column)@\(l.offset)"
    }

    @Test func asciiLinesAndColumns() {
        let f = SourceFile(path: "a.yaml", text: "ab\ncd\n")
        #expect(f.lineStarts == [0, 3, 6])
        #expect(f.lineCount == 3)
        #expect(at(f, 0) == "1:1@0")
        #expect(at(f, 1) == "1:2@1")
        #expect(at(f, 2) == "1:3@2")  // the line break itself
        #expect(at(f, 3) == "2:1@3")
        #expect(at(f, 6) == "3:1@6")
        #expect(f.lineText(1) == "ab")
        #expect(f.lineText(2) == "cd")
        #expect(f.lineText(3) == "")
    }

    @Test func tabIsOneColumn() {
        let f = SourceFile(path: "t", text: "\t\tx: 1\n")
        #expect(at(f, 2) == "1:3@2")
        #expect(f.location(line: 1, column: 3).offset == 2)
    }

    @Test func crlfIsOneLineBreak() {
        let f = SourceFile(path: "t", text: "a: 1\r\nb: 2\r\n")
        #expect(f.lineStarts == [0, 6, 12])
        #expect(at(f, 4) == "1:5@4")  // the CR
        #expect(at(f, 6) == "2:1@6")
        #expect(f.lineText(1) == "a: 1")
        #expect(f.lineByteRange(2) == 6..<10)
    }

    @Test func loneCRIsALineBreak() {
        let f = SourceFile(path: "t", text: "a\rb\rc")
        #expect(f.lineStarts == [0, 2, 4])
        #expect(at(f, 4) == "3:1@4")
        #expect(f.lineText(2) == "b")
    }

    @Test func mixedLineBreaks() {
        // LF, CRLF, CR, then CR LF as one break again: four lines.
        let f = SourceFile(path: "t", text: "a\nb\r\nc\rd")
        #expect(f.lineStarts == [0, 2, 5, 7])
        #expect((1...4).map(f.lineText) == ["a", "b", "c", "d"])
        // "\n\r" is two breaks (LF then CR), not one.
        #expect(SourceFile(path: "t", text: "a\n\rb").lineCount == 3)
    }

    @Test func emojiIsOneColumnPerScalar() {
        // 😀 is 4 UTF-8 bytes and one scalar; 👍🏽 is two scalars (8 bytes).
        let f = SourceFile(path: "t", text: "😀x👍🏽y")
        #expect(at(f, 4) == "1:2@4")
        #expect(at(f, 5) == "1:3@5")
        #expect(at(f, 13) == "1:5@13")
        #expect(f.location(line: 1, column: 5).offset == 13)
    }

    @Test func cjkIsOneColumnPerScalar() {
        let f = SourceFile(path: "t", text: "id: 漢字\nx: é\n")
        #expect(at(f, 4) == "1:5@4")
        #expect(at(f, 7) == "1:6@7")
        #expect(at(f, 10) == "1:7@10")  // after 漢字: 4 + 3 + 3
        #expect(at(f, 14) == "2:4@14")  // é
        #expect(at(f, 16) == "2:5@16")
    }

    @Test func byteOrderMarkIsNotAColumn() {
        let f = SourceFile(path: "t", text: "\u{FEFF}ab\ncd")
        #expect(f.hasBOM)
        #expect(at(f, 3) == "1:1@3")
        #expect(at(f, 4) == "1:2@4")
        #expect(at(f, 6) == "2:1@6")
        #expect(f.location(line: 1, column: 1).offset == 3)
        #expect(f.location(line: 1, column: 2).offset == 4)
        #expect(f.location(line: 1, byteColumn: 1).column == 1)  // cmark never sees the BOM line, but stay sane
        #expect(!SourceFile(path: "t", text: "ab").hasBOM)
    }

    @Test func lineAndColumnRoundTrip() {
        let text = "\u{FEFF}kind: okrs\r\n\ttitle: Café 😀 漢字\rnote: 👩‍👩‍👧 x\n\nend"
        let f = SourceFile(path: "t", text: text)
        var offset = 0
        for scalar in text.unicodeScalars {
            defer { offset += String(scalar).utf8.count }
            // The BOM is not a position; a CRLF's LF is inside one line break.
            if scalar == "\u{FEFF}" || scalar == "\r" || scalar == "\n" { continue }
            let loc = f.location(atOffset: offset)
            let back = f.location(line: loc.line, column: loc.column)
            #expect(back.offset == offset, "offset \(offset) → \(loc.line):\(loc.column) → \(back.offset)")
        }
    }

    @Test func byteColumnsFromCmark() {
        // cmark counts columns in bytes: é is 2 bytes, 漢 is 3.
        let f = SourceFile(path: "t", text: "é漢x\n")
        #expect(f.location(line: 1, byteColumn: 1).column == 1)
        #expect(f.location(line: 1, byteColumn: 3).column == 2)
        #expect(f.location(line: 1, byteColumn: 6).column == 3)
        #expect(f.location(line: 1, byteColumn: 7).column == 4)
        #expect(f.location(line: 1, byteColumn: 99).offset == 6)  // clamped to the end of the line
    }

    @Test func outOfRangeInputsAreClamped() {
        let f = SourceFile(path: "t", text: "ab\ncd")
        #expect(at(f, -5) == "1:1@0")
        #expect(at(f, 99) == "2:3@5")
        #expect(f.location(line: 0, column: 1).line == 1)
        #expect(f.location(line: 9, column: 1).line == 2)
        #expect(f.location(line: 1, column: 99).offset == 2)
        #expect(f.lineByteRange(9).isEmpty)
        #expect(f.lineText(0) == "")
    }

    @Test func emptyFile() {
        let f = SourceFile(path: "t", text: "")
        #expect(f.lineCount == 1)
        #expect(at(f, 0) == "1:1@0")
        #expect(f.lineText(1) == "")
    }

    @Test func rangesAreNeverBackwards() {
        let a = SourceLocation(line: 2, column: 1, offset: 10)
        let b = SourceLocation(line: 1, column: 5, offset: 4)
        let r = SourceRange(file: "t", start: a, end: b)
        #expect(r.end == a)
        #expect(b < a)
        let f = SourceFile(path: "x.yaml", text: "abc\ndef")
        let r2 = f.range(offsets: 1..<5)
        #expect(span(r2) == "1:2-2:2")
        #expect(r2.file == "x.yaml")
        #expect(span(SourceRange.wholeFile("y")) == "1:1-1:1")
    }

    /// Ranges name their file by an interned id: the same path gives equal ranges however
    /// they were made, the path reads back, and JSON still carries the path text.
    @Test func rangesNameTheirFileByPath() throws {
        let l = SourceLocation(line: 3, column: 7, offset: 40)
        let a = SourceRange(file: "plans/okrs/" + "team.yaml", start: l, end: l)
        let b = SourceFile(path: "plans/okrs/team.yaml", text: "x\n").range(l, l)
        #expect(a == b)
        #expect(a.fileID == b.fileID)
        #expect(a != SourceRange(file: "plans/okrs/other.yaml", start: l, end: l))
        var moved = a
        moved.file = "repo/" + a.file
        #expect(moved.file == "repo/plans/okrs/team.yaml")
        #expect(a.file == "plans/okrs/team.yaml")
        let json = try JSONEncoder().encode(a)
        #expect(String(decoding: json, as: UTF8.self).contains("\"file\":\"plans\\/okrs\\/team.yaml\""))
        #expect(try JSONDecoder().decode(SourceRange.self, from: json) == a)
    }

    /// Positions are stored in 32 bits: values beyond that saturate instead of trapping.
    @Test func hugePositionsSaturate() {
        let l = SourceLocation(line: Int.max, column: -5, offset: 1 << 40)
        #expect(l.line == Int(UInt32.max))
        #expect(l.column == 0)
        #expect(l.offset == Int(UInt32.max))
    }

    // MARK: - Eight bytes at a time

    /// The word tests of the file scans against byte-by-byte answers, byte for byte (each
    /// mask must flag exactly the bytes that fail, since a scan skips to the first one):
    /// every byte value at every position of an otherwise printable word, then seeded
    /// random words.
    @Test func wordTestsAgreeWithBytes() {
        func bytes(_ w: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }
        func flagged(_ mask: UInt64) -> [Bool] { (0..<8).map { mask >> (8 * $0 + 7) & 1 == 1 } }
        func check(_ w: UInt64) {
            let b = bytes(w)
            let notPrintable = ASCIIWords.notPrintable(w), lineBreaks = ASCIIWords.notASCIIOrLineBreak(w)
            #expect(notPrintable & ~ASCIIWords.highBits == 0 && lineBreaks & ~ASCIIWords.highBits == 0)
            #expect(flagged(notPrintable) == b.map { !($0 >= 0x20 && $0 < 0x7F) }, "\(b)")
            #expect(flagged(lineBreaks) == b.map { $0 >= 0x80 || $0 == 0x0A || $0 == 0x0D }, "\(b)")
            for c: UInt8 in [0x00, 0x0A, 0x0D, 0x20, 0x7F] {
                #expect(flagged(ASCIIWords.equal(w & ASCIIWords.lowBits, c)) == b.map { $0 & 0x7F == c }, "\(b) = \(c)")
            }
        }
        let printable: UInt64 = 0x6162_6364_2065_667A  // "zfe dcba"
        for position in 0..<8 {
            for value in 0...255 {
                let shift = UInt64(8 * position)
                check(printable & ~(0xFF << shift) | UInt64(value) << shift)
            }
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            check(state)
            check(state & 0x7F7F_7F7F_7F7F_7F7F)  // ASCII words, where the checks matter most
        }
    }

    /// The scans over seeded random texts — ASCII runs, tabs, every kind of line break,
    /// two-, three- and four-byte characters, control characters, line separators and
    /// broken UTF-8, in any order and so across every word boundary — against answers
    /// worked out one character at a time with the standard library's UTF-8 decoder: the
    /// first problem's offset, the line starts, and the column of every character.
    @Test func scansAgreeWithACharacterAtATime() {
        let pieces: [[UInt8]] = [
            Array("plan".utf8), Array("key_results: ".utf8), Array(" ".utf8), [0x0A], [0x0D], [0x0D, 0x0A], [0x09],
            Array("é".utf8), Array("€".utf8), Array("😀".utf8), Array("中文".utf8),
            [0x01], [0x00], [0x7F], Array("\u{85}".utf8), Array("\u{2028}".utf8), Array("\u{FFFF}".utf8),
            [0x80], [0xFF], [0xE2, 0x82], [0xC0, 0xAF], [0xED, 0xA0, 0x80],
        ]
        func firstProblem(_ bytes: [UInt8]) -> Int? {
            var offset = 0
            var input = bytes.makeIterator()
            var decoder = Unicode.UTF8()
            while true {
                switch decoder.decode(&input) {
                case .scalarValue(let s):
                    let v = s.value
                    if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || v == 0xFFFE || v == 0xFFFF {
                        return offset
                    }
                    offset += Unicode.UTF8.width(s)
                case .emptyInput: return nil
                case .error: return offset
                }
            }
        }
        var rng = SplitMix(seed: 7)
        var valid = 0
        for round in 0..<3_000 {
            var text: [UInt8] = []
            // Two rounds in three from the first 11 pieces (valid text), so the line table is tested too.
            let palette = round % 3 == 0 ? pieces.count : 11
            for _ in 0..<rng.next(upTo: 40) { text += pieces[rng.next(upTo: palette)] }
            let expected = firstProblem(text)
            #expect(TextValidation.firstProblem(text)?.offset == expected, "\(text)")
            guard expected == nil else { continue }
            valid += 1
            let file = SourceFile(path: "t.yaml", bytes: text)
            var starts = [0], columns: [(offset: Int, line: Int, column: Int)] = []
            var i = 0, column = 1
            while i < text.count {
                let b = text[i]
                if b == 0x0A || b == 0x0D {
                    columns.append((i, starts.count, column))
                    i += b == 0x0D && i + 1 < text.count && text[i + 1] == 0x0A ? 2 : 1
                    starts.append(i)
                    column = 1
                    continue
                }
                if b & 0xC0 != 0x80 { columns.append((i, starts.count, column)); column += 1 }
                i += 1
            }
            #expect(file.lineStarts == starts, "\(text)")
            #expect(file.isASCII == text.allSatisfy { $0 < 0x80 }, "\(text)")
            for c in columns {
                let location = file.location(atOffset: c.offset)
                #expect(location.line == c.line && location.column == c.column, "\(text) at \(c.offset)")
            }
        }
        #expect(valid > 1_500)
    }

    /// Line starts and UTF-8 problems are found at every offset, including where the fast
    /// path hands over to the byte loop.
    @Test func scansFindEveryPosition() {
        for length in 0..<40 {
            for at in 0..<max(1, length) {
                var line = [UInt8](repeating: 0x61, count: length)
                if length > 0 { line[at] = 0x0A }
                let file = SourceFile(path: "t.yaml", bytes: line)
                #expect(file.lineCount == (length > 0 ? 2 : 1))
                if length > 0 { #expect(file.lineStarts.last == at + 1) }
                if length > 0 {
                    var bad = [UInt8](repeating: 0x61, count: length)
                    bad[at] = 0x01
                    #expect(TextValidation.firstProblem(bad)?.offset == at)
                    bad[at] = 0xFF
                    #expect(TextValidation.firstProblem(bad)?.offset == at)
                    bad[at] = 0x7F
                    #expect(TextValidation.firstProblem(bad)?.offset == at)
                }
            }
        }
    }
}
