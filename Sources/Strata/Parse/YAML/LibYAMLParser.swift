import CYAML

/// Turns YAML text into located `YAMLNode` trees with libyaml's event API.
///
/// This is the only file that calls libyaml. It enforces the limits libyaml lacks:
/// nesting depth (libyaml's cost grows quadratically with it), scalar size, duplicate
/// keys, tags, merge keys, and an alias budget (aliases are expanded by copying the
/// anchored node; undefined and self-referencing aliases are errors).
public struct LibYAMLParser {
    public var limits: InputLimits
    /// The most nodes a document may have: positions in a `YAMLTree` are 32-bit. Only a
    /// file near the largest allowed size, or aliases with a raised budget, come near it.
    var maxNodes = Int(Int32.max) - 1

    public init(limits: InputLimits = InputLimits()) {
        self.limits = limits
    }

    /// Parses `file.bytes[byteRange]`, which starts at the beginning of line `firstLine`.
    /// Returns the documents read before the first error (if any).
    public func parse(_ file: SourceFile, byteRange: Range<Int>? = nil, firstLine: Int = 1,
                      into diagnostics: DiagnosticCollector) -> [YAMLDocument] {
        let range = byteRange ?? (file.hasBOM ? 3 : 0)..<file.bytes.count
        var run = EventLoop(file: file, base: range.lowerBound, firstLine: firstLine, limits: limits, diagnostics: diagnostics)
        run.maxNodes = maxNodes
        file.bytes.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[range])
            run.run(slice)
        }
        return run.documents
    }

    /// Hands `file`'s events to `reader` one by one, without building a tree, for readers
    /// of simple documents (`CheckinLedgerReader`). True when the whole stream was read and
    /// the reader accepted every event; false as soon as the reader declines one, and on
    /// anything `parse` would report or treat specially — a syntax error, a tag, an anchor
    /// or alias, a scalar over the size limit, nesting at the depth limit — so the caller
    /// then parses the file with `parse`, which reports it. Nothing is reported here.
    ///
    /// With `byteRange` (starting at the beginning of line `firstLine`), only those bytes
    /// are read, with positions in the whole file; `depth` is how deep in the document
    /// they are (for a piece of a list, the collections around it), so the depth limit
    /// stops the same nodes as in the whole file.
    func read<Reader: YAMLEventReader>(_ file: SourceFile, byteRange: Range<Int>? = nil, firstLine: Int = 1, depth: Int = 0,
                                       into reader: inout Reader) -> Bool {
        let range = byteRange ?? (file.hasBOM ? 3 : 0)..<file.bytes.count
        var run = EventLoop(file: file, base: range.lowerBound, firstLine: firstLine, limits: limits, diagnostics: DiagnosticCollector())
        return file.bytes.withUnsafeBufferPointer { buffer in
            run.stream(UnsafeBufferPointer(rebasing: buffer[range]), depth: depth, into: &reader)
        }
    }
}

/// One libyaml event, as `LibYAMLParser.read` hands it to a reader.
enum YAMLEvent {
    case documentStart
    /// The end of a document; `explicit` when written as `...`.
    case documentEnd(explicit: Bool)
    case mappingStart, mappingEnd, sequenceStart, sequenceEnd
    /// A scalar: its bytes (valid only during the call), whether it is plain (unquoted),
    /// and its range, the same as the tree's `YAMLNode.range` for it.
    case scalar(UnsafeBufferPointer<UInt8>, isPlain: Bool, range: SourceRange)
}

/// Reads a YAML stream event by event (`LibYAMLParser.read`).
protocol YAMLEventReader {
    /// False declines the event, which stops the stream.
    mutating func read(_ event: YAMLEvent) -> Bool
}

private struct Frame {
    var shape: YAMLTree.Entry.Shape
    /// Where the collection's entry is in the document.
    var position: Int
    var start: SourceLocation
    var anchor: String?
    /// Items of a sequence, or complete pairs of a mapping, so far.
    var count: Int32 = 0
    /// A mapping's key has been read and its value not yet.
    var keyPending = false
    /// Keys seen, for duplicate detection (a dictionary only for large mappings).
    var keys: [String: SourceRange] = [:]
    var size = 1
}

private struct EventLoop {
    let file: SourceFile
    let base: Int
    let firstLine: Int
    let limits: InputLimits
    let diagnostics: DiagnosticCollector
    var documents: [YAMLDocument] = []
    var stack: [Frame] = []
    /// The nodes of the document being read, in document order.
    var tree = YAMLTree()
    var anchors: [String: (position: Int, size: Int)] = [:]
    var openAnchors: [String: SourceRange] = [:]
    var aliasExpansion = 0
    var hasRoot = false
    var maxNodes = Int(Int32.max) - 1
    /// Read once from the file: every node's range needs them.
    let lineCount: Int
    let pathID: SourcePathID

    init(file: SourceFile, base: Int, firstLine: Int, limits: InputLimits, diagnostics: DiagnosticCollector) {
        self.file = file
        self.base = base
        self.firstLine = firstLine
        self.limits = limits
        self.diagnostics = diagnostics
        lineCount = file.lineCount
        pathID = file.pathID
    }

    /// True when the parsed bytes are all ASCII: then libyaml's character index is the byte
    /// offset, and a mark needs no look-up in the file's line table.
    var asciiInput = false

    @inline(__always)
    func location(_ mark: yaml_mark_t) -> SourceLocation {
        let line = Int(mark.line) + firstLine
        // The end of a stream without a final line break is on a line the file does not
        // have; the line table places it.
        if asciiInput, line < lineCount {
            return SourceLocation(line: line, column: Int(mark.column) + 1, offset: base + Int(mark.index))
        }
        return file.location(line: line, column: Int(mark.column) + 1)
    }

    func range(_ start: yaml_mark_t, _ end: yaml_mark_t) -> SourceRange {
        SourceRange(fileID: pathID, start: location(start), end: location(end))
    }

    func string(_ p: UnsafeMutablePointer<yaml_char_t>?, _ length: Int? = nil) -> String? {
        guard let p else { return nil }
        if let length { return String(decoding: UnsafeBufferPointer(start: p, count: length), as: UTF8.self) }
        return String(cString: UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
    }

    /// Runs `body` with a libyaml parser reading `input` as UTF-8, and room for one event.
    /// The parser and the event live in memory of their own, not in a class property:
    /// every `&` on a class property is a run-time exclusivity check, and the event loops
    /// make millions of calls (3.5 % of a check's instructions went to those checks).
    static func withParser<T>(_ input: UnsafeBufferPointer<UInt8>,
                              _ body: (UnsafeMutablePointer<yaml_parser_t>, UnsafeMutablePointer<yaml_event_t>) -> T) -> T {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        let empty = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        yaml_parser_initialize(parser)
        defer {
            yaml_parser_delete(parser)
            parser.deallocate()
            event.deallocate()
            empty.deallocate()
        }
        if let p = input.baseAddress, input.count > 0 {
            yaml_parser_set_input_string(parser, p, input.count)
        } else {
            yaml_parser_set_input_string(parser, empty, 0)
        }
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        return body(parser, event)
    }

    /// Whether `input` (part of the file) is all ASCII: known from the file's line table
    /// when the whole file is, else looked at byte by byte.
    func isASCII(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        file.isASCII || !input.contains { $0 >= 0x80 }
    }

    mutating func run(_ input: UnsafeBufferPointer<UInt8>) {
        asciiInput = isASCII(input)
        Self.withParser(input) { parser, event in
            while true {
                guard yaml_parser_parse(parser, event) != 0 else {
                    reportParserError(parser.pointee)
                    return
                }
                defer { yaml_event_delete(event) }
                if event.pointee.type == YAML_STREAM_END_EVENT { return }
                if !handle(event) { return }
            }
        }
    }

    /// The event loop of `LibYAMLParser.read`: events to `reader` until the stream ends
    /// (true) or something needs the full parse (false).
    mutating func stream<Reader: YAMLEventReader>(_ input: UnsafeBufferPointer<UInt8>, depth startDepth: Int, into reader: inout Reader) -> Bool {
        asciiInput = isASCII(input)
        return Self.withParser(input) { parser, event in
            var depth = startDepth, nodes = 0
            while true {
                guard yaml_parser_parse(parser, event) != 0 else { return false }
                defer { yaml_event_delete(event) }
                let accepted: Bool
                switch event.pointee.type {
                case YAML_STREAM_END_EVENT:
                    return true
                case YAML_STREAM_START_EVENT:
                    accepted = true
                case YAML_DOCUMENT_START_EVENT:
                    nodes = 0
                    accepted = reader.read(.documentStart)
                case YAML_DOCUMENT_END_EVENT:
                    accepted = reader.read(.documentEnd(explicit: event.pointee.data.document_end.implicit == 0))
                case YAML_SCALAR_EVENT:
                    let s = event.pointee.data.scalar
                    nodes += 1
                    guard s.length <= limits.maxScalarBytes, s.tag == nil, s.anchor == nil, nodes < maxNodes else { return false }
                    accepted = reader.read(.scalar(UnsafeBufferPointer(start: s.value, count: s.length), isPlain: s.style == YAML_PLAIN_SCALAR_STYLE,
                                                   range: range(event.pointee.start_mark, event.pointee.end_mark)))
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let isSeq = event.pointee.type == YAML_SEQUENCE_START_EVENT
                    let tag = isSeq ? event.pointee.data.sequence_start.tag : event.pointee.data.mapping_start.tag
                    let anchor = isSeq ? event.pointee.data.sequence_start.anchor : event.pointee.data.mapping_start.anchor
                    nodes += 1
                    guard depth < limits.maxDepth, tag == nil, anchor == nil, nodes < maxNodes else { return false }
                    depth += 1
                    accepted = reader.read(isSeq ? .sequenceStart : .mappingStart)
                case YAML_MAPPING_END_EVENT:
                    depth -= 1
                    accepted = reader.read(.mappingEnd)
                case YAML_SEQUENCE_END_EVENT:
                    depth -= 1
                    accepted = reader.read(.sequenceEnd)
                default:
                    // An alias, or an event libyaml does not make.
                    return false
                }
                if !accepted { return false }
            }
        }
    }

    mutating func reportParserError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "syntax error"
        let at: SourceLocation
        if parser.error == YAML_READER_ERROR {
            at = file.location(atOffset: base + Int(parser.problem_offset))
        } else {
            at = location(parser.problem_mark)
        }
        var notes: [DiagnosticNote] = []
        if let context = parser.context {
            let text = String(cString: context)
            notes.append(DiagnosticNote(text, at: file.range(location(parser.context_mark), location(parser.context_mark))))
        }
        var help = Self.syntaxHelp(problem)
        if at.offset < file.bytes.count, file.bytes[at.offset] == 0x09 || file.lineText(at.line).prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
            help = "indent with spaces; YAML does not allow tabs in indentation"
        }
        diagnostics.emit(.yamlSyntax, "YAML syntax error: \(problem)", at: file.range(at, at), notes: notes, help: help)
    }

    static func syntaxHelp(_ problem: String) -> String? {
        if problem.contains("tab") { return "indent with spaces; YAML does not allow tabs in indentation" }
        if problem.contains("could not find expected ':'") {
            return "a key must be followed by ':' on the same line (keys are limited to 1024 characters); quote text that contains ': '"
        }
        if problem.contains("mapping values are not allowed") { return "quote text that contains ': ', e.g. title: \"Phase 2: launch\"" }
        if problem.contains("found undefined tag") || problem.contains("did not find expected") { return nil }
        return nil
    }

    /// Handles one event; false stops the parse.
    mutating func handle(_ event: UnsafeMutablePointer<yaml_event_t>) -> Bool {
        switch event.pointee.type {
        case YAML_DOCUMENT_START_EVENT:
            hasRoot = false
            tree = YAMLTree()
            anchors = [:]
            aliasExpansion = 0
        case YAML_DOCUMENT_END_EVENT:
            if hasRoot { documents.append(YAMLDocument(root: tree.root, file: file)) }
            hasRoot = false
        case YAML_SCALAR_EVENT:
            let s = event.pointee.data.scalar
            let r = range(event.pointee.start_mark, event.pointee.end_mark)
            if s.length > limits.maxScalarBytes {
                diagnostics.emit(.inputLimit, "text value of \(s.length) bytes exceeds the limit of \(limits.maxScalarBytes) bytes", at: r,
                                 help: "shorten it, or raise limits.max_scalar_bytes in strata.yaml")
                return false
            }
            guard checkTag(s.tag, at: r, quotedImplicit: s.quoted_implicit != 0) else { return false }
            let position = tree.count
            tree.append(YAMLTree.Entry(text: string(s.value, Int(s.length)) ?? "", range: r, end: Int32(truncatingIfNeeded: position + 1), count: 0,
                                          shape: .scalar, isPlain: s.style == YAML_PLAIN_SCALAR_STYLE))
            if let a = string(s.anchor) { anchors[a] = (position, 1) }
            return add(position, size: 1)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isSeq = event.pointee.type == YAML_SEQUENCE_START_EVENT
            let r = range(event.pointee.start_mark, event.pointee.end_mark)
            if stack.count >= limits.maxDepth {
                diagnostics.emit(.inputLimit, "YAML nesting is deeper than \(limits.maxDepth) levels", at: r,
                                 help: "plan files need only a few levels; raise limits.max_depth in strata.yaml if this is intended")
                return false
            }
            let tag = isSeq ? event.pointee.data.sequence_start.tag : event.pointee.data.mapping_start.tag
            guard checkTag(tag, at: r, quotedImplicit: false) else { return false }
            let anchor = string(isSeq ? event.pointee.data.sequence_start.anchor : event.pointee.data.mapping_start.anchor)
            if let anchor { openAnchors[anchor] = r }
            let shape: YAMLTree.Entry.Shape = isSeq ? .sequence : .mapping
            // The entry's range, end and count are filled in when the collection ends.
            stack.append(Frame(shape: shape, position: tree.count, start: location(event.pointee.start_mark), anchor: anchor))
            tree.append(YAMLTree.Entry(text: "", range: r, end: 0, count: 0, shape: shape, isPlain: false))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return false }
            if frame.keyPending {
                // A key without a value cannot come from libyaml, but stay safe.
                diagnostics.emit(.yamlSyntax, "key has no value", at: tree.entries[tree.count - 1].range)
                return false
            }
            tree.entries[frame.position].range = file.range(frame.start, location(event.pointee.end_mark))
            tree.entries[frame.position].end = Int32(truncatingIfNeeded: tree.count)
            tree.entries[frame.position].count = frame.count
            if let a = frame.anchor {
                openAnchors[a] = nil
                anchors[a] = (frame.position, frame.size)
            }
            return add(frame.position, size: frame.size)
        case YAML_ALIAS_EVENT:
            let r = range(event.pointee.start_mark, event.pointee.end_mark)
            let name = string(event.pointee.data.alias.anchor) ?? ""
            if let open = openAnchors[name] {
                diagnostics.emit(.yamlAlias, "alias '*\(name)' refers to the node that contains it, which would be infinite", at: r,
                                 notes: [DiagnosticNote("anchor '&\(name)' is defined here", at: open)])
                return false
            }
            guard let target = anchors[name] else {
                diagnostics.emit(.yamlAlias, "alias '*\(name)' has no anchor '&\(name)' before it", at: r,
                                 help: "define '&\(name)' on a node earlier in the same document")
                return false
            }
            aliasExpansion += target.size
            if aliasExpansion > limits.aliasBudget {
                diagnostics.emit(.yamlAlias, "aliases expand to more than \(limits.aliasBudget) nodes", at: r,
                                 help: "write the values out, or raise limits.alias_budget in strata.yaml")
                return false
            }
            guard roomFor(target.size, at: r) else { return false }
            // The anchored subtree is copied to here, its ends moved by the distance.
            let position = tree.count
            let shift = Int32(truncatingIfNeeded: position - target.position)
            for k in target.position..<Int(tree.entries[target.position].end) {
                var copy = tree.entries[k]
                copy.end &+= shift
                tree.append(copy)
            }
            tree.entries[position].range = r
            return add(position, size: target.size)
        default:
            break
        }
        return true
    }

    /// False, with a diagnostic, when `nodes` more would not fit in the document's tree.
    func roomFor(_ nodes: Int, at r: SourceRange) -> Bool {
        tree.count + nodes <= maxNodes || reportTooManyNodes(at: r)
    }

    @inline(never)
    func reportTooManyNodes(at r: SourceRange) -> Bool {
        diagnostics.emit(.inputLimit, "YAML document has more than \(maxNodes) nodes", at: r,
                         help: "split the file into several files")
        return false
    }

    func checkTag(_ tag: UnsafeMutablePointer<yaml_char_t>?, at r: SourceRange, quotedImplicit: Bool) -> Bool {
        guard let t = string(tag) else { return true }
        if t == "tag:yaml.org,2002:str" || t == "!" { return true }
        let shown = t.hasPrefix("tag:yaml.org,2002:") ? "!!" + t.dropFirst("tag:yaml.org,2002:".count) : t
        diagnostics.emit(.yamlTag, "YAML tag '\(shown)' is not supported", at: r,
                         help: "remove the tag; each field reads its value by its own type")
        return false
    }

    /// Records the node whose entries were just added (at `position`) in its parent. Every
    /// node passes here, so this is where a document with more nodes than `maxNodes` stops
    /// (before any position past 32 bits is used; the ones stored wrapped are never read).
    mutating func add(_ position: Int, size: Int) -> Bool {
        guard position < maxNodes else { return reportTooManyNodes(at: tree.entries[position].range) }
        guard !stack.isEmpty else {
            hasRoot = true
            return true
        }
        let top = stack.count - 1
        stack[top].size += size
        if stack[top].shape == .sequence {
            stack[top].count += 1
            return true
        }
        if stack[top].keyPending {
            stack[top].keyPending = false
            stack[top].count += 1
            return true
        }
        let key = tree.entries.pointer(position)
        guard key.pointee.shape == .scalar else {
            diagnostics.emit(.wrongType, "mapping keys must be text, found \(key.pointee.shapeName)", at: key.pointee.range)
            return false
        }
        let k = key.pointee.text
        if k == "<<" && key.pointee.isPlain {
            diagnostics.emit(.yamlMergeKey, "merge keys ('<<') are not supported", at: key.pointee.range,
                             help: "write the fields out in full")
            return false
        }
        let pairs = Int(stack[top].count)
        let first: SourceRange? = pairs < 16
            ? tree.firstKey(k, ofMappingAt: stack[top].position, among: pairs).map { tree.entries[$0].range }
            : stack[top].keys[k]
        if let first {
            diagnostics.emit(.yamlDuplicateKey, "duplicate key '\(k)'", at: key.pointee.range,
                             notes: [DiagnosticNote("'\(k)' is first defined here", at: first)],
                             help: "remove one of them; YAML would silently keep only one")
            // Keep parsing: later errors in the file are still useful.
        }
        if pairs >= 15 {
            if stack[top].keys.isEmpty {
                var p = stack[top].position + 1
                for _ in 0..<pairs {
                    if stack[top].keys[tree.entries[p].text] == nil { stack[top].keys[tree.entries[p].text] = tree.entries[p].range }
                    p = tree.keyAfter(p)
                }
            }
            if stack[top].keys[k] == nil { stack[top].keys[k] = key.pointee.range }
        }
        stack[top].keyPending = true
        return true
    }
}
