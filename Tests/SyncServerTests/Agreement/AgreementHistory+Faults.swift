import SyncClient
import SyncModel
import SyncServer
import SyncStore
import TributaryTestSupport

/// The steps of an agreement history that go around the happy path: writes the hub refuses,
/// clocks that jump, stations that arrive late, compaction.
extension AgreementHistory {
    /// A write made straight to the replica, past the planner: a station whose view is out of
    /// date (the record moved at the hub after its last pull) or another implementation. It
    /// edits a record it holds (maybe one it only sees), moves one out of its subtree, or
    /// creates one outside its subtree; the hub refuses what is not its to write.
    mutating func staleWrite(at station: AgreementStation) throws {
        stats.staleWrites += 1
        let outside = world.tree.ids.filter { !world.tree.subtree(of: station.unit).contains($0) }
        let record = try held(by: station, types: ["member", "serviceOrder", "activity"])
        let edits: [LocalEdit]
        let what: String
        if let record, let scope = try station.store.scope(of: record.key), random.chance(0.75) {
            if random.chance(0.7) || outside.isEmpty {
                let field = Self.editable[record.key.type]!.randomElement(using: &random)!
                edits = [LocalEdit(key: FieldKey(type: record.key.type, id: record.key.id, field: field), scope: scope, value: value(for: field))]
                what = "\(record.key).\(field) (claims \(scope))"
            } else {
                let to = outside.randomElement(using: &random)!
                edits = [LocalEdit(key: FieldKey(type: record.key.type, id: record.key.id, field: "orgUnitId"), scope: to, value: .string(to))]
                what = "move \(record.key) \(scope) → \(to)"
            }
        } else {
            guard let unit = outside.randomElement(using: &random) else { return }
            let id = "m\(nextID)"
            nextID += 1
            let fields: [String: FieldValue] = [
                "name": .string(Self.names.randomElement(using: &random)!), "orgUnitId": .string(unit), "category": "retired",
                "phone": value(for: "phone"),
            ]
            edits = fields.sorted { $0.key < $1.key }.map {
                LocalEdit(key: FieldKey(type: "member", id: id, field: $0.key), scope: unit, value: $0.value)
            }
            what = "create member/\(id) in \(unit)"
            known.append(RecordKey(type: "member", id: id))
        }
        do throws(SyncError) {
            let changes = try station.store.writeLocal(edits)
            note("\(station.name) stale write \(what) → seq \(changes.map(\.seq))")
        } catch {
            note("\(station.name) stale write \(what) → refused by the replica: \(error.code.rawValue)")
        }
    }

    /// A station's clock jumps beyond the allowed drift (mostly forwards), or comes back.
    mutating func clockJump(_ station: AgreementStation) {
        if station.isJumped {
            station.setClock(offset: nil)
            note("clock \(station.name) back to normal")
            return
        }
        let minutes = Int64.random(in: 11...60, using: &random) * (random.chance(0.75) ? 1 : -1)
        station.setClock(offset: minutes * 60_000)
        stats.clockJumps += 1
        note("clock \(station.name) jumps \(minutes > 0 ? "+" : "")\(minutes) min")
    }

    /// A new station registers at a random unit and bootstraps from a snapshot at once.
    mutating func newStation() async throws {
        extraStations += 1
        let unit = world.tree.ids.randomElement(using: &random)!
        let station = try await addStation(name: "new\(extraStations)", unit: unit)
        let before = stats.hubRefusals
        await sync(station)
        if stats.hubRefusals == before, !known.isEmpty { stats.bootstraps += 1 }
    }

    /// The hub compacts, with a retention that leaves part of its log old enough to drop
    /// (`short`: a few minutes later, with a retention of at most five seconds, so that
    /// nearly everything superseded goes — stations' clocks, and so the versions they stamp,
    /// may run up to two minutes ahead of the hub's wall clock).
    mutating func compact(short: Bool = false) async throws {
        if short { world.truth.advance(by: UInt64.random(in: 150_000...240_000, using: &random)) }
        let elapsed = world.truth.now - AgreementWorld.start
        let retention = UInt64.random(in: 0...(short ? 5_000 : random.chance(0.7) ? 20_000 : elapsed / 4), using: &random)
        let report = try await world.compact(retentionMillis: retention)
        if report.droppedLogEntries > 0 { stats.compactions += 1 }
        note("hub compacts (retention \(retention / 1_000) s): dropped \(report.droppedLogEntries), kept \(report.remainingLogEntries)")
    }
}
