import Foundation
import Testing

/// Every generated Markdown file, parsed by cmark-gfm (the GitHub-flavoured reference
/// parser): tables keep their columns in every row and no plan text escapes its cell.
/// The hostile fixture's titles and names carry pipes, newlines, backticks, HTML,
/// `javascript:` links, @mentions and Mermaid syntax.
@Suite struct ReportMarkdownTests {
    static let statuses: Set<String> = ["not started", "on track", "behind", "at risk", "done", "missed"]

    /// The `.md` files of an output tree.
    static func markdownFiles(in output: URL) throws -> [URL] {
        try ReportTools.tree(output).map(\.path).filter { $0.hasSuffix(".md") }.map { output.appendingPathComponent($0) }
    }

    /// Checks every table of one file and returns how many there were.
    @discardableResult
    static func checkTables(_ file: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let document = try ReportTools.markdownTree(file)
        let name = file.lastPathComponent
        let tables = document.all("table")
        for table in tables {
            let header = try #require(table.children.first { $0.name == "table_header" }, "\(name): table without a header row")
            let headings = header.children.filter { $0.name == "table_cell" }.map { $0.plainText.trimmingCharacters(in: .whitespaces) }
            #expect(headings.count >= 2, "\(name): table with \(headings.count) column(s)", sourceLocation: sourceLocation)
            let rows = [header] + table.children.filter { $0.name == "table_row" }
            for row in rows {
                let cells = row.children.filter { $0.name == "table_cell" }
                let line = row.sourcePosition?.0 ?? 0
                // cmark-gfm pads a short row with cells that have no source (column 0) and
                // drops the surplus of a long one; so a row is intact when every cell comes
                // from the source and the last one ends right before the closing pipe.
                #expect(cells.count == headings.count, "\(name):\(line): \(cells.count) cells, header has \(headings.count)", sourceLocation: sourceLocation)
                let padded = cells.filter { ($0.sourcePosition?.1 ?? 0) == 0 }
                #expect(padded.isEmpty, "\(name):\(line): row has \(cells.count - padded.count) of \(headings.count) cells", sourceLocation: sourceLocation)
                if let rowEnd = row.sourcePosition?.3, let lastEnd = cells.last?.sourcePosition?.3 {
                    #expect(lastEnd + 1 == rowEnd, "\(name):\(line): text after the last cell (a cell split by a pipe?)", sourceLocation: sourceLocation)
                }
                guard row !== header else { continue }
                for (heading, cell) in zip(headings, cells) {
                    let kinds = Set(cell.descendants.map(\.name))
                    #expect(kinds.isDisjoint(with: ["html_inline", "link", "image"]), "\(name):\(line): \(heading) cell holds \(kinds.sorted())", sourceLocation: sourceLocation)
                    let text = cell.plainText.trimmingCharacters(in: .whitespaces)
                    switch heading {
                    case "Status":
                        #expect(text.isEmpty || statuses.contains(text), "\(name):\(line): status cell reads '\(text)'", sourceLocation: sourceLocation)
                    case "Progress", "Expected", "Average progress":
                        #expect(text.isEmpty || text.range(of: #"^\d+%$"#, options: .regularExpression) != nil, "\(name):\(line): \(heading) cell reads '\(text)'", sourceLocation: sourceLocation)
                    case "Key result", "Objective", "Goal":
                        // Plan text, then the id as the cell's one code span.
                        let codes = cell.all("code")
                        #expect(codes.count == 1, "\(name):\(line): \(heading) cell has \(codes.count) code spans", sourceLocation: sourceLocation)
                        if let id = codes.first?.text {
                            #expect(id.range(of: #"^[\p{L}\p{N}][\p{L}\p{N}._-]*$"#, options: .regularExpression) != nil, "\(name):\(line): '\(id)' is not an id", sourceLocation: sourceLocation)
                        }
                    default:
                        break
                    }
                }
            }
        }
        // Outside tables too, plan text must not become HTML or a link; the only links are
        // the report's own relative links to other reports.
        for node in document.descendants {
            #expect(node.name != "html_block" && node.name != "html_inline" && node.name != "image", "\(name): \(node.name) \(node.attributes["sourcepos"] ?? "")", sourceLocation: sourceLocation)
            if node.name == "link" {
                let destination = node.attributes["destination"] ?? ""
                #expect(destination.hasSuffix(".md") && !destination.contains(":"), "\(name): link to '\(destination)'", sourceLocation: sourceLocation)
            }
        }
        return tables.count
    }

    /// The Mermaid block of a quarterly report, line by line: only generated node names,
    /// quoted labels without syntax characters, edges between generated names, and styles.
    static func mermaidEdges(_ file: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let document = try ReportTools.markdownTree(file)
        let blocks = document.all("code_block").filter { $0.attributes["info"] == "mermaid" }
        #expect(blocks.count == 1, "\(file.lastPathComponent): \(blocks.count) mermaid blocks", sourceLocation: sourceLocation)
        guard let block = blocks.first else { return [] }
        let lines = block.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        #expect(lines.first == "flowchart TD", sourceLocation: sourceLocation)
        var edges: [String] = []
        for line in lines.dropFirst() {
            if line.range(of: #"^  n\d+ --> n\d+$"#, options: .regularExpression) != nil {
                edges.append(line.trimmingCharacters(in: .whitespaces))
            } else if let open = line.range(of: #"^  n\d+(\[|\()""#, options: .regularExpression) {
                let closer = line[open].hasSuffix("[\"") ? "\"]" : "\")"
                #expect(line.hasSuffix(closer), "label not closed: \(line)", sourceLocation: sourceLocation)
                let label = line[open.upperBound..<line.index(line.endIndex, offsetBy: -2)].replacingOccurrences(of: "<br/>", with: " ")
                let unsafe = label.unicodeScalars.filter { "\"[](){}<>|`\n".unicodeScalars.contains($0) }
                #expect(unsafe.isEmpty, "label has syntax characters \(String(String.UnicodeScalarView(unsafe))): \(line)", sourceLocation: sourceLocation)
            } else {
                #expect(line.range(of: #"^  (classDef [a-z]+ [a-z0-9:#,]+|class n\d+(,n\d+)* [a-z]+)$"#, options: .regularExpression) != nil,
                        "unexpected mermaid line: \(line)", sourceLocation: sourceLocation)
            }
        }
        return edges
    }

    @Test func demoTablesKeepTheirColumns() throws {
        let files = try Self.markdownFiles(in: try DemoBuild.output())
        #expect(files.count > 20)
        var tables = 0
        for file in files { tables += try Self.checkTables(file) }
        #expect(tables > 50)
    }

    @Test func demoMermaidIsWellFormed() throws {
        let edges = try Self.mermaidEdges(try DemoBuild.output().appendingPathComponent("reports/2026-q4.md"))
        #expect(edges.count > 20)
    }

    @Test func hostileTablesKeepTheirColumns() throws {
        let output = try HostileBuild.output()
        let files = try Self.markdownFiles(in: output)
        #expect(files.count >= 5)
        for file in files { try Self.checkTables(file) }

        // The hostile text is all there, as text, in the cell it belongs to.
        let report = try ReportTools.markdownTree(output.appendingPathComponent("reports/2026-q4/teams/ops_team.md"))
        let rows = report.all("table_row").map { $0.children.filter { $0.name == "table_cell" } }
        let arr = try #require(rows.first { $0.first?.all("code").first?.text == "o_1.kr_1" })
        #expect(arr[0].plainText.contains("Grow ARR | from $1M to $2M with `code` and [x](javascript:alert(1))"))
        #expect(arr[1].plainText.trimmingCharacters(in: .whitespaces) == #"Eve "]) --> X[ `name`"#)
        #expect(arr[2].plainText.trimmingCharacters(in: .whitespaces) == "$1M")
        let latency = try #require(rows.first { $0.first?.all("code").first?.text == "o_1.kr_2" })
        #expect(latency[0].plainText.contains("<img src=x onerror=alert(1)> ** __ ~~ |"))
        #expect(latency[1].plainText.trimmingCharacters(in: .whitespaces) == "Mal | <img src=x onerror=alert(1)> @mal")
        // One heading per objective: a newline in a title does not start a new block.
        let headings = report.all("heading").filter { $0.attributes["level"] == "2" }
        #expect(headings.count == 2)
        #expect(headings.map { $0.all("code").first?.text } == ["o_1", "o_2"])
        #expect(report.all("list").isEmpty && report.all("block_quote").isEmpty && report.all("code_block").isEmpty)
    }

    @Test func hostileMermaidHasNoInjectedEdges() throws {
        let edges = try Self.mermaidEdges(try HostileBuild.output().appendingPathComponent("reports/2026-q4.md"))
        // G_1 → o_1 and o_1 (through its key result) → o_2, nothing else.
        #expect(edges == ["n1 --> n2", "n2 --> n3"])
    }
}
