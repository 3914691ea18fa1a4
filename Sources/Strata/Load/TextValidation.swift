/// Checks that a plan file is UTF-8 text before any parser sees it.
enum TextValidation {
    struct Problem: Error {
        var offset: Int
        var message: String
        var help: String
    }

    /// The text, or the first problem with its byte offset.
    static func decode(_ bytes: [UInt8]) -> Result<String, Problem> {
        if let problem = firstProblem(bytes) { return .failure(problem) }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    /// The first problem with its byte offset, or nil when the bytes are plan text.
    static func firstProblem(_ bytes: [UInt8]) -> Problem? {
        bytes.withUnsafeBufferPointer { firstProblem(in: $0) }
    }

    static func firstProblem(in bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
        if bytes.count >= 4, (bytes[0] == 0xFF && bytes[1] == 0xFE && bytes[2] == 0 && bytes[3] == 0) || (bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0xFE && bytes[3] == 0xFF) {
            return Problem(offset: 0, message: "file is UTF-32 text", help: "save it as UTF-8")
        }
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            return Problem(offset: 0, message: "file is UTF-16 text", help: "save it as UTF-8")
        }
        var i = 0
        let n = bytes.count
        let raw = UnsafeRawBufferPointer(bytes)
        while i < n {
            // Printable ASCII eight bytes at a time (most of a plan), without a branch per
            // byte, up to the first byte that is not.
            i = ASCIIWords.skipUnflagged(raw, from: i, ASCIIWords.notPrintable)
            guard i < n else { break }
            let b = bytes[i]
            if b >= 0x20 && b < 0x7F || b == 0x0A {
                i += 1
                continue
            }
            if b < 0x80 {
                if b == 0 {
                    return Problem(offset: i, message: "file contains a NUL byte; it looks binary", help: "plan files must be UTF-8 text")
                }
                if (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x7F {
                    let hex = String(b, radix: 16, uppercase: true)
                    return Problem(offset: i, message: "control character U+\(hex.count < 2 ? "0" : "")\(hex) is not allowed",
                                   help: "remove it; plan files hold printable text, tabs and line breaks only")
                }
                i += 1
                continue
            }
            var need = 0
            var minValue: UInt32 = 0
            var value: UInt32 = 0
            if b & 0xE0 == 0xC0 { need = 1; minValue = 0x80; value = UInt32(b & 0x1F) }
            else if b & 0xF0 == 0xE0 { need = 2; minValue = 0x800; value = UInt32(b & 0x0F) }
            else if b & 0xF8 == 0xF0 { need = 3; minValue = 0x10000; value = UInt32(b & 0x07) }
            else { return invalid(i) }
            guard i + need < n else { return invalid(i) }
            for k in 1...need {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return invalid(i) }
                value = value << 6 | UInt32(c & 0x3F)
            }
            if value < minValue || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return invalid(i) }
            if value == 0x85 || value == 0x2028 || value == 0x2029 {
                // YAML counts these as line breaks and CommonMark does not: positions would disagree.
                let hex = String(value, radix: 16, uppercase: true)
                return Problem(offset: i, message: "line separator U+\(hex.count < 4 ? String(repeating: "0", count: 4 - hex.count) : "")\(hex) is not allowed",
                               help: "use an ordinary line break (LF)")
            }
            if (0x80...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF {
                let hex = String(value, radix: 16, uppercase: true)
                return Problem(offset: i, message: "control character U+\(hex.count < 4 ? String(repeating: "0", count: 4 - hex.count) : "")\(hex) is not allowed",
                               help: "remove it; plan files hold printable text, tabs and line breaks only")
            }
            i += need + 1
        }
        return nil
    }

    static func invalid(_ offset: Int) -> Problem {
        Problem(offset: offset, message: "invalid UTF-8 byte sequence", help: "save the file as UTF-8")
    }
}
