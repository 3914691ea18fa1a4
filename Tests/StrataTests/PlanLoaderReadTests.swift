import Foundation
import Testing
@testable import Strata

/// `PlanLoader.readBytes`: the whole file whatever size it was measured at (a file that
/// grew or shrank after it was measured), and no more than its first bytes past the limit.
@Suite struct PlanLoaderReadTests {
    @Test(arguments: [0, 1, 4095, 4096, 4097, 100_000])
    func readsTheWholeFileWhateverSizeWasExpected(size: Int) throws {
        let folder = try makeTemporaryFolder("strata-read")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let path = folder.appendingPathComponent("f.yaml").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        for expected in [0, 1, size / 2, size - 1, size, size + 1, size * 3] where expected >= 0 {
            #expect(PlanLoader.readBytes(path, expected: expected, limit: .max) == bytes, "expected \(expected)")
        }
        // Past the limit: at least the limit and one byte more, and only the file's own bytes.
        if size > 10 {
            let head = try #require(PlanLoader.readBytes(path, expected: 0, limit: 10))
            #expect(head.count > 10 && head == Array(bytes.prefix(head.count)))
        }
        #expect(PlanLoader.readBytes(folder.appendingPathComponent("missing").path, expected: 1, limit: .max) == nil)
    }
}
