/// Escapes plan text for GitHub-flavoured Markdown, so that no plan text can start a
/// table cell, a link, an image, HTML, a mention or emphasis, or break out of a table row.
public enum MarkdownText {
    /// ASCII bytes that `escape` changes, plus the lead bytes of the non-ASCII characters
    /// it changes (U+0085 starts with 0xC2; line and paragraph separators and the bidi
    /// controls with 0xE2).
    static let special: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for b in 0..<0x20 { table[b] = true }
        for b in "\\`*_[]|#~!(){}$<>&@".utf8 { table[Int(b)] = true }
        table[0xC2] = true
        table[0xE2] = true
        return table
    }()

    public static func escape(_ text: String) -> String {
        // Most plan text has none of them: return it as it is.
        guard text.containsUTF8Byte(where: { special[Int($0)] }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `escape(text)`'s bytes to `out`.
    ///
    /// Byte by byte: every character it changes is replaced by ASCII or dropped whole, so
    /// the bytes stay valid UTF-8. (Scalar by scalar into a `String` cost about 1,200
    /// instructions a call; every status reason in the Markdown reports has some.)
    static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        let special = special  // read once: a static is checked on every read
        text.withUTF8 { u in
            // Runs of bytes it leaves alone are copied whole.
            var run = 0, i = 0
            while i < u.count {
                let b = u[i]
                guard special[Int(b)] else {
                    i += 1
                    continue
                }
                out += UnsafeBufferPointer(rebasing: u[run..<i])
                var length = 1
                switch b {
                case UInt8(ascii: "<"): out += "&lt;".utf8
                case UInt8(ascii: ">"): out += "&gt;".utf8
                case UInt8(ascii: "&"): out += "&amp;".utf8
                case UInt8(ascii: "@"): out += "&#64;".utf8
                case 0..<0x20: out.append(UInt8(ascii: " "))  // line breaks and other controls
                case 0xC2:
                    length = 2
                    if i + 1 < u.count, u[i + 1] == 0x85 { out.append(UInt8(ascii: " ")) }  // U+0085, next line
                    else { out += UnsafeBufferPointer(rebasing: u[i..<min(u.count, i + 2)]) }
                case 0xE2:
                    length = 3
                    switch i + 2 < u.count ? (u[i + 1], u[i + 2]) : (0, 0) {
                    case (0x80, 0xA8), (0x80, 0xA9):  // line and paragraph separators
                        out.append(UInt8(ascii: " "))
                    case (0x80, 0xAA...0xAE), (0x81, 0xA6...0xA9), (0x80, 0x8E), (0x80, 0x8F):
                        break  // bidi controls could reorder what readers see
                    default:
                        out += UnsafeBufferPointer(rebasing: u[i..<min(u.count, i + 3)])
                    }
                default:  // \ ` * _ [ ] | # ~ ! ( ) { } $
                    out.append(UInt8(ascii: "\\"))
                    out.append(b)
                }
                i += length
                run = i
            }
            out += UnsafeBufferPointer(rebasing: u[run..<u.count])
        }
    }
}

/// Escapes text for HTML we build in Swift (SVG), dropping bidi controls.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        // Text without markup characters, control bytes or 0xE2 (the lead byte of the bidi
        // controls) is returned as it is.
        guard text.containsUTF8Byte(where: {
            $0 < 0x20 || $0 == 0xE2 || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "&")
                || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'")
        }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}": break
            default:
                if c.value < 0x20 && c != "\n" && c != "\t" { out += " " } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}

/// Removes characters that have no place in a report: bidi overrides and control characters.
public enum CleanText {
    public static func clean(_ text: String) -> String {
        // Bytes first: no control byte and no 0xE2 (the lead byte of every bidi control
        // removed here) means nothing to clean, without decoding a scalar.
        guard text.containsUTF8Byte(where: { $0 < 0x20 || $0 == 0xE2 }) else { return text }
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }) else { return text }
        var out = ""
        for c in text.unicodeScalars {
            if (0x202A...0x202E).contains(c.value) || (0x2066...0x2069).contains(c.value) { continue }
            if c.value < 0x20 && c != "\n" { out += " "; continue }
            out.unicodeScalars.append(c)
        }
        return out
    }
}

extension String {
    /// Whether any UTF-8 byte of the string satisfies `predicate`, read in the string's own
    /// buffer: the text checks above (and `ScorecardCSV.cell`) looping over `utf8` instead
    /// cost a 5k build 1.3 % more instructions.
    func containsUTF8Byte(where predicate: (UInt8) -> Bool) -> Bool {
        var text = self
        return text.withUTF8 { $0.contains(where: predicate) }
    }
}
