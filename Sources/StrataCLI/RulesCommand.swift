import ArgumentParser
import Strata

/// `strata rules`: list every rule.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List every rule with its id, default severity and summary.")

    func run() throws {
        let width = Rule.all.map(\.id.count).max() ?? 0
        for r in Rule.all {
            let pad = String(repeating: " ", count: width - r.id.count)
            print("\(r.id)\(pad)  \(r.defaultSeverity.rawValue.padding(7))  \(r.summary)\(r.configurable ? "" : " (always on)")")
        }
    }
}

extension String {
    func padding(_ n: Int) -> String { self + String(repeating: " ", count: max(0, n - count)) }
}
