import Foundation

/// The C library's allocator, as far as Strata asks anything of it.
public enum SystemMemory {
    private typealias MallocTrim = @convention(c) (Int) -> Int32
    private typealias MallOpt = @convention(c) (Int32, Int32) -> Int32

    /// glibc's `malloc_trim` and `mallopt`, looked up at run time: Swift's Glibc module does
    /// not export `malloc.h`, and other C libraries do not have them.
    private static let mallocTrim: MallocTrim? = symbol("malloc_trim")
    private static let mallOpt: MallOpt? = symbol("mallopt")

    private static func symbol<F>(_ name: String) -> F? {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: F.self)
    }

    /// Hands memory that has been freed back to the system, where the allocator supports it.
    static func returnFreedMemory() {
        _ = mallocTrim?(0)
    }

    /// For a process that runs one command and exits: memory freed at the top of the heap
    /// stays with the process until `returnFreedMemory` hands it back, instead of going back
    /// whenever 128 KiB are free there. Parsing frees and allocates in waves (a document's
    /// tree, then the next file's), and each wave fetched fresh pages from the kernel: a 20k
    /// check took 125,000 page faults, 93,000 with this, at the same peak memory. (It also
    /// fixes glibc's mmap threshold at 128 KiB instead of letting it grow.)
    public static func keepFreedMemoryUntilTrimmed() {
        let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD in malloc.h
        _ = mallOpt?(trimThreshold, Int32.max)
    }
}
