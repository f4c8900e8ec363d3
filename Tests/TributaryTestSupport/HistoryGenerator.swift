public import SyncModel

/// Generates random, causally realistic histories of writes over the ``TestSchemas/mixed``
/// schema: several sites write concurrently, each basing its writes on what it knows, and
/// now and then sends part of what it knows to another site (a partial sync).
///
/// The result is the set of every change written. Delivered to fresh replicas in any order,
/// with duplicates, in any batches, it must always give the same state and conflicts.
public struct HistoryGenerator {
    /// The random source; the same seed gives the same history.
    public var random: SeededRandom
    /// The schema written against.
    public let schema = TestSchemas.mixed

    private var sites: [Site] = []
    private var all: [Change] = []
    private var wall: UInt64 = 1_767_225_600_000  // 2026-01-01

    private struct Site {
        var id: SiteID
        var seq: UInt64 = 0
        var clock = HybridLogicalClock()
        var skew: Int64
        var replica: MemoryReplica
        var known: [Change] = []
    }

    private static let units = ["u1", "u2", "u3"]
    private static let notes = ["n1", "n2", "n3", "n4"]
    private static let titles: [FieldValue] = ["早会", "巡查", "review", "plan"]
    private static let tags = ["a", "b", "c", "d", "e"]
    private static let states = ["new", "open", "closed", "archived"]

    /// Creates a generator.
    public init(seed: UInt64) {
        self.random = SeededRandom(seed: seed)
    }

    /// Produces a history of about `steps` actions over `siteCount` sites.
    public mutating func generate(siteCount: Int, steps: Int) -> [Change] {
        sites = (0..<siteCount).map { _ in
            Site(
                id: SiteID(rawValue: random.next() | 1), skew: Int64.random(in: -2_000...2_000, using: &random),
                replica: MemoryReplica(schema: schema))
        }
        all = []
        for _ in 0..<steps {
            wall += UInt64.random(in: 0...40, using: &random)
            let site = Int.random(in: 0..<sites.count, using: &random)
            if random.chance(0.2), sites.count > 1 {
                var other = Int.random(in: 0..<sites.count - 1, using: &random)
                if other >= site { other += 1 }
                partialSync(from: site, to: other)
            } else {
                write(at: site)
            }
        }
        return all
    }

    /// Sends a random part (a prefix or a random subset) of what `from` knows to `to`.
    private mutating func partialSync(from: Int, to: Int) {
        let known = sites[from].known
        guard !known.isEmpty else { return }
        let sent: [Change]
        if random.chance(0.5) {
            sent = Array(known.prefix(Int.random(in: 1...known.count, using: &random)))
        } else {
            sent = known.filter { _ in random.chance(0.6) }
        }
        receive(sent, at: to)
    }

    private mutating func receive(_ changes: [Change], at index: Int) {
        let report = sites[index].replica.apply(changes, context: TestSchemas.lateWall)
        let applied = Set(report.applied)
        for change in changes where applied.contains(change.origin) {
            sites[index].known.append(change)
            sites[index].clock.receive(change.hlc, wallMillis: localWall(index))
        }
    }

    private func localWall(_ index: Int) -> UInt64 {
        UInt64(max(0, Int64(wall) + sites[index].skew))
    }

    /// Makes one write at a site, based on what the site knows.
    private mutating func write(at index: Int) {
        let roll = Double.random(in: 0..<1, using: &random)
        if roll < 0.08 {
            let id = "u\(Int.random(in: 1...3, using: &random))"
            emit(at: index, type: "unit", id: id, scope: id, field: "name", value: pick(Self.titles))
        } else if roll < 0.16 {
            let id = "e\(Int.random(in: 1...6, using: &random))"
            let bases = random.chance(0.15) ? [Version(hlc: HLC(rawValue: 1), site: sites[index].id)] : []
            emit(at: index, type: "entry", id: id, scope: pickString(Self.units), field: "amount",
                 value: .number(Double(Int.random(in: -40...40, using: &random)) / 4), forcedBases: bases)
        } else {
            writeNote(at: index)
        }
    }

    private mutating func writeNote(at index: Int) {
        let id = pickString(Self.notes)
        let scope = pickString(Self.units)
        let record = sites[index].replica.record(RecordKey(type: "note", id: id))
        let roll = Double.random(in: 0..<1, using: &random)
        switch roll {
        case ..<0.30:
            emit(at: index, type: "note", id: id, scope: scope, field: "title", value: pick(Self.titles),
                 settle: random.chance(0.25))
        case ..<0.38:
            emit(at: index, type: "note", id: id, scope: scope, field: "count", value: .int(Int64.random(in: 0...3, using: &random)))
        case ..<0.44:
            emit(at: index, type: "note", id: id, scope: scope, field: "score",
                 value: random.chance(0.5) ? .int(2) : .number(Double(Int.random(in: 0...8, using: &random)) / 8))
        case ..<0.48:
            emit(at: index, type: "note", id: id, scope: scope, field: "done", value: .bool(random.chance(0.5)))
        case ..<0.52:
            emit(at: index, type: "note", id: id, scope: scope, field: "due", value: .string("2026-0\(Int.random(in: 1...9, using: &random))-15"))
        case ..<0.64:
            emit(at: index, type: "note", id: id, scope: scope, field: "state", value: .string(pickString(Self.states)))
        case ..<0.80:
            emit(at: index, type: "note", id: id, scope: scope, field: "tags", element: pickString(Self.tags),
                 value: .bool(random.chance(0.65)))
        case ..<0.86:
            // Immutable: creations only, unless the writer errs and sends an update (refused).
            let exists = record?.fields["code"] != nil
            emit(at: index, type: "note", id: id, scope: scope, field: "code", value: pick(Self.titles),
                 forcedBases: exists && random.chance(0.5) ? [record!.fields["code"]!.winner.version] : [])
        case ..<0.94:
            emit(at: index, type: "note", id: id, scope: scope, field: "_deleted", value: .bool(random.chance(0.7)),
                 settle: random.chance(0.3))
        case ..<0.97:
            emit(at: index, type: "note", id: id, scope: scope, field: "unit", value: .string(scope))
        default:
            // An invalid write: refused the same way everywhere.
            emit(at: index, type: "note", id: id, scope: scope, field: random.chance(0.5) ? "nosuch" : "count",
                 value: .string("x"))
        }
    }

    /// Writes one change at a site: bases from what the site knows (lww: the winner, or every
    /// head when settling), a fresh clock value, the next seq.
    private mutating func emit(
        at index: Int, type: String, id: String, scope: String, field: String, element: String? = nil,
        value: FieldValue, settle: Bool = false, forcedBases: [Version]? = nil
    ) {
        let key = FieldKey(type: type, id: id, field: field, element: element)
        var bases: [Version] = []
        if let forcedBases {
            bases = forcedBases
        } else if schema.policy(of: key) == .lww, let state = sites[index].replica.fields[key] {
            bases = settle ? state.heads.map(\.version) : [state.winner.version]
        }
        sites[index].seq += 1
        let hlc = sites[index].clock.now(wallMillis: localWall(index))
        let change = Change(
            site: sites[index].id, seq: sites[index].seq, hlc: hlc, type: type, id: id, scope: scope, field: field,
            element: element, value: value, bases: bases)
        all.append(change)
        sites[index].replica.apply([change], context: TestSchemas.lateWall)
        sites[index].known.append(change)
    }

    private mutating func pick(_ values: [FieldValue]) -> FieldValue {
        values[Int.random(in: 0..<values.count, using: &random)]
    }

    private mutating func pickString(_ values: [String]) -> String {
        values[Int.random(in: 0..<values.count, using: &random)]
    }
}

extension Array {
    /// This array delivered as a network might: shuffled, with some elements repeated.
    public func deliveredShuffled(using random: inout SeededRandom, duplicates: Double = 0.15) -> [Element] {
        var out = self
        for element in self where random.chance(duplicates) {
            out.append(element)
        }
        out.shuffle(using: &random)
        return out
    }

    /// This array cut into random consecutive batches.
    public func randomBatches(using random: inout SeededRandom, maxSize: Int = 16) -> [[Element]] {
        var batches: [[Element]] = []
        var index = 0
        while index < count {
            let size = Int.random(in: 1...Swift.max(1, maxSize), using: &random)
            batches.append(Array(self[index..<Swift.min(count, index + size)]))
            index += size
        }
        return batches
    }
}
