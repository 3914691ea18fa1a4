import Foundation

/// The files `strata init` writes: a commented strata.yaml, a small example of every plan
/// kind set in the current quarter, the JSON Schemas with editor modelines, a pre-commit
/// hook and a GitHub Actions workflow. The example checks with no errors and no warnings:
/// `as_of` is pinned to `today`, and every date is derived from it, so the same `today`
/// gives the same files.
public struct PlanScaffold: Sendable {
    /// A file to create, relative to the repository root.
    public struct File: Sendable, Equatable {
        public var path: String
        public var contents: String
    }

    /// What happened to one file.
    public enum Outcome: Sendable, Equatable {
        case created
        /// Something exists at the path; it was left as it was.
        case kept
    }

    public var today: Day
    public var organisation: String

    public init(today: Day, organisation: String = "Example Organisation") {
        self.today = today
        self.organisation = organisation
    }

    /// The placeholder the workflow builds strata from, until the user sets their own.
    public static let defaultRepository = "https://github.com/example/strata.git"

    // MARK: - Dates

    var quarter: Int { (today.components.month - 1) / 3 + 1 }
    var year: Int { today.components.year }
    /// The current quarter, e.g. `2026-Q4`.
    public var period: String { "\(year)-Q\(quarter)" }
    var quarterStart: Day { Day(year: year, month: (quarter - 1) * 3 + 1, day: 1)! }
    var quarterEnd: Day { (quarter == 4 ? Day(year: year + 1, month: 1, day: 1)! : Day(year: year, month: quarter * 3 + 1, day: 1)!) + (-1) }
    var goalsDue: Day { Day(year: year + 1, month: 12, day: 31)! }
    /// The id suffix of this quarter's objectives (`co-q4-1`).
    var q: String { "q\(quarter)" }

    // MARK: - Files

    /// Every file, in the order they are reported.
    public var files: [File] {
        var files = [
            File(path: "strata.yaml", contents: Self.modeline("strata.yaml", schema: "strata") + strataYAML),
            File(path: "plans/mission.md", contents: missionMarkdown),
            File(path: "plans/swot.md", contents: swotMarkdown),
            File(path: "plans/goals.yaml", contents: Self.modeline("plans/goals.yaml") + goalsYAML),
            File(path: "plans/org.yaml", contents: Self.modeline("plans/org.yaml") + orgYAML),
            File(path: "plans/okrs/\(period.lowercased())/company.yaml", contents: Self.modeline("plans/okrs/x/company.yaml") + companyOKRs),
            File(path: "plans/okrs/\(period.lowercased())/product.md", contents: productOKRs),
            File(path: "plans/initiatives.yaml", contents: Self.modeline("plans/initiatives.yaml") + initiativesYAML),
            File(path: "plans/kpis.yaml", contents: Self.modeline("plans/kpis.yaml") + kpisYAML),
            File(path: "plans/checkins/\(period.lowercased()).yaml", contents: Self.modeline("plans/checkins/x.yaml") + checkinsYAML),
        ]
        files += JSONSchemaGenerator.files().map { File(path: "schemas/" + $0.fileName, contents: $0.text) }
        files.append(File(path: ".pre-commit-config.yaml", contents: preCommitConfig))
        files.append(File(path: ".github/workflows/strata.yml", contents: workflow))
        return files
    }

    /// Writes the files that do not exist under `root` yet; never replaces anything.
    public func write(into root: URL) throws -> [(path: String, outcome: Outcome)] {
        let fm = FileManager.default
        var results: [(String, Outcome)] = []
        for file in files {
            let url = root.appendingPathComponent(file.path)
            // A dangling symbolic link counts as existing: writing would follow it.
            if fm.fileExists(atPath: url.path) || (try? fm.destinationOfSymbolicLink(atPath: url.path)) != nil {
                results.append((file.path, .kept))
                continue
            }
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // `withoutOverwriting`: a file that appears meanwhile is still not replaced.
            try Data(file.contents.utf8).write(to: url, options: .withoutOverwriting)
            results.append((file.path, .created))
        }
        return results
    }

    /// The yaml-language-server comment that points an editor at the schema, relative to `path`.
    static func modeline(_ path: String, schema: String = "plan") -> String {
        let depth = path.split(separator: "/").count - 1
        return "# yaml-language-server: $schema=\(String(repeating: "../", count: depth))schemas/\(schema).schema.json\n"
    }

    /// The organisation's name as a YAML scalar.
    var organisationYAML: String {
        let plain = organisation.allSatisfy { $0.isLetter || $0.isNumber || " .,&'()-".contains($0) }
            && organisation.first.map { $0.isLetter || $0.isNumber } == true && organisation.last != " "
        if plain { return organisation }
        return "\"" + organisation.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    var organisationMarkdown: String {
        organisation.replacingOccurrences(of: "\n", with: " ")
    }

    var strataYAML: String {
        """
        # Strata configuration: the organisation, where the plans are, and how progress is judged.
        # `strata check` validates this file and every plan under plans/.
        organisation: \(organisationYAML)

        # The date reports are computed for. Pinned to the day this repository was set up, so
        # the examples check clean and reports do not change with the calendar. Delete the line
        # to report as of today, or override it with `strata build --as-of YYYY-MM-DD`.
        as_of: \(today)

        fiscal_year_start: 1          # month (1–12) the fiscal year starts; names FY periods
        plans: plans                  # plan files, YAML and Markdown, at any depth
        output: output                # where `strata build` writes the site and reports
        # templates: templates        # overrides of the report templates (optional)

        # Balanced-scorecard perspectives; each strategic goal names one.
        perspectives:
          - { id: financial, title: Financial }
          - { id: customer, title: Customer }
          - { id: internal-process, title: Internal process }
          - { id: learning-growth, title: Learning and growth }

        # Per rule id (see `strata rules`): off, note, warning or error, or a mapping.
        rules:
          okr-owner-load: { severity: warning, max: 3 }
          # checkin-stale: note

        rollup:
          objective_progress: both    # key_results | children | both
          cap: true                   # cap progress at 100% when rolling up
          worst_child: false          # a parent's status is no better than its worst child

        status:
          on_track: 0.95              # done ÷ expected at or above: on track
          behind: 0.75                # at or above: behind; below: at risk

        checkins:
          cadence_days: 7             # a key result without a check-in this long is stale

        """
    }

    var missionMarkdown: String {
        """
        ---
        kind: mission
        ---
        # \(organisationMarkdown)

        <!-- Mission, vision and values. The sections are "## Mission", "## Vision" and
             "## Values"; each value is a list item starting with its name in bold. -->

        ## Mission
        Help our customers plan with confidence.

        ## Vision
        By 2030, every team we work with knows how its work moves the company forward.

        ## Values
        - **Customers first.** We measure ourselves by our customers' results.
        - **Own it.** Whoever sees a problem owns it until it has an owner.

        """
    }

    var swotMarkdown: String {
        """
        ---
        kind: swot
        ---
        # SWOT analysis

        <!-- A bullet list under each of the four headings. Items are numbered S1, S2, W1, …
             by position; a trailing {#id} names one explicitly. Goals refer to the items in
             `addresses:`, and every weakness and threat should be addressed by some goal. -->

        ## Strengths
        - Customers recommend us to each other. {#S1}

        ## Weaknesses
        - Setting up a new customer takes three weeks. {#W1}

        ## Opportunities
        - Mid-sized companies are replacing their planning spreadsheets. {#O1}

        ## Threats
        - A well-funded competitor is entering our market. {#T1}

        """
    }

    var goalsYAML: String {
        """
        # Strategic goals: SMART — specific, measurable (metric), owned (owner) and
        # time-bound (due). Objectives hang under them with `parent:`.
        kind: goals
        goals:
          - id: G1
            title: Grow annual recurring revenue from $1.0M to $2.0M by the end of \(year + 1)
            description: Growth comes from customers who succeed with us and stay.
            owner: alex
            perspective: financial        # one of the perspectives in strata.yaml
            metric:
              start: $1.0M
              target: $2.0M
              current: $1.2M              # optional; else the objectives' progress counts
            due: \(goalsDue)
            addresses: [W1, O1]           # SWOT items

          - id: G2
            title: Raise customer satisfaction from an NPS of 30 to 50
            owner: sam
            perspective: customer
            metric: { start: 30, target: 50 }
            due: \(goalsDue)
            addresses: [S1, T1]

        """
    }

    var orgYAML: String {
        """
        # Teams (nested) and people. Owners, leads and `team:` fields refer to these ids.
        kind: org
        teams:
          - id: leadership
            name: Leadership team
            lead: alex
            teams:
              - { id: product, name: Product, lead: sam }
        people:
          - { id: alex, name: Alex Morgan, team: leadership, role: Chief executive }
          - { id: sam, name: Sam Patel, team: product, role: Head of product }
          - { id: kim, name: Kim Larsen, team: product, role: Product engineer }

        """
    }

    var companyOKRs: String {
        """
        # Company OKRs for \(period). The file-level period, team and owner apply to every
        # objective that does not set its own. Team objectives hang under these with `parent:`.
        kind: okrs
        period: \(period)
        team: leadership
        owner: alex
        objectives:
          - id: co-\(q)-1
            title: Customers succeed with us from the first week
            parent: G1                    # a goal, an objective or a key result
            committed: true               # committed (expected at 100%) or aspirational (default)
            key_results:                  # two to five
              - id: co-\(q)-1.arr
                title: Grow annual recurring revenue from $1.2M to $1.5M
                start: $1.2M              # start and target: an increase or a decrease
                target: $1.5M
                weight: 2                 # counts twice in the objective's progress
              - title: Keep monthly logo churn below 2%
                stay_below: 2%            # or stay_above: a threshold to hold
                owner: sam                # default: the objective's owner

          - id: co-\(q)-2
            title: Customers love working with us
            parent: G2
            key_results:
              - title: Raise NPS from 30 to 40
                start: 30
                target: 40
                checkins:                 # inline check-ins; or in a kind: checkins file
                  - { date: \(today), value: 33, confidence: 0.7 }
              - title: Launch the customer community
                done: false               # a milestone

        """
    }

    var productOKRs: String {
        """
        ---
        kind: okrs
        period: \(period)
        team: product
        owner: sam
        ---
        # Product OKRs, \(period)

        <!-- One "## Objective title {#id}" section per objective. "Key: value" lines right
             under the heading (Owner, Team, Period, Parent, Supports, Committed, Progress),
             then the description, then the key results as a list of plain-English sentences:
             "… from <start> to <target>", "Keep … above|below <value>", or a task "[ ] …".
             A trailing "(now <value>, weight <n>, owner <person>)" adds details. -->

        ## Make setup effortless {#prod-\(q)-1}
        Parent: co-\(q)-1
        Committed: yes

        New customers should reach their first plan review without our help.

        - Cut the median setup time from 20 days to 10 days (owner kim)
        - Keep the setup satisfaction score above 4.2/5
        - [ ] Ship the guided setup assistant

        """
    }

    var initiativesYAML: String {
        """
        # Projects that support key results. They are shown next to the key results and
        # never count in progress.
        kind: initiatives
        initiatives:
          - id: ini-guided-setup
            title: Guided setup assistant
            description: A step-by-step assistant that walks a new customer through setup.
            owner: kim
            team: product
            status: active                # proposed | active | paused | done | cancelled
            start: \(quarterStart)
            due: \(quarterEnd)
            budget: $40k
            supports: [prod-\(q)-1.kr1, prod-\(q)-1.kr3]   # key-result ids
            milestones:
              - { title: Design reviewed with five customers, due: \(quarterStart + 30), done: false }
              - { title: Available to every new customer, due: \(quarterEnd), done: false }

        """
    }

    var kpisYAML: String {
        """
        # Health metrics: healthy at or beyond the target, alerting beyond the alert value.
        # Higher is better when the target is above the alert (or set direction: higher|lower).
        kind: kpis
        kpis:
          - id: kpi-availability
            title: Service availability
            owner: kim
            team: product
            target: 99.9%
            alert: 99.5%
            readings:                     # dated values; or in a kind: checkins file with kpi:
              - { date: \(today + (-14)), value: 99.95% }
              - { date: \(today + (-7)), value: 99.93% }

        """
    }

    var checkinsYAML: String {
        """
        # Check-ins: dated readings of key results (kr) and KPIs (kpi). Each active key result
        # needs one every `checkins.cadence_days` (strata.yaml).
        kind: checkins
        checkins:
          - kr: co-\(q)-1.arr
            date: \(today)
            value: $1.3M                  # in the key result's unit
            confidence: 0.7               # how sure the owner is of reaching the target: 0–1 or 70%
            note: Two renewals came in early.
          - { kr: co-\(q)-1.kr2, date: \(today), value: 1.8% }
          - { kr: co-\(q)-2.kr2, date: \(today), value: not done }   # milestones: done or not done
          - { kr: prod-\(q)-1.kr1, date: \(today), value: 16 days, confidence: 60% }
          - { kr: prod-\(q)-1.kr2, date: \(today), value: 4.4/5 }
          - { kr: prod-\(q)-1.kr3, date: \(today), value: not done }
          - { kpi: kpi-availability, date: \(today), value: 99.92% }

        """
    }

    var preCommitConfig: String {
        """
        # pre-commit (https://pre-commit.com): runs `strata check` before each commit that
        # changes the plans. Install with `pre-commit install`; needs strata on PATH. Or use
        # the hook the strata repository defines, which builds strata itself:
        #   - repo: <the strata repository>
        #     rev: <a tag>
        #     hooks:
        #       - id: strata-check
        repos:
          - repo: local
            hooks:
              - id: strata-check
                name: strata check
                entry: strata check
                language: system
                pass_filenames: false
                files: ^(strata\\.ya?ml|plans/.*)$

        """
    }

    var workflow: String {
        #"""
        # Strata in CI. On pull requests: check the plans (problems show as annotations on the
        # changed lines) and comment what the change does to the plan. Every Monday, and on
        # demand: build the reports and keep them as an artifact of the run.
        name: strata

        on:
          pull_request:
          schedule:
            - cron: "0 6 * * 1"           # Mondays, 06:00 UTC
          workflow_dispatch:

        permissions:
          contents: read

        env:
          # strata is built from source: the repository to clone and the branch or tag to build.
          STRATA_REPOSITORY: \#(Self.defaultRepository)
          STRATA_REF: main

        jobs:
          check:
            name: Check the plans
            if: github.event_name == 'pull_request'
            runs-on: ubuntu-latest
            timeout-minutes: 30
            # A Swift toolchain image; set the repository variable STRATA_SWIFT_IMAGE to change it.
            container: ${{ vars.STRATA_SWIFT_IMAGE || 'swift:6.2-noble' }}
            permissions:
              contents: read
              pull-requests: write        # to comment the plan diff
            steps:
              - name: Install git, the GitHub CLI, libyaml and cmark
                run: |
                  apt-get update -qq
                  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                    ca-certificates git gh libyaml-dev libcmark-dev pkg-config
              - uses: actions/checkout@v4
                with:
                  fetch-depth: 0          # strata diff compares with the base branch
              - name: Build strata
                run: |
                  git config --global --add safe.directory "$GITHUB_WORKSPACE"
                  git clone --quiet --depth 1 --branch "$STRATA_REF" "$STRATA_REPOSITORY" /tmp/strata
                  swift build --package-path /tmp/strata -c release --product strata
                  install -m 0755 "$(swift build --package-path /tmp/strata -c release --show-bin-path)/strata" /usr/local/bin/strata
              - name: Check the plans
                run: strata check --format github
              - name: Comment the plan diff
                # Pull requests from forks get a read-only token and cannot comment.
                if: ${{ !cancelled() && github.event.pull_request.head.repo.full_name == github.repository }}
                env:
                  GH_TOKEN: ${{ github.token }}
                  GH_REPO: ${{ github.repository }}
                  BASE: ${{ github.base_ref }}
                  PR: ${{ github.event.pull_request.number }}
                run: |
                  # Comment even when the diff reports errors (a locked period changed); fail after.
                  status=0
                  strata diff "origin/$BASE" --format markdown > strata-diff.md || status=$?
                  gh pr comment "$PR" --edit-last --body-file strata-diff.md \
                    || gh pr comment "$PR" --body-file strata-diff.md
                  exit "$status"

          reports:
            name: Build the reports
            if: github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'
            runs-on: ubuntu-latest
            timeout-minutes: 30
            container: ${{ vars.STRATA_SWIFT_IMAGE || 'swift:6.2-noble' }}
            steps:
              - name: Install git, libyaml and cmark
                run: |
                  apt-get update -qq
                  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                    ca-certificates git libyaml-dev libcmark-dev pkg-config
              - uses: actions/checkout@v4
              - name: Build strata
                run: |
                  git clone --quiet --depth 1 --branch "$STRATA_REF" "$STRATA_REPOSITORY" /tmp/strata
                  swift build --package-path /tmp/strata -c release --product strata
                  install -m 0755 "$(swift build --package-path /tmp/strata -c release --show-bin-path)/strata" /usr/local/bin/strata
              - name: Build the reports
                # As of `as_of` in strata.yaml when it is set, else today.
                run: strata build
              - uses: actions/upload-artifact@v4
                with:
                  name: strata-reports
                  path: output/
                  if-no-files-found: error

        """#
    }
}
