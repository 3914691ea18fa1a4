/// Shared state while decoding: where diagnostics go, and settings that change how
/// values are read (fiscal periods).
final class DecodeContext {
    let diagnostics: DiagnosticCollector
    let fiscalYearStart: Int
    /// What the file decoded to so far. A context decodes one file on one thread, so its
    /// plan is not checked for overlapping access at run time (a check per decoded record).
    @exclusivity(unchecked) var plan: Plan

    init(config: Config, diagnostics: DiagnosticCollector) {
        self.diagnostics = diagnostics
        self.fiscalYearStart = config.fiscalYearStart
        self.plan = Plan(config: config)
    }

    func emit(_ rule: Rule, _ message: String, at range: SourceRange, notes: [DiagnosticNote] = [], help: String? = nil) {
        diagnostics.emit(rule, message, at: range, notes: notes, help: help)
    }
}

/// A parsed plan file: YAML documents or a Markdown file with front matter.
public enum ParsedFile: Sendable {
    case yaml([YAMLDocument])
    case markdown(MarkdownFile)
}

/// Decodes parsed files into the typed `Plan`, kind by kind.
public enum PlanDecoder {
    public static func decode(_ files: [ParsedFile], config: Config, sources: [SourceFile],
                              into diagnostics: DiagnosticCollector) -> Plan {
        var parts: [Plan] = []
        for parsed in files { parts.append(decodeFile(parsed, config: config, into: diagnostics)) }
        var plan = merge(parts, config: config, into: diagnostics)
        plan.files = sources
        return plan
    }

    /// Decodes one file on its own, so files can be decoded in parallel and merged.
    public static func decodeFile(_ parsed: ParsedFile, config: Config, into diagnostics: DiagnosticCollector) -> Plan {
        let context = DecodeContext(config: config, diagnostics: diagnostics)
        switch parsed {
        case .yaml(let documents):
            for doc in documents { decodeYAML(doc.root, context) }
        case .markdown(let md):
            decodeMarkdown(md, context)
        }
        return context.plan
    }

    /// Joins the per-file plans in file order (a second mission is an error). Each part is
    /// released as soon as its lists are taken, so the plan is never held twice in full.
    ///
    /// The three longest lists, check-ins, key results and objectives, are not copied: the
    /// plan's lists keep the files' lists as their pieces. (Joining the key results copied
    /// 42 MB at 20k objectives into pages the kernel had to hand out afresh, on one core,
    /// while the files' lists were freed.)
    public static func merge(_ parts: consuming [Plan], config: Config, into diagnostics: DiagnosticCollector) -> Plan {
        var plan = Plan(config: config)
        var checkins: [PiecewiseList<Checkin>] = [], keyResults: [PiecewiseList<KeyResult>] = [], objectives: [PiecewiseList<Objective>] = []
        checkins.reserveCapacity(parts.count)
        keyResults.reserveCapacity(parts.count)
        objectives.reserveCapacity(parts.count)
        for i in parts.indices {
            let p = parts[i]
            parts[i] = Plan(config: config)
            if let m = p.mission {
                if let existing = plan.mission {
                    diagnostics.emit(.duplicateID, "the plan has a second mission", at: m.range,
                                     notes: [DiagnosticNote("the first mission is here", at: existing.range)],
                                     help: "keep one file of kind mission")
                } else {
                    plan.mission = m
                }
            }
            plan.swot += p.swot
            plan.goals += p.goals
            plan.teams += p.teams
            plan.people += p.people
            plan.initiatives += p.initiatives
            plan.kpis += p.kpis
            checkins.append(p.checkins)
            keyResults.append(p.keyResults)
            objectives.append(p.objectives)
        }
        plan.checkins = PiecewiseList(joining: checkins)
        plan.keyResults = PiecewiseList(joining: keyResults)
        plan.objectives = PiecewiseList(joining: objectives)
        // What the files' parts and their trees left in the allocator goes back before the
        // graph is built (a 20k check peaked at 299 MiB, 272 MiB with this alone).
        SystemMemory.returnFreedMemory()
        return plan
    }

    static let kindNames = PlanSchema.kinds.map(\.0)

    /// The document's `kind`, or nil with a diagnostic.
    static func kind(of root: YAMLNode, _ context: DecodeContext) -> String? {
        guard case .mapping = root.value else {
            if root.isNull {
                context.emit(.unknownKind, "document is empty", at: root.range, help: "add 'kind: …' and the plan content, or remove the empty '---' document")
                return nil
            }
            context.emit(.wrongType, "a plan document must be a mapping with 'kind:', found \(root.shapeName)", at: root.range)
            return nil
        }
        guard let node = root["kind"], let k = node.scalar, !node.isNull else {
            context.emit(.unknownKind, "document has no 'kind'", at: root.range,
                         help: "add 'kind:' with one of: " + kindNames.joined(separator: ", "))
            return nil
        }
        guard kindNames.contains(k) else {
            context.emit(.unknownKind, "unknown kind '\(k.prefix(40))'", at: node.range,
                         help: (Suggestion.didYouMean(k, in: kindNames).map { $0 + " " } ?? "") + "kinds: " + kindNames.joined(separator: ", "))
            return nil
        }
        return k
    }

    static func decodeYAML(_ root: YAMLNode, _ context: DecodeContext) {
        switch kind(of: root, context) {
        case "mission": MissionDecoder.decodeYAML(root, context)
        case "swot": SWOTDecoder.decodeYAML(root, context)
        case "goals": GoalsDecoder.decode(root, context)
        case "org": OrgDecoder.decode(root, context)
        case "okrs": OKRDecoder.decodeYAML(root, context)
        case "initiatives": InitiativesDecoder.decode(root, context)
        case "kpis": KPIDecoder.decode(root, context)
        case "checkins": CheckinDecoder.decodeLedger(root, context)
        default: break
        }
    }

    static func decodeMarkdown(_ md: MarkdownFile, _ context: DecodeContext) {
        guard let fm = md.frontMatter else { return }
        switch kind(of: fm.root, context) {
        case "mission": MissionDecoder.decodeMarkdown(md, context)
        case "swot": SWOTDecoder.decodeMarkdown(md, context)
        case "okrs": MarkdownOKRDecoder.decode(md, context)
        case .some(let k):
            context.emit(.unknownKind, "kind '\(k)' has no Markdown form", at: fm.root["kind"]?.range ?? fm.root.range,
                         help: "write \(k) in a .yaml file; Markdown files hold mission, swot and okrs")
        case nil: break
        }
    }
}
