import Foundation

/// Builds the values templates render: plain dictionaries and arrays, so Mustache
/// templates (ours or a user's) can reach every figure. Keys are documented in
/// `docs/templates.md`. Every list is in a stable order; plan text is cleaned of bidi
/// and control characters here and escaped by the template's content type.
public final class SiteModel {
    public let rollUp: RollUp
    public let teamSlugs: SlugTable
    public let personSlugs: SlugTable
    public let periodSlugs: SlugTable
    let organisation: String
    /// Guards against absurdly deep cascades in recursive templates.
    public static let maxTreeDepth = 40
    /// Each node's values are built once per build and reused by every page that shows it
    /// (a node appears on up to six pages); render threads share one cache.
    let cache: NodeValueCache
    private var membersByTeam: [String: [String]] = [:]
    /// Whether nodes' values carry `formula`. `SiteRenderer` leaves it out when no template
    /// names it (the built-in ones do not): each key result's formula formatted for nothing
    /// cost about 1 % of a build.
    let includesFormula: Bool

    public init(rollUp: RollUp, cache: NodeValueCache = NodeValueCache(), includesFormula: Bool = true) {
        self.rollUp = rollUp
        self.cache = cache
        self.includesFormula = includesFormula
        let plan = rollUp.graph.plan
        teamSlugs = SlugTable(ids: plan.teams.map(\.id.value))
        personSlugs = SlugTable(ids: plan.people.map(\.id.value))
        periodSlugs = SlugTable(ids: rollUp.graph.periods.map(\.name))
        organisation = CleanText.clean(plan.config.organisation)
        for p in plan.people { if let t = p.team?.value { membersByTeam[t, default: []].append(p.id.value) } }
    }

    /// Another render thread's model: the same roll-up, cache and tables, made once.
    init(sharingTablesOf other: SiteModel) {
        rollUp = other.rollUp
        cache = other.cache
        includesFormula = other.includesFormula
        teamSlugs = other.teamSlugs
        personSlugs = other.personSlugs
        periodSlugs = other.periodSlugs
        organisation = other.organisation
        membersByTeam = other.membersByTeam
    }

    var graph: CascadeGraph { rollUp.graph }
    var plan: Plan { graph.plan }
    var asOf: Day { rollUp.asOf }

    // MARK: - Paths

    public func teamPath(_ id: String) -> String { "teams/\(teamSlugs[id]).html" }
    public func personPath(_ id: String) -> String { "people/\(personSlugs[id]).html" }
    public func periodPath(_ p: Period) -> String { "scorecards/\(periodSlugs[p.name]).html" }

    /// The periods that contain the as-of date; else the latest one before it.
    public var currentPeriods: [Period] {
        let all = graph.periods
        let containing = all.filter { $0.contains(asOf) }
        if !containing.isEmpty { return containing }
        return all.filter { $0.end < asOf }.suffix(1)
    }

    // MARK: - Small pieces

    func text(_ s: String?) -> String { CleanText.clean(s ?? "") }

    /// A person's values (built once per person and shared by every node they own).
    func person(_ id: String?) -> TemplateObject? {
        guard let id else { return nil }
        guard let p = graph.person(id) else { return ["id": id, "name": text(id), "known": false] }
        return cache.value(.person, id) {
            var d: TemplateObject = ["id": p.id.value, "name": text(p.name), "path": personPath(id), "known": true]
            if let role = p.role, !role.isEmpty { d["role"] = text(role) }
            return d
        }
    }

    /// A team's values (built once per team).
    func team(_ id: String?) -> TemplateObject? {
        guard let id else { return nil }
        guard let t = graph.team(id) else { return ["id": id, "name": text(id), "known": false] }
        return cache.value(.team, id) { ["id": t.id.value, "name": text(t.name), "path": teamPath(id), "known": true] }
    }

    /// A node's progress figures and their explanation (the status's reason, the formula).
    func progressFields(of id: String, into d: inout TemplateObject) {
        guard let p = rollUp.explained(id, includesFormula ? .sentences : .reason) else { return }
        // A Bool, so templates can test for progress without pushing a value on the context stack.
        d["has_progress"] = true
        d["progress_pct"] = Int((min(1, max(0, p.raw)) * 100).rounded())
        d["progress_text"] = Percent.text(p.raw)
        d["over_achieved"] = p.raw > 1
        if let e = p.expected {
            d["expected_pct"] = Int((min(1, max(0, e)) * 100).rounded())
            d["expected_text"] = Percent.text(e)
        }
        d["status"] = p.status.rawValue
        d["status_slug"] = p.status.slug
        d["status_reason"] = text(p.statusReason)
        if let c = p.confidence { d["confidence_text"] = Percent.text(c) }
        if let g = p.grade { d["grade_text"] = Quantity.format(g) == "1" ? "1.0" : Quantity.format(g).count == 1 ? Quantity.format(g) + ".0" : Quantity.format(g) }
        if includesFormula { d["formula"] = text(p.formula) }
    }

    // MARK: - Nodes

    public func keyResult(_ id: String) -> TemplateObject {
        cache.value(.keyResult, id) { buildKeyResult(id) }
    }

    func buildKeyResult(_ id: String) -> TemplateObject {
        guard let kr = graph.keyResult(id) else { return ["id": id] }
        var d: TemplateObject = ["id": id, "title": text(kr.title.value), "kind": "key-result", "measure": kr.measure.kindName]
        d["owner"] = person(kr.owner?.value)
        if let start = kr.measure.startText { d["start"] = text(start) }
        if let target = kr.measure.targetText() { d["target"] = text(target) }
        let p = rollUp[id]
        d["current"] = text(p?.current ?? "—")
        progressFields(of: id, into: &d)
        if let w = kr.weight { d["weight"] = text(w.value.text) }
        let checkins = rollUp.reachedCheckins(id)
        d["checkin_count"] = checkins.count
        if let last = checkins.last {
            d["last_checkin"] = "\(last.date.value)"
            if let n = last.note { d["last_note"] = text(n) }
        }
        d["stale"] = isStale(kr, latest: checkins.last)
        d["sparkline_svg"] = Sparkline.svg(for: kr, checkins: checkins, label: text(kr.title.value))
        d["initiatives"] = (graph.initiativesFor[id] ?? []).compactMap { iid -> TemplateObject? in
            guard let i = graph.initiative(iid) else { return nil }
            return ["id": iid, "title": text(i.title.value), "status": i.status.rawValue]
        }
        return d
    }

    /// Levels of objectives the overview's cascade shows: all of them for plans up to
    /// 500 objectives; for larger plans three levels below the goals, with a count of the
    /// rest (which the team and person pages show), so the overview stays readable.
    public var overviewDepth: Int { isLargePlan ? 3 : SiteModel.maxTreeDepth }

    /// Plans with more objectives than this get compact overview and scorecard pages: a
    /// page that lists every objective with its key-result tables would run to hundreds of
    /// megabytes. The team and person pages always show everything.
    public static let largePlanObjectives = 500
    public var isLargePlan: Bool { plan.objectives.count > SiteModel.largePlanObjectives }

    /// The same test as the `checkin-stale` rule: an active key result, past its first
    /// cadence, without a check-in within the cadence (done milestones excepted).
    func isStale(_ kr: KeyResult, latest: Checkin?) -> Bool {
        let cadence = plan.config.cadenceDays
        guard let period = graph.period(ofObjective: kr.objective), period.contains(asOf), asOf - period.start >= cadence else { return false }
        if case .milestone(true) = kr.measure { return false }
        if case .milestone = kr.measure, case .done(true)? = latest?.value.value { return false }
        guard let last = latest?.date.value else { return true }
        return asOf - last > cadence
    }

    public func objective(_ id: String, depth: Int = 0, withChildren: Bool = true, limit: Int = SiteModel.maxTreeDepth) -> TemplateObject {
        var d = TemplateObject(extending: objectiveCore(id))
        // Key results are built only when a page lists them (the compact scorecards and the
        // reports' objective rows do not), and kept apart from the objective's cached values.
        let krs = graph.ownKeyResultIDs(ofObjective: id)
        d["key_results"] = TemplateValue.lazyObjects(krs) { self.keyResult($0) }
        if withChildren && depth < min(limit, SiteModel.maxTreeDepth) {
            let kids = rollUp.childObjectives(of: id)
            d["children"] = TemplateValue.lazyObjects(kids) { self.objective($0, depth: depth + 1, limit: limit) }
            d["has_children"] = !kids.isEmpty
        } else if withChildren {
            let hidden = rollUp.childObjectives(of: id).count
            d["children"] = [TemplateObject]()
            d["has_children"] = false
            d["hidden_children"] = hidden
            d["has_hidden_children"] = hidden > 0
        } else {
            d["children"] = [TemplateObject]()
            d["has_children"] = false
        }
        return d
    }

    /// An objective's own values, without its children and key results.
    func objectiveCore(_ id: String) -> TemplateObject {
        cache.value(.objective, id) { buildObjectiveCore(id) }
    }

    func buildObjectiveCore(_ id: String) -> TemplateObject {
        guard let o = graph.objective(id) else { return ["id": id] }
        var d: TemplateObject = ["id": id, "title": text(o.title.value), "kind": "objective"]
        d["owner"] = person(o.owner?.value)
        d["team"] = team(o.team?.value)
        d["period"] = o.period?.value.name ?? ""
        d["committed"] = o.committed
        d["commitment"] = o.committed ? "committed" : "aspirational"
        d["expected_grade"] = o.committed ? "1.0" : "0.7"
        if let desc = o.description, !desc.isEmpty { d["description_html"] = CmarkParser.renderHTML(text(desc)) }
        progressFields(of: id, into: &d)
        d["has_key_results"] = !graph.ownKeyResultIDs(ofObjective: id).isEmpty
        if let parentID = graph.parent[id] { d["parent"] = ["id": parentID, "title": text(graph.title(of: parentID))] }
        d["supports"] = o.supports.map { ["id": $0.value, "title": text(graph.title(of: $0.value))] }
        return d
    }

    public func goal(_ id: String, withChildren: Bool = true) -> TemplateObject {
        guard let g = graph.goal(id) else { return ["id": id] }
        var d: TemplateObject = ["id": id, "title": text(g.title.value), "kind": "goal"]
        d["owner"] = person(g.owner?.value)
        if let p = g.perspective?.value { d["perspective"] = text(plan.config.perspectives.first { $0.id == p }?.title ?? p) }
        if let due = g.due { d["due"] = "\(due.value)" }
        if let m = g.metric {
            d["metric_start"] = m.start.map { text($0.value.text) }
            d["metric_target"] = m.target.map { text($0.value.text) }
            d["metric_current"] = m.current.map { text($0.value.text) }
            if let mp = rollUp.metricProgress(g) { d["metric_progress_text"] = Percent.text(mp) }
        }
        if let desc = g.description, !desc.isEmpty { d["description_html"] = CmarkParser.renderHTML(text(desc)) }
        d["addresses"] = g.addresses.compactMap { ref -> TemplateObject? in
            guard let i = graph.swot[ref.value] else { return nil }
            return ["id": ref.value, "text": text(plan.swot[i].text)]
        }
        progressFields(of: id, into: &d)
        let kids = graph.children[id] ?? []
        d["children"] = withChildren ? TemplateValue.lazyObjects(kids) { self.objective($0, depth: 1, limit: self.overviewDepth) } : [] as TemplateValue
        d["has_children"] = !kids.isEmpty
        d["objective_count"] = kids.count
        return d
    }

    /// The objectives a large plan's overview shows: those within `overviewDepth` levels
    /// below a goal or an unaligned root (which counts as the first level).
    func overviewObjectiveIDs(orphans: [String]) -> Set<String> {
        var shown: Set<String> = []
        var level = plan.goals.flatMap { graph.children[$0.id.value] ?? [] }.filter { graph.objective($0) != nil } + orphans
        var depth = 1
        while !level.isEmpty && depth <= overviewDepth {
            var next: [String] = []
            for id in level where shown.insert(id).inserted { next += rollUp.childObjectives(of: id) }
            level = next
            depth += 1
        }
        return shown
    }

    /// The line of sight of a node, the chain from it up to its goal and the mission: its
    /// own entry, then its ancestors' and the mission's.
    /// Every entry but the first has an identity, so a page renders an ancestor's entry
    /// once and reuses its bytes under each objective below it (a team's objectives share
    /// most of their chain; the entries were over a quarter of the team pages' bytes).
    public func lineOfSight(_ id: String) -> TemplateValue {
        let ids = ([id] + graph.ancestors(of: id)).filter { graph.nodes[$0] != nil }
        let mission = plan.mission?.mission?.value
        let identity = { (i: Int) -> String? in i == 0 ? nil : i < ids.count ? "line-of-sight " + ids[i] : "line-of-sight of the mission" }
        return .lazyList(LazyList(count: ids.count + (mission == nil ? 0 : 1), identity: identity) { i in
            if i < ids.count { return .object(self.sightEntry(ids[i]) ?? [:]) }
            return .object(["id": "mission", "title": self.text(mission ?? ""), "kind": "mission"])
        })
    }

    /// One link of a line of sight: a node's title, kind and progress (built once per node).
    func sightEntry(_ id: String) -> TemplateObject? {
        guard let ref = graph.nodes[id] else { return nil }
        // An objective's entry is its cached values (the same id, title, kind and progress,
        // and its other fields besides), not a second copy of them.
        if ref.kind == .objective { return objectiveCore(id) }
        return cache.value(ref.kind == .keyResult ? .keyResultSight : .sight, id) {
            var d: TemplateObject = ["id": id, "title": text(graph.title(of: id)), "kind": ref.kind.label]
            progressFields(of: id, into: &d)
            return d
        }
    }

    // MARK: - Pages

    func common(root: String, title: String) -> TemplateObject {
        [
            "organisation": organisation, "as_of": "\(asOf)", "root": root, "page_title": text(title),
            "generator": "strata", "format_version": PlanJSON.formatVersion,
            "nav_periods": graph.periods.map { ["name": $0.name, "path": periodPath($0)] },
        ]
    }

    public func indexPage() -> TemplateObject {
        var d = common(root: "", title: organisation)
        if let m = plan.mission {
            d["mission"] = [
                "mission": text(m.mission?.value), "vision": text(m.vision?.value),
                "values": m.values.map { ["name": text($0.name), "description": text($0.description)] },
            ] as TemplateObject
        }
        d["goals"] = plan.goals.map { goal($0.id.value, withChildren: false) }
        d["swot"] = SWOTQuadrant.allCases.map { q -> TemplateObject in
            let items = plan.swot.filter { $0.quadrant == q }.map { item -> TemplateObject in
                ["id": item.id.value, "text": text(item.text),
                 "goals": (graph.addressedBy[item.id.value] ?? []).map { ["id": $0, "title": text(graph.title(of: $0))] }]
            }
            return ["title": q.title, "slug": q.rawValue, "items": items, "empty": items.isEmpty]
        }
        d["has_swot"] = !plan.swot.isEmpty
        d["tree"] = TemplateValue.lazyObjects(plan.goals) { self.goal($0.id.value) }
        let orphans = plan.objectives.filter { $0.parent == nil || graph.parent[$0.id.value] == nil }
        let large = isLargePlan
        // A large plan's unaligned trees stop at the same depth as the goals' cascade.
        d["unaligned"] = TemplateValue.lazyObjects(orphans) { large ? self.objective($0.id.value, depth: 1, limit: self.overviewDepth) : self.objective($0.id.value) }
        d["has_unaligned"] = !orphans.isEmpty
        let current = Set(currentPeriods)
        d["current_periods"] = currentPeriods.map(\.name).joined(separator: ", ")
        // Ids first, values built while the list renders (these lists can be long). In a
        // large plan the lists keep to the objectives the overview's cascade shows, and
        // count the rest: at 20,000 objectives the full at-risk list ran to 73,000 entries
        // (49 MB), which no reader scrolls and no browser opens quickly.
        let shown: Set<String>? = large ? overviewObjectiveIDs(orphans: orphans.map(\.id.value)) : nil
        // Objectives by position in the plan: a copy of each would be kept per entry.
        var atRisk: [(id: String, objective: Int?)] = []
        var wins: [(id: String, objective: Int)] = []
        var atRiskMore = 0, winsMore = 0
        for (index, o) in plan.objectives.enumerated() where o.period.map({ current.contains($0.value) }) ?? false {
            let onPage = shown?.contains(o.id.value) ?? true
            if let p = rollUp[o.id.value], p.status == .atRisk || p.status == .behind {
                if onPage { atRisk.append((o.id.value, nil)) } else { atRiskMore += 1 }
            }
            for kr in o.keyResults {
                guard let p = rollUp[kr] else { continue }
                if p.status == .atRisk { if onPage { atRisk.append((kr, index)) } else { atRiskMore += 1 } }
                if p.raw >= 1 { if onPage { wins.append((kr, index)) } else { winsMore += 1 } }
            }
        }
        // The overview of a large plan does not show every objective, so its lists link to
        // the team (or owner) page instead of into the page.
        let atRiskValues = TemplateValue.lazyObjects(atRisk) { entry -> TemplateObject in
            guard let o = entry.objective.map({ self.plan.objectives[$0] }) else {
                var item = self.objective(entry.id, withChildren: false)
                item["kind_label"] = "objective"
                if large { item["detail_href"] = self.detailPath(ofObjective: entry.id, anchor: "objective-" + entry.id) }
                return item
            }
            var item = TemplateObject(extending: self.keyResult(entry.id))
            item["kind_label"] = "key result"
            item["objective_title"] = self.text(o.title.value)
            if large { item["detail_href"] = self.detailPath(ofObjective: o.id.value, anchor: "key-result-" + entry.id) }
            return item
        }
        let winValues = TemplateValue.lazyObjects(wins) { entry -> TemplateObject in
            let o = self.plan.objectives[entry.objective]
            var item = TemplateObject(extending: self.keyResult(entry.id))
            item["objective_title"] = self.text(o.title.value)
            if large { item["detail_href"] = self.detailPath(ofObjective: o.id.value, anchor: "key-result-" + entry.id) }
            return item
        }
        d["at_risk"] = atRiskValues
        d["has_at_risk"] = !atRisk.isEmpty || atRiskMore > 0
        d["at_risk_more"] = atRiskMore
        d["has_at_risk_more"] = atRiskMore > 0
        d["wins"] = winValues
        d["has_wins"] = !wins.isEmpty || winsMore > 0
        d["wins_more"] = winsMore
        d["has_wins_more"] = winsMore > 0
        d["kpis"] = plan.kpis.map { kpi($0) }
        d["has_kpis"] = !plan.kpis.isEmpty
        d["teams"] = plan.teams.map { ["id": $0.id.value, "name": text($0.name), "path": teamPath($0.id.value)] }
        d["people"] = plan.people.map { ["id": $0.id.value, "name": text($0.name), "path": personPath($0.id.value)] }
        d["summary"] = summary(periods: currentPeriods)
        return d
    }

    func kpi(_ k: KPI) -> TemplateObject {
        let r = rollUp.kpis[k.id.value]
        var d: TemplateObject = ["id": k.id.value, "title": text(k.title.value), "health": r?.health.rawValue ?? "no data",
                                "health_slug": (r?.health.rawValue ?? "no data").replacingOccurrences(of: " ", with: "-")]
        d["owner"] = person(k.owner?.value)
        if let v = r?.value { d["value"] = text(v.text) }
        if let day = r?.date { d["date"] = "\(day)" }
        if let t = k.target { d["target"] = text(t.value.text) }
        if let a = k.alert { d["alert"] = text(a.value.text) }
        d["direction"] = k.direction == .higher ? "higher is better" : "lower is better"
        d["sparkline_svg"] = Sparkline.svg(values: r?.history.map(\.1) ?? [], label: "Trend of \(text(k.title.value))")
        return d
    }

    func summary(periods: [Period]) -> TemplateObject {
        let set = Set(periods)
        var counts: [Status: Int] = [:]
        var sum = 0.0, objectiveCount = 0, keyResultCount = 0
        for o in plan.objectives where o.period.map({ set.contains($0.value) }) ?? false {
            objectiveCount += 1
            keyResultCount += o.keyResults.count
            if let p = rollUp[o.id.value] { counts[p.status, default: 0] += 1; sum += p.rolled }
        }
        return [
            "objectives": objectiveCount, "key_results": keyResultCount,
            "average_progress": Percent.text(objectiveCount == 0 ? 0 : sum / Double(objectiveCount)),
            "statuses": Status.allCases.map { ["status": $0.rawValue, "slug": $0.slug, "count": counts[$0, default: 0]] as TemplateObject },
            "on_track": counts[.onTrack, default: 0], "behind": counts[.behind, default: 0], "at_risk": counts[.atRisk, default: 0],
            "done": counts[.done, default: 0], "missed": counts[.missed, default: 0], "not_started": counts[.notStarted, default: 0],
            "goals": plan.goals.count, "checkins": plan.checkins.reduce(0) { $0 + ($1.date.value <= asOf ? 1 : 0) },
        ]
    }

    public func teamPage(_ t: Team) -> TemplateObject {
        var d = common(root: "../", title: "\(text(t.name)) — \(organisation)")
        d["team"] = team(t.id.value)
        d["lead"] = person(t.lead?.value)
        if let p = t.parent { d["parent_team"] = team(p) }
        d["subteams"] = (graph.subteams[t.id.value] ?? []).compactMap { team($0) }
        d["members"] = (membersByTeam[t.id.value] ?? []).compactMap { person($0) }
        d["periods"] = periodSections(objectives: graph.objectives(ofTeam: t.id.value))
        return d
    }

    public func personPage(_ p: Person) -> TemplateObject {
        var d = common(root: "../", title: "\(text(p.name)) — \(organisation)")
        d["person"] = person(p.id.value)
        d["team"] = team(p.team?.value)
        let owned = graph.owned(byPerson: p.id.value)
        d["periods"] = periodSections(objectives: owned.objectives)
        let ownObjectives = Set(owned.objectives)
        let extraKRs = owned.keyResults.filter { graph.objectiveID(ofKeyResult: $0).map { !ownObjectives.contains($0) } ?? false }
        d["other_key_results"] = extraKRs.map { id -> TemplateObject in
            var k = TemplateObject(extending: keyResult(id))
            if let o = graph.objectiveID(ofKeyResult: id) { k["objective"] = ["id": o, "title": text(graph.title(of: o))] as TemplateObject }
            k["line_of_sight"] = lineOfSight(id)
            return k
        }
        d["has_other_key_results"] = !extraKRs.isEmpty
        d["owns_nothing"] = owned.objectives.isEmpty && owned.keyResults.isEmpty
        return d
    }

    /// Objectives grouped by period (newest first), each with its line of sight.
    func periodSections(objectives ids: [String]) -> [TemplateObject] {
        var byPeriod: [String: [String]] = [:]
        var periods: [Period] = []
        for id in ids {
            guard let p = graph.period(ofObjective: id) else { continue }
            if byPeriod[p.name] == nil { periods.append(p) }
            byPeriod[p.name, default: []].append(id)
        }
        return periods.sorted().reversed().map { p in
            [
                "period": p.name, "path": periodPath(p),
                // The same objective's article on its team's page and its owner's is rendered
                // once: the items are the same for an id on any page.
                "objectives": TemplateValue.lazyObjects(byPeriod[p.name]!, identity: { "period-section-objective " + $0 }) { id -> TemplateObject in
                    var o = self.objective(id, withChildren: false)
                    o["line_of_sight"] = self.lineOfSight(id)
                    return o
                },
            ]
        }
    }

    public func scorecardPage(_ period: Period) -> TemplateObject {
        var d = common(root: "../", title: "Scorecard \(period.name) — \(organisation)")
        d["period"] = period.name
        d["period_start"] = "\(period.start)"
        d["period_end"] = "\(period.end)"
        d["ended"] = asOf > period.end
        d["summary"] = summary(periods: [period])
        // Large plans: one row per objective, linked to its team page for the details.
        d["compact"] = isLargePlan
        d["teams"] = scorecardGroups(period, detailLinks: isLargePlan)
        d["perspectives"] = perspectiveGroups(period)
        return d
    }

    /// Where an objective's article (and its key-result table) is, from the site root: its
    /// team's page, else its owner's page; `anchor` picks the element.
    func detailPath(ofObjective id: String, anchor: String) -> String? {
        guard let i = graph.objectiveIndex(id) else { return nil }
        if let t = plan.objectives[i].team?.value, graph.teams[t] != nil { return teamPath(t) + "#" + anchor }
        if let p = plan.objectives[i].owner?.value, graph.people[p] != nil { return personPath(p) + "#" + anchor }
        return nil
    }

    /// Objectives of a period grouped by team (teams in plan order, then objectives without a
    /// team). With `detailLinks`, each objective gets `detail_href`: its article on its team's (or
    /// owner's) page, from a page one folder down.
    func scorecardGroups(_ period: Period, detailLinks: Bool = false) -> [TemplateObject] {
        let item = { (id: String) -> TemplateObject in
            var o = self.objective(id, withChildren: false)
            if detailLinks, let path = self.detailPath(ofObjective: id, anchor: "objective-" + id) {
                o["detail_href"] = "../" + path
            }
            return o
        }
        var groups: [TemplateObject] = []
        for t in plan.teams {
            let list = graph.objectives(ofTeam: t.id.value, in: period)
            guard !list.isEmpty else { continue }
            groups.append(["team": team(t.id.value)!, "objectives": TemplateValue.lazyObjects(list, item)])
        }
        let known = Set(plan.teams.map(\.id.value))
        // By position, reading fields in place: filtering the objectives themselves copied
        // every one of them.
        let objectives = plan.objectives
        let rest = objectives.indices.filter { objectives[$0].period?.value == period && (objectives[$0].team.map { !known.contains($0.value) } ?? true) }
        if !rest.isEmpty {
            groups.append(["team": ["name": "No team", "known": false] as TemplateObject, "objectives": TemplateValue.lazyObjects(rest.map { objectives[$0].id.value }, item)])
        }
        return groups
    }

    /// The balanced-scorecard view: goals and this period's objectives under each perspective.
    func perspectiveGroups(_ period: Period) -> [TemplateObject] {
        plan.config.perspectives.map { persp -> TemplateObject in
            let goals = plan.goals.filter { $0.perspective?.value == persp.id }
            let goalDicts = goals.map { g -> TemplateObject in
                var gd = goal(g.id.value, withChildren: false)
                let ids = Set([g.id.value] + graph.descendants(of: g.id.value))
                // Ids, not copies of the objectives: the list lives as long as the page. Found
                // by position, reading fields in place (filtering the objectives themselves
                // copied every objective of the plan for every goal).
                let objectives = plan.objectives
                let under = objectives.indices.filter { objectives[$0].period?.value == period && ids.contains(objectives[$0].id.value) }
                gd["objectives"] = TemplateValue.lazyObjects(under.map { objectives[$0].id.value }) { self.objective($0, withChildren: false) }
                return gd
            }
            return ["id": persp.id, "title": text(persp.title), "goals": goalDicts, "empty": goals.isEmpty]
        }
    }

    public func strategyMapPage() -> TemplateObject {
        var d = common(root: "", title: "Strategy map — \(organisation)")
        d["svg"] = StrategyMap(model: self).svg()
        d["perspectives"] = plan.config.perspectives.map { p -> TemplateObject in
            ["title": text(p.title), "goals": plan.goals.filter { $0.perspective?.value == p.id }.map { goal($0.id.value) }]
        }
        return d
    }
}

/// The values of objectives, key results, line-of-sight entries, people and teams, shared
/// by the render threads. Values are built outside the lock (building one can need
/// another); two threads may build the same node at once, and the first stored wins.
/// Cached values must not hold lazy lists: those capture the model of the thread that
/// built them.
///
/// Key results are most of the values (their sparklines, reasons and formulas) and a page
/// shows few of them, while the pages that show one render close together (a team's page,
/// its members' pages and their scorecards, see `SiteRenderer.pages()`). So key results
/// and their line-of-sight entries are kept for a while, not for the whole build: in two
/// generations of about `keyResultGeneration` values each (spread over the cache's parts);
/// when the newer one is full it becomes the older one and the oldest values are dropped.
/// A value found in the older generation moves to the newer one. Every other kind is kept
/// for the whole build (a team's objectives reappear in the overview, the scorecards and
/// the reports, and they take far less memory).
public final class NodeValueCache: @unchecked Sendable {
    enum Kind: Int, CaseIterable {
        case objective, keyResult, sight, keyResultSight, person, team
        /// Kept in generations rather than for the whole build.
        var isGenerational: Bool { self == .keyResult || self == .keyResultSight }
    }

    /// Ids are spread over this many parts, each with its own lock, by a hash of their
    /// bytes: the render threads look values up several times per objective, and with one
    /// lock for all they waited for each other often enough to show in the kernel's time
    /// (about 2 % of a 20k build's CPU samples went to waking and waiting on that lock).
    static let shardCount = 16

    /// One part of the cache: its tables and the lock that guards them (with it held, the
    /// tables need no run-time check for overlapping access).
    private final class Shard: @unchecked Sendable {
        let lock = NSLock()
        @exclusivity(unchecked) var tables = [[String: TemplateObject]](repeating: [:], count: Kind.allCases.count)
        /// The older generation of each generational kind.
        @exclusivity(unchecked) var older = [[String: TemplateObject]](repeating: [:], count: Kind.allCases.count)
        var stored = 0
    }
    private let shards = (0..<NodeValueCache.shardCount).map { _ in Shard() }

    /// How many key results one generation holds, in all parts together.
    let keyResultGeneration: Int
    /// What one generation holds in one part.
    private let shardGeneration: Int
    /// How many values were built and stored so far (for tests).
    public var builds: Int { shards.reduce(0) { n, shard in n + shard.lock.withLock { shard.stored } } }

    public init(keyResultGeneration: Int = 2_048) {
        self.keyResultGeneration = max(1, keyResultGeneration)
        shardGeneration = max(1, self.keyResultGeneration / Self.shardCount)
    }

    /// The part that holds `id` (FNV-1a over its bytes).
    private func shard(_ id: String) -> Shard {
        var h: UInt32 = 2_166_136_261
        for b in id.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return shards[Int(h % UInt32(Self.shardCount))]
    }

    func value(_ kind: Kind, _ id: String, build: () -> TemplateObject) -> TemplateObject {
        let part = shard(id)
        if let cached = part.lock.withLock({ lookUp(kind, id, in: part) }) { return cached }
        let built = build().compacted()
        return part.lock.withLock {
            if let v = lookUp(kind, id, in: part) { return v }
            part.stored += 1
            store(built, kind, id, in: part)
            return built
        }
    }

    /// Called with the part's lock held.
    private func lookUp(_ kind: Kind, _ id: String, in part: Shard) -> TemplateObject? {
        if let v = part.tables[kind.rawValue][id] { return v }
        guard kind.isGenerational, let v = part.older[kind.rawValue].removeValue(forKey: id) else { return nil }
        store(v, kind, id, in: part)
        return v
    }

    /// Called with the part's lock held.
    private func store(_ value: TemplateObject, _ kind: Kind, _ id: String, in part: Shard) {
        if kind.isGenerational && part.tables[kind.rawValue].count >= shardGeneration {
            part.older[kind.rawValue] = part.tables[kind.rawValue]
            part.tables[kind.rawValue] = Dictionary(minimumCapacity: shardGeneration)
        }
        part.tables[kind.rawValue][id] = value
    }
}
