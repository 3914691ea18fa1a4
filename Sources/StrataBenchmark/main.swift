import Foundation
import Strata

/// strata-benchmark: generates synthetic organisations at several scales and measures each
/// pipeline stage, peak memory, and — on the same bytes, in the same run — libyaml and cmark
/// alone. Each scale runs in its own process so peak memory is per scale.
///
///   strata-benchmark [--scales 1000,5000,10000,20000] [--work DIR] [--markdown docs/benchmarks.md] [--instructions]
///     (--instructions: also counts each scale's check, bare parse and build without
///      writing under valgrind's callgrind, about ten minutes more at these scales)
///   strata-benchmark generate N DIR     (the synthetic plan of N objectives, written into DIR,
///      a new or empty folder: to try strata on an organisation of that size)
///   strata-benchmark measure DIR        (internal: one scale, prints one JSON line)
///   strata-benchmark measure-check DIR  (internal: one check and the bare parse)
///   strata-benchmark measure-stages DIR  (internal: one compile with parse and decode run apart, each timed)
///   strata-benchmark measure-compile DIR  (internal: one compile, counted by --instructions)
///   strata-benchmark measure-render DIR  (internal: compile, roll up and render every page into nothing, counted by --instructions)
///   strata-benchmark measure-bare DIR  (internal: the files read and one bare parse, counted by --instructions)
///   strata-benchmark measure-read DIR  (internal: the files read, counted by --instructions)
///   strata-benchmark measure-diff DIR   (internal: `strata diff` of DIR and a changed copy)
///   strata-benchmark measure-rebuild DIR  (internal: `strata build` over DIR's existing output)
///   strata-benchmark measure-write-floor DIR  (internal: DIR's output written again by plain system calls, then its files created empty)

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}

/// CPU seconds (user + system, all threads) this process has used so far. Other work on a
/// shared machine stretches wall time far more than CPU time, so doubling is shown in both.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func peakRSSBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }
    return 0
}

func readPlanFiles(_ root: URL) -> [(path: String, bytes: [UInt8])] {
    var out: [(String, [UInt8])] = []
    let e = FileManager.default.enumerator(atPath: root.path)!
    while let p = e.nextObject() as? String {
        guard p.hasSuffix(".yaml") || p.hasSuffix(".md"), !p.hasPrefix("output") else { continue }
        out.append((p, [UInt8](FileManager.default.contents(atPath: root.appendingPathComponent(p).path)!)))
    }
    return out.sorted { $0.0 < $1.0 }
}

/// Renders the site and writes it into the plan's `output` folder, as `strata build` does.
func writeSite(_ renderer: SiteRenderer, _ root: URL, _ diagnostics: DiagnosticCollector) throws {
    try OutputWriter(output: root.appendingPathComponent("output")).write { emit in try renderer.render(into: diagnostics, emit: emit) }
}

/// Check, roll-up, render and build in one process: the build's stage times and peak
/// memory. The check times in the table come from `measureCheck`.
func measure(_ root: URL) throws {
    var times = Pipeline.StageTimes()
    var compilation: Compilation!
    let cpuAtStart = cpuSeconds()
    let check = try seconds { compilation = try withUnsafeMutablePointer(to: &times) { try Pipeline.compile(root: root, times: $0) } }
    var cpuBuild = cpuSeconds() - cpuAtStart
    if ProcessInfo.processInfo.environment["STRATA_BENCH_CHECK_ONLY"] != nil {
        // For profiling the check path: compile a few more times and stop, printing the
        // stage times of each compile.
        func line(_ t: Pipeline.StageTimes, _ total: Double) throws {
            let o: [String: Any] = ["load": t.load, "parse_decode": t.parseAndDecode, "merge": t.merge, "link": t.link, "check": t.check,
                                    "check_total": total, "peak_rss": peakRSSBytes()]
            print(String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self))
        }
        try line(times, check)
        for _ in 0..<3 {
            var t = Pipeline.StageTimes()
            let total = try seconds { _ = try withUnsafeMutablePointer(to: &t) { try Pipeline.compile(root: root, times: $0) } }
            try line(t, total)
        }
        return
    }
    // As `strata build` does once the diagnostics are shown (counted first).
    let inputFiles = compilation.plan.files.count, inputBytes = compilation.plan.files.reduce(0) { $0 + $1.bytes.count }
    compilation.releaseSourceTexts()
    var rollUp: RollUp!
    var cpuMark = cpuSeconds()
    let rollTime = seconds { rollUp = RollUp(graph: compilation.graph, config: compilation.config, asOf: compilation.asOf) }
    cpuBuild += cpuSeconds() - cpuMark
    let diagnostics = DiagnosticCollector()
    // Render and write stream page by page; render time is measured with a sink that only
    // counts, then the real build (render + write) is timed and write = build − render.
    var outputCount = 0
    let templates = TemplateSet(overrides: nil, displayFolder: "templates", into: diagnostics)
    let profile = RenderProfile()
    // Render-only pass in its own scope, so its caches are gone before the real build.
    let renderTime: Double = try {
        var renderer = SiteRenderer(rollUp: rollUp, templates: templates)
        renderer.profile = profile
        // Streamed files (plan.json, the CSV, the whole-plan pages) render as their pieces are taken.
        return try seconds { try renderer.render(into: diagnostics) { file in outputCount += 1; try file.pieces?({ _ in }) } }
    }()
    let fresh = SiteRenderer(rollUp: rollUp, templates: templates)
    cpuMark = cpuSeconds()
    let buildTime = try seconds { try writeSite(fresh, root, diagnostics) }
    cpuBuild += cpuSeconds() - cpuMark
    let writeTime = max(0, buildTime - renderTime)
    let peak = peakRSSBytes()
    // Let the kernel finish writing the output back before the next measurement starts.
    sync()
    if ProcessInfo.processInfo.environment["STRATA_RENDER_PROFILE"] != nil { FileHandle.standardError.write(Data((profile.report + "\n").utf8)) }
    let plan = compilation.plan
    let result: [String: Any] = [
        "files": inputFiles, "bytes": inputBytes, "objectives": plan.objectives.count,
        "key_results": plan.keyResults.count, "checkins": plan.checkins.count,
        "errors": compilation.diagnostics.filter { $0.severity == .error }.count,
        "rollup": rollTime, "render": renderTime, "write": writeTime, "output_files": outputCount, "peak_rss": peak,
        // The CPU time of what the wall-clock build adds up: check, roll-up, render and write
        // (not the render-only pass).
        "cpu_build": cpuBuild,
    ]
    let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// One `strata check` in a fresh process, and the bare libyaml + cmark parse of the same
/// bytes (the fastest of three runs, so the baseline is the parsers at their best).
func measureCheck(_ root: URL) throws {
    let files = readPlanFiles(root)
    let bares = (0..<3).map { _ in BareParse.run(files) }
    var times = Pipeline.StageTimes()
    let cpuAtStart = cpuSeconds()
    // The compilation is kept past the timing, as `strata check` keeps it until the process
    // exits (`KeptUntilExit`): freeing a 20k plan value by value took about 0.1 s on one
    // core that the command never spends. It is freed afterwards, timed on its own.
    var compilation: Compilation?
    let check = try seconds { compilation = try withUnsafeMutablePointer(to: &times) { try Pipeline.compile(root: root, times: $0) } }
    let cpuCheck = cpuSeconds() - cpuAtStart
    let peak = peakRSSBytes()
    let checkins = compilation?.plan.checkins.count ?? 0
    let teardown = seconds { precondition(compilation != nil); compilation = nil }
    let o: [String: Any] = ["load": times.load, "parse_decode": times.parseAndDecode, "merge": times.merge, "link": times.link, "check": times.check,
                            "check_total": check, "cpu_check": cpuCheck, "bare_yaml": bares.map(\.yaml).min()!, "bare_cmark": bares.map(\.cmark).min()!,
                            "check_peak_rss": peak, "teardown": teardown, "checkins": checkins]
    print(String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self))
}

/// Parse and decode timed apart, in a fresh process: one `Pipeline.compile` with
/// `separateStages`, which parses every file into its located tree (on every core) and
/// then decodes the trees (on every core). The check itself does both in one step per
/// file, and decodes check-in ledgers as libyaml reads them, without a tree; its time for
/// the two together is the table's "parse + decode" column.
func measureStages(_ root: URL) throws {
    var times = Pipeline.StageTimes()
    var compilation: Compilation?
    let total = try seconds { compilation = try withUnsafeMutablePointer(to: &times) { try Pipeline.compile(root: root, times: $0, separateStages: true) } }
    precondition(compilation != nil)
    let o: [String: Any] = ["apart_parse": times.parse, "apart_decode": times.decode, "apart_check_total": total]
    print(String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self))
}

/// One `Pipeline.compile` and nothing else, for `--instructions` to count under callgrind.
func measureCompile(_ root: URL) throws {
    let compilation = try Pipeline.compile(root: root)
    print("{\"objectives\":\(compilation.plan.objectives.count)}")
}

/// One `Pipeline.compile`, the roll-up and every page rendered into a sink that only counts
/// them: the build without its writing, for `--instructions` to count (the disk's part of a
/// build is the kernel's and moves with the disk, not with strata).
func measureRender(_ root: URL) throws {
    var compilation = try Pipeline.compile(root: root)
    compilation.releaseSourceTexts()
    let rollUp = RollUp(graph: compilation.graph, config: compilation.config, asOf: compilation.asOf)
    let diagnostics = DiagnosticCollector()
    let renderer = SiteRenderer(rollUp: rollUp, templates: TemplateSet(overrides: nil, displayFolder: "templates", into: diagnostics))
    var files = 0
    try renderer.render(into: diagnostics) { file in files += 1; try file.pieces?({ _ in }) }
    print("{\"output_files\":\(files)}")
}

/// The plan's files read into memory and one bare libyaml + cmark parse of their bytes,
/// for `--instructions` to count; `measure-read` (the reading alone) is subtracted, as the
/// timed bare parse runs on bytes already in memory.
func measureBare(_ root: URL, parse: Bool) {
    let files = readPlanFiles(root)
    if parse { _ = BareParse.run(files) }
    print("{\"files\":\(files.count)}")
}

/// The instructions (all threads) of `strata-benchmark MODE DIR` run under valgrind's
/// callgrind: exact and the same on every run, where times on a shared machine are not.
func instructions(_ mode: String, _ dir: URL) throws -> Double {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                   URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path, mode, dir.path]
    let errors = Pipe()
    p.standardError = errors
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    // valgrind ends with "==PID== Collected : 4159907216".
    let count = text.split(separator: "\n").last { $0.contains("Collected :") }
        .flatMap { Double($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) }
    guard p.terminationStatus == 0, let count else {
        throw BenchmarkError("--instructions: callgrind failed for \(mode) \(dir.path) (is valgrind installed? apt-get install valgrind)\n\(text.suffix(2000))")
    }
    return count
}

/// `strata diff` of two revisions, in a fresh process like the command: a copy of the plan
/// with one more check-in, then both compiled and compared (two compiles + the differ).
func measureDiff(_ root: URL) throws {
    let other = root.deletingLastPathComponent().appendingPathComponent(root.lastPathComponent + "-rev2")
    try? FileManager.default.removeItem(at: other)
    // The plan only: copying the built output too would leave the kernel writing a
    // gigabyte back to disk while the diff is timed.
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    for name in ["strata.yaml", "plans"] {
        try FileManager.default.copyItem(at: root.appendingPathComponent(name), to: other.appendingPathComponent(name))
    }
    defer { try? FileManager.default.removeItem(at: other) }
    sync()
    let ledger = other.appendingPathComponent("plans/checkins/d0.yaml")
    var text = try String(contentsOf: ledger, encoding: .utf8)
    text += "  - { kr: c1.kr1, date: 2026-11-13, value: 99, confidence: 0.9 }\n"
    try text.write(to: ledger, atomically: true, encoding: .utf8)
    var changes = 0
    // The two plans are kept past the timing, as `strata diff` keeps them until it exits
    // (and as the check's time in `measureCheck` is taken).
    var compilations: [Compilation] = []
    let diffTime = try seconds {
        let b = try Pipeline.compile(root: other)
        let a = try Pipeline.compile(root: root, asOf: b.asOf)
        changes = PlanDiffer(old: a, new: b).diff(base: "a", head: "b").checkins.count
        compilations = [a, b]
    }
    precondition(compilations.count == 2)
    let data = try JSONSerialization.data(withJSONObject: ["diff": diffTime, "checkin_changes": changes, "peak_rss": peakRSSBytes()], options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// A copy of the plan at `root` with every check-in in one ledger, `plans/zz-checkins.yaml`,
/// whose name sorts after every other file: the check's time when the plan's largest file
/// is one file (a ledger a bot appends to, say) and would be taken last in path order.
/// The copy is made in `copy`, a folder that must not exist yet; returns the ledger's size
/// in bytes.
func oneLedgerCopy(of root: URL, into copy: URL) throws -> Int {
    let fm = FileManager.default
    try fm.createDirectory(at: copy, withIntermediateDirectories: false)
    try fm.createDirectory(at: copy.appendingPathComponent("plans"), withIntermediateDirectories: false)
    try fm.copyItem(at: root.appendingPathComponent("strata.yaml"), to: copy.appendingPathComponent("strata.yaml"))
    let plans = root.appendingPathComponent("plans"), ledgers = plans.appendingPathComponent("checkins")
    for name in try fm.contentsOfDirectory(atPath: plans.path).sorted() where name != "checkins" {
        try fm.copyItem(at: plans.appendingPathComponent(name), to: copy.appendingPathComponent("plans").appendingPathComponent(name))
    }
    var joined = "kind: checkins\ncheckins:\n"
    for name in try fm.contentsOfDirectory(atPath: ledgers.path).sorted() {
        let text = try String(contentsOf: ledgers.appendingPathComponent(name), encoding: .utf8)
        guard let list = text.range(of: "\ncheckins:\n") else { throw BenchmarkError("\(ledgers.path)/\(name) has no 'checkins:' list") }
        joined += text[list.upperBound...]
    }
    try Data(joined.utf8).write(to: copy.appendingPathComponent("plans/zz-checkins.yaml"), options: .withoutOverwriting)
    return joined.utf8.count
}

/// `strata build` again over the output `measure` left, the plan unchanged (CI with the
/// output committed, or a second build while editing): every stage runs again, and files
/// whose bytes did not change are linked from the old output instead of written.
func measureRebuild(_ root: URL) throws {
    let rebuild = try seconds {
        var compilation = try Pipeline.compile(root: root)
        compilation.releaseSourceTexts()
        let rollUp = RollUp(graph: compilation.graph, config: compilation.config, asOf: compilation.asOf)
        let diagnostics = DiagnosticCollector()
        let renderer = SiteRenderer(rollUp: rollUp, templates: TemplateSet(overrides: nil, displayFolder: "templates", into: diagnostics))
        try writeSite(renderer, root, diagnostics)
    }
    let data = try JSONSerialization.data(withJSONObject: ["rebuild": rebuild, "peak_rss": peakRSSBytes()], options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// The floor under any build's write: the files the build wrote (read back into memory
/// first), written into a fresh folder beside the plan with plain `open`/`write`/`close` on
/// one thread, nothing rendered or compared; then once more on two threads, and the same
/// files created empty. What the kernel takes to store this output on this machine,
/// measured on the same bytes, in wall and CPU time.
func measureWriteFloor(_ root: URL) throws {
    let output = root.appendingPathComponent("output")
    let target = root.deletingLastPathComponent().appendingPathComponent(root.lastPathComponent + "-write-floor")
    guard !FileManager.default.fileExists(atPath: target.path) else { throw BenchmarkError("\(target.path) exists") }
    var files: [(path: String, bytes: [UInt8])] = []
    var folders: [String] = []
    guard let e = FileManager.default.enumerator(atPath: output.path), FileManager.default.fileExists(atPath: output.appendingPathComponent("index.html").path) else {
        throw BenchmarkError("\(output.path) holds no built site")
    }
    while let p = e.nextObject() as? String {
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: output.appendingPathComponent(p).path, isDirectory: &isFolder)
        if isFolder.boolValue { folders.append(p) } else { files.append((p, [UInt8](FileManager.default.contents(atPath: output.appendingPathComponent(p).path)!))) }
    }
    folders.sort()  // parents before their children
    guard mkdir(target.path, 0o755) == 0 else { throw BenchmarkError("mkdir \(target.path) failed") }
    /// The output's folders and files made again under `base`: with their bytes, or empty
    /// (`withBytes` false: what creating that many files costs on its own). With more than
    /// one thread, the folders are shared out between the threads (a folder's files on one
    /// thread, the heaviest folders first to the least loaded thread), so no two threads
    /// add names to one folder. Gives the wall time and this process's CPU time (user and
    /// system, every thread), the file system's own flusher threads not included.
    func makeTree(_ base: String, withBytes: Bool, threads: Int = 1) throws -> (wall: Double, cpu: Double) {
        // A file's weight for the sharing out: its bytes, and about what creating it costs
        // in bytes written (17 µs a file, at about 1 GB/s).
        var byFolder: [String: [Int]] = [:]
        for (i, f) in files.enumerated() { byFolder[String(f.path[..<(f.path.lastIndex(of: "/") ?? f.path.startIndex)]), default: []].append(i) }
        let weighed = byFolder.map { (folder: $0.key, files: $0.value, weight: $0.value.reduce(0) { $0 + files[$1].bytes.count + 16_384 }) }
        var shares = [[Int]](repeating: [], count: max(1, threads))
        var loads = [Int](repeating: 0, count: shares.count)
        for group in weighed.sorted(by: { ($0.weight, $1.folder) > ($1.weight, $0.folder) }) {
            let lightest = loads.indices.min { loads[$0] < loads[$1] }!
            shares[lightest] += group.files
            loads[lightest] += group.weight
        }
        var failures = [String?](repeating: nil, count: shares.count)
        let cpuBefore = cpuSeconds()
        let time = seconds {
            guard mkdir(base, 0o755) == 0 else { failures[0] = "mkdir \(base)"; return }
            for f in folders where mkdir(base + "/" + f, 0o755) != 0 { failures[0] = "mkdir \(f)"; return }
            failures.withUnsafeMutableBufferPointer { failed in
                DispatchQueue.concurrentPerform(iterations: shares.count) { t in
                    for i in shares[t] {
                        let f = files[i]
                        let fd = open(base + "/" + f.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
                        guard fd >= 0 else { failed[t] = "open \(f.path)"; return }
                        let ok = !withBytes || f.bytes.withUnsafeBytes { buffer -> Bool in
                            var done = 0
                            while done < buffer.count {
                                let n = write(fd, buffer.baseAddress! + done, buffer.count - done)
                                if n <= 0 { return false }
                                done += n
                            }
                            return true
                        }
                        close(fd)
                        guard ok else { failed[t] = "write \(f.path)"; return }
                    }
                }
            }
        }
        let cpu = cpuSeconds() - cpuBefore
        if let failed = failures.compactMap({ $0 }).first { throw BenchmarkError("write floor: \(failed) failed") }
        sync()
        return (time, cpu)
    }
    let one = try makeTree(target.path + "/files", withBytes: true)
    let two = try makeTree(target.path + "/files-two-threads", withBytes: true, threads: 2)
    let create = try makeTree(target.path + "/names", withBytes: false)
    let o: [String: Any] = ["write_floor": one.wall, "write_floor_cpu": one.cpu, "write_floor_two_threads": two.wall, "write_floor_two_threads_cpu": two.cpu,
                            "create_floor": create.wall, "create_floor_cpu": create.cpu,
                            "output_files": files.count, "output_bytes": files.reduce(0) { $0 + $1.bytes.count }]
    print(String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self))
}

func runMeasurement(_ mode: String, _ dir: URL, env: [String: String] = [:]) throws -> [String: Any] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    p.arguments = [mode, dir.path]
    p.environment = ProcessInfo.processInfo.environment.merging(env) { _, new in new }
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0, let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw BenchmarkError("\(mode) failed for \(dir.path)")
    }
    return obj
}

/// A failure the benchmark explains in words (printed as is).
struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `strata-benchmark generate N DIR`: the synthetic plan the benchmark measures, on its own.
/// Writes only into a new or empty folder, so it never replaces anyone's files: a symbolic
/// link is refused whatever it points at (the plan would not land where it was asked to, or
/// the link would be replaced), a folder is created with `mkdir`, and every file is written
/// without overwriting.
func generate(objectives: Int, into dir: URL) throws {
    var info = stat()
    if lstat(dir.path, &info) == 0 {
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw BenchmarkError("\(dir.path) exists and is not a folder (a file or a symbolic link): give a new or empty folder to generate the plan into")
        }
        guard let contents = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
            throw BenchmarkError("cannot read the folder \(dir.path)")
        }
        guard contents.isEmpty else {
            throw BenchmarkError("\(dir.path) is not empty: give a new or empty folder (generate never writes over files)")
        }
    } else {
        let reason = errno
        guard reason == ENOENT else { throw BenchmarkError("cannot look at \(dir.path): \(String(cString: strerror(reason)))") }
        try FileManager.default.createDirectory(at: dir.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard mkdir(dir.path, 0o777) == 0 else {
            throw BenchmarkError("cannot create the folder \(dir.path): \(String(cString: strerror(errno)))")
        }
    }
    let written = try SyntheticPlan(objectives: objectives).write(to: dir)
    print("generated \(objectives) objectives in \(dir.path): \(written.files) files (strata.yaml and the plans), \(written.bytes / 1024) KiB; try `strata check --root \(dir.path)`")
}

func fmt(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }

func runAll(scales: [Int], work: URL, markdown: String?, countInstructions: Bool = false) throws {
    var rows: [(Int, [String: Any])] = []
    // Trees of an earlier run (plans and their built output, ~45,000 files at 20k) are
    // moved aside and deleted after the measurements, not before: on a file system that
    // skips recently freed inodes when it makes new ones (ext4 without a journal, as here),
    // a build run seconds after such a deletion spent up to 20 s more creating its files,
    // and more at the larger scales, which measured the benchmark's clean-up rather than
    // strata. (The rebuild line still measures strata deleting its own old output.)
    let fm = FileManager.default
    let old = work.appendingPathComponent("old-trees-\(getpid())")
    var done: [URL] = []
    // A run that was killed left its moved-aside trees behind: they go with this run's.
    for leftover in (try? fm.contentsOfDirectory(atPath: work.path)) ?? [] where leftover.hasPrefix("old-trees-") {
        try fm.createDirectory(at: old, withIntermediateDirectories: true)
        try? fm.moveItem(at: work.appendingPathComponent(leftover), to: old.appendingPathComponent(leftover))
    }
    // After deleting many files this machine's file system creates new ones several times
    // slower for minutes (docs/benchmarks.md; after a run's own clean-up of about 156,000
    // files, three minutes were not enough in stop 24, ten were): a run started sooner after
    // the last run's clean-up of 10,000 files or more waits out the rest, so back-to-back
    // runs measure strata. The clean-up leaves the time and how many files it deleted.
    let cleanupStamp = work.appendingPathComponent(".last-cleanup")
    let settle = Double(ProcessInfo.processInfo.environment["STRATA_BENCH_SETTLE"] ?? "") ?? 600
    if let text = try? String(contentsOf: cleanupStamp, encoding: .utf8) {
        let fields = text.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if fields.count == 2, fields[1] >= 10_000 {
            let wait = fields[0] + settle - Date().timeIntervalSince1970
            if wait > 0 {
                FileHandle.standardError.write(Data("waiting \(Int(wait.rounded(.up))) s: the last run deleted \(Int(fields[1])) files less than \(Int(settle)) s ago (STRATA_BENCH_SETTLE)\n".utf8))
                Thread.sleep(forTimeInterval: wait)
            }
        }
    }
    defer {
        var deleted = 0
        func remove(_ dir: URL) {
            if let e = fm.enumerator(atPath: dir.path) { while e.nextObject() != nil { deleted += 1 } }
            try? fm.removeItem(at: dir)
        }
        remove(old)
        if ProcessInfo.processInfo.environment["STRATA_BENCH_KEEP"] == nil { for dir in done { remove(dir) } }
        try? "\(Date().timeIntervalSince1970) \(deleted)".write(to: cleanupStamp, atomically: true, encoding: .utf8)
    }
    for n in scales {
        let dir = work.appendingPathComponent("scale-\(n)")
        if fm.fileExists(atPath: dir.path) {
            try fm.createDirectory(at: old, withIntermediateDirectories: true)
            try fm.moveItem(at: dir, to: old.appendingPathComponent(dir.lastPathComponent))
        }
        let gen = try SyntheticPlan(objectives: n).write(to: dir)
        FileHandle.standardError.write(Data("generated \(n) objectives: \(gen.files) files (strata.yaml and the plans), \(gen.bytes / 1024) KiB\n".utf8))
        // Check: three fresh processes, the fastest kept (the machine is shared); the bare
        // parse likewise. Build, peak memory and diff: one process each.
        let checks = try (0..<3).map { _ in try runMeasurement("measure-check", dir) }
        func d(_ o: [String: Any], _ k: String) -> Double { (o[k] as? Double) ?? Double(o[k] as? Int ?? 0) }
        var obj = try runMeasurement("measure", dir)
        // A plan with errors would measure the wrong thing: `strata build` stops at errors.
        // The plan stays in place (not yet in `done`) for a look.
        guard let errors = obj["errors"] as? Int else { throw BenchmarkError("measure gave no count of errors for \(dir.path)") }
        guard errors == 0 else {
            throw BenchmarkError("the synthetic plan of \(n) objectives has \(errors) errors, so `strata build` would stop at them: "
                + "the generator (SyntheticPlan.swift) is out of step with the plan format. See them with `strata check --root \(dir.path)`.")
        }
        for (k, v) in try runMeasurement("measure-stages", dir) { obj[k] = v }
        for (k, v) in checks.min(by: { d($0, "check_total") < d($1, "check_total") })! { obj[k] = v }
        obj["bare_yaml"] = checks.map { d($0, "bare_yaml") }.min()!
        obj["bare_cmark"] = checks.map { d($0, "bare_cmark") }.min()!
        obj["check_runs"] = checks.map { d($0, "check_total") }
        obj["cpu_check"] = checks.map { d($0, "cpu_check") }.min()!
        if n == scales.max() {
            // Before the rebuild, which deletes the first build's output (see above).
            let floorTree = work.appendingPathComponent(dir.lastPathComponent + "-write-floor")
            try fm.createDirectory(at: old, withIntermediateDirectories: true)
            func moveFloorTreeAside(_ suffix: String) throws {
                if fm.fileExists(atPath: floorTree.path) { try fm.moveItem(at: floorTree, to: old.appendingPathComponent(floorTree.lastPathComponent + suffix)) }
            }
            try moveFloorTreeAside("-leftover")  // of a killed run
            for (k, v) in try runMeasurement("measure-write-floor", dir) { obj[k] = v }
            try moveFloorTreeAside("")
            obj["rebuild"] = try runMeasurement("measure-rebuild", dir)["rebuild"]
            obj["diff"] = try runMeasurement("measure-diff", dir)["diff"]
            // Last, as it only adds files: the check with the check-ins in one ledger.
            let oneLedgerDir = work.appendingPathComponent(dir.lastPathComponent + "-one-ledger")
            if fm.fileExists(atPath: oneLedgerDir.path) {
                try fm.moveItem(at: oneLedgerDir, to: old.appendingPathComponent(oneLedgerDir.lastPathComponent + "-leftover"))
            }
            done.append(oneLedgerDir)  // cleaned up at the end, even if copying fails
            obj["one_ledger_bytes"] = try oneLedgerCopy(of: dir, into: oneLedgerDir)
            let ledgerChecks = try (0..<3).map { _ in try runMeasurement("measure-check", oneLedgerDir) }
            guard ledgerChecks.allSatisfy({ d($0, "checkins") == d(checks[0], "checkins") }) else {
                throw BenchmarkError("the plan with one ledger (\(oneLedgerDir.path)) does not have the plan's \(Int(d(checks[0], "checkins"))) check-ins")
            }
            obj["one_ledger_check"] = ledgerChecks.map { d($0, "check_total") }.min()!
        }
        if countInstructions {
            obj["instructions_check"] = try instructions("measure-compile", dir)
            obj["instructions_bare"] = try instructions("measure-bare", dir) - instructions("measure-read", dir)
            obj["instructions_render"] = try instructions("measure-render", dir)
        }
        rows.append((n, obj))
        done.append(dir)
    }
    func d(_ o: [String: Any], _ k: String) -> Double { (o[k] as? Double) ?? Double(o[k] as? Int ?? 0) }
    var md = "| objectives | files | MiB | load | parse ¹ | decode ¹ | parse + decode (parallel) | merge | link | check | roll-up | render | write | check total | bare libyaml | bare cmark | check ÷ bare | build ÷ bare | check peak ÷ input | build peak MiB | build peak ÷ input |\n"
    md += "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    for (n, o) in rows {
        let bare = d(o, "bare_yaml") + d(o, "bare_cmark")
        let check = d(o, "check_total")
        let build = check + d(o, "rollup") + d(o, "render") + d(o, "write")
        let mib = d(o, "bytes") / 1048576
        md += "| \(n) | \(o["files"]!) | \(fmt(mib, 1)) | \(fmt(d(o, "load"))) | \(fmt(d(o, "apart_parse"))) | \(fmt(d(o, "apart_decode"))) | \(fmt(d(o, "parse_decode"))) | \(fmt(d(o, "merge"))) | \(fmt(d(o, "link"))) | \(fmt(d(o, "check"))) | \(fmt(d(o, "rollup"))) | \(fmt(d(o, "render"))) | \(fmt(d(o, "write"))) | \(fmt(check)) | \(fmt(d(o, "bare_yaml"))) | \(fmt(d(o, "bare_cmark"))) | \(fmt(check / bare)) | \(fmt(build / bare)) | \(fmt(d(o, "check_peak_rss") / d(o, "bytes"), 1)) | \(fmt(d(o, "peak_rss") / 1048576, 0)) | \(fmt(d(o, "peak_rss") / d(o, "bytes"), 1)) |\n"
    }
    var notes = ""
    if rows.count >= 2 {
        for i in 1..<rows.count where rows[i].0 == 2 * rows[i - 1].0 {
            let a = rows[i - 1].1, b = rows[i].1
            let ta = d(a, "check_total") + d(a, "rollup") + d(a, "render") + d(a, "write")
            let tb = d(b, "check_total") + d(b, "rollup") + d(b, "render") + d(b, "write")
            notes += "- Doubling \(rows[i - 1].0) → \(rows[i].0) objectives: build time × \(fmt(tb / ta)) (CPU time × \(fmt(d(b, "cpu_build") / d(a, "cpu_build")))), "
                + "check time × \(fmt(d(b, "check_total") / d(a, "check_total"))) (CPU time × \(fmt(d(b, "cpu_check") / d(a, "cpu_check")))).\n"
        }
    }
    if rows.allSatisfy({ d($0.1, "instructions_check") > 0 }) {
        func billions(_ v: Double) -> String { fmt(v / 1e9) }
        for (n, o) in rows {
            notes += "- Instructions at \(n) objectives (callgrind, all threads): check \(billions(d(o, "instructions_check"))) billion, "
                + "bare parse \(billions(d(o, "instructions_bare"))) billion: × \(fmt(d(o, "instructions_check") / d(o, "instructions_bare"))) the work (summed over the check's threads, so not its time on two cores).\n"
        }
        for (n, o) in rows where d(o, "instructions_render") > 0 {
            notes += "- Instructions at \(n) objectives for the build without its writing (check, roll-up and every page rendered into nothing; callgrind, all threads): \(billions(d(o, "instructions_render"))) billion.\n"
        }
        for i in rows.indices.dropFirst() where rows[i].0 == 2 * rows[i - 1].0 {
            notes += "- Doubling \(rows[i - 1].0) → \(rows[i].0) objectives in instructions: check × \(fmt(d(rows[i].1, "instructions_check") / d(rows[i - 1].1, "instructions_check"), 3)), "
                + "bare parse × \(fmt(d(rows[i].1, "instructions_bare") / d(rows[i - 1].1, "instructions_bare"), 3))"
                + (d(rows[i].1, "instructions_render") > 0 ? ", build without writing × \(fmt(d(rows[i].1, "instructions_render") / d(rows[i - 1].1, "instructions_render"), 3))" : "") + ".\n"
        }
    }
    for (n, o) in rows {
        if let runs = o["check_runs"] as? [Double] { notes += "- Check at \(n) objectives, three fresh processes: \(runs.map { fmt($0) }.joined(separator: ", ")) s.\n" }
    }
    if let last = rows.last, d(last.1, "apart_parse") > 0 {
        let o = last.1, bare = d(o, "bare_yaml") + d(o, "bare_cmark")
        notes += "- Parse and decode apart at \(last.0) objectives (¹): strata's parse of every file into its located tree, on \(ProcessInfo.processInfo.activeProcessorCount) cores, \(fmt(d(o, "apart_parse"))) s = \(fmt(d(o, "apart_parse") / bare)) × bare; "
            + "decoding the trees \(fmt(d(o, "apart_decode"))) s; the check's parse + decode in one step per file (check-in ledgers without a tree) \(fmt(d(o, "parse_decode"))) s. "
            + "That compile, stages apart, took \(fmt(d(o, "apart_check_total"))) s in all, against \(fmt(d(o, "check_total"))) s for the check.\n"
    }
    if let last = rows.last, d(last.1, "rebuild") > 0 {
        let o = last.1, build = d(o, "check_total") + d(o, "rollup") + d(o, "render") + d(o, "write")
        notes += "- `strata build` again at \(last.0) objectives, the plan unchanged (unchanged files linked from the old output, not written): \(fmt(d(o, "rebuild"))) s = \(fmt(d(o, "rebuild") / (d(o, "bare_yaml") + d(o, "bare_cmark")))) × bare, against \(fmt(build)) s for the first build.\n"
    }
    if let last = rows.last, d(last.1, "write_floor") > 0 {
        let o = last.1, bare = d(o, "bare_yaml") + d(o, "bare_cmark"), floor = d(o, "write_floor")
        notes += "- The floor under the build's write at \(last.0) objectives: its output (\(o["output_files"]!) files, \(fmt(d(o, "output_bytes") / 1048576, 0)) MiB), written from memory with plain `open`/`write`/`close` on one thread, nothing rendered: \(fmt(floor)) s = \(fmt(floor / bare)) × bare; with the check, \(fmt((floor + d(o, "check_total")) / bare)) × bare before a page is rendered. Only creating its files, empty, the same way: \(fmt(d(o, "create_floor"))) s = \(fmt(d(o, "create_floor") / bare)) × bare.\n"
        if d(o, "write_floor_two_threads") > 0 {
            let two = d(o, "write_floor_two_threads")
            notes += "- The same write on two threads (a folder's files on one thread): \(fmt(two)) s = \(fmt(two / bare)) × bare; with the check, \(fmt((two + d(o, "check_total")) / bare)) × bare before a page is rendered. "
                + "CPU time of this process (the file system's flusher threads not counted): \(fmt(d(o, "write_floor_cpu"))) s on one thread, \(fmt(d(o, "write_floor_two_threads_cpu"))) s on two, "
                + "\(fmt(d(o, "create_floor_cpu"))) s to create the files empty.\n"
        }
    }
    if let last = rows.last, d(last.1, "cpu_build") > 0 {
        // What the 3 × build target leaves on this machine: its wall time on every core at
        // once is the most CPU time a build can use and still meet it.
        let o = last.1, bare = d(o, "bare_yaml") + d(o, "bare_cmark")
        let budget = 3 * bare * Double(ProcessInfo.processInfo.activeProcessorCount)
        let unwritten = d(o, "check_total") + d(o, "rollup") + d(o, "render")
        notes += "- The 3 × build target at \(last.0) objectives is \(fmt(3 * bare)) s, at most \(fmt(budget)) s of CPU time on \(ProcessInfo.processInfo.activeProcessorCount) cores: "
            + "the check process used \(fmt(d(o, "cpu_check"))) s of it, the build process \(fmt(d(o, "cpu_build"))) s (\(fmt(d(o, "cpu_build") / budget)) × the budget). "
            + "Check, roll-up and rendering every page without writing a file take \(fmt(unwritten)) s = \(fmt(unwritten / bare)) × bare."
            + (d(o, "write_floor_cpu") > 0 ? " The check's CPU time and the write floor's (one thread) alone come to \(fmt(d(o, "cpu_check") + d(o, "write_floor_cpu"))) s, \(fmt((d(o, "cpu_check") + d(o, "write_floor_cpu")) / budget)) × the budget, before a page is rendered." : "")
            + "\n"
    }
    if let last = rows.last, d(last.1, "one_ledger_check") > 0 {
        let o = last.1, bare = d(o, "bare_yaml") + d(o, "bare_cmark")
        notes += "- Check at \(last.0) objectives with every check-in in one ledger (\(fmt(d(o, "one_ledger_bytes") / 1048576, 1)) MiB) whose name sorts after every other file, "
            + "fastest of three fresh processes: \(fmt(d(o, "one_ledger_check"))) s = \(fmt(d(o, "one_ledger_check") / bare)) × bare, "
            + "against \(fmt(d(o, "check_total"))) s with the check-ins in a ledger per department. The files are taken largest first, and a ledger over 2 MiB "
            + "is read in pieces of about 1 MiB on every core.\n"
    }
    if let last = rows.last, d(last.1, "diff") > 0 {
        notes += "- `strata diff` of two revisions at \(last.0) objectives: \(fmt(d(last.1, "diff"))) s = \(fmt(d(last.1, "diff") / (2 * d(last.1, "check_total")))) × two checks.\n"
    }
    let machine = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n").first { $0.hasPrefix("model name") }.map { String($0.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let report = """
        Times in seconds (wall clock) on \(machine), \(cores) cores, \(fmt(Double(ProcessInfo.processInfo.physicalMemory) / 1073741824, 0)) GiB. \
        "bare libyaml" and "bare cmark" parse the same bytes with the C libraries alone, single-threaded (fastest of three runs); \
        "check total" is load + parse and decode (both in one step per file, the files in parallel) + merge + link + check, in a fresh process (fastest of three processes, all listed below); \
        ¹ parse and decode on their own, in another fresh process: every file parsed into its located tree (files in parallel), then the trees decoded (in parallel); \
        the check does both in one step per file and decodes check-in ledgers as libyaml reads them, without a tree, so their sum is more than its "parse + decode". \
        build adds roll-up, render (every HTML and Markdown page) and write, measured once in another process. \
        "check peak" is the peak memory (VmHWM) of a check process, "build peak" of the process that checks and builds.

        \(md)
        \(notes)
        """
    print(report)
    if let markdown {
        // The report replaces what is between the two markers; the text after them (notes
        // on earlier runs) stays.
        var doc = (try? String(contentsOfFile: markdown, encoding: .utf8)) ?? ""
        let start = "<!-- results -->", end = "<!-- /results -->"
        var after = ""
        if let r = doc.range(of: start) {
            if let e = doc.range(of: end, range: r.upperBound..<doc.endIndex) { after = String(doc[e.upperBound...]) }
            doc = String(doc[..<r.upperBound])
        } else {
            doc += "\n" + start
        }
        doc += "\n\n" + report + "\n" + end + after
        try doc.write(toFile: markdown, atomically: true, encoding: .utf8)
    }
}

let args = Array(CommandLine.arguments.dropFirst())
// As `strata` does: the measurements (and the bare parses beside them) run with the
// allocator set up as in the command.
SystemMemory.keepFreedMemoryUntilTrimmed()
do {
    if args.first == "generate" {
        guard args.count == 3, let n = Int(args[1]), n >= SyntheticPlan.smallest else {
            FileHandle.standardError.write(Data("usage: strata-benchmark generate OBJECTIVES FOLDER (a whole number of objectives, at least \(SyntheticPlan.smallest); a new or empty folder)\n".utf8))
            exit(2)
        }
        try generate(objectives: n, into: URL(fileURLWithPath: args[2]))
    } else if args.first == "measure", args.count == 2 {
        try measure(URL(fileURLWithPath: args[1]))
    } else if args.first == "measure-check", args.count == 2 {
        try measureCheck(URL(fileURLWithPath: args[1]))
    } else if args.first == "measure-rebuild", args.count == 2 {
        try measureRebuild(URL(fileURLWithPath: args[1]))
    } else if args.first == "measure-write-floor", args.count == 2 {
        try measureWriteFloor(URL(fileURLWithPath: args[1]))
    } else if args.first == "measure-stages", args.count == 2 {
        try measureStages(URL(fileURLWithPath: args[1]))
    } else if args.first == "measure-compile", args.count == 2 {
        try measureCompile(URL(fileURLWithPath: args[1]))
    } else if args.first == "measure-render", args.count == 2 {
        try measureRender(URL(fileURLWithPath: args[1]))
    } else if args.first == "measure-bare" || args.first == "measure-read", args.count == 2 {
        measureBare(URL(fileURLWithPath: args[1]), parse: args.first == "measure-bare")
    } else if args.first == "measure-diff", args.count == 2 {
        try measureDiff(URL(fileURLWithPath: args[1]))
    } else {
        var scales = [1000, 5000, 10000, 20000]
        var work = FileManager.default.temporaryDirectory.appendingPathComponent("strata-benchmark")
        var markdown: String?
        var countInstructions = false
        var i = 0
        while i < args.count {
            if ["--scales", "--work", "--markdown"].contains(args[i]), i + 1 == args.count {
                FileHandle.standardError.write(Data("\(args[i]) needs a value\n".utf8))
                exit(2)
            }
            switch args[i] {
            case "--scales":
                scales = args[i + 1].split(separator: ",").map { Int($0) ?? 0 }
                guard !scales.isEmpty, scales.allSatisfy({ $0 >= SyntheticPlan.smallest }) else {
                    FileHandle.standardError.write(Data("--scales: whole numbers of objectives, each at least \(SyntheticPlan.smallest), separated by commas\n".utf8))
                    exit(2)
                }
                i += 2
            case "--work": work = URL(fileURLWithPath: args[i + 1]); i += 2
            case "--markdown": markdown = args[i + 1]; i += 2
            case "--instructions": countInstructions = true; i += 1
            default: FileHandle.standardError.write(Data("unknown argument \(args[i])\n".utf8)); exit(2)
            }
        }
        try runAll(scales: scales, work: work, markdown: markdown, countInstructions: countInstructions)
    }
} catch {
    FileHandle.standardError.write(Data("strata-benchmark: \(error)\n".utf8))
    exit(1)
}
