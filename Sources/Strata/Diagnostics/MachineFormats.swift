import Foundation

/// GitHub Actions workflow commands, so diagnostics show inline on pull requests:
/// `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
enum GitHubAnnotations {
    static func render(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for d in diagnostics {
            let command: String
            switch d.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .note: command = "notice"
            }
            // Control characters (a YAML "\e" in a quoted value, a file name with ESC) are
            // shown as \u{…}, so nothing reaches the log that a terminal would act on.
            let shown = DiagnosticFormatter.visible
            var message = shown(d.message)
            for note in d.notes {
                message += "\n" + (note.range.map { "\(shown($0.file)):\($0.start.line):\($0.start.column): " } ?? "") + shown(note.message)
            }
            if let help = d.help { message += "\nhelp: " + shown(help) }
            let r = d.range
            let properties = [
                "file=" + escapeProperty(shown(r.file)), "line=\(r.start.line)", "col=\(r.start.column)",
                "endLine=\(max(r.start.line, r.end.line))", "endColumn=\(r.end.line == r.start.line ? max(r.start.column, r.end.column) : r.end.column)",
                "title=" + escapeProperty("strata \(d.rule)"),
            ]
            out += "::\(command) \(properties.joined(separator: ","))::\(escapeData(message))\n"
        }
        return out
    }

    /// Workflow-command data escaping: `%`, CR and LF.
    static func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Property escaping additionally covers `:` and `,`.
    static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

/// SARIF 2.1.0 for code scanning, with the full rule catalogue as rule metadata.
/// Columns are counted in Unicode code points, which the run declares (`columnKind`).
enum SARIFLog {
    struct Text: Encodable { var text: String }
    struct Configuration: Encodable { var level: String; var enabled: Bool = true }
    struct RuleDescriptor: Encodable {
        var id: String
        var name: String
        var shortDescription: Text
        var fullDescription: Text
        var help: Text
        var defaultConfiguration: Configuration
    }
    struct Driver: Encodable {
        var name = "strata"
        var informationUri = "https://github.com/strata-plans/strata"
        var semanticVersion = StrataVersion.current
        var rules: [RuleDescriptor]
    }
    struct Tool: Encodable { var driver: Driver }
    struct ArtifactLocation: Encodable { var uri: String; var uriBaseId = "%SRCROOT%" }
    struct Region: Encodable { var startLine: Int; var startColumn: Int; var endLine: Int; var endColumn: Int }
    struct PhysicalLocation: Encodable { var artifactLocation: ArtifactLocation; var region: Region }
    struct Location: Encodable { var id: Int?; var physicalLocation: PhysicalLocation; var message: Text? }
    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Text
        var locations: [Location]
        var relatedLocations: [Location]?
    }
    struct Run: Encodable {
        var tool: Tool
        var columnKind = "unicodeCodePoints"
        var results: [Result]
    }
    struct Log: Encodable {
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }

    static func level(_ s: Severity) -> String {
        switch s {
        case .error: return "error"
        case .warning: return "warning"
        case .note: return "note"
        }
    }

    static func location(_ r: SourceRange, id: Int? = nil, message: String? = nil) -> Location {
        let endColumn = r.end.line == r.start.line ? max(r.start.column + 1, r.end.column) : r.end.column
        return Location(id: id, physicalLocation: PhysicalLocation(
            artifactLocation: ArtifactLocation(uri: r.file.split(separator: "/").map { String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0) }.joined(separator: "/")),
            region: Region(startLine: max(1, r.start.line), startColumn: max(1, r.start.column), endLine: max(1, r.start.line, r.end.line), endColumn: max(1, endColumn))),
            message: message.map { Text(text: $0) })
    }

    static func render(_ diagnostics: [Diagnostic]) -> String {
        let rules = Rule.all
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let descriptors = rules.map { r in
            RuleDescriptor(id: r.id, name: r.id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(),
                           shortDescription: Text(text: r.summary), fullDescription: Text(text: r.summary),
                           help: Text(text: r.summary + (r.configurable ? " Change its severity under `rules:` in strata.yaml." : " This rule cannot be switched off.") + " See docs/rules.md#\(r.id)."),
                           defaultConfiguration: Configuration(level: level(r.defaultSeverity)))
        }
        let results = diagnostics.map { d -> Result in
            var message = d.message
            if let help = d.help { message += " (\(help))" }
            let related = d.notes.enumerated().compactMap { i, n in n.range.map { location($0, id: i + 1, message: n.message) } }
            return Result(ruleId: d.rule, ruleIndex: index[d.rule] ?? -1, level: level(d.severity), message: Text(text: message),
                          locations: [location(d.range)], relatedLocations: related.isEmpty ? nil : related)
        }
        let log = Log(runs: [Run(tool: Tool(driver: Driver(rules: descriptors)), results: results)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(log)) ?? Data(), as: UTF8.self) + "\n"
    }
}

/// The version strata reports in SARIF and `--version`.
public enum StrataVersion {
    public static let current = "0.1.0"
}
