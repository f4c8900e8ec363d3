import SyncClient
import SyncModel
import SyncServer
import SyncStore
import TributaryTestSupport

/// The steps of an agreement history. Record writes go through the station's planner (its
/// local checks apply) unless they model a stale view or another implementation, which write
/// straight to the replica (`writeLocal`) for the hub to refuse.
extension AgreementHistory {
    static let names = ["林秀英", "陈志明", "王芳", "黄建国", "郑丽华"]
    static let editable: [String: [String]] = [
        "member": ["name", "phone", "idNumber", "birthYear", "gender"],
        "serviceOrder": ["description", "rating", "requester", "requesterPhone", "doneOn"],
        "activity": ["title", "place", "summary"],
        "transfer": ["note", "releasedOn", "receivedOn"],
    ]
    static let personal: Set<String> = ["phone", "idNumber", "requesterPhone"]
    /// The states of each forward `state` field, in order.
    static let states = [
        "serviceOrder": ["ordered", "dispatched", "accepted", "done", "reviewed"], "transfer": ["requested", "released", "received"],
    ]

    // MARK: Writes through the station

    mutating func create(at station: AgreementStation) throws {
        let type = ["member", "member", "serviceOrder", "activity", "transfer"].randomElement(using: &random)!
        let id = "\(type.prefix(1))\(nextID)"
        nextID += 1
        let unit = random.chance(0.9) ? subtree(of: station).randomElement(using: &random)! : world.tree.ids.randomElement(using: &random)!
        var fields: [String: FieldValue] = ["orgUnitId": .string(unit)]
        var sets: [String: [String: Bool]] = [:]
        switch type {
        case "member":
            fields["name"] = .string(Self.names.randomElement(using: &random)!)
            fields["category"] = .string(["direct", "retired", "floating"].randomElement(using: &random)!)
            if random.chance(0.7) { fields["phone"] = value(for: "phone") }
            if random.chance(0.3) { fields["idNumber"] = value(for: "idNumber") }
        case "serviceOrder":
            fields["category"] = .string(["legalAdvice", "elderCare", "other"].randomElement(using: &random)!)
            fields["orderedOn"] = .string("2026-03-\(10 + Int.random(in: 0...9, using: &random))")
            fields["requester"] = .string(Self.names.randomElement(using: &random)!)
            fields["state"] = "ordered"
            if random.chance(0.7) { fields["requesterPhone"] = value(for: "requesterPhone") }
        case "transfer":
            // In the scope of both units: the destination's stations see it and may write it.
            fields = ["fromOrgUnitId": .string(unit), "toOrgUnitId": .string(world.tree.ids.randomElement(using: &random)!)]
            fields["memberId"] = .string(known.first { $0.type == "member" }?.id ?? "m0")
            fields["requestedOn"] = "2026-03-02"
            fields["state"] = "requested"
        default:
            fields["date"] = .string("2026-04-\(10 + Int.random(in: 0...9, using: &random))")
            fields["kind"] = "themedDay"
            fields["title"] = .string("活动\(Int.random(in: 1...3, using: &random))")
            let members = known.filter { $0.type == "member" }.shuffled(using: &random).prefix(2)
            if !members.isEmpty { sets["attendees"] = Dictionary(uniqueKeysWithValues: members.map { ($0.id, true) }) }
        }
        if !features.allows("personal") { fields = fields.filter { !Self.personal.contains($0.key) } }
        let units = type == "transfer" ? "\(unit) → \(fields["toOrgUnitId"]?.stringValue ?? "")" : unit
        let written = attempt(station, "create \(type)/\(id) in \(units) \(fields.keys.sorted())") {
            try $0.station.put(type: type, id: id, fields: fields, setChanges: sets)
        }
        if written { known.append(RecordKey(type: type, id: id)) }
    }

    mutating func edit(at station: AgreementStation) async throws {
        guard let record = try held(by: station, types: ["member", "serviceOrder", "activity", "transfer"]) else { return }
        // Half of the edits write the type's first field, so that it sees chains of writes.
        let choices = Self.editable[record.key.type]!.filter { features.allows("personal") || !Self.personal.contains($0) }
        let picked = random.chance(0.5) ? [choices[0]] : Array(choices.shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random)))
        let fields = Dictionary(
            uniqueKeysWithValues: picked.map { name in
                (name, random.chance(0.15) && name != "name" && name != "requester" ? FieldValue.null : value(for: name))
            })
        let edited = attempt(station, "edit \(record.key) \(fields.keys.sorted())") {
            try $0.station.put(type: record.key.type, id: record.key.id, fields: fields)
        }
        guard edited, random.chance(0.4) else { return }
        // The clerk corrects the first field once or twice (a chain of writes, each
        // superseding the last), and often syncs at once.
        for _ in 0..<Int.random(in: 1...2, using: &random) {
            world.truth.advance(by: UInt64.random(in: 1_000...3_000, using: &random))
            let fix = FieldValue.string("更正\(nextID)")
            nextID += 1
            attempt(station, "correct \(record.key).\(choices[0])") {
                try $0.station.put(type: record.key.type, id: record.key.id, fields: [choices[0]: fix])
            }
        }
        if random.chance(0.5) { await sync(station) }
    }

    mutating func move(at station: AgreementStation) throws {
        guard let record = try held(by: station, types: ["member", "serviceOrder", "activity"]),
            let from = record.values["orgUnitId"]?.stringValue
        else { return }
        let candidates = (random.chance(0.85) ? subtree(of: station) : world.tree.ids).filter { $0 != from }
        guard let to = candidates.randomElement(using: &random) else { return }
        let direction = direction(from: from, to: to)
        let moved = attempt(station, "move \(record.key) \(from) → \(to) (\(direction))") {
            try $0.station.put(type: record.key.type, id: record.key.id, fields: ["orgUnitId": .string(to)])
        }
        if moved { countMove(record, from: from, to: to, direction: direction) }
    }

    mutating func deleteOrRestore(at station: AgreementStation) throws {
        guard let record = try held(by: station, types: ["member", "serviceOrder", "activity"]) else { return }
        if record.isDeleted || random.chance(0.05) {
            if attempt(station, "restore \(record.key)", { try $0.station.restore(type: record.key.type, id: record.key.id) }) {
                stats.restores += 1
            }
        } else if attempt(station, "delete \(record.key)", { try $0.station.delete(type: record.key.type, id: record.key.id) }) {
            stats.deletes += 1
        }
    }

    mutating func setEdit(at station: AgreementStation) throws {
        guard let record = try held(by: station, types: ["activity"]) else { return }
        let element = (known.filter { $0.type == "member" }.randomElement(using: &random)?.id) ?? "m0"
        let present = random.chance(0.6)
        if attempt(station, "\(present ? "add" : "remove") \(element) in \(record.key).attendees", {
            try $0.station.put(type: record.key.type, id: record.key.id, fields: [:], setChanges: ["attendees": [element: present]])
        }) {
            stats.setEdits += 1
        }
    }

    mutating func advance(at station: AgreementStation) throws {
        guard let record = try held(by: station, types: ["serviceOrder", "transfer"]), let states = Self.states[record.key.type],
            let state = record.values["state"]?.stringValue, let index = states.firstIndex(of: state)
        else { return }
        let target = states[min(states.count - 1, max(0, index + Int.random(in: -1...2, using: &random)))]
        guard target != state else { return }
        if attempt(station, "state of \(record.key) \(state) → \(target)", {
            try $0.station.put(type: record.key.type, id: record.key.id, fields: ["state": .string(target)])
        }) {
            stats.advances += 1
        }
    }

    /// An `orgUnit` write through the station (the README shows `tributary put orgUnit`):
    /// a rename of a unit of its subtree, or a new unit under its own.
    mutating func orgUnitWrite(at station: AgreementStation) throws {
        if random.chance(0.7) {
            let unit = subtree(of: station).randomElement(using: &random)!
            let name = "改名\(Int.random(in: 1...9, using: &random))"
            attempt(station, "rename orgUnit/\(unit)") { try $0.station.put(type: "orgUnit", id: unit, fields: ["name": .string(name)]) }
        } else {
            let id = "\(station.unit)-x\(nextID)"
            nextID += 1
            attempt(station, "create orgUnit/\(id) under \(station.unit)") {
                try $0.station.put(
                    type: "orgUnit", id: id, fields: ["name": "新单位", "kind": "grid", "parentId": .string(station.unit)])
            }
        }
    }

    // MARK: Helpers

    /// Runs a station write; logs it and counts a local refusal. `true` when written.
    @discardableResult
    mutating func attempt(_ station: AgreementStation, _ what: String, _ write: (AgreementStation) throws -> some Any) -> Bool {
        do {
            _ = try write(station)
            note("\(station.name) \(what)")
            return true
        } catch {
            stats.localRefusals += 1
            note("\(station.name) \(what) → refused locally: \((error as? SyncError)?.code.rawValue ?? "\(error)")")
            return false
        }
    }

    /// A record of one of `types` that the station holds, drawn at random — half of the time
    /// among the first few written, so that fields see chains of writes (what compaction and
    /// the conflict rule are about) and not only one write each.
    mutating func held(by station: AgreementStation, types: Set<String>) throws -> RecordState? {
        let keys = known.filter { types.contains($0.type) }
        let records = try keys.prefix(random.chance(0.5) ? 4 : keys.count).compactMap { try station.store.record($0) }
        return records.randomElement(using: &random)
    }

    /// The units of a station's subtree, in tree order.
    func subtree(of station: AgreementStation) -> [String] {
        let units = world.tree.subtree(of: station.unit)
        return world.tree.ids.filter(units.contains)
    }

    /// A value for an editable field, from small pools so that equal and different
    /// concurrent values both happen.
    mutating func value(for field: String) -> FieldValue {
        let pick = Int.random(in: 1...3, using: &random)
        switch field {
        case "phone", "requesterPhone": return .string("1380000000\(pick)")
        case "idNumber": return .string("35052519800101000\(pick)")
        case "birthYear": return .int(Int64(1950 + pick))
        case "gender": return .string(pick == 1 ? "male" : "female")
        case "rating": return .int(Int64(pick))
        case "doneOn": return .string("2026-05-0\(pick)")
        case "name", "requester": return .string(Self.names[pick])
        default: return .string("\(field)-\(pick)")
        }
    }

    /// `up` when `to` is above `from`, `down` when below, else `sideways`.
    func direction(from: String, to: String) -> String {
        if world.tree.ancestors(of: from).contains(to) { return "up" }
        if world.tree.ancestors(of: to).contains(from) { return "down" }
        return "sideways"
    }

    /// Counts a move by direction, and as a personal-field move when the record holds a
    /// personal field and some station goes from owning it to only seeing it, or back.
    mutating func countMove(_ record: RecordState, from: String, to: String, direction: String) {
        switch direction {
        case "up": stats.movesUp += 1
        case "down": stats.movesDown += 1
        default: stats.movesSideways += 1
        }
        let hasPersonal = record.fields.contains { Self.personal.contains($0.key) && $0.value.winner.value != .null }
        let ownershipChanges = world.stations.contains { station in
            let before = ScopeRuleUnderTest.visibility(of: RecordPlace(scope: from), station: station.unit, tree: world.tree)
            let after = ScopeRuleUnderTest.visibility(of: RecordPlace(scope: to), station: station.unit, tree: world.tree)
            return before != after && before != .hidden && after != .hidden
        }
        if hasPersonal && ownershipChanges { stats.personalMoves += 1 }
    }
}
