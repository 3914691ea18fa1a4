import Foundation
import Testing

/// The Markdown of `strata diff` parsed by Debian's `cmark-gfm -e table` (GitHub's parser):
/// every table keeps its column count, whatever the plan titles contain (`|`, `\`, HTML,
/// backticks). Fails — never skips — when cmark-gfm is not installed.
@Suite struct DiffMarkdownTableTests {
    struct Table: CustomStringConvertible {
        var header: Int
        var delimiter: Int
        var rows: [Int]
        var description: String { "header \(header), delimiter \(delimiter), rows \(rows)" }
    }

    /// GFM splits a row at every `|` not directly preceded by a backslash (even inside code
    /// spans); the leading and trailing pipes delimit the row.
    static func cells(_ line: Substring) -> Int {
        var s = line.trimmingCharacters(in: .whitespaces)
        if s.hasPrefix("|") { s.removeFirst() }
        if s.hasSuffix("|") && !s.hasSuffix("\\|") { s.removeLast() }
        var count = 1
        var previous: Character = " "
        for c in s {
            if c == "|" && previous != "\\" { count += 1 }
            previous = c
        }
        return count
    }

    static func isDelimiterRow(_ line: Substring) -> Bool {
        line.range(of: #"^\|( *:?-+:? *\|)+ *$"#, options: .regularExpression) != nil
    }

    /// The tables of a Markdown text: a row line followed by a delimiter row, then rows.
    static func markdownTables(_ text: String) -> [Table] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var tables: [Table] = []
        var i = 0
        while i < lines.count {
            if lines[i].hasPrefix("|"), i + 1 < lines.count, isDelimiterRow(lines[i + 1]) {
                var t = Table(header: cells(lines[i]), delimiter: cells(lines[i + 1]), rows: [])
                i += 2
                while i < lines.count, lines[i].hasPrefix("|") { t.rows.append(cells(lines[i])); i += 1 }
                tables.append(t)
            } else {
                i += 1
            }
        }
        return tables
    }

    /// The tables of cmark-gfm's HTML: `<th>` count and `<td>` count of every body row.
    static func htmlTables(_ html: String) -> [Table] {
        html.components(separatedBy: "<table>").dropFirst().map { chunk in
            let table = chunk.components(separatedBy: "</table>")[0]
            let parts = table.components(separatedBy: "<tbody>")
            let head = parts[0]
            let body = parts.count > 1 ? parts[1] : ""
            // `<th>` / `<th align=…>`, not `<thead>`.
            func count(_ tag: String, _ s: String) -> Int { s.components(separatedBy: "<\(tag)>").count - 1 + s.components(separatedBy: "<\(tag) ").count - 1 }
            let th = count("th", head)
            let rows = body.components(separatedBy: "<tr>").dropFirst().map { count("td", $0) }
            return Table(header: th, delimiter: th, rows: rows)
        }
    }

    /// Asserts the Markdown's tables survive cmark-gfm with their column counts.
    static func assertTablesKeepTheirColumns(_ markdown: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        let html = try DiffSupport.cmarkGFM(markdown, sourceLocation: sourceLocation)
        let md = markdownTables(markdown), rendered = htmlTables(html)
        #expect(md.count == rendered.count, "\(name): \(md.count) tables in the Markdown, \(rendered.count) in cmark-gfm's HTML", sourceLocation: sourceLocation)
        for (k, (m, h)) in zip(md, rendered).enumerated() {
            #expect(m.header == m.delimiter, "\(name) table \(k): \(m)", sourceLocation: sourceLocation)
            #expect(m.rows.allSatisfy { $0 == m.header }, "\(name) table \(k): a row has a different number of cells: \(m)", sourceLocation: sourceLocation)
            #expect(h.header == m.header, "\(name) table \(k): cmark-gfm sees \(h.header) columns, the Markdown has \(m.header)", sourceLocation: sourceLocation)
            #expect(h.rows.count == m.rows.count, "\(name) table \(k): rows \(h.rows.count) vs \(m.rows.count)", sourceLocation: sourceLocation)
            #expect(h.rows.allSatisfy { $0 == h.header }, "\(name) table \(k): \(h)", sourceLocation: sourceLocation)
        }
        return html
    }

    static func htmlEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    @Test func cmarkGFMIsInstalled() throws {
        _ = try DiffSupport.requireTool("cmark-gfm", "Debian package cmark-gfm")
    }

    @Test func theTableCheckerNoticesABrokenRow() throws {
        let broken = "| A | B |\n| --- | --- |\n| one | two | three |\n| esc \\| aped | ok |\n"
        let tables = Self.markdownTables(broken)
        #expect(tables.count == 1)
        #expect(tables.first?.rows == [3, 2])
        let html = try DiffSupport.cmarkGFM(broken)
        #expect(Self.htmlTables(html).first?.rows == [2, 2], "cmark-gfm drops the excess cell: \(html)")
    }

    @Test func everyCommitsDiffKeepsItsTables() throws {
        let repo = try PlanHistory.shared()
        var all = ""
        for step in PlanStep.all {
            let r = try repo.strata("diff", PlanStep.previous(step.tag), step.tag)
            let html = try Self.assertTablesKeepTheirColumns(r.stdout, step.tag)
            #expect(!Self.markdownTables(r.stdout).isEmpty, "\(step.tag)")
            all += html
        }
        // Titles with `|` come through whole, in the headline, structure and roll-up tables.
        #expect(all.contains("<td>Grow revenue | margin from €2M to €3M (<code>G1</code>)</td>"))
        #expect(all.contains("<td>Win Sweden &amp; Norway | the &quot;north&quot; push (<code>sales-q4-1</code>)</td>"))
        #expect(all.contains("<td>Deliver every project faster | no excuses</td>"))
        let cumulative = try repo.strata("diff", "base", "HEAD")
        _ = try Self.assertTablesKeepTheirColumns(cumulative.stdout, "cumulative")
    }

    @Test func hostileTitlesKeepTheirCells() throws {
        let repo = try PlanHistory()
        defer { repo.remove() }
        let objective = #"Pipes | \| and \\| and `code | span` <b>x</b> & "q" ending \"#
        let keyResult = #"Grow *pipeline* | [link](http://x) @team ~~s~~ {#id} $5 \"#
        var q4 = try repo.read(PlanStep.q4)
        q4 = q4.replacingOccurrences(of: "    title: Win Sweden & Norway | the \"north\" push\n",
                                     with: "    title: '\(objective.replacingOccurrences(of: "'", with: "''"))'\n")
        q4 = q4.replacingOccurrences(of: "        title: Grow qualified pipeline from €1M to €3M\n",
                                     with: "        title: '\(keyResult)'\n")
        q4 = q4.replacingOccurrences(of: "    owner: ben\n", with: "    owner: \"b|en\"\n")
        try repo.write(q4, to: PlanStep.q4)
        try repo.write(try repo.read("plans/checkins.yaml") + "  - { kr: sales-q4-1.pipe, date: 2026-11-18, value: €2.9M }\n", to: "plans/checkins.yaml")
        let r = try repo.strata("diff", "HEAD")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("<details><summary>Check-ins"))
        #expect(r.stdout.contains("<details><summary>Diagnostics"), "the bad owner should introduce a diagnostic")
        let html = try Self.assertTablesKeepTheirColumns(r.stdout, "hostile titles")
        // Each title is one cell's text, exactly as written, with no markup made from it.
        #expect(html.contains("<td>" + Self.htmlEscaped(objective) + "</td>"), "\(html)")
        #expect(html.contains("<td>" + Self.htmlEscaped(keyResult) + " (<code>sales-q4-1.pipe</code>)</td>"), "\(html)")
        #expect(!html.contains("<a href") && !html.contains("<em>") && !html.contains("<del>") && !html.contains("<b>"))
        #expect(html.contains("b|en"))
    }
}
