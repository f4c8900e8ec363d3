import Foundation

/// The PostgreSQL comparison (`--only pg`, run by `Scripts/bench.sh --postgres`): hub ingest
/// with pull into a new replica, and 200-station convergence, each on one process on an SQLite
/// file, one process on PostgreSQL and three processes on one PostgreSQL database, in the same
/// run with the same code (``IngestBenchmark`` and ``ConvergenceBenchmark`` take the
/// deployment). `parts` picks ingest (with pull), convergence or both.
struct PostgresComparison {
    let options: BenchOptions
    let tree: CountyTree
    let server: PostgresServer
    var ingest = true
    var convergence = true

    /// The three deployments compared, in the order they run.
    var deployments: [HubDeployment] {
        [
            HubDeployment(store: .sqlite, processes: 1, compared: true),
            HubDeployment(store: .postgres(server), processes: 1, compared: true),
            HubDeployment(store: .postgres(server), processes: 3, compared: true),
        ]
    }

    func run(template: URL?, seats: [ConvergenceBenchmark.Seat], into book: inout FigureBook) async throws {
        if ingest {
            for deployment in deployments {
                print("  ingest + pull, \(deployment.name)")
                try await IngestBenchmark(options: options, tree: tree, deployment: deployment).run(into: &book)
            }
        }
        if convergence, let template {
            for deployment in deployments {
                print("  convergence, \(deployment.name)")
                try await ConvergenceBenchmark(options: options, tree: tree).run(template: template, seats: seats, deployment: deployment, into: &book)
            }
        }
    }
}
