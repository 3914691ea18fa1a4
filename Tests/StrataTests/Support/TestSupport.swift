import Foundation
import Testing
@testable import Strata

/// Paths and helpers shared by the test files.
enum TestPaths {
    /// `Tests/StrataTests`.
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = testsFolder.appendingPathComponent("Fixtures")
    static let snapshots = testsFolder.appendingPathComponent("Snapshots")
    /// The package root (the folder with Package.swift, strata.yaml and plans/).
    static let packageRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
}

/// The fixed as-of date of every golden test, so results never depend on today.
let fixedAsOf = Day(year: 2026, month: 11, day: 20)!

/// True when goldens and snapshots should be re-recorded instead of compared.
var isRecording: Bool { ProcessInfo.processInfo.environment["STRATA_RECORD"] == "1" }

/// Compares `actual` with the text stored at `url`, or stores it when recording.
/// On a mismatch the issue shows a line diff (`-` expected, `+` actual).
func assertGolden(_ actual: String, at url: URL, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let fm = FileManager.default
    if isRecording {
        try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(actual.utf8).write(to: url, options: .atomic)
        return
    }
    guard let data = fm.contents(atPath: url.path) else {
        Issue.record("no golden file at \(url.path); run with STRATA_RECORD=1 to record it", sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if expected != actual {
        Issue.record("""
            output differs from \(url.lastPathComponent) (re-record with STRATA_RECORD=1):
            \(lineDiff(expected: expected, actual: actual))
            """, sourceLocation: sourceLocation)
    }
}

/// A minimal line diff (longest common subsequence) for readable golden failures.
func lineDiff(expected: String, actual: String) -> String {
    let a = expected.components(separatedBy: "\n"), b = actual.components(separatedBy: "\n")
    var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in stride(from: a.count - 1, through: 0, by: -1) {
        for j in stride(from: b.count - 1, through: 0, by: -1) {
            lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
        }
    }
    var out: [String] = []
    var i = 0, j = 0
    while i < a.count || j < b.count {
        if i < a.count, j < b.count, a[i] == b[j] { out.append("  " + a[i]); i += 1; j += 1 }
        else if j < b.count, i == a.count || lcs[i][j + 1] >= lcs[i + 1][j] { out.append("+ " + b[j]); j += 1 }
        else { out.append("- " + a[i]); i += 1 }
    }
    return out.joined(separator: "\n")
}

/// Parses YAML text as one file and returns its documents and diagnostics.
func parseYAML(_ text: String, path: String = "test.yaml", limits: InputLimits = InputLimits()) -> (docs: [YAMLDocument], diagnostics: [Diagnostic], file: SourceFile) {
    let file = SourceFile(path: path, text: text)
    let collector = DiagnosticCollector()
    let docs = LibYAMLParser(limits: limits).parse(file, into: collector)
    return (docs, collector.sorted, file)
}

/// Parses a Markdown plan file.
func parseMarkdown(_ text: String, path: String = "test.md", limits: InputLimits = InputLimits()) -> (file: MarkdownFile?, diagnostics: [Diagnostic], source: SourceFile) {
    let source = SourceFile(path: path, text: text)
    let collector = DiagnosticCollector()
    let md = MarkdownFileParser(limits: limits).parse(source, into: collector)
    return (md, collector.sorted, source)
}

/// Diagnostics in the one-line format, for compact assertions.
func oneLine(_ diagnostics: [Diagnostic], _ files: SourceFile...) -> String {
    DiagnosticFormatter(format: .oneline, sources: { path in files.first { $0.path == path } }).render(diagnostics)
}

/// `line:column` of a range's start, e.g. "3:7".
func position(_ r: SourceRange) -> String { "\(r.start.line):\(r.start.column)" }

/// `line:column-line:column` of a range.
func span(_ r: SourceRange) -> String { "\(r.start.line):\(r.start.column)-\(r.end.line):\(r.end.column)" }

extension YAMLNode {
    /// The value of a key path through mappings and sequences ("goals.0.id").
    func at(_ path: String) -> YAMLNode? {
        var node: YAMLNode? = self
        for part in path.split(separator: ".") {
            guard let current = node else { return nil }
            if let index = Int(part), case .sequence(let items) = current.value {
                node = items.dropFirst(index).first
            } else {
                node = current[String(part)]
            }
        }
        return node
    }

    /// The key node of `key` in a mapping.
    func keyNode(_ key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = value else { return nil }
        return pairs.first { $0.key.scalar == key }?.key
    }
}

/// A fresh temporary folder, removed by the caller with `removeTemporary`.
func makeTemporaryFolder(_ name: String = "strata-tests") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
}

/// Compiles a plan repository made of `files` (path → text; `raw`: path → bytes), written
/// to a temporary folder that is removed afterwards. Without a `strata.yaml` in `files`,
/// one naming the organisation only is written.
func compilePlan(_ files: [String: String], raw: [String: [UInt8]] = [:], asOf: Day = fixedAsOf) throws -> Compilation {
    let root = try makeTemporaryFolder("strata-plan")
    defer { try? FileManager.default.removeItem(at: root) }
    var all = files
    if all["strata.yaml"] == nil { all["strata.yaml"] = "organisation: Test\n" }
    for (path, text) in all { try write(text, to: root.appendingPathComponent(path)) }
    for (path, bytes) in raw {
        try FileManager.default.createDirectory(at: root.appendingPathComponent(path).deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: root.appendingPathComponent(path))
    }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("plans"), withIntermediateDirectories: true)
    return try Pipeline.compile(root: root, asOf: asOf)
}
