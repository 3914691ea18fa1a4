/// "a" or "an" before a noun phrase ("an objective", "a key result", "a KPI").
func withArticle(_ noun: String) -> String {
    guard let first = noun.first else { return noun }
    let vowelSound = "aeiouAEIO".contains(first) && !noun.hasPrefix("one") && !noun.hasPrefix("use")
    return (vowelSound ? "an " : "a ") + noun
}

/// "Did you mean …?" suggestions by edit distance.
public enum Suggestion {
    /// The closest candidate within a small edit distance, preferring case-insensitive matches.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let lower = word.lowercased()
        if let exact = candidates.sorted().first(where: { $0.lowercased() == lower && $0 != word }) { return exact }
        let limit = max(1, min(3, word.count / 3))
        var best: (String, Int)?
        for c in candidates where abs(c.count - word.count) <= limit {
            let d = distance(lower, c.lowercased(), limit: limit)
            if d <= limit, best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
        }
        return best?.0
    }

    /// A help text such as "did you mean 'owner'?", or nil.
    public static func didYouMean(_ word: String, in candidates: [String]) -> String? {
        closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
    }

    /// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions),
    /// giving up early above `limit`.
    static func distance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = min(current[j], before[j - 2] + 1) }
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return limit + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
