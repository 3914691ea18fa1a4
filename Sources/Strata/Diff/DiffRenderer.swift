import Foundation

/// Renders a `PlanDiff` as Markdown for a pull-request comment (through the `diff.md`
/// template: a short summary first, details in collapsible sections) or as JSON.
public enum DiffRenderer {
    public static func json(_ d: PlanDiff) -> String {
        struct Out: Encodable {
            var format = "strata-diff"
            var format_version = 1
            var base, head, as_of: String
            var empty: Bool
            var changes: [PlanDiff.Change]
            var checkins: [PlanDiff.CheckinChange]
            var progress: [PlanDiff.ProgressChange]
            var diagnostics_introduced: [PlanDiff.DiagnosticEntry]
            var diagnostics_fixed: [PlanDiff.DiagnosticEntry]
            var locked_period_violations: Int
        }
        let out = Out(base: d.base, head: d.head, as_of: d.asOf, empty: d.isEmpty, changes: d.changes, checkins: d.checkins,
                      progress: d.progress, diagnostics_introduced: d.introduced, diagnostics_fixed: d.fixed,
                      locked_period_violations: d.lockViolations.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: (try? encoder.encode(out)) ?? Data(), as: UTF8.self) + "\n"
    }

    static func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    /// The values the `diff.md` template renders.
    public static func context(_ d: PlanDiff) -> TemplateObject {
        var parts: [String] = []
        for kind in [PlanDiff.ChangeKind.added, .removed, .renamed, .moved, .changed] {
            let n = d.changes.filter { $0.kind == kind }
            if !n.isEmpty { parts.append("\(n.count) \(kind.rawValue)") }
        }
        let added = d.checkins.filter { $0.kind == .added }.count
        let removed = d.checkins.count - added
        if added > 0 { parts.append(count(added, "check-in") + " added") }
        if removed > 0 { parts.append(count(removed, "check-in") + " removed") }
        if !d.progress.isEmpty { parts.append(count(d.progress.count, "roll-up") + " moved") }
        let introducedErrors = d.introduced.filter { $0.severity == "error" }.count
        var diagnosticsLine = "\(count(d.introduced.count, "diagnostic")) introduced (\(count(introducedErrors, "error"))), \(d.fixed.count) fixed"
        if d.introduced.isEmpty && d.fixed.isEmpty { diagnosticsLine = "no diagnostics introduced or fixed" }
        func changeDict(_ c: PlanDiff.Change) -> TemplateObject {
            var x: TemplateObject = ["kind": c.kind.rawValue, "node": c.node, "id": c.id, "title": c.title, "locked": c.locked]
            if let f = c.field { x["field"] = f }
            if let b = c.before { x["before"] = b }
            if let a = c.after { x["after"] = a }
            if let f = c.file, let l = c.line { x["location"] = "\(f):\(l)" }
            return x
        }
        let headline = d.progress.filter { $0.node != NodeKind.keyResult.label }.prefix(10)
        return [
            "base": d.base.replacingOccurrences(of: "`", with: "'"), "head": d.head.replacingOccurrences(of: "`", with: "'"),
            "as_of": d.asOf, "empty": d.isEmpty,
            "locked_phrase": d.lockViolations.count == 1 ? "1 change touches a locked period" : "\(d.lockViolations.count) changes touch a locked period",
            "changes_phrase": count(d.changes.count, "change"), "checkins_phrase": count(d.checkins.count, "check-in"),
            "progress_phrase": count(d.progress.count, "roll-up") + " moved", "diagnostics_phrase": count(d.introduced.count + d.fixed.count, "diagnostic"),
            "summary": parts.isEmpty ? "No structural changes, check-ins or roll-up movements." : parts.joined(separator: ", ") + ".",
            "diagnostics_line": diagnosticsLine,
            "has_locked": !d.lockViolations.isEmpty, "locked_count": d.lockViolations.count,
            "headline": headline.map(progressDict), "has_headline": !headline.isEmpty,
            "changes": d.changes.map(changeDict), "has_changes": !d.changes.isEmpty, "changes_count": d.changes.count,
            "checkins": d.checkins.map { c -> TemplateObject in
                ["kind": c.kind.rawValue, "subject": codeSpanSafe(c.subject), "title": c.title, "date": c.date, "value": c.value,
                 "before": c.progressBefore ?? "—", "after": c.progressAfter ?? "—", "locked": c.locked]
            },
            "has_checkins": !d.checkins.isEmpty, "checkins_count": d.checkins.count,
            "progress": d.progress.map(progressDict), "has_progress": !d.progress.isEmpty, "progress_count": d.progress.count,
            "introduced": d.introduced.map(diagnosticDict), "fixed": d.fixed.map(diagnosticDict),
            "has_diagnostics": !(d.introduced.isEmpty && d.fixed.isEmpty), "diagnostics_count": d.introduced.count + d.fixed.count,
        ]
    }

    /// Text safe inside a Markdown code span in a table cell.
    static func codeSpanSafe(_ s: String) -> String {
        String(s.unicodeScalars.map { "`|\n\r\\".unicodeScalars.contains($0) ? "?" : Character($0) }).prefix(128).description
    }

    static func progressDict(_ p: PlanDiff.ProgressChange) -> TemplateObject {
        ["node": p.node, "id": p.id, "title": p.title, "before": p.progressBefore ?? "—", "after": p.progressAfter ?? "—",
         "status_before": p.statusBefore ?? "—", "status_after": p.statusAfter ?? "—",
         "status_changed": p.statusBefore != p.statusAfter]
    }

    static func diagnosticDict(_ e: PlanDiff.DiagnosticEntry) -> TemplateObject {
        ["rule": e.rule, "severity": e.severity, "message": e.message, "location": "\(e.file):\(e.line)"]
    }
}
