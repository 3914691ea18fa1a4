import CCmark
import CYAML
import Foundation

/// The baseline the pipeline is measured against: libyaml's event loop and cmark's parser
/// alone, single-threaded, on the same bytes strata reads. (Baseline only; the product's
/// C calls live in Parse/.)
enum BareParse {
    /// Seconds spent in libyaml and in cmark over all files.
    static func run(_ files: [(path: String, bytes: [UInt8])]) -> (yaml: Double, cmark: Double, events: Int) {
        var yamlTime = 0.0, cmarkTime = 0.0, events = 0
        for f in files {
            if f.path.hasSuffix(".md") {
                // Front matter: between the first two '---' lines.
                let (front, body) = split(f.bytes)
                let t0 = DispatchTime.now().uptimeNanoseconds
                events += yamlEvents(Array(f.bytes[front]))
                let t1 = DispatchTime.now().uptimeNanoseconds
                f.bytes[body].withUnsafeBufferPointer { b in
                    b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { p in
                        let doc = cmark_parse_document(p, b.count, CMARK_OPT_SOURCEPOS)
                        cmark_node_free(doc)
                    }
                }
                let t2 = DispatchTime.now().uptimeNanoseconds
                yamlTime += Double(t1 - t0) / 1e9
                cmarkTime += Double(t2 - t1) / 1e9
            } else {
                let t0 = DispatchTime.now().uptimeNanoseconds
                events += yamlEvents(f.bytes)
                yamlTime += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            }
        }
        return (yamlTime, cmarkTime, events)
    }

    static func split(_ b: [UInt8]) -> (Range<Int>, Range<Int>) {
        var lines: [Int] = [0]
        for (i, c) in b.enumerated() where c == 0x0A { lines.append(i + 1); if lines.count > 2, b[lines[lines.count - 2]..<i] == [0x2D, 0x2D, 0x2D][...] { break } }
        let frontStart = lines.count > 1 ? lines[1] : 0
        let frontEnd = lines.count > 2 ? lines[lines.count - 2] : frontStart
        let bodyStart = lines.last ?? 0
        return (frontStart..<frontEnd, min(bodyStart, b.count)..<b.count)
    }

    static func yamlEvents(_ bytes: [UInt8]) -> Int {
        var parser = yaml_parser_t()
        yaml_parser_initialize(&parser)
        defer { yaml_parser_delete(&parser) }
        var count = 0
        bytes.withUnsafeBufferPointer { b in
            var empty: UInt8 = 0
            if let p = b.baseAddress, b.count > 0 { yaml_parser_set_input_string(&parser, p, b.count) } else { yaml_parser_set_input_string(&parser, &empty, 0) }
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) != 0 {
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                count += 1
                if done { break }
            }
        }
        return count
    }
}
