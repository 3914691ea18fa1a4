import FuzzSupport

/// libFuzzer entry point (no main.swift: libFuzzer provides `main`). See ../../README.md.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    Harnesses.yaml(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
