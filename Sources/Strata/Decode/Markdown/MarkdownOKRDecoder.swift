/// `kind: okrs` in Markdown: one `## Title {#id}` section per objective, a paragraph of
/// `Key: value` metadata lines, description paragraphs, and key results as a list of
/// plain-English sentences.
enum MarkdownOKRDecoder {
    static let frontMatterSchema = KindSchema(name: "okrs front matter", fields: Array(PlanSchema.okrs.fields.prefix(4)))
    static let metadataKeys = ["owner", "team", "period", "parent", "supports", "committed", "progress"]

    static func decode(_ md: MarkdownFile, _ context: DecodeContext) {
        guard let fm = md.frontMatter, let r = FieldReader(fm.root, frontMatterSchema, context) else { return }
        let defaults = OKRDecoder.defaults(r)
        let file = md.file
        let sections = MarkdownSections.split(md.body)
        reserveRoom(for: sections, context)
        for section in sections {
            guard let heading = section.heading else {
                for block in section.blocks where block.kind != .thematicBreak {
                    if case .list = block.kind {
                        context.emit(.markdownStructure, "key results must come under an objective heading", at: block.range,
                                     help: "add a heading '## <objective title> {#id}' above the list")
                    }
                }
                continue
            }
            guard heading.kind == .heading(level: 2) else {
                for block in section.blocks {
                    if case .list = block.kind {
                        context.emit(.markdownStructure, "key results must come under an objective heading", at: block.range,
                                     help: "add a heading '## <objective title> {#id}' above the list")
                    }
                }
                continue
            }
            decodeObjective(heading: heading, blocks: section.blocks, file: file, defaults: defaults, context)
        }
    }

    /// Makes room in the file's lists for its objectives (level-2 sections) and the items
    /// of each one's first list, so that they are not grown by doubling (as in
    /// `OKRDecoder.reserveRoom`).
    static func reserveRoom(for sections: [MarkdownSection], _ context: DecodeContext) {
        var objectives = 0, keyResults = 0
        for section in sections where section.heading?.kind == .heading(level: 2) {
            objectives += 1
            if let list = section.blocks.first(where: { if case .list = $0.kind { return true } else { return false } }) {
                keyResults += list.children.count
            }
        }
        context.plan.objectives.reserveCapacity(context.plan.objectives.count + objectives)
        context.plan.keyResults.reserveCapacity(context.plan.keyResults.count + keyResults)
    }

    /// The source text of a block from its start column, lines joined with spaces.
    static func rawText(_ node: MarkdownNode, _ file: SourceFile) -> (text: String, base: Int, firstLineBytes: Int) {
        let start = node.range.start
        let firstRange = file.lineByteRange(start.line)
        let base = min(max(start.offset, firstRange.lowerBound), firstRange.upperBound)
        var text = String(decoding: file.bytes[base..<firstRange.upperBound], as: UTF8.self)
        let firstBytes = text.utf8.count
        if node.range.end.line > start.line {
            for line in (start.line + 1)...node.range.end.line where line <= file.lineCount {
                let t = file.lineText(line).trimmed
                if !t.isEmpty { text += " " + t }
            }
        }
        return (text, base, firstBytes)
    }

    static func decodeObjective(heading: MarkdownNode, blocks: [MarkdownNode], file: SourceFile, defaults: OKRDecoder.Defaults, _ context: DecodeContext) {
        let raw = rawText(heading, file)
        var headingText = Substring(raw.text)
        while headingText.first == "#" { headingText = headingText.dropFirst() }
        var sentence = String(headingText).trimmed
        while sentence.hasSuffix("#") { sentence = String(sentence.dropLast()).trimmingTrailingSpaces }
        var id: Located<String>?
        if sentence.hasSuffix("}"), let open = sentence.lastRange(ofASCII: "{#") {
            let idText = String(sentence[open.upperBound..<sentence.index(before: sentence.endIndex)]).trimmed
            let byteOffset = raw.text.utf8.count - (raw.text.lastRange(ofASCII: "{#").map { raw.text[$0.upperBound...].utf8.count } ?? 0)
            let loc = file.location(atOffset: raw.base + byteOffset)
            id = ValueReader.id(Located(idText, file.range(loc, file.location(atOffset: raw.base + byteOffset + idText.utf8.count))), field: "id", context)
            sentence = String(sentence[..<open.lowerBound]).trimmed
        } else {
            context.emit(.missingField, "objective '\(sentence.prefix(60))' has no id", at: heading.range,
                         help: "end the heading with an id, e.g. '## \(sentence.prefix(40)) {#team-q4-1}'")
        }
        guard let id else { return }
        let title = Located(sentence, heading.range)

        var meta: [String: Located<String>] = [:]
        var rest = blocks[...]
        if let first = rest.first, first.kind == .paragraph, let parsed = metadata(first, file, context) {
            meta = parsed
            rest = rest.dropFirst()
        }
        let description = rest.filter { $0.kind == .paragraph || $0.kind == .blockQuote }
            .map { rawBlockText($0, file) }.joined(separator: "\n\n")
        func bool(_ key: String) -> Bool? { meta[key].flatMap { ValueReader.bool($0, field: key, context)?.value } }
        var objective = Objective(
            id: id, title: title, description: description.isEmpty ? nil : description,
            owner: meta["owner"] ?? defaults.owner, team: meta["team"] ?? defaults.team,
            period: meta["period"].flatMap { ValueReader.period($0, field: "period", context) } ?? defaults.period,
            committed: bool("committed") ?? false, parent: meta["parent"],
            supports: meta["supports"].map { s in s.value.split(separator: ",").map { Located(String($0).trimmed, s.range) } } ?? [],
            progressSource: meta["progress"].flatMap { ValueReader.choice($0, ProgressSource.allCases.map(\.rawValue), field: "progress", context) }.flatMap { ProgressSource(rawValue: $0.value) },
            keyResults: [], range: heading.range)
        if objective.period == nil && meta["period"] == nil && !defaults.periodGiven {
            context.emit(.missingField, "objective '\(id.value)' has no period", at: heading.range,
                         help: "add 'Period: 2026-Q4' under the heading or 'period:' to the front matter")
        }
        let lists = rest.filter { if case .list = $0.kind { return true } else { return false } }
        if lists.count > 1 {
            context.emit(.markdownStructure, "objective '\(id.value)' has more than one list; only the first holds key results", at: lists[1].range,
                         help: "merge the key results into one list")
        }
        for (i, item) in (lists.first?.children ?? []).enumerated() {
            if let kr = keyResult(item, objective: objective, position: i + 1, file: file, context) {
                objective.keyResults.append(kr.id.value)
                context.plan.keyResults.append(kr)
            }
        }
        context.plan.objectives.append(objective)
    }

    static func rawBlockText(_ node: MarkdownNode, _ file: SourceFile) -> String {
        let r = node.range
        guard r.start.line <= r.end.line else { return "" }
        let lastLine = min(r.end.line, file.lineCount)
        let startByte = file.lineByteRange(r.start.line).lowerBound
        let endByte = file.lineByteRange(lastLine).upperBound
        return String(decoding: file.bytes[startByte..<max(startByte, endByte)], as: UTF8.self).trimmed
    }

    /// `Key: value` lines; nil when the paragraph is not metadata (then it is description).
    static func metadata(_ paragraph: MarkdownNode, _ file: SourceFile, _ context: DecodeContext) -> [String: Located<String>]? {
        var result: [String: Located<String>] = [:]
        var lines: [MetadataLine] = []
        for line in paragraph.range.start.line...max(paragraph.range.start.line, paragraph.range.end.line) {
            let bytes = file.lineByteRange(line)
            switch asciiMetadataLine(file, bytes) {
            case .some(.some(let read)): lines.append(read)
            case .some(.none): return nil
            case .none:
                guard let read = characterMetadataLine(file, bytes) else { return nil }
                lines.append(read)
            }
        }
        guard lines.contains(where: { metadataKeys.contains($0.key) }) else { return nil }
        for l in lines {
            if !metadataKeys.contains(l.key) {
                context.emit(.unknownKey, "unknown metadata line '\(l.key)' in an objective", at: l.keyRange,
                             help: Suggestion.didYouMean(l.key, in: metadataKeys) ?? "known keys: " + metadataKeys.joined(separator: ", "))
                continue
            }
            if result[l.key] != nil {
                context.emit(.yamlDuplicateKey, "'\(l.key)' is given twice", at: l.keyRange,
                             notes: [DiagnosticNote("first given here", at: result[l.key]!.range)])
                continue
            }
            result[l.key] = l.value
        }
        return result
    }

    /// A `key: value` line of an objective's metadata paragraph: the key lower-cased, with
    /// `_` for spaces.
    typealias MetadataLine = (key: String, keyRange: SourceRange, value: Located<String>)

    /// One line of a metadata paragraph (the bytes `bytes` of `file`), read by characters;
    /// nil when it is not a metadata line.
    static func characterMetadataLine(_ file: SourceFile, _ bytes: Range<Int>) -> MetadataLine? {
        let text = String(decoding: file.bytes[bytes], as: UTF8.self)
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let keyPart = text[..<colon]
        let key = keyPart.trimmed.lowercased()
        guard !key.isEmpty, key.count <= 20, key.allSatisfy({ $0.isLetter || $0 == " " || $0 == "_" }) else { return nil }
        let lead = keyPart.prefix { $0 == " " }.utf8.count
        let keyStart = bytes.lowerBound + lead
        let keyRange = file.range(offsets: keyStart..<(keyStart + keyPart.trimmed.utf8.count))
        let afterColon = text[text.index(after: colon)...]
        let valueStart = bytes.lowerBound + text.utf8.distance(from: text.startIndex, to: afterColon.startIndex) + afterColon.prefix { $0 == " " }.utf8.count
        let value = afterColon.trimmed
        return (key.replacingOccurrences(of: " ", with: "_"), keyRange, Located(value, file.range(offsets: valueStart..<(valueStart + value.utf8.count))))
    }

    /// `characterMetadataLine` on the bytes of an ASCII line without CR (nearly every
    /// line), where a character is a byte, `isLetter` is A–Z and a–z and `trimmed` trims
    /// tab, LF, VT, FF, CR and space: the same key, ranges and value, without `Character`
    /// look-ups or Foundation. `.none` for any other line (read by characters); `.some(nil)`
    /// when the line is not a metadata line.
    static func asciiMetadataLine(_ file: SourceFile, _ bytes: Range<Int>) -> MetadataLine?? {
        file.bytes.withUnsafeBufferPointer { all -> MetadataLine?? in
            let u = UnsafeBufferPointer(rebasing: all[bytes])
            for b in u where b >= 0x80 || b == 0x0D { return .none }
            guard let colon = u.firstIndex(of: 0x3A) else { return .some(nil) }
            var keyStart = 0, keyEnd = colon
            while keyStart < keyEnd, ASCIIQuantityParser.isSpace(u[keyStart]) { keyStart += 1 }
            while keyEnd > keyStart, ASCIIQuantityParser.isSpace(u[keyEnd - 1]) { keyEnd -= 1 }
            let keyBytes = UnsafeBufferPointer(rebasing: u[keyStart..<keyEnd])
            guard !keyBytes.isEmpty, keyBytes.count <= 20,
                  keyBytes.allSatisfy({ ASCIIQuantityParser.isLetter($0) || $0 == 0x20 || $0 == 0x5F }) else { return .some(nil) }
            let key = String(unsafeUninitializedCapacity: keyBytes.count) { buffer in
                for (k, b) in keyBytes.enumerated() { buffer[k] = b == 0x20 ? 0x5F : (b >= 0x41 && b <= 0x5A ? b + 0x20 : b) }
                return keyBytes.count
            }
            var lead = 0
            while lead < colon, u[lead] == 0x20 { lead += 1 }
            let keyRange = file.range(offsets: (bytes.lowerBound + lead)..<(bytes.lowerBound + lead + keyBytes.count))
            var valueLead = colon + 1
            while valueLead < u.count, u[valueLead] == 0x20 { valueLead += 1 }
            var valueStart = colon + 1, valueEnd = u.count
            while valueStart < valueEnd, ASCIIQuantityParser.isSpace(u[valueStart]) { valueStart += 1 }
            while valueEnd > valueStart, ASCIIQuantityParser.isSpace(u[valueEnd - 1]) { valueEnd -= 1 }
            let value = String(decoding: UnsafeBufferPointer(rebasing: u[valueStart..<valueEnd]), as: UTF8.self)
            let at = bytes.lowerBound + valueLead
            return .some((key, keyRange, Located(value, file.range(offsets: at..<(at + value.utf8.count)))))
        }
    }

    static func keyResult(_ item: MarkdownNode, objective: Objective, position: Int, file: SourceFile, _ context: DecodeContext) -> KeyResult? {
        guard let paragraph = item.children.first(where: { $0.kind == .paragraph }) else {
            context.emit(.markdownStructure, "empty key result", at: item.range)
            return nil
        }
        let raw = rawText(paragraph, file)
        let sentence = KeyResultSentence.parse(raw.text)
        func range(_ offset: Int, _ length: Int) -> SourceRange {
            guard offset < raw.firstLineBytes else { return paragraph.range }
            return file.range(offsets: (raw.base + offset)..<(raw.base + min(raw.firstLineBytes, offset + length)))
        }
        let whole = paragraph.range
        var id = Located("\(objective.id.value).kr\(position)", whole)
        if let (text, off) = sentence.id {
            guard let valid = ValueReader.id(Located(text, range(off, text.utf8.count)), field: "id", context) else { return nil }
            id = valid
        }
        var owner = objective.owner
        var weight: Located<Quantity>?
        var current: Located<Quantity>?
        for a in sentence.annotations {
            let r = range(a.offset, a.value.utf8.count)
            switch a.key {
            case "now", "current": current = ValueReader.quantity(Located(a.value, r), field: "now", context)
            case "weight": weight = ValueReader.quantity(Located(a.value, r), field: "weight", context)
            case "owner": owner = Located(a.value, r)
            case "confidence":
                context.emit(.markdownStructure, "confidence belongs in a check-in, not in the key result", at: r,
                             help: "record it in a check-in with 'confidence: …'")
            default: break
            }
        }
        for (text, off) in sentence.unknownAnnotations {
            context.emit(.unknownKey, "unknown annotation '\(text.prefix(30))' in a key result", at: range(off, text.utf8.count),
                         help: "annotations are: now <value>, weight <n>, owner <person>")
        }
        let measure: Measure
        switch sentence.shape {
        case .change(let s, let so, let t, let to):
            measure = .change(start: Located(s, range(so, s.text.utf8.count)), target: Located(t, range(to, t.text.utf8.count)))
            if case .change(let ls, let lt) = measure {
                UnitCheck.compatible([ls, lt, current], what: "key result '\(id.value)'", context)
            }
        case .above(let q, let off):
            measure = .stayAbove(Located(q, range(off, q.text.utf8.count)))
            if case .stayAbove(let lq) = measure { UnitCheck.compatible([lq, current], what: "key result '\(id.value)'", context) }
        case .below(let q, let off):
            measure = .stayBelow(Located(q, range(off, q.text.utf8.count)))
            if case .stayBelow(let lq) = measure { UnitCheck.compatible([lq, current], what: "key result '\(id.value)'", context) }
        case .milestone(let done):
            measure = .milestone(done: done)
        case .none:
            if let (text, off) = sentence.outOfRange {
                // The sentence has a measure; one of its numbers is out of range. The key
                // result stays (check-ins and children refer to it), without a measure.
                _ = ValueReader.reportOutOfRange(Located(text, range(off, text.utf8.count)), context)
            } else {
                context.emit(.krUnmeasurable, "key result '\(id.value)' (“\(sentence.title.prefix(60))”) has no target, threshold or milestone", at: whole,
                             help: "write '… from <start> to <target>', 'Keep … above|below <value>', or a task item '[ ] …'")
            }
            measure = .unmeasurable
        }
        return KeyResult(id: id, objective: objective.id.value, title: Located(sentence.title, whole), description: nil, owner: owner,
                         weight: weight, measure: measure, current: current, range: whole)
    }
}

import Foundation
