import Foundation

/// A Mustache template compiled once into a tree of nodes, ready to render many times.
///
/// The dialect is swift-mustache's (which Strata used before and which user templates were
/// written for): the Mustache specification — variables, `{{{raw}}}` and `{{& raw}}`,
/// sections, inverted sections, comments, partials with standalone-line indentation,
/// set delimiters — plus `{{.name}}` (current context only), transforms such as
/// `{{count(list)}}` or `{{^last()}}` and the `{{% CONTENT_TYPE: … }}` pragma. Whitespace
/// and standalone lines are handled exactly as swift-mustache handles them, so templates
/// render byte for byte as before. Template inheritance (`{{< }}`, `{{$ }}`) and dynamic
/// partials (`{{> *name}}`) are not supported and are reported as syntax errors.
public struct MustacheTemplate: Sendable {
    let nodes: [Node]
    /// How many names the template's tags have; each has a `slot` below this.
    let slotCount: Int
    /// Where this template's slots start among its library's (set when it is registered).
    var slotBase = 0

    /// A name as written in a tag, split once at compile time. A class: rendering takes
    /// a tag's name out of its node for every tag it renders, and a struct of two lists and
    /// a string cost three reference-count updates each time instead of one.
    final class Name: Sendable, Equatable {
        enum Kind: Sendable, Equatable {
            /// `{{.}}`: the current context.
            case current
            /// `{{last()}}` and friends: the position in the list being rendered.
            case sequencePosition
            /// `{{.a.b}}`: from the current context only.
            case anchored
            /// `{{a.b}}`: `a` from the innermost context that has it.
            case climbing
        }
        let kind: Kind
        let path: [String]
        /// The name's number within its template: where the renderer keeps the position
        /// the name was last found at (see `TemplateObject.value(named:hint:)`).
        let slot: Int
        /// Transforms in the order they apply (innermost first).
        let transforms: [String]
        /// The tag's text, to match a section's closing tag.
        let source: String

        init(kind: Kind, path: [String], slot: Int = 0, transforms: [String], source: String) {
            self.kind = kind
            self.path = path
            self.slot = slot
            self.transforms = transforms
            self.source = source
        }

        static func == (a: Name, b: Name) -> Bool {
            a === b || (a.kind == b.kind && a.path == b.path && a.slot == b.slot && a.transforms == b.transforms && a.source == b.source)
        }
    }

    enum ContentType: Sendable, Equatable { case html, text, markdown }

    indirect enum Node: Sendable {
        case text([UInt8])
        case variable(Name, escaped: Bool)
        /// The body's shape is kept with it: sections with the same shape render the same
        /// bytes for the same values, in any template (`MustacheLibrary.SectionMemo`).
        case section(Name, [Node], SectionShape)
        case invertedSection(Name, [Node])
        case partial(PartialName, indentation: [UInt8]?)
        case contentType(ContentType)
    }

    /// A section body's structure written out as text — its text pieces, tags, names,
    /// transforms, partials and indentation, not the slots its names were numbered with —
    /// so equal shapes are equal bodies, whichever template or delimiters they came from.
    final class SectionShape: Sendable, Hashable {
        let text: String
        /// `text`'s hash, taken once: a memo looks shapes up for every item it renders.
        let digest: Int
        init(_ nodes: [Node]) {
            var t = ""
            Self.describe(nodes, into: &t)
            text = t
            digest = t.hashValue
        }

        static func describe(_ nodes: [Node], into t: inout String) {
            func name(_ n: Name) -> String { "\(n.kind)|\(n.path.joined(separator: "."))|\(n.transforms.joined(separator: ","))" }
            for node in nodes {
                switch node {
                case .text(let bytes): t += "T\(bytes.count):" + String(decoding: bytes, as: UTF8.self)
                case .variable(let n, let escaped): t += (escaped ? "V" : "R") + "\(name(n).utf8.count):" + name(n)
                case .section(let n, _, let shape): t += "S\(name(n).utf8.count):" + name(n) + "\(shape.text.utf8.count):" + shape.text
                case .invertedSection(let n, let children):
                    var inner = ""
                    describe(children, into: &inner)
                    t += "I\(name(n).utf8.count):" + name(n) + "\(inner.utf8.count):" + inner
                case .partial(let p, let indentation):
                    let i = indentation.map { String(decoding: $0, as: UTF8.self) }
                    t += "P\(p.text.utf8.count):" + p.text + (i.map { "\($0.utf8.count):" + $0 } ?? "-")
                case .contentType(let c): t += "C\(c)"
                }
                t += ";"
            }
        }

        static func == (a: SectionShape, b: SectionShape) -> Bool { a === b || a.text == b.text }
        func hash(into hasher: inout Hasher) { hasher.combine(digest) }
    }

    /// The name in a partial tag (`{{> node.html}}`), with the number the process gave
    /// it: a library keeps its templates by that number too, so rendering a partial finds
    /// it without hashing its name (a large site renders partials hundreds of thousands
    /// of times).
    struct PartialName: Sendable, Equatable {
        let text: String
        let number: Int

        init(_ text: String) {
            self.text = text
            number = Numbers.shared.number(text)
        }

        /// The process-wide numbering: it only grows, one number per distinct name.
        final class Numbers: @unchecked Sendable {
            static let shared = Numbers()
            private let lock = NSLock()
            private var numbers: [String: Int] = [:]

            func number(_ name: String) -> Int {
                lock.lock()
                defer { lock.unlock() }
                if let n = numbers[name] { return n }
                numbers[name] = numbers.count
                return numbers.count - 1
            }
        }
    }

    /// A template that cannot be parsed: what is wrong and the byte offset where it was found.
    public struct SyntaxError: Error, Equatable {
        public var message: String
        public var offset: Int
    }

    public init(_ text: String) throws {
        var parser = MustacheParser(Array(text.utf8))
        nodes = try parser.parseTemplate()
        slotCount = parser.nextSlot
    }
}

/// Parses template bytes into nodes. A port of swift-mustache's parser to UTF-8 bytes,
/// keeping its rules for whitespace and standalone tags.
struct MustacheParser {
    typealias Node = MustacheTemplate.Node
    typealias Name = MustacheTemplate.Name

    let bytes: [UInt8]
    var position = 0
    /// The next name's slot.
    var nextSlot = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    struct State {
        var sectionName: String?
        /// Where the open section's tag starts and its sigil (`#` or `^`), for "never closed".
        var sectionStart = 0
        var sectionSigil = "#"
        var newLine = true
        var start: [UInt8] = Array("{{".utf8)
        var end: [UInt8] = Array("}}".utf8)
    }

    static let nameBytes = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*".utf8)
    static let partialNameBytes = nameBytes.union("()/".utf8)

    mutating func parseTemplate() throws -> [Node] {
        try parse(State())
    }

    func fail(_ message: String, at offset: Int? = nil) -> MustacheTemplate.SyntaxError {
        MustacheTemplate.SyntaxError(message: message, offset: min(offset ?? position, bytes.count))
    }

    var atEnd: Bool { position >= bytes.count }
    var current: UInt8 { position < bytes.count ? bytes[position] : 0 }

    /// The length of the line break at the current position (`\n` or `\r\n`), or 0.
    var newlineLength: Int {
        guard position < bytes.count else { return 0 }
        if bytes[position] == 10 { return 1 }
        if bytes[position] == 13, position + 1 < bytes.count, bytes[position + 1] == 10 { return 2 }
        return 0
    }

    static func isBlank(_ b: UInt8) -> Bool { b == 32 || b == 9 }
    static func isWhitespace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 || b == 11 || b == 12 }

    mutating func skip(while test: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        let start = position
        while position < bytes.count, test(bytes[position]) { position += 1 }
        return bytes[start..<position]
    }

    func matches(_ literal: [UInt8], at offset: Int) -> Bool {
        guard offset + literal.count <= bytes.count else { return false }
        for i in 0..<literal.count where bytes[offset + i] != literal[i] { return false }
        return true
    }

    mutating func read(_ literal: [UInt8]) -> Bool {
        guard matches(literal, at: position) else { return false }
        position += literal.count
        return true
    }

    mutating func parse(_ initial: State) throws -> [Node] {
        var nodes: [Node] = []
        var state = initial
        var whiteSpaceBefore: [UInt8] = []
        func flushWhiteSpace() {
            if !whiteSpaceBefore.isEmpty { nodes.append(.text(whiteSpaceBefore)); whiteSpaceBefore = [] }
        }
        while !atEnd {
            if state.newLine { whiteSpaceBefore = Array(skip(while: Self.isBlank)) }
            let text = try readUntilDelimiterOrNewline(state)
            let newline = newlineLength
            if newline > 0 {
                nodes.append(.text(whiteSpaceBefore + text + bytes[position..<position + newline]))
                state.newLine = true
                position += newline
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(whiteSpaceBefore + text))
                whiteSpaceBefore = []
                state.newLine = false
            }
            if atEnd { break }
            let tagStart = position - state.start.count
            var setNewLine = false
            switch current {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                let inverted = current == UInt8(ascii: "^")
                position += 1
                let name = try parseName(state, tagStart: tagStart)
                if isStandalone(state) { setNewLine = true } else { flushWhiteSpace() }
                var inner = state
                inner.sectionName = name.source
                inner.sectionStart = tagStart
                inner.sectionSigil = inverted ? "^" : "#"
                if !setNewLine { inner.newLine = false }
                let children = try parse(inner)
                nodes.append(inverted ? .invertedSection(name, children) : .section(name, children, MustacheTemplate.SectionShape(children)))
            case UInt8(ascii: "/"):
                position += 1
                let name = try parseName(state, tagStart: tagStart)
                guard let open = state.sectionName else {
                    throw fail("'{{/\(name.source)}}' closes a section that was never opened", at: tagStart)
                }
                guard name.source == open else {
                    throw fail("a section is closed with the wrong name: '{{/\(name.source)}}' where '{{/\(open)}}' was expected", at: tagStart)
                }
                if !isStandalone(state) { flushWhiteSpace() }
                return nodes
            case UInt8(ascii: "!"):
                position += 1
                guard let close = find(state.end) else { throw fail("a comment is not closed with '\(String(decoding: state.end, as: UTF8.self))'", at: tagStart) }
                position = close + state.end.count
                setNewLine = isStandalone(state)
            case UInt8(ascii: "{"):
                flushWhiteSpace()
                position += 1
                let name = try parseName(state, tagStart: tagStart)
                guard read([UInt8(ascii: "}")]) else { throw fail("a '{{{' tag is not closed with '}}}'", at: tagStart) }
                nodes.append(.variable(name, escaped: false))
            case UInt8(ascii: "&"):
                flushWhiteSpace()
                position += 1
                nodes.append(.variable(try parseName(state, tagStart: tagStart), escaped: false))
            case UInt8(ascii: ">"):
                position += 1
                _ = skip(while: Self.isWhitespace)
                if current == UInt8(ascii: "*") { throw fail("dynamic partials ('{{>*name}}') are not supported", at: tagStart) }
                _ = skip(while: Self.isWhitespace)
                let name = MustacheTemplate.PartialName(String(decoding: skip(while: { Self.partialNameBytes.contains($0) }), as: UTF8.self))
                _ = skip(while: Self.isWhitespace)
                guard read(state.end) else { throw fail("a tag is not closed with '\(String(decoding: state.end, as: UTF8.self))'", at: tagStart) }
                // The whitespace before a partial is output, and is also its indentation.
                if !whiteSpaceBefore.isEmpty { nodes.append(.text(whiteSpaceBefore)) }
                if isStandalone(state) {
                    setNewLine = true
                    nodes.append(.partial(name, indentation: whiteSpaceBefore))
                } else {
                    nodes.append(.partial(name, indentation: nil))
                }
                whiteSpaceBefore = []
            case UInt8(ascii: "<"), UInt8(ascii: "$"):
                throw fail("template inheritance ('{{<' and '{{$') is not supported", at: tagStart)
            case UInt8(ascii: "="):
                position += 1
                state = try parseSetDelimiter(state, tagStart: tagStart)
                setNewLine = isStandalone(state)
            case UInt8(ascii: "%"):
                position += 1
                nodes.append(.contentType(try parsePragma(state, tagStart: tagStart)))
                setNewLine = isStandalone(state)
            default:
                flushWhiteSpace()
                nodes.append(.variable(try parseName(state, tagStart: tagStart), escaped: true))
            }
            state.newLine = setNewLine
        }
        if let open = state.sectionName {
            throw fail("a section is never closed: '{{\(state.sectionSigil)\(open)}}' needs a matching '{{/\(open)}}'", at: state.sectionStart)
        }
        return nodes
    }

    func find(_ literal: [UInt8]) -> Int? {
        var i = position
        while i + literal.count <= bytes.count {
            if matches(literal, at: i) { return i }
            i += 1
        }
        return nil
    }

    /// Text up to a line break (not consumed) or up to and including the start delimiter.
    mutating func readUntilDelimiterOrNewline(_ state: State) throws -> [UInt8] {
        let start = position
        while position < bytes.count {
            if newlineLength > 0 { return Array(bytes[start..<position]) }
            if bytes[position] == state.start[0], matches(state.start, at: position) {
                let text = Array(bytes[start..<position])
                position += state.start.count
                if atEnd { throw fail("a tag is not closed with '\(String(decoding: state.end, as: UTF8.self))'", at: position - state.start.count) }
                return text
            }
            position += 1
        }
        return Array(bytes[start..<position])
    }

    /// A tag stands alone when only blanks surround it on its line; the line break after it
    /// is then consumed.
    mutating func isStandalone(_ state: State) -> Bool {
        guard state.newLine else { return false }
        if atEnd { return true }
        let saved = position
        _ = skip(while: Self.isBlank)
        // As in swift-mustache: a lone `\r` ends the line here too, and blanks at the very
        // end of the template do not make a tag standalone.
        let n = newlineLength > 0 ? newlineLength : (current == 13 ? 1 : 0)
        if n > 0 { position += n; return true }
        position = saved
        return false
    }

    mutating func parseName(_ state: State, tagStart: Int) throws -> Name {
        _ = skip(while: Self.isWhitespace)
        let raw = String(decoding: skip(while: { Self.nameBytes.contains($0) || $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: ")") }), as: UTF8.self)
        _ = skip(while: Self.isWhitespace)
        guard read(state.end) else {
            throw fail("a tag is not closed with '\(String(decoding: state.end, as: UTF8.self))' (names may use letters, digits and . - _ ? *)", at: tagStart)
        }
        // Transforms: `t(name)`, `a(b(name))`.
        var transforms: [String] = []
        var rest = Substring(raw)
        while let open = rest.firstIndex(of: "(") {
            transforms.append(String(rest[..<open]))
            rest = rest[rest.index(after: open)...]
        }
        var name = rest
        if !transforms.isEmpty {
            let closing = name.reversed().prefix { $0 == ")" }.count
            guard closing == transforms.count, !name.dropLast(closing).contains(")") else {
                throw fail("the transform in '\(raw)' is not written as transform(name)", at: tagStart)
            }
            name = name.dropLast(closing)
        } else if name.contains(")") {
            throw fail("the transform in '\(raw)' is not written as transform(name)", at: tagStart)
        }
        let kind: Name.Kind
        if name == "." { kind = .current }
        else if name.isEmpty && !transforms.isEmpty { kind = .sequencePosition }
        else if name.first == "." { kind = .anchored }
        else { kind = .climbing }
        let path = name.split(separator: ".").map(String.init)
        defer { nextSlot += 1 }
        return Name(kind: kind, path: path, slot: nextSlot, transforms: transforms.reversed(), source: raw)
    }

    mutating func parseSetDelimiter(_ state: State, tagStart: Int) throws -> State {
        let error = fail("a set-delimiter tag must look like '{{=<% %>=}}'", at: tagStart)
        _ = skip(while: Self.isWhitespace)
        let start = Array(skip(while: { !Self.isWhitespace($0) }))
        guard !atEnd else { throw error }
        _ = skip(while: Self.isWhitespace)
        let end = Array(skip(while: { !Self.isWhitespace($0) && $0 != UInt8(ascii: "=") }))
        _ = skip(while: Self.isWhitespace)
        guard read([UInt8(ascii: "=")]), read(state.end), !start.isEmpty, !end.isEmpty else { throw error }
        var next = state
        next.start = start
        next.end = end
        return next
    }

    mutating func parsePragma(_ state: State, tagStart: Int) throws -> MustacheTemplate.ContentType {
        let error = fail("a pragma must look like '{{% CONTENT_TYPE: HTML }}' (HTML, TEXT or MARKDOWN)", at: tagStart)
        let word: (UInt8) -> Bool = { Self.nameBytes.contains($0) }
        _ = skip(while: Self.isWhitespace)
        let variable = String(decoding: skip(while: word), as: UTF8.self)
        _ = skip(while: Self.isWhitespace)
        guard read([UInt8(ascii: ":")]) else { throw error }
        _ = skip(while: Self.isWhitespace)
        let value = String(decoding: skip(while: word), as: UTF8.self)
        _ = skip(while: Self.isWhitespace)
        guard read(state.end), variable == "CONTENT_TYPE" else { throw error }
        switch value {
        case "HTML": return .html
        case "TEXT": return .text
        case "MARKDOWN": return .markdown
        default: throw error
        }
    }
}
