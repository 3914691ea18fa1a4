import Foundation

/// Writes a deterministic synthetic organisation in the real plan format: a team tree
/// (company → departments → groups → teams), people, a mission, a SWOT, goals, KPIs,
/// company → department → group → team → individual objectives with 3–5 key results each,
/// initiatives, and weekly check-ins for one quarter up to the as-of date, spread over many
/// files as a repository would hold them (a folder per department; YAML, and a fifth of the
/// teams in Markdown with Markdown descriptions).
struct SyntheticPlan {
    /// Total objectives wanted (company + department + group + team + individual).
    let objectives: Int
    let asOf = "2026-11-13"

    /// SplitMix64: deterministic on every platform.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    }

    static let words = ["grow", "pipeline", "latency", "customers", "quality", "delivery", "onboarding", "retention", "platform",
                        "partners", "coverage", "automation", "accuracy", "throughput", "reliability", "adoption", "revenue",
                        "margin", "support", "hiring", "learning", "security", "compliance", "carriers", "routes", "invoices"]

    func title(_ r: inout Random, _ n: Int) -> String {
        (0..<n).map { _ in Self.words[r.int(0...(Self.words.count - 1))] }.joined(separator: " ").capitalizedFirst
    }

    /// The smallest organisation the shape makes, in objectives: 5 for the company, 2 for
    /// each of 2 departments, and 2 groups, 2 teams and 2 people with one each. From this
    /// size up the plan has exactly `objectives` objectives.
    static let smallest = 15

    /// Writes the plan into `root` (a new or empty folder) and returns (files, bytes). It
    /// never deletes or overwrites anything: a file that already exists where one of the
    /// plan's would go stops it with an error.
    func write(to root: URL) throws -> (files: Int, bytes: Int) {
        precondition(objectives >= Self.smallest, "at least \(Self.smallest) objectives")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("plans/okrs"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("plans/org"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("plans/checkins"), withIntermediateDirectories: true)
        var r = Random(state: UInt64(objectives))
        var files = 0, bytes = 0
        func put(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
            files += 1
            bytes += text.utf8.count
        }
        // Shape: 5 company objectives, 2 per department, 1 per group, 1 per team, 1 per
        // person. The teams form a tree, as in a real organisation: the company, departments
        // of about eight groups, groups of about seven teams, teams of about eight people.
        // Each unit is placed in one of the level above at random (after the first of each
        // level, which fills every unit above it once), so sizes vary as they do in life.
        let departments = max(2, objectives / 500)
        let groups = max(departments, objectives / 60)
        let teamsCount = max(groups, objectives / 9)
        let people = max(teamsCount, objectives - 5 - 2 * departments - groups - teamsCount)
        let deptOfGroup = (0..<groups).map { g in g < departments ? g : r.int(0...(departments - 1)) }
        let groupOfTeam = (0..<teamsCount).map { t in t < groups ? t : r.int(0...(groups - 1)) }
        let teamOfPerson = (0..<people).map { p in p < teamsCount ? p : r.int(0...(teamsCount - 1)) }
        let deptOfTeam = groupOfTeam.map { deptOfGroup[$0] }
        // Leads: person k (in team k, group k, department k where those exist) leads unit k
        // of each level, so every lead belongs to what they lead; p1 also leads the company.
        try put("strata.yaml", """
            organisation: Synthetic \(objectives)
            as_of: \(asOf)
            rules:
              okr-owner-load: { severity: warning, max: 5 }
              owner-idle: off
              checkin-stale: off
            limits:
              max_file_bytes: 67108864

            """)
        try put("plans/goals.yaml", "kind: goals\ngoals:\n" + (1...5).map { i in
            "  - id: G\(i)\n    title: \(title(&r, 5))\n    owner: p1\n    perspective: \(["financial", "customer", "internal-process", "learning-growth"][i % 4])\n    metric: { start: \(i * 10)%, target: \(i * 10 + 20)% }\n    due: 2027-06-30\n"
                + "    addresses: [\(["S", "W", "O", "T"].map { "\($0)\((i - 1) % 4 + 1)" }.joined(separator: ", "))]\n"
        }.joined())
        // Mission, vision and values; a SWOT whose items the goals address; a KPI per
        // department with monthly readings (their numbers from a stream of their own, so
        // the files above stay as they were before these were added).
        try put("plans/mission.md", """
            ---
            kind: mission
            ---
            # Synthetic \(objectives)

            ## Mission
            Move the world's freight without waste: fewer empty kilometres, fewer surprises.

            ## Vision
            By 2030 every shipment is planned, tracked and paid in one place.

            ## Values
            - **Customers first.** We measure ourselves by our customers' results.
            - **Own it.** Whoever sees a problem owns it until it has an owner.
            - **Plain numbers.** We share the real figures, early, even when they are bad.
            - **Better every week.** Small improvements, shipped often, beat big plans shipped late.

            """)
        var swot = "---\nkind: swot\n---\n# Synthetic \(objectives) — SWOT\n\n"
        for (heading, item) in [("Strengths", "Strength"), ("Weaknesses", "Weakness"), ("Opportunities", "Opportunity"), ("Threats", "Threat")] {
            swot += "## \(heading)\n" + (1...4).map { k in
                "- \(item) \(k): \(["pricing", "reach", "talent", "platform"][k - 1]) in the market. {#\(item.prefix(1))\(k)}\n"
            }.joined() + "\n"
        }
        try put("plans/swot.md", swot)
        var readings = Random(state: UInt64(objectives) ^ 0x6B70_6973)
        try put("plans/kpis.yaml", "kind: kpis\nkpis:\n" + (0..<departments).map { d in
            "  - id: kpi-d\(d)\n    title: Department \(d) on-time rate\n    owner: p\(d + 1)\n    target: 97%\n    alert: 94%\n    readings:\n"
                + (1...10).map { m in "      - { date: 2026-\(m < 10 ? "0" : "")\(m)-28, value: \(90 + readings.int(0...9)).\(readings.int(0...9))% }\n" }.joined()
        }.joined())
        // Org: the team tree in one file, the people in a file per department.
        var tree = "kind: org\nteams:\n  - id: company\n    name: Synthetic \(objectives)\n    lead: p1\n    teams:\n"
        for d in 0..<departments {
            tree += "      - id: d\(d)\n        name: Department \(d)\n        lead: p\(d + 1)\n        teams:\n"
            for g in 0..<groups where deptOfGroup[g] == d {
                tree += "          - id: grp\(g)\n            name: Group \(g)\n            lead: p\(g + 1)\n            teams:\n"
                for t in 0..<teamsCount where groupOfTeam[t] == g { tree += "              - { id: t\(t), name: Team \(t), lead: p\(t + 1) }\n" }
            }
        }
        try put("plans/org/teams.yaml", tree)
        for d in 0..<departments {
            var s = "kind: org\npeople:\n"
            for p in 0..<people where deptOfTeam[teamOfPerson[p]] == d { s += "  - { id: p\(p + 1), name: Person \(p + 1), team: t\(teamOfPerson[p]) }\n" }
            try put("plans/org/people-d\(d).yaml", s)
        }
        // KR text helpers.
        struct KR { var id: String; var start: Int; var target: Int; var unit: String }
        var checkinsByDept = [String](repeating: "", count: departments)
        func keyResults(_ objective: String, _ r: inout Random) -> [KR] {
            let n = r.int(3...5)
            return (1...n).map { i in
                let start = r.int(0...50), unit = ["%", " users", " ms", "", " d"][r.int(0...4)]
                return KR(id: "\(objective).kr\(i)", start: start, target: start + r.int(5...60), unit: unit)
            }
        }
        func yamlObjective(_ id: String, owner: String, team: String?, parent: String, _ r: inout Random, dept: Int, weekly: Bool) -> String {
            var s = "  - id: \(id)\n    title: \(title(&r, 4))\n    owner: \(owner)\n"
            if let team { s += "    team: \(team)\n" }
            s += "    parent: \(parent)\n    description: |\n      Why this matters: **\(title(&r, 3))** and [context](https://example.com/\(id)).\n    key_results:\n"
            for kr in keyResults(id, &r) {
                s += "      - id: \(kr.id)\n        title: \(title(&r, 3))\n        start: \(kr.start)\(kr.unit)\n        target: \(kr.target)\(kr.unit)\n"
                addCheckins(kr, dept: dept, weekly: weekly, &r)
            }
            return s
        }
        func addCheckins(_ kr: KR, dept: Int, weekly: Bool, _ r: inout Random) {
            // Weekly (or fortnightly for individuals) from 2026-10-02 up to the as-of date.
            let days = weekly ? [2, 9, 16, 23, 30, 37, 44] : [9, 23, 37]
            var value = kr.start
            for day in days {
                value += r.int(0...max(1, (kr.target - kr.start) / 5))
                let date = day <= 30 ? "2026-10-\(day < 10 ? "0" : "")\(day)" : "2026-11-\(day - 31 < 10 ? "0" : "")\(day - 31)"
                checkinsByDept[dept] += "  - { kr: \(kr.id), date: \(date), value: \(value)\(kr.unit), confidence: 0.\(r.int(3...9)) }\n"
            }
        }
        // OKRs: a folder per department, a file per department, group and team.
        for d in 0..<departments { try fm.createDirectory(at: root.appendingPathComponent("plans/okrs/d\(d)"), withIntermediateDirectories: true) }
        var company = "kind: okrs\nperiod: 2026-Q4\nowner: p1\nteam: company\nobjectives:\n"
        for c in 1...5 { company += yamlObjective("c\(c)", owner: "p1", team: nil, parent: "G\(c)", &r, dept: 0, weekly: true) }
        try put("plans/okrs/company.yaml", company)
        for d in 0..<departments {
            var s = "kind: okrs\nperiod: 2026-Q4\nteam: d\(d)\nobjectives:\n"
            for k in 1...2 { s += yamlObjective("d\(d)-\(k)", owner: "p\(d + 1)", team: nil, parent: "c\(r.int(1...5))", &r, dept: d, weekly: true) }
            try put("plans/okrs/d\(d)/d\(d).yaml", s)
        }
        for g in 0..<groups {
            let d = deptOfGroup[g]
            let s = "kind: okrs\nperiod: 2026-Q4\nteam: grp\(g)\nobjectives:\n"
                + yamlObjective("grp\(g)", owner: "p\(g + 1)", team: nil, parent: "d\(d)-\(r.int(1...2))", &r, dept: d, weekly: true)
            try put("plans/okrs/d\(d)/grp\(g).yaml", s)
        }
        var membersOfTeam = [[Int]](repeating: [], count: teamsCount)
        for p in 0..<people { membersOfTeam[teamOfPerson[p]].append(p) }
        for t in 0..<teamsCount {
            let d = deptOfTeam[t]
            let teamParent = "grp\(groupOfTeam[t])"
            if t % 5 == 0 {
                // Markdown form.
                var s = "---\nkind: okrs\nperiod: 2026-Q4\nteam: t\(t)\n---\n# Team \(t)\n\n"
                func md(_ id: String, owner: String, parent: String, weekly: Bool, _ r: inout Random) {
                    s += "## \(title(&r, 4)) {#\(id)}\nOwner: \(owner)\nParent: \(parent)\n\nWe focus on *\(title(&r, 2))* because it drives \(title(&r, 2).lowercased()).\n\n"
                    for kr in keyResults(id, &r) {
                        s += "- \(title(&r, 3)) from \(kr.start)\(kr.unit) to \(kr.target)\(kr.unit) {#\(kr.id)}\n"
                        addCheckins(kr, dept: d, weekly: weekly, &r)
                    }
                    s += "\n"
                }
                md("t\(t)", owner: "p\(t + 1)", parent: teamParent, weekly: true, &r)
                for p in membersOfTeam[t] { md("i\(p + 1)", owner: "p\(p + 1)", parent: "t\(t)", weekly: false, &r) }
                try put("plans/okrs/d\(d)/t\(t).md", s)
            } else {
                var s = "kind: okrs\nperiod: 2026-Q4\nteam: t\(t)\nobjectives:\n"
                s += yamlObjective("t\(t)", owner: "p\(t + 1)", team: nil, parent: teamParent, &r, dept: d, weekly: true)
                for p in membersOfTeam[t] { s += yamlObjective("i\(p + 1)", owner: "p\(p + 1)", team: nil, parent: "t\(t)", &r, dept: d, weekly: false) }
                try put("plans/okrs/d\(d)/t\(t).yaml", s)
            }
        }
        var initiatives = "kind: initiatives\ninitiatives:\n"
        for d in 0..<departments {
            initiatives += "  - { id: ini\(d), title: Initiative \(d), owner: p\(d + 1), status: active, start: 2026-10-01, due: 2026-12-15, budget: €\(r.int(10...500))k, supports: [d\(d)-1.kr1] }\n"
        }
        try put("plans/initiatives.yaml", initiatives)
        for d in 0..<departments { try put("plans/checkins/d\(d).yaml", "kind: checkins\ncheckins:\n" + checkinsByDept[d]) }
        return (files, bytes)
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
