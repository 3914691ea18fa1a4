import Foundation

/// Compiled templates by name (`index.html`, `node.html`, …); partials are looked up here.
public struct MustacheLibrary: Sendable {
    var templates: [String: MustacheTemplate] = [:]
    /// The same templates by the number of their name as a partial (`PartialName.number`).
    private(set) var partials: [MustacheTemplate?] = []
    /// How many name slots the registered templates take (a replaced template's stay unused).
    private(set) var slotCount = 0

    public init() {}

    public mutating func register(_ template: MustacheTemplate, named name: String) {
        var template = template
        template.slotBase = slotCount
        slotCount += template.slotCount
        templates[name] = template
        let number = MustacheTemplate.PartialName(name).number
        if partials.count <= number { partials += repeatElement(nil, count: number + 1 - partials.count) }
        partials[number] = template
    }

    /// Where a renderer keeps, per tag name of every template, the position the name was
    /// last found at in its object. Reusing one from page to page (on one thread) keeps
    /// the guesses warm; any contents are safe, they are verified before use.
    public struct LookupHints: Sendable {
        var positions: [Int] = []
        /// What sections rendered for identified list items on this thread, to reuse; nil
        /// renders every item afresh.
        var memo: SectionMemo?
        public init() {}
        /// Hints that also keep a memo of up to `memoBytes` of rendered sections.
        public init(memoBytes: Int) { memo = SectionMemo(capacity: memoBytes) }
        /// How many section items the memo gave (for tests and profiles).
        public var memoHits: Int { memo?.hits ?? 0 }
    }

    /// The bytes a section rendered for a list item that has an identity (a
    /// `LazyItems.identity`), kept so the same item under a section of the same shape —
    /// the same objective's article on its team's page and on its owner's — is rendered
    /// once. An entry records every name the body looked up outside the item (such as
    /// `root`) with the value it found; it is reused only where those names have the same
    /// values. A body that uses its position in the list, or enters a list or object found
    /// outside the item, is not kept. When the kept bytes pass `capacity`, all are dropped.
    final class SectionMemo: @unchecked Sendable {
        struct Key: Hashable {
            var item: String
            var shape: MustacheTemplate.SectionShape
            var contentType: MustacheTemplate.ContentType
            var indentation: [UInt8]?
        }
        struct Dependency {
            var name: MustacheTemplate.Name
            var value: TemplateValue?
        }
        struct Entry {
            var bytes: [UInt8]
            var dependencies: [Dependency]
        }
        let capacity: Int
        private var entries: [Key: Entry] = [:]
        private var size = 0
        private(set) var hits = 0

        init(capacity: Int) { self.capacity = capacity }

        func entry(_ key: Key) -> Entry? { entries[key] }
        func hit() { hits += 1 }

        func store(_ entry: Entry, for key: Key) {
            if size + entry.bytes.count > capacity {
                entries.removeAll()
                size = 0
            }
            guard entry.bytes.count <= capacity else { return }
            size += entry.bytes.count
            entries[key] = entry
        }
    }

    /// True when some template has a tag for the value `name` (as `{{name}}`, `{{.name}}`,
    /// `{{{name}}}`, a section, or the first part of a dotted name).
    public func mentions(_ name: String) -> Bool {
        func names(_ n: MustacheTemplate.Name) -> Bool {
            (n.kind == .climbing || n.kind == .anchored) && n.path.first == name
        }
        func visit(_ nodes: [MustacheTemplate.Node]) -> Bool {
            nodes.contains { node in
                switch node {
                case .variable(let n, _): return names(n)
                case .section(let n, let body, _), .invertedSection(let n, let body): return names(n) || visit(body)
                case .text, .partial, .contentType: return false
                }
            }
        }
        return templates.values.contains { visit($0.nodes) }
    }

    /// Renders template `name` with `value` as the root context, as UTF-8 bytes; nil when
    /// there is no such template. A partial that does not exist renders as nothing.
    public func render(_ name: String, _ value: TemplateValue) -> [UInt8]? {
        var hints = LookupHints()
        return render(name, value, hints: &hints)
    }

    /// `render(_:_:)`, reusing `hints` from earlier pages.
    public func render(_ name: String, _ value: TemplateValue, hints: inout LookupHints) -> [UInt8]? {
        guard let template = templates[name] else { return nil }
        var renderer = MustacheRenderer(library: self, root: value, hints: hints)
        // The renderer owns the positions now: a second reference would make its first
        // update copy them.
        hints = LookupHints()
        renderer.memo = renderer.hints.memo
        var out: [UInt8] = []
        out.reserveCapacity(16 * 1024)
        renderer.render(template.nodes, Frame(template, sequence: nil, indentation: nil, contentType: .html), into: &out)
        hints = renderer.hints
        return out
    }

    /// Renders template `name` as `render` does, handing the bytes to `piece` about
    /// `pieceSize` at a time as they are made (cut between the items of a list), so a page
    /// that lists the whole plan is never held whole. False when there is no such template.
    public func render(_ name: String, _ value: TemplateValue, pieceSize: Int = 1 << 20, into piece: ([UInt8]) throws -> Void) throws -> Bool {
        guard let template = templates[name] else { return false }
        try PieceSink.writing(pieceSize: pieceSize, into: piece) { sink, out in
            var renderer = MustacheRenderer(library: self, root: value, hints: LookupHints())
            renderer.sink = sink
            renderer.render(template.nodes, Frame(template, sequence: nil, indentation: nil, contentType: .html), into: &out)
        }
        return true
    }

    /// What a template invocation renders in: the position in the list being rendered
    /// (for `first()`, `last()`, `index()`…), the indentation of standalone partials, and
    /// how values are escaped.
    struct Frame {
        var sequence: (first: Bool, last: Bool, index: Int)?
        /// The context stack level of the list item `sequence` is the position of.
        var sequenceLevel = -1
        var indentation: [UInt8]?
        var contentType: MustacheTemplate.ContentType
        /// Where the slots of the template being rendered start.
        var slotBase: Int

        init(_ template: MustacheTemplate, sequence: (first: Bool, last: Bool, index: Int)?, indentation: [UInt8]?, contentType: MustacheTemplate.ContentType) {
            self.init(sequence: sequence, indentation: indentation, contentType: contentType, slotBase: template.slotBase)
        }

        init(sequence: (first: Bool, last: Bool, index: Int)?, indentation: [UInt8]?, contentType: MustacheTemplate.ContentType, slotBase: Int) {
            self.sequence = sequence
            self.indentation = indentation
            self.contentType = contentType
            self.slotBase = slotBase
        }

        /// The same template, another position in a list (or none), of the item at `level`.
        func at(_ sequence: (first: Bool, last: Bool, index: Int)?, level: Int = -1) -> Frame {
            var f = Frame(sequence: sequence, indentation: indentation, contentType: contentType, slotBase: slotBase)
            f.sequenceLevel = sequence == nil ? -1 : level
            return f
        }
    }
}

/// Walks compiled nodes over a `TemplateValue` tree, appending UTF-8 bytes. Lookups,
/// sections and transforms follow swift-mustache's rules.
struct MustacheRenderer {
    typealias Node = MustacheTemplate.Node
    typealias Frame = MustacheLibrary.Frame
    let library: MustacheLibrary
    /// The context stack: the root value, then one entry per open section.
    var stack: [TemplateValue]
    /// Where finished output goes when rendering in pieces.
    var sink: PieceSink?
    /// How many indented partials are open: their text is collected apart (to indent its
    /// lines) and joined to the output at the end, so nothing is handed over meanwhile.
    var indentedPartials = 0
    /// Per tag name, where it was last found (see `MustacheLibrary.LookupHints`).
    var hints: MustacheLibrary.LookupHints
    /// Rendered sections to reuse (see `MustacheLibrary.SectionMemo`); nil when off.
    var memo: MustacheLibrary.SectionMemo?
    /// The identified items being rendered now, innermost last: what each one's bytes
    /// depend on outside the item, as the body looks it up.
    var recordings: [Recording] = []

    struct Recording {
        /// The item's level in the context stack.
        var level: Int
        var dependencies: [MustacheLibrary.SectionMemo.Dependency] = []
        /// The bytes depend on more than the names recorded: they are not kept.
        var unkeepable = false
    }

    init(library: MustacheLibrary, root: TemplateValue, hints: MustacheLibrary.LookupHints) {
        self.library = library
        stack = [root]
        stack.reserveCapacity(16)
        self.hints = hints
        if self.hints.positions.count < library.slotCount {
            self.hints.positions += repeatElement(0, count: library.slotCount - self.hints.positions.count)
        }
    }

    mutating func render(_ nodes: [Node], _ frame: Frame, into out: inout [UInt8]) {
        var frame = frame
        guard let indentation = frame.indentation, !indentation.isEmpty else {
            for node in nodes { render(node, &frame, into: &out) }
            return
        }
        // Inside an indented partial: a piece that starts a new line gets the indentation.
        indentedPartials += 1
        defer { indentedPartials -= 1 }
        var local: [UInt8] = []
        for node in nodes {
            var piece: [UInt8] = []
            render(node, &frame, into: &piece)
            if !piece.isEmpty, local.last == 10, !(local.count >= 2 && local[local.count - 2] == 13) {
                local += indentation
            }
            local += piece
        }
        out += local
    }

    mutating func render(_ node: Node, _ frame: inout Frame, into out: inout [UInt8]) {
        switch node {
        case .text(let bytes):
            out += bytes
        case .variable(let name, let escaped):
            guard let value = lookup(name, frame) else { return }
            switch value {
            case .text(let s): Self.append(s, escapedFor: escaped ? frame.contentType : .text, into: &out)
            case .int(let i): DecimalText.appendInteger(i, to: &out)
            case .bool(let b): out += (b ? "true" : "false").utf8
            case .list, .lazyList, .object: break  // no text form
            }
        case .section(let name, let children, let shape):
            switch lookup(name, frame) {
            case .none: break
            case .bool(let b)?: if b { render(children, frame, into: &out) }
            case .list(let items)?:
                for (i, item) in items.enumerated() {
                    stack.append(item)
                    render(children, frame.at((i == 0, i == items.count - 1, i), level: stack.count - 1), into: &out)
                    stack.removeLast()
                    if indentedPartials == 0 { sink?.flush(&out) }
                }
            case .lazyList(let items)?:
                // Items with an identity are rendered once per shape (not while the page
                // is handed over in pieces, which may cut a body's bytes apart).
                let memo = sink == nil ? self.memo : nil
                for i in 0..<items.count {
                    let position = (i == 0, i == items.count - 1, i)
                    if let memo, let identity = items.identity?(i) ?? nil {
                        let key = MustacheLibrary.SectionMemo.Key(item: identity, shape: shape, contentType: frame.contentType, indentation: frame.indentation)
                        renderRemembered(key, memo, item: { items.item(i) }, children, frame.at(position, level: stack.count), into: &out)
                        continue
                    }
                    stack.append(items.item(i))
                    render(children, frame.at(position, level: stack.count - 1), into: &out)
                    stack.removeLast()
                    if indentedPartials == 0 { sink?.flush(&out) }
                }
            case let value?:
                stack.append(value)
                render(children, frame.at(nil), into: &out)
                stack.removeLast()
            }
        case .invertedSection(let name, let children):
            switch lookup(name, frame) {
            case .none: render(children, frame, into: &out)
            case .bool(let b)?: if !b { render(children, frame, into: &out) }
            case .list(let items)? where items.isEmpty:
                stack.append(.list(items))
                render(children, frame.at(nil), into: &out)
                stack.removeLast()
            case .lazyList(let items)? where items.count == 0:
                stack.append(.list([]))
                render(children, frame.at(nil), into: &out)
                stack.removeLast()
            case .some: break
            }
        case .partial(let name, let indentation):
            guard name.number < library.partials.count, let template = library.partials[name.number] else { return }
            let combined = indentation.map { (frame.indentation ?? []) + $0 } ?? frame.indentation
            render(template.nodes, Frame(template, sequence: nil, indentation: combined, contentType: .html), into: &out)
        case .contentType(let type):
            frame.contentType = type
        }
    }

    /// A section's body for one identified item: the bytes kept for its key if every name
    /// they depend on has the same value here, else rendered (and kept if they can be).
    mutating func renderRemembered(_ key: MustacheLibrary.SectionMemo.Key, _ memo: MustacheLibrary.SectionMemo, item: () -> TemplateValue,
                                   _ children: [Node], _ frame: Frame, into out: inout [UInt8]) {
        let level = stack.count
        if let entry = memo.entry(key), entry.dependencies.allSatisfy({ lookUpOutside(level, $0.name) == $0.value }) {
            memo.hit()
            out += entry.bytes
            return
        }
        stack.append(item())
        recordings.append(Recording(level: level))
        let start = out.count
        render(children, frame, into: &out)
        let recording = recordings.removeLast()
        stack.removeLast()
        if !recording.unkeepable {
            memo.store(MustacheLibrary.SectionMemo.Entry(bytes: Array(out[start...]), dependencies: recording.dependencies), for: key)
        }
    }

    /// A climbing name looked up in the contexts below `level` only (outside an item at
    /// that level), and the level it was found at (-1 for none). Items being recorded
    /// above that level note what they found.
    @discardableResult
    mutating func lookUpOutside(_ level: Int, _ name: MustacheTemplate.Name) -> TemplateValue? {
        guard let head = name.path.first else { return nil }
        var hint = 0
        var found = -1
        var value: TemplateValue?
        for l in stride(from: level - 1, through: 0, by: -1) {
            if let child = Self.child(of: stack[l], head, hint: &hint) {
                value = Self.descend(child, name.path.dropFirst())
                found = l
                break
            }
        }
        note(name, value: value, foundAt: found)
        return value
    }

    /// Tells the items being recorded whose level is above `found` that their bytes
    /// depend on `name` having `value`. A name is noted once per item: the contexts outside
    /// an item do not change while it renders, so every look-up of it finds the same.
    mutating func note(_ name: MustacheTemplate.Name, value: TemplateValue?, foundAt found: Int) {
        for r in recordings.indices.reversed() {
            guard recordings[r].level > found else { break }
            switch value {
            case .list?, .lazyList?, .object?: recordings[r].unkeepable = true
            default:
                if !recordings[r].dependencies.contains(where: { $0.name.path == name.path }) {
                    recordings[r].dependencies.append(.init(name: name, value: value))
                }
            }
        }
    }

    mutating func lookup(_ name: MustacheTemplate.Name, _ frame: Frame) -> TemplateValue? {
        var value: TemplateValue?
        // The transforms still to apply start here (a position name uses its first).
        var firstTransform = 0
        switch name.kind {
        case .current:
            value = stack.last
        case .sequencePosition:
            // An item's position is not part of the item: what uses it is not kept.
            if frame.sequence != nil {
                for r in recordings.indices.reversed() where recordings[r].level >= frame.sequenceLevel { recordings[r].unkeepable = true }
            }
            guard let position = frame.sequence, let first = name.transforms.first else { return nil }
            firstTransform = 1
            switch first {
            case "first": value = .bool(position.first)
            case "last": value = .bool(position.last)
            case "index": value = .int(position.index)
            case "even": value = .bool(position.index & 1 == 0)
            case "odd": value = .bool(position.index & 1 == 1)
            default: return nil
            }
        case .anchored:
            if name.path.count == 1 {
                value = Self.child(of: stack[stack.count - 1], name.path[0], hint: &hints.positions[frame.slotBase + name.slot])
            } else {
                value = Self.descend(stack.last, name.path[...])
            }
        case .climbing:
            guard let head = name.path.first else { value = stack.last; break }
            var found = -1
            for level in stack.indices.reversed() {
                if let child = Self.child(of: stack[level], head, hint: &hints.positions[frame.slotBase + name.slot]) {
                    // A one-part name (most) is the child itself, handed over without a copy.
                    value = name.path.count == 1 ? child : Self.descend(child, name.path.dropFirst())
                    found = level
                    break
                }
            }
            if let innermost = recordings.last, innermost.level > found { note(name, value: value, foundAt: found) }
        }
        // Most tags have no transform: the value is handed over as it was found, not copied.
        guard name.transforms.count > firstTransform else { return value }
        guard var result = value else { return nil }
        for t in name.transforms[firstTransform...] {
            guard let next = Self.transform(result, t) else { return nil }
            result = next
        }
        return result
    }

    /// `value[key]` for an object, looked up at `hint` first.
    static func child(of value: TemplateValue, _ key: String, hint: inout Int) -> TemplateValue? {
        guard case .object(let o) = value else { return nil }
        return o.value(named: key, hint: &hint)
    }

    static func descend(_ start: TemplateValue?, _ path: ArraySlice<String>) -> TemplateValue? {
        var value = start
        for key in path {
            guard let v = value?[key] else { return nil }
            value = v
        }
        return value
    }

    /// swift-mustache's transforms, for the value kinds templates see.
    static func transform(_ value: TemplateValue, _ name: String) -> TemplateValue? {
        switch value {
        case .text(let s):
            switch name {
            case "empty": return .bool(s.isEmpty)
            case "capitalized": return .text(s.capitalized)
            case "lowercased": return .text(s.lowercased())
            case "uppercased": return .text(s.uppercased())
            case "reversed": return .text(String(s.reversed()))
            default: return nil
            }
        case .int(let i):
            switch name {
            case "equalzero": return .bool(i == 0)
            case "plusone": return .int(i &+ 1)
            case "minusone": return .int(i &- 1)
            case "even": return .bool(i & 1 == 0)
            case "odd": return .bool(i & 1 == 1)
            default: return nil
            }
        case .bool:
            return nil
        case .list(let items):
            switch name {
            case "first": return items.first
            case "last": return items.last
            case "reversed": return .list(items.reversed())
            case "count": return .int(items.count)
            case "empty": return .bool(items.isEmpty)
            case "sorted":
                var texts: [String] = []
                for item in items { guard case .text(let s) = item else { return nil }; texts.append(s) }
                return .list(texts.sorted().map(TemplateValue.text))
            default: return nil
            }
        case .lazyList(let items):
            switch name {
            case "count": return .int(items.count)
            case "empty": return .bool(items.count == 0)
            case "first": return items.count > 0 ? items.item(0) : nil
            case "last": return items.count > 0 ? items.item(items.count - 1) : nil
            default: return transform(.list(items.items), name)
            }
        case .object(let o):
            switch name {
            case "count": return .int(o.count)
            case "empty": return .bool(o.isEmpty)
            case "enumerated", "sorted":
                let all = o.merged
                return .list(all.keys.sorted().map { ["key": .text($0), "value": all[$0]!] })
            default: return nil
            }
        }
    }

    /// Appends `s` escaped for the content type.
    static func append(_ s: String, escapedFor type: MustacheTemplate.ContentType, into out: inout [UInt8]) {
        switch type {
        case .text: out += s.utf8
        case .markdown: MarkdownText.append(s, to: &out)
        case .html:
            var s = s
            s.withUTF8 { bytes in
                var start = 0
                for i in 0..<bytes.count {
                    let replacement: StaticString
                    switch bytes[i] {
                    case UInt8(ascii: "<"): replacement = "&lt;"
                    case UInt8(ascii: ">"): replacement = "&gt;"
                    case UInt8(ascii: "&"): replacement = "&amp;"
                    case UInt8(ascii: "\""): replacement = "&quot;"
                    case UInt8(ascii: "'"): replacement = "&#39;"
                    default: continue
                    }
                    out += UnsafeBufferPointer(rebasing: bytes[start..<i])
                    out += UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount)
                    start = i + 1
                }
                out += UnsafeBufferPointer(rebasing: bytes[start...])
            }
        }
    }
}
