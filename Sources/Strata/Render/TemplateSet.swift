import Foundation

/// The report templates: the defaults built into the binary, with any subset overridden
/// by `*.mustache` files in the templates folder (`templates:` in strata.yaml or
/// `--templates`). A template's name is its file name without `.mustache`, e.g.
/// `index.html`; partials use the same names (`{{> node.html}}`).
public struct TemplateSet {
    public private(set) var library = MustacheLibrary()
    /// Where each template came from ("built-in" or a file path), for messages.
    public private(set) var origins: [String: String] = [:]
    /// The texts compiled into `library`, in the order they were registered.
    private var texts: [(name: String, text: String)] = []

    /// Loads the defaults, then the overrides in `folder` (if it exists). Template syntax
    /// errors become diagnostics with the template's file and line.
    public init(overrides folder: URL?, displayFolder: String, into diagnostics: DiagnosticCollector) {
        for name in DefaultTemplates.all.keys.sorted() {
            register(DefaultTemplates.all[name]!, name: name, origin: "built-in template \(name)", file: nil, diagnostics)
        }
        guard let folder else { return }
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: folder.path, isDirectory: &isDir), isDir.boolValue,
              let names = try? fm.contentsOfDirectory(atPath: folder.path) else { return }
        for file in names.sorted() where file.hasSuffix(".mustache") && !file.hasPrefix(".") {
            let display = displayFolder + "/" + file
            guard let data = fm.contents(atPath: folder.appendingPathComponent(file).path) else {
                diagnostics.emit(.ioError, "cannot read template '\(display)'", at: .wholeFile(display))
                continue
            }
            let bytes = [UInt8](data)
            guard TextValidation.firstProblem(bytes) == nil else {
                diagnostics.emit(.inputEncoding, "template '\(display)' is not UTF-8 text", at: .wholeFile(display))
                continue
            }
            let name = String(file.dropLast(".mustache".count))
            let source = SourceFile(path: display, bytes: bytes)
            register(source.text, name: name, origin: display, file: source, diagnostics)
        }
    }

    mutating func register(_ text: String, name: String, origin: String, file: SourceFile?, _ diagnostics: DiagnosticCollector) {
        do {
            library.register(try MustacheTemplate(text), named: name)
            origins[name] = origin
            texts.append((name, text))
        } catch let error as MustacheTemplate.SyntaxError {
            let source = file ?? SourceFile(path: file?.path ?? origin, text: text)
            let loc = source.location(atOffset: error.offset)
            diagnostics.add(Diagnostic(rule: .templateSyntax, message: "template '\(name)' cannot be parsed: \(error.message)",
                                       at: source.range(loc, loc), help: "check that every {{#section}} has a matching {{/section}} and tags are closed"))
        } catch {
            diagnostics.emit(.templateSyntax, "template '\(name)' cannot be parsed: \(error)", at: .wholeFile(file?.path ?? origin))
        }
    }

    /// Renders template `name` as UTF-8 bytes; nil if there is no such template.
    public func renderBytes(_ name: String, _ context: TemplateObject) -> [UInt8]? {
        library.render(name, .object(context))
    }

    public func render(_ name: String, _ context: TemplateObject) -> String? {
        renderBytes(name, context).map { String(decoding: $0, as: UTF8.self) }
    }

    public var names: [String] { origins.keys.sorted() }

    /// The same templates compiled once more, into nodes, names and bytes of their own. A
    /// render thread walking its own copy does not share reference counts with the other
    /// threads: on one shared copy, every retain of a node by one core took the cache line
    /// away from the other.
    public func separateLibrary() -> MustacheLibrary {
        var copy = MustacheLibrary()
        for (name, text) in texts {
            // These texts compiled once already; compiling them again cannot fail.
            if let template = try? MustacheTemplate(text) { copy.register(template, named: name) }
        }
        return copy
    }
}
