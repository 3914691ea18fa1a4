/// Bounds on what `strata` reads, so hostile input is rejected quickly instead of
/// exhausting time or memory. Every limit can be raised in `strata.yaml` under `limits:`.
public struct InputLimits: Sendable, Equatable {
    /// Largest single plan file, in bytes.
    public var maxFileBytes = 8 << 20
    /// The most `maxFileBytes` can be raised to: byte offsets in a file are 32-bit.
    public static let largestFileBytes = Int(UInt32.max)
    /// Largest total of all plan files, in bytes.
    public var maxTotalBytes = 512 << 20
    /// Most plan files read.
    public var maxFiles = 100_000
    /// Deepest YAML nesting (libyaml's nesting cost is quadratic; see docs).
    public var maxDepth = 64
    /// Most nodes that aliases may add by expansion, per file.
    public var aliasBudget = 10_000
    /// Longest YAML scalar, in bytes.
    public var maxScalarBytes = 1 << 20
    /// Largest Markdown body, in bytes (cmark has unpatched quadratic inputs).
    public var maxMarkdownBytes = 128 << 10
    /// Most `[` brackets in one Markdown body: cmark 0.30's link parsing is quadratic in
    /// unmatched brackets (`![[]()` repeated), so bodies with more are rejected up front.
    public var maxMarkdownBrackets = 4_000

    public init() {}
}
