import ArgumentParser
import Foundation

/// `tributary-bench`: generates a realistic county and measures the hub and the station in
/// release mode; writes results.json and RESULTS.md (see Scripts/bench.sh).
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tributary-bench",
        abstract: "Measure ingest, pull, wire size, convergence, station writes and hub memory.",
        discussion: """
            Run it through Scripts/bench.sh, which builds in release mode first.
            Example:
              tributary-bench --runs 3 --json Benchmarks/results.json --markdown Benchmarks/RESULTS.md
            """)

    @Flag(help: "Small sizes, one run: a smoke run that finishes in under two minutes.")
    var quick = false

    @Option(help: "Runs of each benchmark (the median is reported).")
    var runs: Int?

    @Option(help: "Benchmarks to run: ingest, store, replica, snapshot, convergence, station; or pg (the PostgreSQL comparison: pg-ingest and pg-convergence) (comma-separated).")
    var only = "ingest,store,replica,snapshot,convergence,station"

    @Option(help: "The tributary-hub binary.")
    var hub = ".build/release/tributary-hub"

    @Option(help: "The sample county file.")
    var county = CountyTree.defaultPath()

    @Option(help: "The commit measured (for the report).")
    var commit = "unknown"

    @Option(help: "Write the results as JSON here.")
    var json: String?

    @Option(help: "Write the Markdown report here.")
    var markdown: String?

    @Option(help: "Hand-written notes appended to the Markdown report.")
    var notes: String?

    @Option(help: "Write a perf profile of the hub during the (first) ingest here.")
    var perfOut: String?

    @Option(help: "Start no further run once another would likely end after this many seconds (the runs done are reported).")
    var budget: Double?

    @Option(help: "A PostgreSQL database URL (libpq form, `?host=DIR` for a unix socket) on whose server the pg benchmarks create their databases.")
    var postgres: String?

    func run() async throws {
        var options = quick ? BenchOptions.quick(hubBinary: hub) : BenchOptions(hubBinary: hub)
        options.perfOut = perfOut
        let runs = self.runs ?? (quick ? 1 : 3)
        let tree = try CountyTree.load(path: county)
        var selected = Set(only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        if selected.remove("pg") != nil { selected.formUnion(["pg-ingest", "pg-convergence"]) }
        let comparing = !selected.isDisjoint(with: ["pg-ingest", "pg-convergence"])
        var server: PostgresServer?
        if comparing {
            guard let postgres else { throw BenchError("the pg benchmarks need --postgres URL (Scripts/bench.sh --postgres starts a server)") }
            server = try PostgresServer(url: postgres)
        }
        var book = FigureBook()
        print("tributary-bench: \(quick ? "quick" : "full") mode, \(runs) run(s), county of \(tree.units.count) units, \(tree.townships.count) townships")

        var convergenceTemplate: URL?
        let convergence = ConvergenceBenchmark(options: options, tree: tree)
        let seats = convergence.seats()
        if selected.contains("convergence") || selected.contains("pg-convergence") {
            let template = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-bench-stations-\(UUID().uuidString.prefix(8))")
            print("writing \(seats.count) station replicas × \(options.changesPerStation) changes …")
            try convergence.writeTemplate(seats, at: template)
            convergenceTemplate = template
        }
        defer { if let convergenceTemplate { try? FileManager.default.removeItem(at: convergenceTemplate) } }

        let started = ContinuousClock.now
        var completed = 0
        for run in 1...runs {
            let elapsed = (ContinuousClock.now - started).seconds
            if let budget, completed > 0, elapsed + elapsed / Double(completed) > budget {
                print("stopping after \(completed) of \(runs) runs: another would end after the \(Int(budget)) s budget")
                break
            }
            print("run \(run)/\(runs)")
            var runOptions = options
            if run > 1 { runOptions.perfOut = nil }
            if selected.contains("station") {
                print(" station"); try StationBenchmark(options: runOptions, tree: tree).run(into: &book)
            }
            if selected.contains("snapshot") {
                print(" snapshot"); try await SnapshotBenchmark(options: runOptions, tree: tree).run(into: &book)
            }
            if selected.contains("store") {
                print(" store ingest"); try await StoreIngestBenchmark(options: runOptions, tree: tree).run(into: &book)
            }
            if selected.contains("replica") {
                print(" replica apply"); try StoreIngestBenchmark(options: runOptions, tree: tree).replicaApply(into: &book)
            }
            if selected.contains("ingest") {
                print(" ingest + pull"); try await IngestBenchmark(options: runOptions, tree: tree).run(into: &book)
            }
            if let server {
                print(" SQLite and PostgreSQL compared")
                try await PostgresComparison(
                    options: runOptions, tree: tree, server: server, ingest: selected.contains("pg-ingest"), convergence: selected.contains("pg-convergence")
                ).run(template: convergenceTemplate, seats: seats, into: &book)
            }
            if let convergenceTemplate, selected.contains("convergence") {
                print(" convergence"); try await convergence.run(template: convergenceTemplate, seats: seats, into: &book)
            }
            completed += 1
        }

        let formatter = ISO8601DateFormatter()
        let results = BenchResults(
            machine: BenchResults.machine(), date: formatter.string(from: Date()), commit: commit, mode: quick ? "quick" : "full",
            runs: completed, figures: book.figures, checks: book.checks, postgres: server?.describe())
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(results).write(to: URL(fileURLWithPath: json))
        }
        if let markdown {
            let appendix = notes.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
            try ReportWriter(results: results, notes: appendix).markdown().write(toFile: markdown, atomically: true, encoding: .utf8)
        }
        print(ReportWriter(results: results, notes: nil).table())
        if book.checks.values.contains(false) {
            throw ExitCode(2)
        }
    }
}
