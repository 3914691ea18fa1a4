import Foundation
import Mustache
import Testing
@testable import Strata

/// Strata renders templates with its own compiled Mustache engine (Render/Mustache). These
/// tests hold it to swift-mustache, the engine user templates were written for: the same
/// templates and values must give the same bytes, for the demo site, the hostile fixture,
/// hand-written edge cases and thousands of generated templates.
@Suite struct MustacheEngineTests {
    /// swift-mustache with Strata's Markdown escaping registered as a content type.
    struct Reference {
        var library = Mustache.MustacheLibrary()

        struct MarkdownContentType: MustacheContentType {
            func escapeText(_ text: String) -> String { MarkdownText.escape(text) }
        }
        static let register: Void = { MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN") }()

        init(_ templates: [String: String]) throws {
            _ = Self.register
            for (name, text) in templates { library.register(try Mustache.MustacheTemplate(string: text), named: name) }
        }

        func render(_ name: String, _ value: TemplateValue) -> String? {
            library.render(value.plain, withTemplate: name)
        }
    }

    func ours(_ templates: [String: String]) throws -> Strata.MustacheLibrary {
        var library = Strata.MustacheLibrary()
        for (name, text) in templates { library.register(try Strata.MustacheTemplate(text), named: name) }
        return library
    }

    /// Every page of a plan's site, rendered by both engines.
    func compareSite(_ root: URL) throws -> Int {
        let c = try Pipeline.compile(root: root, asOf: Day(year: 2026, month: 11, day: 20))
        let rollUp = RollUp(graph: c.graph, config: c.config, asOf: c.asOf)
        let diagnostics = DiagnosticCollector()
        let renderer = SiteRenderer(rollUp: rollUp, templates: TemplateSet(overrides: nil, displayFolder: "templates", into: diagnostics))
        let reference = try Reference(DefaultTemplates.all)
        let (css, csp) = renderer.styleAndPolicy()
        var pages = 0
        for page in renderer.pages() {
            let (path, template) = (page.path, page.template)
            var context = page.values(renderer.model)
            context["css"] = css
            context["csp"] = csp
            let mine = renderer.templates.render(template, context)
            let theirs = reference.render(template, .object(context))
            #expect(mine != nil)
            if mine != theirs {
                Issue.record("\(path): the engines differ at byte \(firstDifference(mine ?? "", theirs ?? ""))")
            }
            pages += 1
        }
        return pages
    }

    func firstDifference(_ a: String, _ b: String) -> String {
        let x = Array(a.utf8), y = Array(b.utf8)
        let i = zip(x, y).prefix { $0 == $1 }.count
        func around(_ z: [UInt8]) -> String { String(decoding: z[max(0, i - 40)..<min(z.count, i + 40)], as: UTF8.self).debugDescription }
        return "\(i): ours \(around(x)) vs swift-mustache \(around(y))"
    }

    @Test func demoSiteIsByteIdentical() throws {
        let pages = try compareSite(TestPaths.packageRoot)
        #expect(pages > 150)
    }

    @Test func hostileSiteIsByteIdentical() throws {
        let pages = try compareSite(TestPaths.fixtures.appendingPathComponent("reports").appendingPathComponent("hostile"))
        #expect(pages > 5)
    }

    static let context: TemplateValue = [
        "name": "Ana <b>&'\"", "n": 3, "zero": 0, "yes": true, "no": false, "empty": "",
        "list": ["a", "b", "c"], "none": [], "words": ["pear", "apple", "fig"],
        "people": .list([["name": "Ana", "age": 3], ["name": "Bo"], ["name": "Cy", "team": ["name": "Ops"]]]),
        "obj": ["name": "inner", "deep": ["x": "y"]], "md": "a|b *c* _d_ [e](f) @g\nh",
        "team": ["name": "Outer team"],
    ]

    static let edgeCases: [String] = [
        "plain", "{{name}} {{{name}}} {{& name}}", "{{n}} {{zero}} {{yes}} {{no}} [{{missing}}]",
        "{{#list}}[{{.}}]{{/list}}", "{{#none}}x{{/none}}{{^none}}empty{{/none}}",
        "{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}notN{{/no}}{{#zero}}Z{{.}}{{/zero}}{{#empty}}E{{/empty}}",
        "{{#people}}{{name}}{{#team}}/{{name}}{{/team}}{{^last()}}, {{/last()}}{{/people}}",
        "{{#people}}{{.name}}:{{.team.name}}:{{team.name}};{{/people}}",
        "{{#people}}{{index()}}{{#first()}}F{{/first()}}{{#even()}}e{{/even()}}{{#odd()}}o{{/odd()}}{{/people}}",
        "{{count(list)}} {{count(none)}} {{#empty(none)}}E{{/empty(none)}} {{^empty(list)}}NE{{/empty(list)}}",
        "{{#reversed(list)}}{{.}}{{/reversed(list)}} {{first(list)}} {{last(list)}}",
        "{{uppercased(name)}} {{lowercased(name)}} {{capitalized(md)}} {{reversed(name)}}",
        "{{plusone(n)}} {{minusone(n)}} {{#equalzero(zero)}}z{{/equalzero(zero)}} {{#even(n)}}e{{/even(n)}}{{#odd(n)}}o{{/odd(n)}}",
        "{{count(obj)}} {{#empty(obj)}}e{{/empty(obj)}}",
        "{{obj.name}} {{obj.deep.x}} {{#obj}}{{name}}-{{deep.x}}-{{.name}}{{/obj}} {{obj.missing.x}}",
        "{{#obj}}{{n}}{{.n}}{{/obj}}",
        "a\n  {{#yes}}\n  b\n  {{/yes}}\nc\n", "a\r\n{{#yes}}\r\nb\r\n{{/yes}}\r\nc",
        "  {{! comment }}\nx {{! inline }} y\n", "{{=<% %>=}}<% name %> {{name}}\n<%={{ }}=%>{{name}}",
        "  {{=<% %>=}}\n<%name%>\n", "{{% CONTENT_TYPE: MARKDOWN }}\n{{md}} {{{md}}}\n", "{{% CONTENT_TYPE: TEXT }}{{name}}",
        "{{%CONTENT_TYPE:MARKDOWN}}{{#obj}}{{md}}{{/obj}}", "x{{> part}}y", "  {{> part}}\nafter", "\t{{> part}}\n{{> part}}",
        "{{#people}}\n  {{> part}}\n{{/people}}", "{{> missing}}|", "{{> md}}{{md}}",
        "{{#list}}\n{{.}}\n{{/list}}\n", " {{#list}} {{.}} {{/list}} ", "{{#yes}}\n{{/yes}}", "{{^missing}}\n  x\n{{/missing}}\n",
        "{{ name }} {{# yes }}y{{/ yes }}", "{{#people}}{{#team}}{{name}}{{/team}}{{/people}}", "{{#list}}{{#list}}{{.}}{{/list}};{{/list}}",
        "trailing  {{#yes}}  ", "{{#yes}}a{{/yes}}  \n  {{#yes}}\nb\n{{/yes}}  ", "é{{name}}ü\n  ünï {{#yes}}\nç\n{{/yes}}",
    ]

    static let partials: [String: String] = [
        "part": "P({{name}})\nline2 {{n}}\n", "md": "{{% CONTENT_TYPE: MARKDOWN }}{{md}}\n",
        "plist": "{{#people}}- {{name}}\n  {{> part}}{{/people}}\n",
    ]

    @Test(arguments: Array(edgeCases.enumerated()))
    func edgeCase(_ item: (offset: Int, element: String)) throws {
        #expect(compare(item.element) != .differ, "case \(item.offset): \(item.element.debugDescription)")
    }

    enum Agreement { case same, bothRefuse, differ }

    /// Renders `template` (with the shared partials) with both engines.
    func compare(_ template: String) -> Agreement {
        var templates = Self.partials
        templates["t"] = template
        let reference = try? Reference(templates)
        let mine = try? ours(templates)
        guard let reference, let mine else {
            // swift-mustache refuses a template that ends in a single `{` (it reads past the
            // end looking for `{{`); Strata takes the `{` as text.
            if reference == nil, mine != nil, template.hasSuffix("{"), !template.hasSuffix("{{") { return .bothRefuse }
            return reference == nil && mine == nil ? .bothRefuse : .differ
        }
        let whole = mine.render("t", Self.context)
        // Rendered in pieces (cut after every list item outside indented partials), the
        // bytes must be the same.
        for size in [1, 7] {
            var pieces: [UInt8] = []
            guard (try? mine.render("t", Self.context, pieceSize: size) { pieces += $0 }) == true, pieces == whole else { return .differ }
        }
        let a = whole.map { String(decoding: $0, as: UTF8.self) }
        return a == reference.render("t", Self.context) ? .same : .differ
    }

    /// Lists and objects have no text form here; swift-mustache prints Swift's description
    /// of them (in hash order). `sorted` works on lists of text (in swift-mustache only when
    /// the Swift array was typed `[String]`).
    @Test func deliberateDifferences() throws {
        let library = try ours(["t": "[{{list}}][{{obj}}][{{.}}]{{#sorted(words)}}{{.}},{{/sorted(words)}}"])
        #expect(library.render("t", Self.context).map { String(decoding: $0, as: UTF8.self) } == "[][][]apple,fig,pear,")
    }

    /// Generated templates: random text, blanks, line breaks and tags over the same values.
    /// Both engines must render the same bytes, or both must refuse the template.
    @Test func generatedTemplatesAgree() throws {
        var rng = SplitMix(seed: 20261127)
        let names = ["name", "n", "zero", "yes", "no", "empty", "list", "none", "people", "obj", ".", ".name", "obj.name", "missing", "team.name", "md"]
        // Lists and objects have no text form (swift-mustache prints Swift's description of
        // them, in hash order), so variables only name scalars.
        let scalars = ["name", "n", "zero", "yes", "no", "empty", ".name", "obj.name", "missing", "team.name", "md"]
        let transforms = ["count", "empty", "first", "last", "reversed", "uppercased"]
        var compared = 0, refused = 0
        for _ in 0..<3000 {
            var t = ""
            var open: [String] = []
            for _ in 0..<rng.next(upTo: 14) {
                switch rng.next(upTo: 12) {
                case 0: t += ["a", "bc", "é", " x ", "{", "}"][rng.next(upTo: 6)]
                case 1: t += ["\n", "\r\n", "  ", "\t"][rng.next(upTo: 4)]
                case 2, 3: t += "{{\(scalars[rng.next(upTo: scalars.count)])}}"
                case 4: t += "{{{\(scalars[rng.next(upTo: scalars.count)])}}}"
                case 5, 6:
                    let n = rng.next(upTo: 4) == 0 ? "\(transforms[rng.next(upTo: transforms.count)])(\(names[rng.next(upTo: names.count)]))" : names[rng.next(upTo: names.count)]
                    t += "{{\(rng.next(upTo: 2) == 0 ? "#" : "^")\(n)}}"
                    open.append(n)
                case 7: if let n = open.popLast() { t += "{{/\(n)}}" }
                case 8: t += ["{{! c }}", "{{> part}}", "{{^last()}},{{/last()}}", "{{index()}}", "\n  {{> plist}}\n"][rng.next(upTo: 5)]
                case 9: t += "{{% CONTENT_TYPE: MARKDOWN }}"
                case 10: if rng.next(upTo: 8) == 0, let n = open.first { t += "{{/\(n)}}" }  // sometimes wrong
                default: t += "\n" + String(repeating: " ", count: rng.next(upTo: 3))
                }
            }
            if rng.next(upTo: 6) != 0 { while let n = open.popLast() { t += "{{/\(n)}}" } }
            switch compare(t) {
            case .same: compared += 1
            case .bothRefuse: refused += 1
            case .differ: Issue.record("the engines differ on \(t.debugDescription)")
            }
        }
        #expect(compared > 1500 && refused > 50)
    }

    /// Lookup hints carried from page to page (and any stale or garbage positions in them)
    /// change nothing: objects of different shapes, objects that extend others, names found
    /// in outer contexts and names found nowhere all render as with fresh hints.
    @Test func lookupHintsNeverChangeTheOutput() throws {
        let library = try ours([
            "page": "{{title}}|{{#items}}{{.id}}:{{.title}}{{#.owner}}({{.name}} {{title}}){{/.owner}}{{^.owner}}-{{/.owner}}{{.missing}}{{root}}{{> row}};{{/items}}",
            "row": "[{{.id}}{{.extra}}{{n}}]",
        ])
        var rng = SplitMix(seed: 7)
        func object(_ i: Int) -> Strata.TemplateObject {
            // Shapes differ: some names only on some objects, so positions move.
            var o: Strata.TemplateObject = ["id": "k\(i)", "title": "T\(i)"]
            for extra in ["a", "b", "extra", "m", "zz"] where rng.next(upTo: 2) == 0 { o[extra] = "\(extra)\(i)" }
            if rng.next(upTo: 3) == 0 { o["owner"] = ["name": "P\(i)"] as Strata.TemplateObject }
            if rng.next(upTo: 3) == 0 { o["n"] = i }
            guard rng.next(upTo: 4) == 0 else { return o }
            var extended = Strata.TemplateObject(extending: o)
            extended["extra"] = "ext\(i)"
            return extended
        }
        var hints = Strata.MustacheLibrary.LookupHints()
        var garbage = Strata.MustacheLibrary.LookupHints()
        garbage.positions = (0..<library.slotCount).map { _ in rng.next(upTo: 40) }
        var differences = 0
        for page in 0..<200 {
            let items = (0..<rng.next(upTo: 12)).map { Strata.TemplateValue.object(object(page * 100 + $0)) }
            var root: Strata.TemplateObject = ["title": "Page \(page)", "items": Strata.TemplateValue.list(items)]
            if page % 3 == 0 { root["root"] = "../" }
            if page % 5 == 0 { root["n"] = page }
            let fresh = library.render("page", .object(root))
            if library.render("page", .object(root), hints: &hints) != fresh { differences += 1 }
            if library.render("page", .object(root), hints: &garbage) != fresh { differences += 1 }
        }
        #expect(differences == 0)
        #expect(hints.positions.count == library.slotCount)
    }

    /// Sections over identified items are rendered once per shape and reused (an
    /// objective's article on its team's page and its owner's). Reuse must never change a
    /// byte: not when names outside the item differ from page to page (`root`, `n`), not
    /// when the body uses its position in the list or enters an object found outside the
    /// item, not inside indented partials, nested identified lists, or a memo so small it
    /// keeps dropping what it holds.
    @Test func sectionMemoNeverChangesTheOutput() throws {
        let article = "<{{.id}}:{{.title}} {{root}}{{.id}}{{#.kids}}[{{.id}}{{n}}{{#.deep}}{{root}}{{/.deep}}]{{/.kids}}>"
        let library = try ours([
            "team": "{{title}}|{{#items}}\(article){{/items}}|{{#items}}{{.id}}{{^last()}},{{/last()}}{{/items}}",
            "person": "{{#items}}\(article){{/items}}#{{#items}}{{#owner}}{{name}}{{/owner}}{{/items}}#{{#items}}{{> row}}{{/items}}",
            "indented": "x\n  {{> block}}\ny{{#items}}{{#first()}}F{{/first()}}{{.id}}{{/items}}",
            "block": "{{#items}}{{.id}}\n{{.title}}{{/items}}",
            "row": "({{.id}}{{title}}{{#.flag}}!{{/.flag}})",
        ])
        // The same identity is always the same value, as the report model promises.
        func item(_ i: Int) -> Strata.TemplateObject {
            var o: Strata.TemplateObject = ["id": "k\(i)", "title": "T\(i)", "flag": i % 2 == 0]
            let kids = Array(0..<(i % 4))
            // Kid 2 has no identity: rendered afresh each time, beside kids that are kept.
            o["kids"] = Strata.TemplateValue.lazyObjects(kids, identity: { $0 == 2 ? nil : "s\(i).\($0)" }) { j in
                var kid: Strata.TemplateObject = ["id": "s\(i).\(j)"]
                if j == 1 { kid["deep"] = true }
                return kid
            }
            return o
        }
        var rng = SplitMix(seed: 11)
        var memo = Strata.MustacheLibrary.LookupHints(memoBytes: 1 << 20)
        var tiny = Strata.MustacheLibrary.LookupHints(memoBytes: 40)
        var differences = 0
        for page in 0..<300 {
            let ids = (0..<rng.next(upTo: 6)).map { _ in rng.next(upTo: 10) }
            var root: Strata.TemplateObject = ["title": "Page \(page % 4)",
                                              "items": Strata.TemplateValue.lazyObjects(ids, identity: { "k\($0)" }) { item($0) }]
            switch rng.next(upTo: 3) {
            case 0: root["root"] = "../"
            case 1: root["root"] = ""
            default: break
            }
            if rng.next(upTo: 3) == 0 { root["n"] = rng.next(upTo: 3) }
            if rng.next(upTo: 4) == 0 { root["owner"] = ["name": "P\(page)"] as Strata.TemplateObject }
            let name = ["team", "person", "indented"][rng.next(upTo: 3)]
            let fresh = library.render(name, .object(root))
            if library.render(name, .object(root), hints: &memo) != fresh { differences += 1 }
            if library.render(name, .object(root), hints: &tiny) != fresh { differences += 1 }
        }
        #expect(differences == 0)
        #expect(memo.memoHits > 200, "\(memo.memoHits) hits")
        // Across templates: the team page's articles are the person page's.
        var hints = Strata.MustacheLibrary.LookupHints(memoBytes: 1 << 20)
        let page: Strata.TemplateObject = ["root": "../", "items": Strata.TemplateValue.lazyObjects([3, 4], identity: { "k\($0)" }) { item($0) }]
        _ = library.render("team", .object(page), hints: &hints)
        let before = hints.memoHits
        let person = library.render("person", .object(page), hints: &hints)
        #expect(hints.memoHits - before == 2)
        #expect(person == library.render("person", .object(page)))
        // A body that uses its position is not kept: the same page twice, no hit from it.
        var positions = Strata.MustacheLibrary.LookupHints(memoBytes: 1 << 20)
        let twice = try ours(["p": "{{#items}}{{.id}}{{^last()}},{{/last()}}{{/items}}"])
        for _ in 0..<2 { _ = twice.render("p", .object(page), hints: &positions) }
        #expect(positions.memoHits == 0)
        // An item without an identity is never kept. Rendered twice: item 4 is reused
        // whole; item 3 (no identity) is rendered again, and inside it its kids 0 and 1 are
        // reused but not kid 2 (no identity either) — three reuses, not four or one.
        var unnamed = Strata.MustacheLibrary.LookupHints(memoBytes: 1 << 20)
        let mixed: Strata.TemplateObject = ["items": Strata.TemplateValue.lazyObjects([3, 4], identity: { $0 == 3 ? nil : "k\($0)" }) { item($0) }]
        let once = library.render("team", .object(mixed), hints: &unnamed)
        #expect(unnamed.memoHits == 0)
        #expect(library.render("team", .object(mixed), hints: &unnamed) == once)
        #expect(unnamed.memoHits == 3)
    }

    @Test func syntaxErrorsPointAtTheTag() throws {
        #expect(throws: Strata.MustacheTemplate.SyntaxError(message: "a section is never closed: '{{#a}}' needs a matching '{{/a}}'", offset: 2)) {
            try Strata.MustacheTemplate("x\n{{#a}}y")
        }
        #expect(throws: Strata.MustacheTemplate.SyntaxError(message: "a section is closed with the wrong name: '{{/b}}' where '{{/a}}' was expected", offset: 7)) {
            try Strata.MustacheTemplate("{{#a}}\n{{/b}}")
        }
        #expect(throws: Strata.MustacheTemplate.SyntaxError(message: "a section is never closed: '{{^b}}' needs a matching '{{/b}}'", offset: 1)) {
            try Strata.MustacheTemplate("x{{^b}}y")
        }
        #expect(throws: Strata.MustacheTemplate.SyntaxError.self) { try Strata.MustacheTemplate("{{name") }
        #expect(throws: Strata.MustacheTemplate.SyntaxError.self) { try Strata.MustacheTemplate("{{< base}}{{/base}}") }
        #expect(throws: Strata.MustacheTemplate.SyntaxError.self) { try Strata.MustacheTemplate("{{% CONTENT_TYPE: PDF }}") }
    }
}

/// A small deterministic random generator (SplitMix64), so generated cases repeat exactly.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(upTo n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// A broken template override is a diagnostic at the tag's file, line and column.
@Suite struct TemplateOverrideDiagnosticTests {
    @Test func syntaxErrorsAreLocated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "<footer>\n  é {{#links}}<a>{{name}}</a>\n</footer>\n".write(to: folder.appendingPathComponent("foot.html.mustache"), atomically: true, encoding: .utf8)
        try "{{#a}}\n{{/b}}\n".write(to: folder.appendingPathComponent("head.html.mustache"), atomically: true, encoding: .utf8)
        let diagnostics = DiagnosticCollector()
        _ = TemplateSet(overrides: folder, displayFolder: "templates", into: diagnostics)
        let found = diagnostics.sorted.map { "\($0.range.file):\($0.range.start.line):\($0.range.start.column) [\($0.rule)] \($0.message)" }
        #expect(found == [
            "templates/foot.html.mustache:2:5 [template-syntax] template 'foot.html' cannot be parsed: a section is never closed: '{{#links}}' needs a matching '{{/links}}'",
            "templates/head.html.mustache:2:1 [template-syntax] template 'head.html' cannot be parsed: a section is closed with the wrong name: '{{/b}}' where '{{/a}}' was expected",
        ])
    }

    /// A render thread's own copy of the templates: the same templates (overrides
    /// included) with the same slots, rendering the same bytes, but not one node name
    /// shared with the original, so the threads never update the same reference counts.
    @Test func separateLibraryRendersTheSameAndSharesNoNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "<footer>{{#links}}<a href=\"{{href}}\">{{name}}</a>{{/links}} overridden</footer>\n".write(to: folder.appendingPathComponent("foot.html.mustache"), atomically: true, encoding: .utf8)
        let set = TemplateSet(overrides: folder, displayFolder: "templates", into: DiagnosticCollector())
        let copy = set.separateLibrary()
        func names(_ nodes: [Strata.MustacheTemplate.Node]) -> [Strata.MustacheTemplate.Name] {
            nodes.flatMap { node -> [Strata.MustacheTemplate.Name] in
                switch node {
                case .variable(let n, _): return [n]
                case .section(let n, let body, _), .invertedSection(let n, let body): return [n] + names(body)
                case .text, .partial, .contentType: return []
                }
            }
        }
        #expect(Set(copy.templates.keys) == Set(set.library.templates.keys))
        var compared = 0
        for (name, original) in set.library.templates {
            let separate = try #require(copy.templates[name])
            #expect(separate.slotBase == original.slotBase && separate.slotCount == original.slotCount, "\(name)")
            let (a, b) = (names(original.nodes), names(separate.nodes))
            #expect(a == b, "\(name)")
            #expect(zip(a, b).allSatisfy { $0 !== $1 }, "\(name)")
            compared += a.count
        }
        #expect(compared > 100)
        let links: TemplateValue = ["links": [["href": "a.html", "name": "A & B"], ["href": "b.html", "name": "<C>"]]]
        let footer = try #require(copy.render("foot.html", links))
        #expect(String(decoding: footer, as: UTF8.self) == "<footer><a href=\"a.html\">A &amp; B</a><a href=\"b.html\">&lt;C&gt;</a> overridden</footer>\n")
        #expect(footer == set.library.render("foot.html", links))
    }

    /// Whether any template uses a value (the CSP allows an inlined stylesheet only then).
    @Test func libraryKnowsWhichValuesTemplatesUse() throws {
        func library(_ text: String) throws -> Strata.MustacheLibrary {
            var l = Strata.MustacheLibrary()
            l.register(try Strata.MustacheTemplate("plain {{title}}"), named: "page")
            l.register(try Strata.MustacheTemplate(text), named: "head")
            return l
        }
        for used in ["<style>{{{css}}}</style>", "{{& css}}", "{{#page}}{{.css}}{{/page}}", "{{^css}}none{{/css}}", "{{css.text}}"] {
            #expect(try library(used).mentions("css"), "\(used)")
        }
        for unused in ["{{csstext}}", "{{page.css}}", "{{! css }}", "css", "{{> css}}"] {
            #expect(try !library(unused).mentions("css"), "\(unused)")
        }
    }
}

/// Values that cost work and that the built-in templates do not show (`formula`) are built
/// only when a template names them; an override that does gets them on every node.
@Suite struct TemplateValueDemandTests {
    @Test func formulaIsBuiltWhenATemplateShowsIt() throws {
        let c = try Pipeline.compile(root: TestPaths.packageRoot, asOf: Day(year: 2026, month: 11, day: 20))
        let rollUp = RollUp(graph: c.graph, config: c.config, asOf: c.asOf)
        let diagnostics = DiagnosticCollector()
        let builtIn = SiteRenderer(rollUp: rollUp, templates: TemplateSet(overrides: nil, displayFolder: "templates", into: diagnostics))
        #expect(!builtIn.model.includesFormula)
        let kr = try #require(c.plan.keyResults.first { rollUp[$0.id.value] != nil }).id.value
        #expect(builtIn.model.keyResult(kr).value(named: "formula") == nil)
        #expect(builtIn.model.keyResult(kr).value(named: "status_reason") != nil)

        let folder = try makeTemporaryFolder("strata-formula")
        defer { try? FileManager.default.removeItem(at: folder) }
        let progress = try #require(DefaultTemplates.all["progress.html"])
        try (progress + "{{#.has_progress}}<span class=\"formula\">{{.formula}}</span>{{/.has_progress}}")
            .write(to: folder.appendingPathComponent("progress.html.mustache"), atomically: true, encoding: .utf8)
        let overridden = SiteRenderer(rollUp: rollUp, templates: TemplateSet(overrides: folder, displayFolder: "templates", into: diagnostics))
        #expect(diagnostics.all.isEmpty, "\(diagnostics.all)")
        #expect(overridden.model.includesFormula)
        let expected = try #require(rollUp.explained(kr, .sentences)).formula
        #expect(!expected.isEmpty)
        #expect(overridden.model.keyResult(kr).value(named: "formula") == .text(expected))
        let page = try #require(overridden.render(into: diagnostics).first { $0.path == "index.html" })
        let html = String(decoding: page.contents, as: UTF8.self)
        #expect(html.contains("<span class=\"formula\">weighted mean of key results = "), "objectives' formulas on the overview")
    }
}
