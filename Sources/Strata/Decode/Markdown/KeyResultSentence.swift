/// Reads a key result written as a plain-English sentence:
/// `Grow ARR from $4.0M to $5.5M (now $4.6M, weight 2, owner li) {#id}`,
/// `Keep p95 latency below 300 ms`, `[x] Launch the partner programme`.
struct KeyResultSentence {
    enum Shape {
        case change(start: Quantity, startOffset: Int, target: Quantity, targetOffset: Int)
        case above(Quantity, offset: Int)
        case below(Quantity, offset: Int)
        case milestone(done: Bool)
        case none
    }

    /// Byte offsets are relative to the start of the parsed text.
    var title: String
    var shape: Shape
    var id: (String, offset: Int)?
    var annotations: [(key: String, value: String, offset: Int)] = []
    var unknownAnnotations: [(String, Int)] = []
    /// A number where a start, target or threshold would be, beyond
    /// `Quantity.largestMagnitude` (the first one seen), for a message naming it.
    var outOfRange: (text: String, offset: Int)?

    static let annotationKeys = ["now", "current", "weight", "owner", "confidence"]

    static func parse(_ full: String) -> KeyResultSentence {
        var text = Substring(full.trimmingTrailingSpaces)
        var result = KeyResultSentence(title: "", shape: .none)
        func offset(_ i: Substring.Index) -> Int { full.utf8.distance(from: full.startIndex, to: i) }

        // Trailing {#id}.
        if text.hasSuffix("}"), let open = text.lastRange(ofASCII: "{#") {
            let idText = text[open.upperBound..<text.index(before: text.endIndex)]
            result.id = (String(idText).trimmed, offset(idText.startIndex))
            text = Substring(String(text[..<open.lowerBound]).trimmingTrailingSpaces)
            text = full[full.startIndex..<full.index(full.startIndex, offsetBy: text.count)]
        }
        // Trailing (now …, weight …, owner …).
        if text.hasSuffix(")"), let open = text.lastRange(ofASCII: "(") {
            let inner = text[open.upperBound..<text.index(before: text.endIndex)]
            var parts: [(String, String, Int)] = []
            var recognised = true
            var cursor = inner.startIndex
            for piece in inner.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmedStart = piece.firstIndex { !$0.isWhitespace } ?? piece.endIndex
                let word = piece[trimmedStart...].prefix { $0.isLetter }.lowercased()
                if annotationKeys.contains(word) {
                    let valueStart = piece[trimmedStart...].dropFirst(word.count).drop { $0.isWhitespace || $0 == ":" }
                    parts.append((word, String(valueStart).trimmed, offset(valueStart.startIndex)))
                } else if parts.isEmpty {
                    recognised = false
                    break
                } else {
                    result.unknownAnnotations.append((String(piece).trimmed, offset(trimmedStart)))
                }
                cursor = piece.endIndex
            }
            _ = cursor
            if recognised && !parts.isEmpty {
                result.annotations = parts.map { (key: $0.0, value: $0.1, offset: $0.2) }
                text = Substring(String(text[..<open.lowerBound]).trimmingTrailingSpaces)
                text = full[full.startIndex..<full.index(full.startIndex, offsetBy: text.count)]
            }
        }
        // Task marker.
        let lower = text.lowercased()
        if lower.hasPrefix("[ ] ") || lower.hasPrefix("[x] ") || lower == "[ ]" || lower == "[x]" {
            result.shape = .milestone(done: lower.hasPrefix("[x]"))
            result.title = String(text.dropFirst(3)).trimmed
            return result
        }
        result.title = String(text).trimmed
        // "from A to B": the last occurrence that parses.
        var searchEnd = text.endIndex
        while let from = text.lastRange(ofASCII: "from ", ignoringCase: true, before: searchEnd) {
            searchEnd = from.lowerBound
            guard from.lowerBound == text.startIndex || text[text.index(before: from.lowerBound)] == " " else { continue }
            let afterFrom = text[from.upperBound...]
            guard let (start, rest) = quantity(afterFrom, at: offset(afterFrom.startIndex), &result) else { continue }
            var r = Substring(rest)
            while r.first == " " { r = r.dropFirst() }
            guard r.lowercased().hasPrefix("to ") else { continue }
            let targetText = r.dropFirst(3)
            let targetAt = offset(afterFrom.startIndex) + (String(afterFrom).utf8.count - String(targetText).utf8.count)
            guard let (target, _) = quantity(targetText, at: targetAt, &result) else { continue }
            let startOffset = offset(afterFrom.startIndex) + leadingSpaces(afterFrom)
            let targetOffset = targetAt + leadingSpaces(targetText)
            result.shape = .change(start: start, startOffset: startOffset, target: target, targetOffset: targetOffset)
            return result
        }
        // "above/below X".
        let thresholds: [(StaticString, Bool)] = [(" at least ", true), (" above ", true), (" over ", true), (" at most ", false), (" below ", false), (" under ", false)]
        var best: (Substring.Index, Bool, Quantity, Int)?
        for (word, isAbove) in thresholds {
            guard let r = text.lastRange(ofASCII: word, ignoringCase: true) else { continue }
            let after = text[r.upperBound...]
            guard let (q, _) = quantity(after, at: offset(after.startIndex), &result) else { continue }
            if best == nil || r.lowerBound > best!.0 { best = (r.lowerBound, isAbove, q, offset(after.startIndex) + leadingSpaces(after)) }
        }
        if let b = best {
            result.shape = b.1 ? .above(b.2, offset: b.3) : .below(b.2, offset: b.3)
        }
        return result
    }

    /// The quantity at the start of `text` (one word of unit), if it is in range; an
    /// out-of-range one is remembered in `result.outOfRange`, with `text`'s byte offset
    /// `offset` in the sentence.
    private static func quantity(_ text: Substring, at offset: Int, _ result: inout KeyResultSentence) -> (Quantity, Substring)? {
        guard let found = Quantity.parsePrefixUnbounded(String(text), wordUnits: 1) else { return nil }
        if found.0.isInRange { return found }
        if result.outOfRange == nil { result.outOfRange = (found.0.text, offset + leadingSpaces(text)) }
        return nil
    }

    private static func leadingSpaces(_ s: Substring) -> Int { s.prefix { $0 == " " }.utf8.count }
}

