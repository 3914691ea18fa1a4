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
struct CheckinLedgerReader: YAMLEventReader {
    /// The file's check-ins, or nil when it is not a ledger this reader takes whole.
    static func decode(_ file: SourceFile, config: Config) -> Plan? {
        guard mayBeLedger(file) else { return nil }
        var reader = CheckinLedgerReader(context: DecodeContext(config: config, diagnostics: DiagnosticCollector()))
        // Room for a record per line (one each in a ledger of one-line records; the file's
        // line table has the count), so the list is not copied each time it grows; a list
        // this large comes from pages of its own, and room never written to takes no
        // memory. Bounded by the shortest record (over 32 bytes) and by a million records,
        // so a file of blank lines cannot ask for more address space than a real ledger would.
        reader.context.plan.checkins.reserveCapacity(min(file.lineCount, file.bytes.count / 32 + 1, 1 << 20))
        guard LibYAMLParser(limits: config.limits).read(file, into: &reader), reader.place == .finished else { return nil }
        return reader.context.plan
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
        case beforeDocument, beforeRoot, rootKey, kindValue, listValue, list, recordKey, recordValue, afterRoot, finished
    }

    private var place = Place.beforeDocument
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

    private init(context: DecodeContext) {
        self.context = context
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
        case (.beforeDocument, .documentStart): place = .beforeRoot
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
            place = .rootKey
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
        case (.afterRoot, .documentEnd): place = .finished
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
