/// `kind: checkins` ledgers, and inline check-ins under key results and KPIs.
enum CheckinDecoder {
    static func decodeLedger(_ root: YAMLNode, _ context: DecodeContext) {
        guard let r = FieldReader(root, PlanSchema.checkins, context) else { return }
        let items = r.list("checkins")
        context.plan.checkins.reserveCapacity(context.plan.checkins.count + items.count)
        for item in items {
            guard let f = FieldReader(item, PlanSchema.checkin, context) else { continue }
            if let c = decodeRecord(f, context) { context.plan.checkins.append(c) }
        }
    }

    /// One record of a ledger, which names its key result or KPI. Shared by the tree's
    /// `FieldReader` and `CheckinLedgerReader`, so both read a record the same way.
    static func decodeRecord(_ f: some ScalarFields, _ context: DecodeContext) -> Checkin? {
        let kr = f.reference("kr"), kpi = f.reference("kpi")
        switch (kr, kpi) {
        case (let k?, nil):
            return decode(f, subject: .keyResult, target: k, context)
        case (nil, let k?):
            return decode(f, subject: .kpi, target: k, context)
        case (.some, .some):
            context.emit(.invalidValue, "a check-in names both a key result and a KPI", at: f.headRange, help: "give either 'kr' or 'kpi'")
        case (nil, nil):
            context.emit(.missingField, "check-in names no key result or KPI", at: f.headRange, help: "add 'kr: <key result id>' or 'kpi: <KPI id>'")
        }
        return nil
    }

    static func decode(_ node: YAMLNode, schema: KindSchema, subject: CheckinSubject, target: Located<String>, _ context: DecodeContext) -> Checkin? {
        guard let f = FieldReader(node, schema, context) else { return nil }
        return decode(f, subject: subject, target: target, context)
    }

    static func decode(_ f: some ScalarFields, subject: CheckinSubject, target: Located<String>, _ context: DecodeContext) -> Checkin? {
        guard let date = f.date("date"), let raw = f.scalar("value") else { return nil }
        let value: CheckinValue
        let t = raw.value.trimmed
        if let q = Quantity.parse(t) { value = .quantity(q) }
        else if ValueReader.trueWords.contains(t.lowercased()) { value = .done(true) }
        else if ValueReader.falseWords.contains(t.lowercased()) { value = .done(false) }
        else if ValueReader.reportOutOfRange(raw, context) { return nil }
        else {
            context.emit(.invalidValue, "'\(t.prefix(40))' is not a check-in value", at: raw.range,
                         help: "write a number with the key result's unit (e.g. $4.2M, 12%), or done / not done for a milestone")
            return nil
        }
        return Checkin(subject: subject, target: target, date: date, value: Located(value, raw.range),
                       confidence: f.confidence("confidence"), note: f.text("note")?.value, range: f.headRange)
    }
}
