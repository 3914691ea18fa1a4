import Foundation

/// The C library's allocator, as far as Strata asks anything of it.
enum SystemMemory {
    private typealias MallocTrim = @convention(c) (Int) -> Int32

    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module does not export
    /// `malloc.h`, and other C libraries do not have it.
    private static let mallocTrim: MallocTrim? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: MallocTrim.self)
    }()

    /// Hands memory that has been freed back to the system, where the allocator supports it.
    static func returnFreedMemory() {
        _ = mallocTrim?(0)
    }
}
