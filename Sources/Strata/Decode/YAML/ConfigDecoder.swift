/// Decodes `strata.yaml`.
enum ConfigDecoder {
    static func decode(_ file: SourceFile, into diagnostics: DiagnosticCollector) -> Config {
        var config = Config()
        let context = DecodeContext(config: config, diagnostics: diagnostics)
        let docs = LibYAMLParser(limits: config.limits).parse(file, into: diagnostics)
        guard let root = docs.first?.root else {
            if !diagnostics.all.contains(where: { $0.range.fileID == file.pathID }) {
                diagnostics.emit(.missingField, "strata.yaml is empty", at: .wholeFile(file.path), help: "add at least 'organisation: <name>'")
            }
            return config
        }
        if docs.count > 1 {
            diagnostics.emit(.wrongType, "strata.yaml must hold one YAML document, found \(docs.count)", at: docs[1].root.range)
        }
        guard let r = FieldReader(root, PlanSchema.config, context) else { return config }
        if let o = r.text("organisation") { config.organisation = o.value }
        if let m = r.number("fiscal_year_start") {
            if m.value >= 1, m.value <= 12, m.value == m.value.rounded() { config.fiscalYearStart = Int(m.value) }
            else { diagnostics.emit(.invalidValue, "fiscal_year_start must be a month from 1 to 12", at: m.range) }
        }
        config.asOf = r.date("as_of")
        for (key, path) in [("plans", \Config.plansFolder), ("output", \Config.outputFolder), ("templates", \Config.templatesFolder)] {
            if let v = r.text(key) {
                if v.value.isEmpty || v.value.hasPrefix("/") || v.value.split(separator: "/").contains("..") {
                    diagnostics.emit(.invalidValue, "'\(key)' must be a folder inside the repository", at: v.range,
                                     help: "give a relative path without '..', e.g. \(key)")
                } else {
                    config[keyPath: path] = v.value
                }
            }
        }
        if r.has("perspectives") {
            var list: [Perspective] = []
            for item in r.list("perspectives") {
                guard let p = FieldReader(item, PlanSchema.perspective, context), let id = p.id("id"), let t = p.text("title") else { continue }
                list.append(Perspective(id: id.value, title: t.value))
            }
            if !list.isEmpty { config.perspectives = list }
        }
        if let rules = r.value("rules") {
            decodeRules(rules, into: &config, context)
        }
        if let node = r.value("rollup"), let rr = FieldReader(node, PlanSchema.rollup, context) {
            if let p = rr.choice("objective_progress", ProgressSource.allCases.map(\.rawValue)) { config.objectiveProgress = ProgressSource(rawValue: p.value)! }
            if let c = rr.bool("cap") { config.capProgress = c.value }
            if let w = rr.bool("worst_child") { config.worstChild = w.value }
        }
        if let node = r.value("status"), let sr = FieldReader(node, PlanSchema.status, context) {
            if let v = sr.number("on_track") { config.onTrackRatio = v.value }
            if let v = sr.number("behind") { config.behindRatio = v.value }
            if config.behindRatio > config.onTrackRatio, let b = sr.number("behind") {
                diagnostics.emit(.invalidValue, "status.behind (\(Quantity.format(config.behindRatio))) must not exceed status.on_track (\(Quantity.format(config.onTrackRatio)))", at: b.range)
            }
        }
        if let node = r.value("checkins"), let cr = FieldReader(node, PlanSchema.checkinSettings, context), let d = cr.number("cadence_days") {
            if d.value >= 1, d.value == d.value.rounded() { config.cadenceDays = Int(d.value) }
            else { diagnostics.emit(.invalidValue, "cadence_days must be a whole number of days, at least 1", at: d.range) }
        }
        if let node = r.value("limits"), let lr = FieldReader(node, PlanSchema.limits, context) {
            let keys: [(String, WritableKeyPath<InputLimits, Int>)] = [
                ("max_file_bytes", \.maxFileBytes), ("max_total_bytes", \.maxTotalBytes), ("max_files", \.maxFiles),
                ("max_depth", \.maxDepth), ("alias_budget", \.aliasBudget), ("max_scalar_bytes", \.maxScalarBytes),
                ("max_markdown_bytes", \.maxMarkdownBytes), ("max_markdown_brackets", \.maxMarkdownBrackets),
            ]
            for (key, path) in keys {
                if let v = lr.number(key) {
                    if key == "max_file_bytes", v.value > Double(InputLimits.largestFileBytes) {
                        diagnostics.emit(.invalidValue, "'max_file_bytes' can be at most \(InputLimits.largestFileBytes) (4 GiB): source positions are 32-bit", at: v.range)
                    } else if v.value >= 1, v.value < 1e12 { config.limits[keyPath: path] = Int(v.value) }
                    else { diagnostics.emit(.invalidValue, "'\(key)' must be a positive whole number", at: v.range) }
                }
            }
        }
        let fiscal = DecodeContext(config: config, diagnostics: diagnostics)  // periods read with the fiscal start above
        for item in r.list("locked_periods") {
            if let s = ValueReader.scalar(item, field: "locked_periods", fiscal), let p = ValueReader.period(s, field: "locked_periods", fiscal) {
                config.lockedPeriods.append(p)
            }
        }
        return config
    }

    static func decodeRules(_ node: YAMLNode, into config: inout Config, _ context: DecodeContext) {
        guard case .mapping(let pairs) = node.value else {
            context.emit(.wrongType, "'rules' must be a mapping of rule ids, found \(node.shapeName)", at: node.range)
            return
        }
        let ids = Rule.all.map(\.id)
        let severities = ["off"] + Severity.allCases.map(\.rawValue)
        for pair in pairs {
            guard let id = pair.key.scalar else { continue }
            guard let rule = Rule.byID[id] else {
                context.emit(.unknownKey, "unknown rule '\(id)'", at: pair.key.range,
                             help: Suggestion.didYouMean(id, in: ids) ?? "run 'strata rules' for the list")
                continue
            }
            var setting = RuleSetting(severity: nil, options: [:])
            var severityText: Located<String>?
            if case .scalar = pair.value.value {
                severityText = ValueReader.scalar(pair.value, field: id, context)
            } else if let f = FieldReader(pair.value, PlanSchema.ruleSetting, context, label: "the setting of rule '\(id)'") {
                severityText = f.scalar("severity")
                if let m = f.number("max") { setting.options["max"] = m.value }
            }
            if let s = severityText, let choice = ValueReader.choice(s, severities, field: "severity", context) {
                if !rule.configurable {
                    context.emit(.invalidValue, "rule '\(id)' reports input that cannot be read; its severity cannot be changed", at: s.range)
                } else {
                    setting.severity = .some(choice.value == "off" ? nil : Severity(rawValue: choice.value))
                }
            }
            config.rules[id] = setting
        }
    }
}
