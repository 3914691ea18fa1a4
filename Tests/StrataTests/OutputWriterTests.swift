import Foundation
import Testing
@testable import Strata

/// The writer stages files on a background thread; every failure — in the producer, in a
/// background write, or a duplicate name — must leave the previous output exactly as it
/// was and no staging folder behind.
@Suite struct OutputWriterTests {
    func makeOutput() throws -> (parent: URL, output: URL) {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("strata-writer-\(UUID().uuidString)")
        let output = parent.appendingPathComponent("out")
        try OutputWriter(output: output).write([OutputFile(path: "index.html", contents: Array("old".utf8))])
        return (parent, output)
    }

    func expectUntouched(_ parent: URL, _ output: URL) throws {
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == ["index.html"])
        #expect(FileManager.default.contents(atPath: output.appendingPathComponent("index.html").path) == Data("old".utf8))
    }

    static func many(_ n: Int) -> [OutputFile] {
        (0..<n).map { OutputFile(path: "pages/p\($0).html", contents: Array(repeating: UInt8(ascii: "x"), count: 1000 + $0)) }
    }

    @Test func writesEveryFile() throws {
        let (parent, output) = try makeOutput()
        defer { try? FileManager.default.removeItem(at: parent) }
        let files = Self.many(300)
        try OutputWriter(output: output).write(files)
        for f in files { #expect(FileManager.default.contents(atPath: output.appendingPathComponent(f.path).path) == Data(f.contents)) }
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("index.html").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])
    }

    @Test func producerFailureAfterManyFilesLeavesTheOldOutput() throws {
        struct Stop: Error {}
        let (parent, output) = try makeOutput()
        defer { try? FileManager.default.removeItem(at: parent) }
        #expect(throws: Stop.self) {
            try OutputWriter(output: output).write { emit in
                for f in Self.many(200) { try emit(f) }  // more than the writer queues
                throw Stop()
            }
        }
        try expectUntouched(parent, output)
    }

    @Test func backgroundWriteFailureStopsTheBuild() throws {
        let (parent, output) = try makeOutput()
        defer { try? FileManager.default.removeItem(at: parent) }
        // "a" is written as a file, so the folder "a" for "a/b.html" cannot be created.
        let files = [OutputFile(path: "a", contents: [1]), OutputFile(path: "a/b.html", contents: [2])] + Self.many(100)
        #expect(throws: (any Error).self) { try OutputWriter(output: output).write(files) }
        try expectUntouched(parent, output)
    }

    /// A streamed file (plan.json) is written piece by piece and compared piece by piece by
    /// `--check`; a failure while it streams leaves the old output.
    @Test func streamedFiles() throws {
        let (parent, output) = try makeOutput()
        defer { try? FileManager.default.removeItem(at: parent) }
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        func streamed(_ b: [UInt8], path: String = "data/big.json") -> OutputFile {
            OutputFile(path: path) { piece in for i in stride(from: 0, to: b.count, by: 777) { try piece(Array(b[i..<min(b.count, i + 777)])) } }
        }
        try OutputWriter(output: output).write(Self.many(100) + [streamed(bytes)] + Self.many(3).map { OutputFile(path: "more/" + $0.path, contents: $0.contents) })
        #expect(FileManager.default.contents(atPath: output.appendingPathComponent("data/big.json").path) == Data(bytes))
        #expect(try streamed(bytes).inMemory().contents == bytes)
        let writer = OutputWriter(output: output)
        let rest = Self.many(100) + Self.many(3).map { OutputFile(path: "more/" + $0.path, contents: $0.contents) }
        #expect(writer.differences(rest + [streamed(bytes)]) == [])
        var changed = bytes
        changed[54_321] ^= 1
        for other in [changed, Array(bytes.dropLast()), bytes + [0], []] {
            #expect(writer.differences(rest + [streamed(other)]) == ["changed: data/big.json"])
        }
        struct Stop: Error {}
        let failing = OutputFile(path: "data/big.json") { piece in try piece([1, 2, 3]); throw Stop() }
        let before = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        #expect(throws: Stop.self) { try OutputWriter(output: output).write(Self.many(10) + [failing]) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == before)
        #expect(FileManager.default.contents(atPath: output.appendingPathComponent("data/big.json").path) == Data(bytes))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])
    }

    @Test func namesThatDifferOnlyInCaseAreRefused() throws {
        let (parent, output) = try makeOutput()
        defer { try? FileManager.default.removeItem(at: parent) }
        let files = Self.many(50) + [OutputFile(path: "Pages/P3.html", contents: [3])]
        #expect(throws: OutputWriter.Failure.self) { try OutputWriter(output: output).write(files) }
        try expectUntouched(parent, output)
    }
}
