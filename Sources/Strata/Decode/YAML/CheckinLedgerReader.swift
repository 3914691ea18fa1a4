/// The fast path for `kind: checkins` ledgers, a plan's largest files (a quarter of weekly
/// readings for every key result): their records are decoded as libyaml reads them, with
/// no document tree, by the decoder's own `CheckinDecoder.decodeRecord`.
///
/// Records are read in batches of `batchSize` and then decoded together, not one by one
/// as each ends: libyaml's scanner and strata's value parsers (numbers, units, dates) do
/// not fit in the core's 32 KiB instruction cache together, and taking turns record by
/// record evicted each other's code about a hundred times per record (cachegrind).
///
/// It takes only a ledger that decodes without a single diagnostic: one document, a
/// mapping of `kind: checkins` and a `checkins:` list of mappings with known, distinct
/// keys and text values, and no tags, anchors or aliases. On anything else it declines,
/// and the file is parsed and decoded the usual way, which reports what is wrong. So a
/// plan gets the same check-ins and the same diagnostics either way; tests compare the two
/// paths on valid and broken ledgers.
///
/// A large ledger is read in pieces (`pieces(of:size:)`), each on a core of its own: the
/// first piece is the file's start, read as a ledger that ends there; every other piece is
/// a run of the list's records, read as a list on its own. The file is taken only when
/// every piece is, and then gives the same check-ins in the same order as read whole. A
/// piece that ends at a cut must end inside the list: after its last record comes only
/// the end of the piece, so the cut's line continues the list in the whole file too. So
/// it is not taken when anything closes the list first — a `...` (the end of the
/// document), or in the first piece a key after the list (which is why `kind` must come
/// first there).
struct CheckinLedgerReader: YAMLEventReader {
    /// The file's check-ins, or nil when it is not a ledger this reader takes whole.
    static func decode(_ file: SourceFile, config: Config) -> Plan? {
        guard mayBeLedger(file) else { return nil }
        return read(file, byteRange: nil, firstLine: 1, lines: file.lineCount, continuation: false, config: config)
    }

    /// The check-ins of `piece` (one of `pieces(of:size:)`), or nil when it is not a piece
    /// this reader takes whole (then the file is to be decoded whole).
    static func decode(_ file: SourceFile, piece: Range<Int>, config: Config) -> Plan? {
        let isFirst = piece.lowerBound <= (file.hasBOM ? 3 : 0), isLast = piece.upperBound >= file.bytes.count
        // Pieces start and end at line starts (see `pieces(of:size:)`).
        let firstLine = isFirst ? 1 : file.location(atOffset: piece.lowerBound).line
        let lines = (isLast ? file.lineCount + 1 : file.location(atOffset: piece.upperBound).line) - firstLine
        return read(file, byteRange: piece, firstLine: firstLine, lines: lines, continuation: !isFirst, endsAtCut: !isLast, config: config)
    }

    private static func read(_ file: SourceFile, byteRange: Range<Int>?, firstLine: Int, lines: Int, continuation: Bool, endsAtCut: Bool = false,
                             config: Config) -> Plan? {
        var reader = CheckinLedgerReader(context: DecodeContext(config: config, diagnostics: DiagnosticCollector()),
                                         continuation: continuation, endsAtCut: endsAtCut)
        // Room for a record per line (one each in a ledger of one-line records; the file's
        // line table has the count), so the list is not copied each time it grows; a list
        // this large comes from pages of its own, and room never written to takes no
        // memory. Bounded by the shortest record (over 32 bytes) and by a million records,
        // so a file of blank lines cannot ask for more address space than a real ledger would.
        let bytes = byteRange?.count ?? file.bytes.count
        reader.context.plan.checkins.reserveCapacity(min(lines, bytes / 32 + 1, 1 << 20))
        // A piece after the first is a list inside the root mapping, as deep as there.
        guard LibYAMLParser(limits: config.limits).read(file, byteRange: byteRange, firstLine: firstLine, depth: continuation ? 1 : 0, into: &reader),
              reader.place == .finished else { return nil }
        return reader.context.plan
    }

    /// The size of a piece: large enough that a piece costs far more than setting up
    /// libyaml for it, small enough that a ledger of a few MB is read on every core.
    static let pieceBytes = 1 << 20

    /// A ledger of more than two `size`s cut into byte ranges of about `size`, each ending
    /// where a record of the `checkins:` list starts; none when the file is smaller or not
    /// laid out as such a ledger (then it is read whole).
    ///
    /// The list is found as a line `checkins:` at the file's left edge, and the first line
    /// after it with content, which must start with a `-` at some column: every cut is at
    /// a line with its `-` at that column, with nothing before it. In the whole file such a
    /// line starts an item of that list, unless the list was closed before it (a `...`, or
    /// a key after the list: the reader does not take such a piece, see above) or the text
    /// before it is still open (a quoted text, a flow mapping or list: the piece before
    /// the cut fails to parse). Block texts (`|`, `>`) and plain texts end at a line
    /// indented no deeper than the list, so none can hold such a line.
    static func pieces(of file: SourceFile, size: Int) -> [Range<Int>] {
        let start = file.hasBOM ? 3 : 0
        // Positions in a document are 32-bit; a file under half that cannot reach it in pieces.
        guard size > 0, file.bytes.count > 2 * size, file.bytes.count < Int(Int32.max) / 2, mayBeLedger(file) else { return [] }
        // Lines are walked by the file's line table (0-based indices; the first line's text
        // starts after a byte order mark).
        let lineStarts = file.lineStarts
        func lineStart(_ line: Int) -> Int { line == 0 ? start : lineStarts[line] }
        return file.bytes.withUnsafeBufferPointer { bytes -> [Range<Int>] in
            let n = bytes.count
            /// Spaces at the start of the line at `i`, and the byte after them (nil at the end).
            func indent(_ i: Int) -> (Int, UInt8?) {
                var j = i
                while j < n, bytes[j] == 0x20 { j += 1 }
                return (j - i, j < n ? bytes[j] : nil)
            }
            func isItem(_ i: Int, column: Int) -> Bool {
                let (spaces, first) = indent(i)
                guard spaces == column, first == 0x2D else { return false }
                let k = i + spaces + 1
                return k == n || bytes[k] == 0x20 || bytes[k] == 0x0A || bytes[k] == 0x0D
            }
            // The line `checkins:` (then only spaces or a comment), in the file's first 4 KiB.
            let listLineStart = listKey + [0x3A]
            var line = 0
            var listFound = false
            while line < lineStarts.count, lineStart(line) < min(n, start + 4096) {
                let i = lineStart(line)
                line += 1
                if Record.equal(UnsafeBufferPointer(rebasing: bytes[i..<min(n, i + listLineStart.count)]), listLineStart) {
                    let (_, after) = indent(i + listKey.count + 1)
                    if after == nil || after == 0x0A || after == 0x0D || after == 0x23 { listFound = true; break }
                }
            }
            guard listFound else { return [] }
            // Its first item's column; blank and comment lines before it are skipped.
            var column: Int?
            while line < lineStarts.count {
                let (spaces, first) = indent(lineStart(line))
                if first == 0x2D { column = spaces; break }
                guard first == nil || first == 0x0A || first == 0x0D || first == 0x23 else { return [] }
                line += 1
            }
            guard let column else { return [] }
            // The first piece holds the list's first record at least.
            var cuts = [start]
            var next = max(lineStart(line) + 1, start + size)
            while next < n - size / 2 {
                // The first item line at or after `next`.
                var j = file.location(atOffset: next).line - 1
                if lineStarts[j] < next { j += 1 }
                while j < lineStarts.count, !isItem(lineStarts[j], column: column) { j += 1 }
                guard j < lineStarts.count else { break }
                cuts.append(lineStarts[j])
                next = lineStarts[j] + size
            }
            guard cuts.count > 1 else { return [] }
            return zip(cuts, cuts.dropFirst() + [n]).map { $0..<$1 }
        }
    }

    /// Whether `checkins` is in the file's first 256 bytes, where a ledger's `kind` or
    /// list starts: declining a file costs libyaml's set-up and its first 16 KiB (about
    /// 200,000 instructions), which other files are spared. (A ledger that starts with a
    /// long comment is decoded the usual way: the same result, only slower.)
    static func mayBeLedger(_ file: SourceFile) -> Bool {
        file.bytes.withUnsafeBufferPointer { bytes in
            let head = UnsafeBufferPointer(rebasing: bytes[..<min(bytes.count, 256)])
            guard head.count >= listKey.count else { return false }
            return (0...(head.count - listKey.count)).contains { start in
                head[start] == listKey[0] && Record.equal(UnsafeBufferPointer(rebasing: head[start..<(start + listKey.count)]), listKey)
            }
        }
    }

    private enum Place {
        case beforeDocument, beforeRoot, rootKey, kindValue, listValue, list, recordKey, recordValue, afterList, afterRoot, finished
    }

    private var place = Place.beforeDocument
    /// A piece after the first: a document that is the list alone.
    private let continuation: Bool
    /// A piece before the last, which must end inside the list (see above).
    private let endsAtCut: Bool
    private var sawKind = false, sawList = false
    private let context: DecodeContext
    /// Records read and not yet decoded: `records[..<pending]`; the one being read is
    /// `records[pending]`. Made as needed (a small ledger makes a few), then reused batch
    /// after batch.
    private var records: [Record] = []
    private var pending = 0
    static let batchSize = 128
    /// The field being read, between its key and its value.
    private var field = 0

    private init(context: DecodeContext, continuation: Bool, endsAtCut: Bool) {
        self.context = context
        self.continuation = continuation
        self.endsAtCut = endsAtCut
    }

    /// Decodes the records read so far, in order; false if one has a diagnostic.
    private mutating func decodePending() -> Bool {
        for k in 0..<pending {
            guard let checkin = CheckinDecoder.decodeRecord(records[k], context), context.diagnostics.all.isEmpty else { return false }
            context.plan.checkins.append(consume checkin)
        }
        pending = 0
        return true
    }

    mutating func read(_ event: YAMLEvent) -> Bool {
        switch (place, event) {
        case (.beforeDocument, .documentStart): place = continuation ? .listValue : .beforeRoot
        case (.beforeRoot, .mappingStart): place = .rootKey
        case (.rootKey, .scalar(let key, _, _)):
            if Record.equal(key, Self.kindKey), !sawKind {
                sawKind = true
                place = .kindValue
            } else if Record.equal(key, Self.listKey), !sawList {
                sawList = true
                place = .listValue
            } else {
                return false
            }
        case (.rootKey, .mappingEnd):
            guard sawKind else { return false }
            place = .afterRoot
        case (.kindValue, .scalar(let kind, _, _)):
            guard Record.equal(kind, Self.ledgerKind) else { return false }
            place = .rootKey
        case (.listValue, .sequenceStart): place = .list
        case (.list, .mappingStart):
            if pending == records.count { records.append(Record(context: context)) }
            records[pending].clear()
            place = .recordKey
        case (.list, .sequenceEnd):
            guard decodePending() else { return false }
            if continuation {
                place = .afterRoot
            } else if endsAtCut {
                // The first of several pieces: the list was the last key, after the kind.
                guard sawKind else { return false }
                place = .afterList
            } else {
                place = .rootKey
            }
        case (.afterList, .mappingEnd): place = .afterRoot
        case (.recordKey, .scalar(let key, _, let range)):
            let record = records[pending]
            guard let f = record.field(named: key) else { return false }
            if record.isEmpty { record.headRange = range }
            field = f
            place = .recordValue
        case (.recordValue, .scalar(let text, let isPlain, let range)):
            records[pending].set(field, text: String(decoding: text, as: UTF8.self), isPlain: isPlain, at: range)
            place = .recordKey
        case (.recordKey, .mappingEnd):
            guard !records[pending].isEmpty else { return false }
            pending += 1
            if pending == Self.batchSize { guard decodePending() else { return false } }
            place = .list
        case (.afterRoot, .documentEnd(let explicit)):
            guard !(explicit && endsAtCut) else { return false }
            place = .finished
        default:
            return false
        }
        return true
    }

    private static let kindKey = Array("kind".utf8), listKey = Array("checkins".utf8), ledgerKind = Array("checkins".utf8)

    /// The record being read: its fields' text by their place in `PlanSchema.checkin`.
    private final class Record: ScalarFields {
        let context: DecodeContext
        @exclusivity(unchecked) var headRange = SourceRange.wholeFile("")
        /// The field names, as text and as bytes, held by the record (read for every
        /// field of every record: a static is a lazy global, checked on each read).
        let names = PlanSchema.checkin.fieldNames
        let nameBytes = PlanSchema.checkin.fieldNames.map { Array($0.utf8) }
        /// Unchecked: one thread reads one record at a time, and an access check on each
        /// field would cost more than the field.
        @exclusivity(unchecked) private var values = [Located<String>?](repeating: nil, count: PlanSchema.checkin.fields.count)
        @exclusivity(unchecked) private var given = [Bool](repeating: false, count: PlanSchema.checkin.fields.count)
        @exclusivity(unchecked) private(set) var isEmpty = true

        init(context: DecodeContext) {
            self.context = context
        }

        func clear() {
            for i in values.indices {
                values[i] = nil
                given[i] = false
            }
            isEmpty = true
        }

        /// The place of a known field not yet given in this record.
        func field(named key: UnsafeBufferPointer<UInt8>) -> Int? {
            guard let i = nameBytes.firstIndex(where: { Record.equal(key, $0) }), !given[i] else { return nil }
            return i
        }

        /// A field's text; a plain empty, `~` or `null` is no value, as in a tree.
        func set(_ field: Int, text: String, isPlain: Bool, at range: SourceRange) {
            given[field] = true
            isEmpty = false
            values[field] = isPlain && YAMLTree.Entry.isNullText(text) ? nil : Located(text, range)
        }

        /// By length, the one field name of that length (-1: none, -2: more than one).
        let nameOfLength: [Int] = {
            var table = [Int](repeating: -1, count: 16)
            for (i, name) in PlanSchema.checkin.fieldNames.enumerated() where name.utf8.count < 16 {
                table[name.utf8.count] = table[name.utf8.count] == -1 ? i : -2
            }
            return table
        }()

        /// The names are the schema's literals, as are the keys the decoder asks for: short
        /// strings whose length is read without a look at their bytes, so a key is compared
        /// with the one name of its length, where there is one (unequal strings take a slow
        /// compare in the runtime).
        func scalar(_ key: String) -> Located<String>? {
            let length = key.utf8.count
            if length < nameOfLength.count {
                let only = nameOfLength[length]
                if only == -1 { return nil }
                if only >= 0 { return names[only] == key ? values[only] : nil }
            }
            for i in names.indices where names[i].utf8.count == length && names[i] == key { return values[i] }
            return nil
        }

        static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ name: [UInt8]) -> Bool {
            guard bytes.count == name.count else { return false }
            for i in 0..<name.count where bytes[i] != name[i] { return false }
            return true
        }
    }
}
