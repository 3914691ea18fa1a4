/// Splits a Markdown plan file into YAML front matter and body, keeping every line
/// number true to the file, and parses both.
public struct MarkdownFileParser {
    public var limits: InputLimits

    public init(limits: InputLimits = InputLimits()) {
        self.limits = limits
    }

    public func parse(_ file: SourceFile, into diagnostics: DiagnosticCollector) -> MarkdownFile? {
        let firstLine = file.lineByteRange(1)
        let start = file.hasBOM ? 3 : 0
        let opening = String(decoding: file.bytes[min(start, firstLine.upperBound)..<firstLine.upperBound], as: UTF8.self)
        guard opening.trimmingTrailingSpaces == "---" else {
            let l = file.location(line: 1, column: 1)
            diagnostics.emit(.frontMatter, "Markdown plan file does not start with YAML front matter", at: file.range(l, l),
                             help: "begin the file with a line '---', then 'kind: okrs' (or another kind), then a closing '---'")
            return nil
        }
        var closingLine: Int?
        if file.lineCount >= 2 {
            for line in 2...file.lineCount {
                let text = file.lineText(line).trimmingTrailingSpaces
                if text == "---" || text == "..." { closingLine = line; break }
            }
        }
        guard let closing = closingLine else {
            let l = file.location(line: 1, column: 1)
            diagnostics.emit(.frontMatter, "front matter is not closed", at: file.range(l, file.location(line: 1, column: 4)),
                             help: "add a line '---' after the front matter")
            return nil
        }
        let yamlStart = file.lineStarts[1]
        let yamlEnd = file.lineStarts[closing - 1]
        let before = diagnostics.all.count
        let docs = LibYAMLParser(limits: limits).parse(file, byteRange: yamlStart..<yamlEnd, firstLine: 2, into: diagnostics)
        let bodyStart = closing < file.lineCount ? file.lineStarts[closing] : file.bytes.count
        let bodyBytes = file.bytes.count - bodyStart
        if bodyBytes > limits.maxMarkdownBytes {
            let l = file.location(atOffset: bodyStart)
            diagnostics.emit(.inputLimit, "Markdown body of \(bodyBytes) bytes exceeds the limit of \(limits.maxMarkdownBytes) bytes",
                             at: file.range(l, l), help: "split the file, or raise limits.max_markdown_bytes in strata.yaml")
            return nil
        }
        var brackets = 0
        for i in bodyStart..<file.bytes.count where file.bytes[i] == 0x5B { brackets += 1 }
        if brackets > limits.maxMarkdownBrackets {
            let l = file.location(atOffset: bodyStart)
            diagnostics.emit(.inputLimit, "Markdown body has \(brackets) '[' brackets, more than the limit of \(limits.maxMarkdownBrackets); cmark parses such input very slowly",
                             at: file.range(l, l), help: "split the file, or raise limits.max_markdown_brackets in strata.yaml")
            return nil
        }
        guard let body = CmarkParser.parse(file, byteRange: bodyStart..<file.bytes.count, firstLine: closing + 1,
                                           maxDepth: limits.maxDepth, into: diagnostics) else { return nil }
        let frontMatter: YAMLDocument?
        if docs.count > 1 {
            diagnostics.emit(.frontMatter, "front matter holds \(docs.count) YAML documents; it must hold one mapping",
                             at: docs[1].root.range)
            return nil
        }
        frontMatter = docs.first
        if let fm = frontMatter, case .mapping = fm.root.value {} else if let fm = frontMatter {
            diagnostics.emit(.frontMatter, "front matter must be a mapping with 'kind:', found \(fm.root.shapeName)", at: fm.root.range)
            return nil
        }
        if frontMatter == nil && diagnostics.all.count == before {
            let l = file.location(line: 1, column: 1)
            diagnostics.emit(.frontMatter, "front matter is empty", at: file.range(l, l), help: "add 'kind: okrs' (or another kind)")
            return nil
        }
        let bodyText = String(decoding: file.bytes[bodyStart...], as: UTF8.self)
        return MarkdownFile(file: file, frontMatter: frontMatter, body: body, bodyText: bodyText)
    }
}

extension StringProtocol {
    var trimmingTrailingSpaces: String {
        var whole = String(self)
        // ASCII text (the common case): trailing spaces and tabs are bytes, and no ASCII
        // character joins a following space into one `Character`.
        if let ascii = whole.withUTF8({ u -> String? in
            for b in u where b >= 0x80 { return nil }
            var end = u.count
            while end > 0, u[end - 1] == 0x20 || u[end - 1] == 0x09 { end -= 1 }
            return end == u.count ? nil : String(decoding: UnsafeBufferPointer(rebasing: u[..<end]), as: UTF8.self)
        }) {
            return ascii
        }
        var s = Substring(whole)
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return String(s)
    }


    /// Without leading and trailing whitespace. ASCII whitespace is trimmed on the UTF-8
    /// bytes (the common, fast case); other Unicode whitespace by characters.
    var trimmed: String {
        var whole = String(self)
        // ASCII text (the common case): Character.isWhitespace is tab, LF, VT, FF, CR or
        // space, so trim the bytes and keep the string when nothing is trimmed.
        let asciiTrimmed = whole.withUTF8 { u -> String?? in
            for b in u where b >= 0x80 { return nil }
            func space(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
            var start = 0, end = u.count
            while start < end, space(u[start]) { start += 1 }
            while end > start, space(u[end - 1]) { end -= 1 }
            if start == 0 && end == u.count { return .some(nil) }
            return String(decoding: UnsafeBufferPointer(rebasing: u[start..<end]), as: UTF8.self)
        }
        switch asciiTrimmed {
        case .some(.some(let t)): return t
        case .some(.none): return whole
        case .none: break
        }
        let u = whole.utf8
        func ascii(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        var start = u.startIndex, end = u.endIndex
        while start < end, ascii(u[start]) { start = u.index(after: start) }
        while end > start, ascii(u[u.index(before: end)]) { end = u.index(before: end) }
        var s = whole[start..<end]
        if let f = s.first, f.isWhitespace { while let f = s.first, f.isWhitespace { s = s.dropFirst() } }
        if let l = s.last, l.isWhitespace { while let l = s.last, l.isWhitespace { s = s.dropLast() } }
        return String(s)
    }
}

extension Substring {
    /// The last occurrence of the ASCII text `pattern` before `end` (the end by default),
    /// compared byte by byte; with `ignoringCase`, ASCII letters of the text match either
    /// case (write `pattern` in lower case). Foundation's `range(of:options:)` did this
    /// through NSString, 9,000 instructions a call.
    func lastRange(ofASCII pattern: StaticString, ignoringCase: Bool = false, before end: Index? = nil) -> Range<Index>? {
        let p = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
        let u = utf8
        guard p.count > 0, var start = u.index(end ?? endIndex, offsetBy: -p.count, limitedBy: startIndex) else { return nil }
        while true {
            var i = start, k = 0
            while k < p.count {
                var b = u[i]
                if ignoringCase, b >= 0x41, b <= 0x5A { b += 0x20 }
                guard b == p[k] else { break }
                u.formIndex(after: &i)
                k += 1
            }
            if k == p.count { return start..<i }
            guard start > startIndex else { return nil }
            u.formIndex(before: &start)
        }
    }
}

extension String {
    func lastRange(ofASCII pattern: StaticString, ignoringCase: Bool = false, before end: Index? = nil) -> Range<Index>? {
        self[...].lastRange(ofASCII: pattern, ignoringCase: ignoringCase, before: end)
    }
}
