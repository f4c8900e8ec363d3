/// What a bench run measures and at which sizes.
struct BenchOptions: Sendable {
    /// Small sizes and one run (a CI smoke run, under two minutes).
    var quick = false
    /// The `tributary-hub` binary to run the hub with.
    var hubBinary = ".build/release/tributary-hub"
    /// Township stations pushing at once in the ingest benchmark.
    var stations = 20
    /// Changes per push.
    var batch = 5_000
    /// The county's sizes.
    var sizes = CountyGenerator.Sizes()
    /// Stations in the convergence benchmark.
    var convergenceStations = 200
    /// Changes each of them writes.
    var changesPerStation = 5_000
    /// Where to write a `perf record` profile of the hub during ingest, if anywhere.
    var perfOut: String?

    /// The sizes of the quick mode.
    static func quick(hubBinary: String) -> BenchOptions {
        var options = BenchOptions(quick: true, hubBinary: hubBinary)
        options.sizes = CountyGenerator.Sizes(
            members: 2_000, serviceOrders: 1_000, hours: 10_000, activities: 500, attendeesPerActivity: 60, memberEdits: 400)
        options.convergenceStations = 20
        options.changesPerStation = 500
        return options
    }
}
