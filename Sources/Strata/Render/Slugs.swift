/// Turns ids into safe, unique file names: lower-case ASCII letters, digits, `-` and `_`
/// only (so `../x`, `/abs`, `a/b`, `.` and `..` cannot leave the output folder), at most 64
/// characters, and unique even when ids differ only by case or Unicode normalisation
/// (later ids, in sorted order, get a numeric suffix).
public struct SlugTable: Sendable {
    private var byID: [String: String] = [:]

    public init(ids: [String]) {
        var used: Set<String> = []
        for id in ids.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where byID[id] == nil {
            let base = SlugTable.slug(id)
            var candidate = base
            var n = 2
            while used.contains(candidate) {
                candidate = base + "-" + String(n)
                n += 1
            }
            used.insert(candidate)
            byID[id] = candidate
        }
    }

    public subscript(id: String) -> String { byID[id] ?? SlugTable.slug(id) }

    static func slug(_ id: String) -> String {
        var out = ""
        for u in id.unicodeScalars {
            switch u {
            case "a"..."z", "0"..."9", "-", "_": out.unicodeScalars.append(u)
            case "A"..."Z": out.unicodeScalars.append(Unicode.Scalar(u.value + 32)!)
            case ".", " ", "/", "\\": out += "-"
            default:
                // Fold accented Latin letters to their base letter where possible, else hex.
                let folded = String(u).applyingTransformIfPossible()
                if let f = folded { out += f } else { out += "x" + String(u.value, radix: 16) }
            }
            if out.utf8.count >= 64 { break }
        }
        while out.hasPrefix("-") { out.removeFirst() }
        if out.isEmpty { out = "item" }
        return out
    }
}

extension String {
    /// The ASCII letter a Latin letter with diacritics is based on (é → e), if any.
    func applyingTransformIfPossible() -> String? {
        let decomposed = self.decomposedStringWithCanonicalMapping.unicodeScalars
        guard let first = decomposed.first, first.isASCII, first.properties.isAlphabetic else { return nil }
        return String(first).lowercased()
    }
}

import Foundation
