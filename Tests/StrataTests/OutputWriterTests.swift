import Foundation
#if canImport(Glibc)
import Glibc
#endif
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

    // MARK: Unchanged files are linked from the old output

    func inode(_ url: URL) throws -> (inode: UInt64, links: UInt64) {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { throw OutputWriter.Failure(description: "no \(url.path)") }
        return (UInt64(info.st_ino), UInt64(info.st_nlink))
    }

    @Test func unchangedFilesAreLinkedFromTheOldOutputNotWritten() throws {
        let (parent, output) = try makeOutput()
        defer { try? FileManager.default.removeItem(at: parent) }
        let first = Self.many(40) + [OutputFile(path: "a/b/c.html", contents: Array("deep".utf8)), OutputFile(path: "empty.txt", contents: [])]
        try OutputWriter(output: output).write(first)
        let before = try first.map { try inode(output.appendingPathComponent($0.path)) }
        // The same files, but p7 changes, p8 grows by a byte, p9 loses one, p10 is gone and
        // a new file appears.
        var second = first.filter { $0.path != "pages/p10.html" }
        for i in second.indices {
            switch second[i].path {
            case "pages/p7.html": second[i].contents[500] = UInt8(ascii: "y")
            case "pages/p8.html": second[i].contents.append(UInt8(ascii: "x"))
            case "pages/p9.html": second[i].contents.removeLast()
            default: break
            }
        }
        second.append(OutputFile(path: "pages/new.html", contents: Array("new".utf8)))
        try OutputWriter(output: output).write(second)
        for f in second {
            let url = output.appendingPathComponent(f.path)
            #expect(FileManager.default.contents(atPath: url.path) == Data(f.contents), "\(f.path)")
            let now = try inode(url)
            #expect(now.links == 1, "\(f.path) has \(now.links) names")
            guard let old = first.firstIndex(where: { $0.path == f.path }) else { continue }
            let changed = ["pages/p7.html", "pages/p8.html", "pages/p9.html"].contains(f.path)
            #expect((now.inode == before[old].inode) == !changed, "\(f.path): linked \(now.inode == before[old].inode), changed \(changed)")
        }
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("pages/p10.html").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])
    }

    /// Only a file that is provably the same is linked: not one with another name outside
    /// the output (which would then change with it), not a symlink or one in a folder that is
    /// a symlink, not one whose permissions a new file would not have.
    @Test func onlyProvablyUnchangedFilesAreLinked() throws {
        let (parent, output) = try makeOutput()
        defer { try? FileManager.default.removeItem(at: parent) }
        let outside = parent.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside.appendingPathComponent("folder"), withIntermediateDirectories: true)
        let same = Array("same bytes".utf8)
        let names = ["hardlinked.html", "symlinked.html", "private.html", "viafolder/x.html"]
        try OutputWriter(output: output).write(names.map { OutputFile(path: $0, contents: same) })
        let fm = FileManager.default
        // A second name outside the output for one file; a symlink to an outside file with
        // the same bytes for another; owner-only permissions on a third; a folder replaced by
        // a link to an outside folder holding the same file.
        #expect(Glibc.link(output.appendingPathComponent("hardlinked.html").path, outside.appendingPathComponent("alias.html").path) == 0)
        try Data(same).write(to: outside.appendingPathComponent("target.html"))
        try fm.removeItem(at: output.appendingPathComponent("symlinked.html"))
        try fm.createSymbolicLink(at: output.appendingPathComponent("symlinked.html"), withDestinationURL: outside.appendingPathComponent("target.html"))
        #expect(chmod(output.appendingPathComponent("private.html").path, 0o600) == 0)
        try Data(same).write(to: outside.appendingPathComponent("folder/x.html"))
        try fm.removeItem(at: output.appendingPathComponent("viafolder"))
        try fm.createSymbolicLink(at: output.appendingPathComponent("viafolder"), withDestinationURL: outside.appendingPathComponent("folder"))
        let outsideInodes = try ["alias.html", "target.html", "folder/x.html"].map { try inode(outside.appendingPathComponent($0)).inode }
        try OutputWriter(output: output).write(names.map { OutputFile(path: $0, contents: same) })
        for name in names {
            let url = output.appendingPathComponent(name)
            let attributes = try fm.attributesOfItem(atPath: url.path)
            #expect(attributes[.type] as? FileAttributeType == .typeRegular, "\(name)")
            #expect(try inode(url).links == 1, "\(name) shares its file")
            #expect(!outsideInodes.contains(try inode(url).inode), "\(name) is a file outside the output")
        }
        // The owner-only file was written anew, with the permissions every new file gets.
        func permissions(_ name: String) throws -> Int? { try fm.attributesOfItem(atPath: output.appendingPathComponent(name).path)[.posixPermissions] as? Int }
        #expect(try permissions("private.html") == permissions("hardlinked.html"))
        #expect(try permissions("private.html") != 0o600)
        #expect(try inode(outside.appendingPathComponent("alias.html")).links == 1, "the outside name still shares the output's file")
        #expect(fm.contents(atPath: outside.appendingPathComponent("target.html").path) == Data(same))
    }

    /// A build that fails after linking files leaves the old output as it was, each file
    /// with one name again.
    @Test func failedBuildAfterLinkingLeavesTheOldOutput() throws {
        struct Stop: Error {}
        let (parent, output) = try makeOutput()
        defer { try? FileManager.default.removeItem(at: parent) }
        let files = Self.many(100)
        try OutputWriter(output: output).write(files)
        #expect(throws: Stop.self) {
            try OutputWriter(output: output).write { emit in
                for f in files { try emit(f) }
                throw Stop()
            }
        }
        for f in files {
            let url = output.appendingPathComponent(f.path)
            #expect(FileManager.default.contents(atPath: url.path) == Data(f.contents))
            #expect(try inode(url).links == 1)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])
    }
}
