import SyncModel

/// One county year as the ingest benchmarks replay it: the member register the hub holds
/// before the year starts (its ~100k live fields), and each township station's own changes —
/// orders, time bank, activities and member corrections — stamped as the station wrote them.
struct CountyYear {
    /// The register, written by one registry site.
    var register: [Change]
    /// Each township with the changes its station writes, in seq order.
    var stations: [(township: String, changes: [Change])]

    /// The number of changes the township stations write.
    var stationChanges: Int { stations.reduce(0) { $0 + $1.changes.count } }

    /// Generates the year for the first `stations` townships of `tree`.
    init(tree: CountyTree, sizes: CountyGenerator.Sizes, stations count: Int, schema: Schema, startMillis: UInt64) {
        var generator = CountyGenerator(tree: tree)
        let members = generator.register(count: sizes.members)
        var registry = SiteWriter(site: .random(), schema: schema, startMillis: startMillis)
        for member in members { registry.write(member.edits) }
        register = registry.changes
        let registered = registry.versions
        let townshipOf = Dictionary(tree.townships.flatMap { t in tree.recordUnits(of: t).map { ($0, t) } }, uniquingKeysWith: { a, _ in a })
        var byTownship: [String: [(id: String, unit: String)]] = [:]
        for member in members { byTownship[townshipOf[member.unit] ?? tree.root, default: []].append((member.id, member.unit)) }

        let townships = Array(tree.townships.prefix(count))
        stations = townships.map { township in
            let members = byTownship[township] ?? []
            let ids = Set(members.map(\.id))
            var writer = SiteWriter(
                site: .random(), schema: schema, startMillis: startMillis + 86_400_000,
                known: registered.filter { ids.contains($0.key.id) })
            for save in generator.township(township, share: 1 / Double(townships.count), sizes: sizes, members: members) {
                writer.write(save)
            }
            return (township, writer.changes)
        }
    }

    /// `changes` cut into push batches of at most `size`.
    static func batches(_ changes: [Change], size: Int) -> [[Change]] {
        stride(from: 0, to: changes.count, by: size).map { Array(changes[$0..<min($0 + size, changes.count)]) }
    }
}
