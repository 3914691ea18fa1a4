/// Where a node stands at the as-of date.
public enum Status: String, Sendable, CaseIterable, Codable {
    case notStarted = "not started"
    case onTrack = "on track"
    case behind
    case atRisk = "at risk"
    case done
    case missed

    /// Higher is worse; used by the "no better than its worst child" option.
    var concern: Int {
        switch self {
        case .done, .notStarted: return 0
        case .onTrack: return 1
        case .behind: return 2
        case .atRisk, .missed: return 3
        }
    }

    /// A stable slug for CSS classes and file names.
    public var slug: String {
        switch self {
        case .notStarted: return "not-started"
        case .onTrack: return "on-track"
        case .behind: return "behind"
        case .atRisk: return "at-risk"
        case .done: return "done"
        case .missed: return "missed"
        }
    }
}

/// A KPI's health from its latest reading.
public enum KPIHealth: String, Sendable, Codable {
    case healthy, watch, alert
    case noData = "no data"
}

import Foundation
