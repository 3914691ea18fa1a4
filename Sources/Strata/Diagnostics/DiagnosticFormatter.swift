import Foundation

/// The output formats of `--format`.
public enum DiagnosticFormat: String, CaseIterable, Sendable {
    /// Annotated source snippets, for people.
    case human
    /// `file:line:col: severity: message [rule-id]`, one per line.
    case oneline = "one-line"
    /// A JSON array, for tools.
    case json
    /// GitHub Actions workflow commands (inline pull-request annotations).
    case github
    /// SARIF 2.1.0, for code scanning.
    case sarif
}

/// Looks up source text for snippets.
public typealias SourceLookup = (String) -> SourceFile?

/// Renders diagnostics; the format is chosen by the caller, colour is a decoration.
public struct DiagnosticFormatter {
    public var format: DiagnosticFormat
    public var colour: Bool
    public var sources: SourceLookup
    /// Prepended to file paths in GitHub annotations and SARIF, which GitHub resolves
    /// against the repository root (e.g. `strategy/` when strata.yaml is in a subfolder).
    public var repositoryPrefix = ""

    public init(format: DiagnosticFormat, colour: Bool = false, sources: @escaping SourceLookup, repositoryPrefix: String = "") {
        self.format = format
        self.colour = colour
        self.sources = sources
        self.repositoryPrefix = repositoryPrefix
    }

    /// The path of `root` inside its git repository ("" at the top or outside any repository),
    /// found by looking for `.git` in `root` and its ancestors.
    public static func repositoryPrefix(of root: URL) -> String {
        var dir = root.standardizedFileURL.resolvingSymlinksInPath()
        var parts: [String] = []
        while true {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(".git").path) {
                return parts.isEmpty ? "" : parts.reversed().joined(separator: "/") + "/"
            }
            let up = dir.deletingLastPathComponent()
            if up.path == dir.path { return "" }
            parts.append(dir.lastPathComponent)
            dir = up
        }
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        switch format {
        case .human:
            var out = ""
            for d in diagnostics { out += human(d) }
            return out
        case .oneline:
            return diagnostics.map(oneLine).joined()
        case .json:
            return json(diagnostics)
        case .github:
            return GitHubAnnotations.render(diagnostics.map(prefixed))
        case .sarif:
            return SARIFLog.render(diagnostics.map(prefixed))
        }
    }

    /// A summary line such as `2 errors, 1 warning`.
    public static func summary(_ diagnostics: [Diagnostic]) -> String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        let e = diagnostics.filter { $0.severity == .error }.count
        let w = diagnostics.filter { $0.severity == .warning }.count
        let n = diagnostics.filter { $0.severity == .note }.count
        var parts = [plural(e, "error"), plural(w, "warning")]
        if n > 0 { parts.append(plural(n, "note")) }
        return parts.joined(separator: ", ")
    }

    func prefixed(_ d: Diagnostic) -> Diagnostic {
        guard !repositoryPrefix.isEmpty else { return d }
        var d = d
        d.range.file = repositoryPrefix + d.range.file
        d.notes = d.notes.map { n in
            var n = n
            if var r = n.range {
                r.file = repositoryPrefix + r.file
                n.range = r
            }
            return n
        }
        return d
    }

    // MARK: - one line

    func oneLine(_ d: Diagnostic) -> String {
        var s = "\(position(d.range)): \(d.severity.rawValue): \(Self.visible(d.message)) [\(d.rule)]\n"
        for note in d.notes {
            if let r = note.range { s += "\(position(r)): note: \(Self.visible(note.message))\n" }
            else { s += "note: \(Self.visible(note.message))\n" }
        }
        if let help = d.help { s += "help: \(Self.visible(help))\n" }
        return s
    }

    func position(_ r: SourceRange) -> String { "\(Self.visible(r.file)):\(r.start.line):\(r.start.column)" }

    /// Messages quote plan text, and YAML escapes ("\n", "\e", "\u202E") put line breaks,
    /// terminal escape sequences and bidi controls into it; file names can hold them too.
    /// Printed raw they would forge diagnostic lines (or CI workflow commands such as
    /// `::error::`) and drive the terminal, so they are shown as escapes.
    public static func visible(_ text: String) -> String {
        func escaped(_ u: Unicode.Scalar) -> Bool {
            (u.value < 0x20 && u != "\t") || u.value == 0x7F || (0x80..<0xA0).contains(u.value) || u.value == 0x2028 || u.value == 0x2029
                || (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value)
        }
        guard text.unicodeScalars.contains(where: escaped) else { return text }
        var out = ""
        for u in text.unicodeScalars {
            if u == "\n" { out += "\\n" }
            else if u == "\r" { out += "\\r" }
            else if escaped(u) { out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}" }
            else { out.unicodeScalars.append(u) }
        }
        return out
    }

    // MARK: - human

    private func paint(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    private func severityLabel(_ s: Severity) -> String {
        switch s {
        case .error: return paint("error", "1;31")
        case .warning: return paint("warning", "1;33")
        case .note: return paint("note", "1;36")
        }
    }

    func human(_ d: Diagnostic) -> String {
        var s = paint(position(d.range), "1") + ": " + severityLabel(d.severity) + ": "
            + paint(Self.visible(d.message), "1") + " [\(d.rule)]\n"
        s += snippet(d.range)
        for note in d.notes {
            if let r = note.range {
                s += paint(position(r), "1") + ": " + severityLabel(.note) + ": \(Self.visible(note.message))\n"
                s += snippet(r)
            } else {
                s += "  = note: \(Self.visible(note.message))\n"
            }
        }
        if let help = d.help { s += "  = " + paint("help", "1;32") + ": \(Self.visible(help))\n" }
        return s
    }

    /// The source line(s) of a range with markers under it (at most 3 lines shown).
    func snippet(_ r: SourceRange) -> String {
        guard let file = sources(r.file), r.start.line >= 1, r.start.line <= file.lineCount else { return "" }
        let lastLine = min(r.end.line, r.start.line + 2, file.lineCount)
        let gutterWidth = String(lastLine).count
        let pad = String(repeating: " ", count: gutterWidth)
        var s = "\(pad) |\n"
        for line in r.start.line...lastLine {
            let startCol = line == r.start.line ? r.start.column : 1
            let shown = Self.window(file, line: line, around: startCol)
            let scalars = shown.scalars
            let pastShown = shown.first + scalars.count
            var endCol = line == r.end.line ? r.end.column : pastShown + (shown.cutAfter ? 0 : 1)
            if line == r.end.line && r.end.line == r.start.line && endCol <= startCol { endCol = startCol + 1 }
            if shown.cutAfter { endCol = min(endCol, pastShown) }
            let numberText = String(line)
            s += String(repeating: " ", count: gutterWidth - numberText.count) + numberText + " | "
                + (shown.cutBefore ? "…" : "") + Self.printable(scalars) + (shown.cutAfter ? "…" : "") + "\n"
            var marker = shown.cutBefore ? " " : ""
            for (i, u) in scalars.enumerated() where shown.first + i < startCol {
                marker += u == "\t" ? "\t" : String(repeating: " ", count: Self.displayWidth(u))
            }
            var width = 0
            var col = max(startCol, shown.first)
            while col < endCol {
                let i = col - shown.first
                width += i < scalars.count ? max(1, Self.displayWidth(scalars[i])) : 1
                col += 1
            }
            if width == 0 { width = 1 }
            marker += paint((line == r.start.line ? "^" : "~") + String(repeating: "~", count: width - 1), "1;32")
            s += "\(pad) | " + marker + "\n"
        }
        return s
    }

    /// The most characters of a source line a snippet shows. A longer line (a minified
    /// file, a huge value) is cut to a window around the marked column, so each diagnostic
    /// on it costs a few hundred bytes of output instead of two copies of the line.
    static let snippetWidth = 120

    /// The characters of `line` a snippet shows, and the column of the first: the whole
    /// line when it is short, else `snippetWidth` characters starting a little before `column`.
    static func window(_ file: SourceFile, line: Int, around column: Int) -> (scalars: [Unicode.Scalar], first: Int, cutBefore: Bool, cutAfter: Bool) {
        let range = file.lineByteRange(line)
        // A line of at most `snippetWidth` bytes has at most that many characters.
        guard range.count > snippetWidth else {
            return (Array(String(decoding: file.bytes[range], as: UTF8.self).unicodeScalars), 1, false, false)
        }
        let bytes = file.bytes
        let anchor = min(max(file.location(line: line, column: column).offset, range.lowerBound), range.upperBound)
        var lo = anchor, before = 0
        while lo > range.lowerBound && before < snippetWidth / 3 {
            lo -= 1
            while lo > range.lowerBound && bytes[lo] & 0xC0 == 0x80 { lo -= 1 }
            before += 1
        }
        var hi = anchor, count = before
        while hi < range.upperBound && count < snippetWidth {
            hi += 1
            while hi < range.upperBound && bytes[hi] & 0xC0 == 0x80 { hi += 1 }
            count += 1
        }
        guard lo > range.lowerBound || hi < range.upperBound else {
            return (Array(String(decoding: bytes[range], as: UTF8.self).unicodeScalars), 1, false, false)
        }
        let first = lo == range.lowerBound ? 1 : file.location(atOffset: lo).column
        return (Array(String(decoding: bytes[lo..<hi], as: UTF8.self).unicodeScalars), first, lo > range.lowerBound, hi < range.upperBound)
    }

    /// Control characters would corrupt the terminal: show them as U+XXXX.
    static func printable(_ scalars: [Unicode.Scalar]) -> String {
        var out = ""
        for u in scalars {
            if u == "\t" { out.unicodeScalars.append(u) }
            else if u.value < 0x20 || u.value == 0x7F || (0x80..<0xA0).contains(u.value)
                        || (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value) {
                out += "\u{FFFD}"
            } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// Terminal columns a scalar takes: 2 for East Asian wide characters and emoji.
    static func displayWidth(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v == 0x200D || (0xFE00...0xFE0F).contains(v) || (0x0300...0x036F).contains(v) { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    // MARK: - JSON

    func json(_ diagnostics: [Diagnostic]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(diagnostics)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
