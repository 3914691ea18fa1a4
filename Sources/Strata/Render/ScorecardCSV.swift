/// CSV scorecards (RFC 4180), one row per key result, for spreadsheets. Cells that a
/// spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR) are prefixed with `'`.
public enum ScorecardCSV {
    static let header = ["period", "team", "objective_id", "objective", "objective_owner", "commitment", "objective_progress",
                         "objective_status", "key_result_id", "key_result", "key_result_owner", "start", "current", "target",
                         "progress", "expected", "status", "grade", "confidence"]

    /// The scorecard's bytes, handed to `piece` about a megabyte at a time as the rows are
    /// made (14 MB at 20,000 objectives).
    public static func write(_ model: SiteModel, period: Period, pieceSize: Int = 1 << 20, into piece: ([UInt8]) throws -> Void) throws {
        try PieceSink.writing(pieceSize: pieceSize, into: piece) { sink, out in
            rows(model, period: period) { row in
                for (i, raw) in row.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    out += cell(raw).utf8
                }
                out += "\r\n".utf8
                sink.flush(&out)
            }
        }
    }

    /// The header, then one row per key result of the period.
    static func rows(_ model: SiteModel, period: Period, _ append: ([String]) -> Void) {
        append(header)
        let g = model.graph, r = model.rollUp
        for o in g.plan.objectives where o.period?.value == period {
            let op = r[o.id.value]
            for krID in o.keyResults {
                guard let kr = g.keyResult(krID), kr.objective == o.id.value else { continue }
                let p = r[krID]
                let start = kr.measure.startText ?? "", target = kr.measure.targetText(ascii: true) ?? ""
                append([
                    period.name, o.team?.value ?? "", o.id.value, o.title.value, o.owner?.value ?? "", o.committed ? "committed" : "aspirational",
                    op.map { Percent.text($0.raw) } ?? "", op?.status.rawValue ?? "", krID, kr.title.value, kr.owner?.value ?? "",
                    start, p?.current ?? "", target, p.map { Percent.text($0.raw) } ?? "", p?.expected.map { Percent.text($0) } ?? "",
                    p?.status.rawValue ?? "", p?.grade.map { Quantity.format($0) } ?? "", p?.confidence.map { Percent.text($0) } ?? "",
                ])
            }
        }
    }

    static func cell(_ raw: String) -> String {
        // Most cells are printable ASCII that starts no formula and needs no quotes: as is.
        if let first = raw.utf8.first, first != UInt8(ascii: "="), first != UInt8(ascii: "+"), first != UInt8(ascii: "-"), first != UInt8(ascii: "@"),
           !raw.containsUTF8Byte(where: { $0 < 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") }) {
            return raw
        }
        var s = CleanText.clean(raw)
        if let f = s.first, "=+-@\t\r".contains(f), !(f == "-" && s.dropFirst().allSatisfy { $0.isNumber || $0 == "." || $0 == "%" }) {
            s = "'" + s
        }
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}

import Foundation
