import Foundation
import Testing
@testable import Strata

/// `TemplateObject` keeps its names in a sorted array and `JSONValue` can build arrays
/// lazily; both must behave exactly like the dictionary and eager forms they replace.
@Suite struct TemplateValueTests {
    @Test func objectSetsReplacesAndRemovesNames() {
        var o: TemplateObject = ["title": "A", "id": "x", "count": 3]
        o["zeta"] = true
        o["alpha"] = "first"
        o["title"] = "B"
        o["count"] = nil
        o["missing"] = nil
        #expect(o.value(named: "title") == .text("B"))
        #expect(o.value(named: "count") == nil)
        #expect(o.value(named: "alpha") == .text("first"))
        #expect(o.value(named: "zeta") == .bool(true))
        #expect(o.count == 4)
        #expect(o.merged == ["title": .text("B"), "id": .text("x"), "alpha": .text("first"), "zeta": .bool(true)])
        // The same names set in any order give equal objects.
        var p = TemplateObject()
        for (k, v) in o.merged.sorted(by: { $0.key > $1.key }) { p[k] = v }
        #expect(p == o)
    }

    @Test func objectFromADictionaryFindsEveryName() {
        var fields: [String: TemplateValue] = [:]
        for i in 0..<200 { fields["name\(i * 7919 % 1000)"] = .int(i) }
        let o = TemplateObject(fields)
        #expect(o.count == fields.count)
        for (k, v) in fields { #expect(o.value(named: k) == v) }
        #expect(o.value(named: "name1000") == nil)
        #expect(o.value(named: "") == nil)
    }

    /// Names are Strings: canonically equivalent spellings are one name, as they were
    /// as dictionary keys.
    /// Names set one by one in any order (each moved into its sorted place) are all found,
    /// with their values, after replacing and removing some; long names and texts are
    /// heap strings, so an entry moved wrongly would show as a wrong or missing value.
    @Test func namesSetInAnyOrderAreAllFound() {
        var generator = SplitMix(seed: 0x7E57)
        for round in 0..<50 {
            let names = (0..<(1 + generator.next(upTo: 60))).map { "name-\($0 * 7919 % 997)-\(String(repeating: "x", count: $0 % 3 * 20))" }
            var order = names
            for i in order.indices.reversed() { order.swapAt(i, generator.next(upTo: i + 1)) }
            var o = TemplateObject()
            var expected: [String: TemplateValue] = [:]
            for (i, name) in order.enumerated() {
                let value: TemplateValue = i % 2 == 0 ? .text("value of \(name) in round \(round)") : .int(i)
                o[name] = value
                expected[name] = value
                if i % 7 == 3 {
                    o[order[i / 2]] = nil
                    expected[order[i / 2]] = nil
                }
            }
            #expect(o.merged == expected)
            for (name, value) in expected { #expect(o.value(named: name) == value) }
        }
    }

    @Test func canonicallyEquivalentNamesAreOneName() {
        var o: TemplateObject = ["b": 1, "z": 2, "a": 3]
        o["caf\u{E9}"] = "precomposed"
        #expect(o.value(named: "cafe\u{301}") == .text("precomposed"))
        o["cafe\u{301}"] = "decomposed"
        #expect(o.count == 4)
        #expect(o.value(named: "caf\u{E9}") == .text("decomposed"))
    }

    @Test func extendingShowsTheBaseAndOwnNamesWin() {
        let base: TemplateObject = ["id": "o1", "title": "Base"]
        var page = TemplateObject(extending: base)
        #expect(!page.isEmpty)
        #expect(page.count == 2)
        page["title"] = "Own"
        page["depth"] = 2
        #expect(page.value(named: "title") == .text("Own"))
        #expect(page.value(named: "id") == .text("o1"))
        #expect(page.count == 3)
        #expect(base.value(named: "title") == .text("Base"))
        #expect(TemplateObject(extending: TemplateObject()).isEmpty)
    }

    @Test func lazyJSONArraysWriteTheSameBytesAsArrays() {
        let items = (0..<50).map { i in JSONValue.object(["id": .string("k\(i)"), "n": .int(i), "empty": .array([])]) }
        let eager = JSONValue.object(["items": .array(items), "none": .array([])])
        let lazy = JSONValue.object(["items": .lazy(items) { $0 }, "none": .lazy([JSONValue]()) { $0 }])
        #expect(lazy.prettyPrinted == eager.prettyPrinted)
    }

    /// Long lazy arrays written on several threads give the same bytes as written on one,
    /// across chunk and round boundaries, with nested lazy arrays and escaped text.
    @Test func parallelJSONWritesTheSameBytes() throws {
        for count in [0, 1, 1023, 1024, 1025, 2048, 5000] {
            let doc = JSONValue.object([
                "b": .lazy(Array(0..<count)) { i in
                    .object(["id": .string("k\(i)\"\\\n"), "n": .int(i), "x": .number(Double(i) / 4),
                             "nested": .lazy(Array(0..<(i % 3))) { .int($0) }])
                },
                "a": .string("first"), "c": .null,
            ])
            let one = doc.prettyPrinted
            func parallel(_ workers: Int) throws -> [UInt8] {
                var all: [UInt8] = []
                try doc.prettyPrinted(workers: workers, pieceSize: Int.max) { all += $0 }
                return all
            }
            #expect(try parallel(2) == one, "\(count) items, 2 workers")
            // A line per record (plan.json's layout): the same on any number of threads, one
            // line per item plus the document's own lines, and the same JSON as indented.
            let lines = doc.printed(indentedDepth: 2)
            for workers in [1, 2, 3] {
                var all: [UInt8] = []
                try doc.prettyPrinted(workers: workers, pieceSize: 4096, indentedDepth: 2) { all += $0 }
                #expect(all == lines, "\(count) items, \(workers) workers, a line per record")
            }
            #expect(lines.filter { $0 == 10 }.count == (count == 0 ? 6 : 5 + count))
            let parsedIndented = try JSONSerialization.jsonObject(with: Data(one)) as? NSDictionary
            let parsedLines = try JSONSerialization.jsonObject(with: Data(lines)) as? NSDictionary
            #expect(parsedIndented != nil && parsedIndented == parsedLines)
            #expect(try parallel(3) == one, "\(count) items, 3 workers")
            // Written in pieces: the same bytes joined, no piece empty, and none much past
            // its size unless a single item is larger.
            for (workers, size) in [(1, 1), (1, 300), (2, 1), (2, 4096), (3, 1 << 20)] {
                var pieces: [[UInt8]] = []
                try doc.prettyPrinted(workers: workers, trailingNewline: true, pieceSize: size) { pieces.append($0) }
                #expect(Array(pieces.joined()) == one + [10], "\(count) items, \(workers) workers, pieces of \(size)")
                #expect(!pieces.contains { $0.isEmpty })
                if workers == 1 && size == 300 && count >= 1024 { #expect(pieces.count > 100 && pieces.dropLast().allSatisfy { $0.count < 600 }) }
            }
        }
        // The first error of the receiver stops the writing and comes back.
        struct Full: Error {}
        var calls = 0
        let long = JSONValue.lazy(Array(0..<5000)) { .int($0) }
        #expect(throws: Full.self) {
            try long.prettyPrinted(workers: 2, pieceSize: 16) { _ in calls += 1; throw Full() }
        }
        #expect(calls == 1)
        // Names are sorted once when the object is made; a repeated name keeps its last value.
        let fields = JSONValue.object(["b": .int(1), "a": .int(2), "b": .int(3), "z": nil])
        #expect(String(decoding: fields.prettyPrinted, as: UTF8.self) == "{\n  \"a\" : 2,\n  \"b\" : 3\n}")
        // Compact below the indented depth: no spaces, escapes as in the indented form.
        let nested = JSONValue.object(["list": .array([.object(["b": .array([.int(1), .null]), "a": .string("x\"y\n")]), .array([])]), "n": .number(0.5)])
        #expect(String(decoding: nested.printed(indentedDepth: 2), as: UTF8.self) == "{\n  \"list\" : [\n    {\"a\":\"x\\\"y\\n\",\"b\":[1,null]},\n    []\n  ],\n  \"n\" : 0.5\n}")
        #expect(String(decoding: nested.printed(indentedDepth: 0), as: UTF8.self) == "{\"list\":[{\"a\":\"x\\\"y\\n\",\"b\":[1,null]},[]],\"n\":0.5}")
        #expect(nested.printed(indentedDepth: .max) == nested.prettyPrinted)
    }
}
