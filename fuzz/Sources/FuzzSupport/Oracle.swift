import Foundation
@testable import Strata

/// Properties every run must keep, whatever the input. A broken property traps, which
/// libFuzzer reports as a crash and saves the input.
public enum Oracle {
    /// Fails the run with a message libFuzzer prints before the stack trace.
    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("\nORACLE: \(message)\n".utf8))
        fatalError(message)
    }

    /// The defaults, or lower: a fuzzed `strata.yaml` may lower limits but not raise them,
    /// because raised limits make slow inputs legitimate (the user asked for them).
    public static func clamp(_ l: InputLimits) -> InputLimits {
        let d = InputLimits()
        var c = l
        c.maxFileBytes = min(l.maxFileBytes, d.maxFileBytes)
        c.maxTotalBytes = min(l.maxTotalBytes, d.maxTotalBytes)
        c.maxFiles = min(l.maxFiles, d.maxFiles)
        c.maxDepth = min(l.maxDepth, d.maxDepth)
        c.aliasBudget = min(l.aliasBudget, d.aliasBudget)
        c.maxScalarBytes = min(l.maxScalarBytes, d.maxScalarBytes)
        c.maxMarkdownBytes = min(l.maxMarkdownBytes, d.maxMarkdownBytes)
        c.maxMarkdownBrackets = min(l.maxMarkdownBrackets, d.maxMarkdownBrackets)
        return c
    }

    /// True for about one input in 16, the same for the same bytes (FNV-1a).
    public static func sampled(_ bytes: [UInt8]) -> Bool {
        var h: UInt32 = 2_166_136_261
        for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h % 16 == 0
    }

    /// Small limits, so a 64 KiB input can reach every limit's code path.
    public static let tiny: InputLimits = {
        var l = InputLimits()
        l.maxDepth = 6
        l.aliasBudget = 40
        l.maxScalarBytes = 48
        l.maxMarkdownBytes = 512
        l.maxMarkdownBrackets = 6
        return l
    }()

    /// Every diagnostic (and note) points into its file: a line that exists, a column
    /// inside that line (or just past its end), an offset that agrees with line and column.
    ///
    /// The JSON and SARIF formats go through JSONEncoder and cost more than the rest of a
    /// run, so they are checked for one input in 16 (chosen by the input's hash, so a
    /// saved input reproduces the same checks).
    public static func check(_ diagnostics: [Diagnostic], files: [SourceFile], machineFormats: Bool = true) {
        var byPath: [String: SourceFile] = [:]
        for f in files { byPath[f.path] = f }
        for d in diagnostics {
            if Rule.byID[d.rule] == nil { fail("unknown rule id '\(d.rule)'") }
            if d.message.isEmpty { fail("empty message for \(d.rule)") }
            check(d.range, byPath, "\(d.rule): \(d.message)")
            for n in d.notes { if let r = n.range { check(r, byPath, "note of \(d.rule): \(n.message)") } }
        }
        // Every format renders without trapping; machine formats stay valid JSON.
        let lookup: SourceLookup = { byPath[$0] }
        // Plan text in a message cannot add lines (forged diagnostics) or control
        // characters (terminal escapes) to the text formats.
        let plain = DiagnosticFormatter(format: .oneline, sources: lookup).render(diagnostics)
        let expectedLines = diagnostics.reduce(0) { $0 + 1 + $1.notes.count + ($1.help == nil ? 0 : 1) }
        let lines = plain.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        if lines != expectedLines { fail("one-line output has \(lines) lines for \(expectedLines) diagnostic lines") }
        let human = DiagnosticFormatter(format: .human, colour: false, sources: lookup)
        for d in diagnostics {
            let text = human.render([d])
            if text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F }) {
                fail("control character in the human rendering of \(d.rule)")
            }
            // Snippets show a window of long lines: each costs a few KB at most, whatever
            // the length of the line (the text of messages is the input's business).
            let quoted = d.message.utf8.count + (d.help?.utf8.count ?? 0) + d.notes.reduce(0) { $0 + $1.message.utf8.count }
            let budget = 8 * quoted + 4_500 * (1 + d.notes.count) + 500
            if text.utf8.count > budget { fail("human rendering of \(d.rule) is \(text.utf8.count) bytes (budget \(budget))") }
        }
        for format in DiagnosticFormat.allCases where machineFormats || (format != .json && format != .sarif) {
            let text = DiagnosticFormatter(format: format, colour: format == .human, sources: lookup).render(diagnostics)
            if format == .json || format == .sarif {
                if (try? JSONSerialization.jsonObject(with: Data(text.utf8))) == nil { fail("\(format) output is not JSON") }
            }
            if format == .github {
                // One workflow command per line: no raw line break may split a message.
                for line in text.split(separator: "\n") where !line.hasPrefix("::") { fail("github annotation line does not start with '::': \(line.prefix(80))") }
            }
        }
    }

    static func check(_ r: SourceRange, _ files: [String: SourceFile], _ what: String) {
        if r.end < r.start { fail("backwards range \(r) for \(what)") }
        guard let f = files[r.file] else {
            // Places without a source file (a template, a folder) are whole-file ranges.
            return
        }
        for (name, l) in [("start", r.start), ("end", r.end)] {
            guard l.line >= 1, l.line <= f.lineCount else { fail("\(name) line \(l.line) of \(f.lineCount) for \(what)") }
            guard l.offset >= 0, l.offset <= f.bytes.count else { fail("\(name) offset \(l.offset) of \(f.bytes.count) for \(what)") }
            let lineRange = f.lineByteRange(l.line)
            var scalars = 0
            for i in lineRange where f.bytes[i] & 0xC0 != 0x80 { scalars += 1 }
            if l.line == 1, f.hasBOM { scalars -= 1 }
            guard l.column >= 1, l.column <= scalars + 1 else {
                fail("\(name) column \(l.column) on line \(l.line) of \(scalars) characters for \(what)")
            }
            let back = f.location(atOffset: l.offset)
            guard back.line == l.line, back.column == l.column else {
                fail("\(name) \(l.line):\(l.column) disagrees with its offset \(l.offset) (\(back.line):\(back.column)) for \(what)")
            }
        }
    }

    /// Output paths stay inside the output folder and never collide; HTML has no script,
    /// no event handler and no script URL; no report keeps a bidi control.
    public static func check(_ outputs: [OutputFile]) {
        var seen = Set<String>()
        for f in outputs {
            guard OutputWriter.isSafe(f.path) else { fail("unsafe output path '\(f.path)'") }
            guard seen.insert(f.path.lowercased()).inserted else { fail("two outputs share '\(f.path)'") }
            for part in f.path.split(separator: "/") where part.utf8.count > 255 { fail("file name over 255 bytes: \(f.path.prefix(80))") }
            let isHTML = f.path.hasSuffix(".html"), isMarkdown = f.path.hasSuffix(".md")
            if isHTML || isMarkdown {
                // U+202A–U+202E, U+2066–U+2069 as UTF-8: E2 80 AA–AE, E2 81 A6–A9.
                var i = 0
                let b = f.contents
                while i + 2 < b.count {
                    if b[i] == 0xE2, (b[i + 1] == 0x80 && (0xAA...0xAE).contains(b[i + 2])) || (b[i + 1] == 0x81 && (0xA6...0xA9).contains(b[i + 2])) {
                        fail("bidi control in \(f.path) at byte \(i)")
                    }
                    i += 1
                }
            }
            if isHTML { checkHTML(f.contents, f.path) }
            if f.path.hasSuffix(".json"), (try? JSONSerialization.jsonObject(with: Data(f.contents))) == nil { fail("\(f.path) is not JSON") }
        }
    }

    /// A small tag scanner: plan text is escaped, so every '<' in the page starts markup
    /// the templates wrote. Inside <style> only CSS is allowed.
    static func checkHTML(_ b: [UInt8], _ path: String) {
        let n = b.count
        var i = 0
        func lower(_ c: UInt8) -> UInt8 { (0x41...0x5A).contains(c) ? c + 32 : c }
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C }
        while i < n {
            guard b[i] == 0x3C, i + 1 < n else { i += 1; continue }
            var j = i + 1
            if b[j] == 0x2F { j += 1 }
            var name: [UInt8] = []
            while j < n, (0x61...0x7A).contains(lower(b[j])) || (0x30...0x39).contains(b[j]) || b[j] == 0x2D { name.append(lower(b[j])); j += 1 }
            if name.isEmpty { i += 1; continue }
            let tag = String(decoding: name, as: UTF8.self)
            if tag == "script" || tag == "iframe" || tag == "object" || tag == "embed" || tag == "base" || tag == "form" {
                fail("<\(tag)> in \(path) at byte \(i)")
            }
            // Attributes up to '>' (quoted values may hold '>').
            var quote: UInt8 = 0
            var attrStart = true
            var attr: [UInt8] = []
            var values: [(String, [UInt8])] = []
            var value: [UInt8] = []
            var inValue = false
            while j < n {
                let c = b[j]
                if quote != 0 {
                    if c == quote { quote = 0; values.append((String(decoding: attr, as: UTF8.self), value)); value = []; inValue = false; attr = [] } else { value.append(c) }
                } else if c == 0x22 || c == 0x27 {
                    if inValue { quote = c }
                } else if c == 0x3E {
                    break
                } else if c == 0x3D {
                    inValue = true
                } else if isSpace(c) || c == 0x2F {
                    if !inValue && !attr.isEmpty { values.append((String(decoding: attr, as: UTF8.self), [])); attr = [] }
                    attrStart = true
                } else if inValue {
                    // Unquoted value: read to space or '>'.
                    value.append(c)
                    if j + 1 < n, isSpace(b[j + 1]) || b[j + 1] == 0x3E { values.append((String(decoding: attr, as: UTF8.self), value)); value = []; attr = []; inValue = false }
                } else {
                    if attrStart { attr = [] ; attrStart = false }
                    attr.append(lower(c))
                }
                j += 1
            }
            for (a, v) in values {
                if a.hasPrefix("on") { fail("event handler \(a) on <\(tag)> in \(path)") }
                if ["href", "src", "action", "formaction", "xlink:href", "data", "srcset", "poster"].contains(a) {
                    let decoded = Oracle.decodeEntities(String(decoding: v, as: UTF8.self))
                    let squeezed = String(decoded.unicodeScalars.filter { $0.value > 0x20 }.map(Character.init)).lowercased()
                    for scheme in ["javascript:", "vbscript:", "data:", "file:"] where squeezed.hasPrefix(scheme) {
                        fail("\(a)=\"\(decoded.prefix(60))\" on <\(tag)> in \(path)")
                    }
                }
            }
            if tag == "style", b[i + 1] != 0x2F {
                // Skip CSS to </style>; plan text never appears in it.
                var k = j
                while k + 7 < n, !(b[k] == 0x3C && b[k + 1] == 0x2F && lower(b[k + 2]) == 0x73 && lower(b[k + 3]) == 0x74) { k += 1 }
                i = k
                continue
            }
            i = max(j, i + 1)
        }
    }

    /// Decodes numeric character references and the few named ones a scheme can hide behind.
    public static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "&", let semi = s[i...].firstIndex(of: ";"), s.distance(from: i, to: semi) <= 12 {
                let body = s[s.index(after: i)..<semi].lowercased()
                var scalar: Unicode.Scalar?
                if body.hasPrefix("#x") { scalar = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
                else if body.hasPrefix("#") { scalar = UInt32(body.dropFirst()).flatMap(Unicode.Scalar.init) }
                else { scalar = ["colon": ":", "tab": "\t", "newline": "\n", "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"][body].flatMap { $0.unicodeScalars.first } }
                if let scalar { out.unicodeScalars.append(scalar); i = s.index(after: semi); continue }
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out
    }
}
