import TributaryTestSupport

/// A field value as the replica's `log.value` column stores it.
enum StoredValue: Hashable, Sendable, CustomStringConvertible {
    case text(String)
    case int(Int64)
    case real(Double)
    case bool(Bool)

    var description: String {
        switch self {
        case .text(let s): "\"\(s)\""
        case .int(let i): "\(i)"
        case .real(let d): "\(d)"
        case .bool(let b): "\(b)"
        }
    }
}

/// One field (or set element) a write the station acknowledged must have left in the hub's
/// log — or among the refusals.
struct ExpectedChange: Hashable, Sendable, CustomStringConvertible {
    var type: String
    var id: String
    var field: String
    var element: String?
    var value: StoredValue

    var description: String { "\(type)/\(id).\(field)\(element.map { "[\($0)]" } ?? "") = \(value)" }
}

/// One command the driver gives a station, and what it must leave behind if it succeeds.
struct PlannedWrite: Sendable {
    /// What kind of write (for the figures), e.g. `lww`, `forward`, `set`.
    var kind: String
    /// The `tributary` arguments.
    var args: [String]
    /// What the hub must hold once the station acknowledged the write.
    var expected: [ExpectedChange]
    /// Whether the station is expected to refuse it (an edit of an append-only record).
    var expectsRefusal = false
    /// What the write does to the driver's picture of the station, once it succeeded.
    var effect: Effect?

    /// What a write changes in the driver's picture of its station.
    enum Effect: Sendable {
        /// A record it created.
        case created(type: String, id: String)
        /// An attendee it added to, or removed from, an activity.
        case attendee(activity: String, member: String, added: Bool)
        /// A member it deleted or restored.
        case deleted(member: String, deleted: Bool)
    }
}

/// The county the soak writes into: townships and their communities, from the sample CSV.
struct County: Sendable {
    /// Township id → community (and village) ids below it.
    var communities: [String: [String]]
    /// Townships in file order.
    var townships: [String]
    /// The root of the tree (the county).
    var root: String?

    init(csv: String) {
        var communities: [String: [String]] = [:]
        var townships: [String] = []
        var root: String?
        for line in csv.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count >= 4 else { continue }
            if cells[2] == "township" { townships.append(cells[0]) }
            if cells[3].isEmpty { root = cells[0] }
            if cells[2] == "community" || cells[2] == "village" { communities[cells[3], default: []].append(cells[0]) }
        }
        self.communities = communities
        self.root = root
        self.townships = townships.filter { !(communities[$0] ?? []).isEmpty }
    }
}

/// The records each township shares between its station and the county station, so that
/// both edit them concurrently.
enum Shared {
    static let members = 4
    static func member(_ township: String, _ k: Int) -> String { "sm-\(township)-\(k)" }
    static func order(_ township: String) -> String { "so-\(township)-shared" }
    static func activity(_ township: String) -> String { "act-\(township)-shared" }
    static func meeting(_ township: String) -> String { "mt-\(township)-shared" }
    static func demand(_ township: String) -> String { "dm-\(township)-shared" }

    /// The writes that create a township's shared records (by its own station, at set-up).
    static func creations(_ township: String, county: County) -> [PlannedWrite] {
        let unit = county.communities[township]![0]
        var writes: [PlannedWrite] = []
        for k in 0..<members {
            writes.append(Workload.put("create", "member", member(township, k), [
                ("name", .text("共管党员\(k)")), ("category", .text("retired")), ("orgUnitId", .text(unit)),
            ]))
        }
        writes.append(Workload.put("create", "serviceOrder", order(township), [
            ("category", .text("elderCare")), ("orderedOn", .text("2025-06-01")), ("orgUnitId", .text(unit)),
            ("requester", .text("居民")), ("state", .text("ordered")),
        ]))
        writes.append(Workload.put("create", "activity", activity(township), [
            ("date", .text("2025-06-28")), ("kind", .text("unifiedActivityDay")), ("orgUnitId", .text(unit)), ("title", .text("统一活动日")),
        ]))
        writes.append(Workload.put("create", "meeting", meeting(township), [
            ("date", .text("2025-06-20")), ("kind", .text("deliberation")), ("orgUnitId", .text(unit)),
        ]))
        writes.append(Workload.put("create", "demand", demand(township), [
            ("category", .text("elderCare")), ("orgUnitId", .text(unit)), ("raisedOn", .text("2025-06-02")),
            ("state", .text("open")), ("title", .text("助老")),
        ]))
        return writes
    }
}

/// The random writes of one station: every merge policy of the county-work schema (lww,
/// forward states, sets with add and remove, immutable and append-only records, deletes and
/// restores, scope moves), on its own records and on the records it shares with others.
struct Workload: Sendable {
    let station: Int
    /// The station's township, or `nil` for the county station (which writes anywhere).
    let township: String?
    let county: County
    /// Townships of the soak (those with a station).
    let townships: [String]
    private var random: SeededRandom
    private var counter = 0
    /// Records this station created: type → ids, with their township.
    private var own: [String: [(id: String, township: String)]] = [:]
    /// Attendees this station added, by activity: it removes only those, so that a removal
    /// always writes (a removal of an element it does not hold would write nothing).
    private var attendees: [String: Set<String>] = [:]
    /// Members this station deleted, by township: it restores only those, for the same reason.
    private var deleted: [String: Set<String>] = [:]

    init(station: Int, township: String?, county: County, townships: [String], seed: UInt64) {
        self.station = station
        self.township = township
        self.county = county
        self.townships = townships
        self.random = SeededRandom(seed: seed)
    }

    /// Notes what a write the station acknowledged did.
    mutating func remember(_ effect: PlannedWrite.Effect, township: String) {
        switch effect {
        case .created(let type, let id): own[type, default: []].append((id, township))
        case .attendee(let activity, let member, true): attendees[activity, default: []].insert(member)
        case .attendee(let activity, let member, false): attendees[activity]?.remove(member)
        case .deleted(let member, true): deleted[township, default: []].insert(member)
        case .deleted(let member, false): deleted[township]?.remove(member)
        }
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
    private mutating func unique(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)-s\(station)-\(counter)"
    }

    /// The next random write.
    mutating func next() -> (write: PlannedWrite, township: String) {
        let home = township ?? pick(townships)
        let unit = pick(county.communities[home]!)
        let shared = Shared.member(home, Int(random.next() % UInt64(Shared.members)))
        let roll = random.next() % 100
        switch roll {
        case 0..<12:
            let id = unique("m")
            return (Self.put("create", "member", id, [
                ("name", .text(unique("党员"))), ("category", .text(pick(["direct", "inService", "retired", "floating"]))),
                ("orgUnitId", .text(unit)), ("birthYear", .int(Int64(1940 + random.next() % 60))),
            ]), home)
        case 12..<32:
            let field: (String, StoredValue) = pick([
                ("name", .text(unique("名"))), ("birthYear", .int(Int64(1940 + random.next() % 60))),
                ("category", .text(pick(["direct", "inService", "retired", "floating", "laidOff"]))),
            ])
            return (Self.put("lww", "member", shared, [field]), home)
        case 32..<40:
            let mine = ownRecord("member", in: home) ?? shared
            return (Self.put("lww", "member", mine, [("name", .text(unique("名")))]), home)
        case 40..<48:
            return (Self.put("create", "serviceOrder", unique("so"), [
                ("category", .text(pick(["legalAdvice", "applianceRepair", "other"]))), ("orderedOn", .text("2025-07-01")),
                ("orgUnitId", .text(unit)), ("requester", .text(unique("居民"))), ("state", .text("ordered")),
            ]), home)
        case 48..<58:
            let order = ownRecord("serviceOrder", in: home).flatMap { random.chance(0.5) ? $0 : nil } ?? Shared.order(home)
            return (Self.put("forward", "serviceOrder", order, [("state", .text(pick(["dispatched", "accepted", "done", "reviewed"])))]), home)
        case 58..<62:
            return (Self.put("forward", "demand", Shared.demand(home), [("state", .text(pick(["matched", "met"])))]), home)
        case 62..<72:
            let activity = Shared.activity(home)
            let mine = (attendees[activity] ?? []).sorted()
            let add = mine.isEmpty || random.chance(0.6)
            let member = add ? Shared.member(home, Int(random.next() % UInt64(Shared.members))) : pick(mine)
            var write = Self.put("set", "activity", activity, [])
            write.args.append("attendees=\(add ? "+" : "-")\(member)")
            write.expected = [ExpectedChange(type: "activity", id: activity, field: "attendees", element: member, value: .bool(add))]
            write.effect = .attendee(activity: activity, member: member, added: add)
            return (write, home)
        case 72..<80:
            return (Self.put("appendOnly", "volunteerHours", unique("vh"), [
                ("date", .text("2025-07-02")), ("hours", .real(Double(1 + random.next() % 8) / 2)), ("memberId", .text(shared)),
                ("orgUnitId", .text(unit)),
            ]), home)
        case 80..<86:
            return (Self.put("lww", "meeting", Shared.meeting(home), [("minutes", .text(unique("纪要")))]), home)
        case 86..<92:
            let restorable = (deleted[home] ?? []).sorted()
            let delete = restorable.isEmpty || random.chance(0.5)
            let target = !delete ? pick(restorable) : random.chance(0.5) ? shared : (ownRecord("member", in: home) ?? shared)
            return (PlannedWrite(
                kind: "delete", args: [delete ? "delete" : "restore", "member", target],
                expected: [ExpectedChange(type: "member", id: target, field: "_deleted", element: nil, value: .bool(delete))],
                effect: .deleted(member: target, deleted: delete)), home)
        case 92..<96:
            // A move: the county station moves shared members between townships (the old
            // township's station may be editing them); a township station within its own.
            let destination = township == nil ? pick(county.communities[pick(townships)]!) : unit
            return (Self.put("move", "member", shared, [("orgUnitId", .text(destination))]), home)
        case 96..<98:
            let other = pick(townships)
            return (Self.put("immutable", "transfer", unique("tr"), [
                ("memberId", .text(shared)), ("fromOrgUnitId", .text(unit)), ("toOrgUnitId", .text(pick(county.communities[other]!))),
                ("requestedOn", .text("2025-07-03")), ("state", .text("requested")),
            ]), home)
        default:
            guard let entry = ownRecord("volunteerHours", in: home) else {
                return (Self.put("appendOnly", "volunteerHours", unique("vh"), [
                    ("date", .text("2025-07-04")), ("hours", .real(-0.5)), ("memberId", .text(shared)), ("orgUnitId", .text(unit)),
                ]), home)
            }
            var write = Self.put("appendOnlyEdit", "volunteerHours", entry, [("hours", .real(99))])
            write.expectsRefusal = true
            write.expected = []
            return (write, home)
        }
    }

    private mutating func ownRecord(_ type: String, in township: String) -> String? {
        let candidates = (own[type] ?? []).filter { $0.township == township }
        return candidates.isEmpty ? nil : pick(candidates).id
    }

    /// A `put` of `fields` on `type/id`.
    static func put(_ kind: String, _ type: String, _ id: String, _ fields: [(String, StoredValue)]) -> PlannedWrite {
        var args = ["put", type, id]
        var expected: [ExpectedChange] = []
        for (name, value) in fields {
            let text: String
            switch value {
            case .text(let s): text = s
            case .int(let i): text = String(i)
            case .real(let d): text = String(d)
            case .bool(let b): text = String(b)
            }
            args.append("\(name)=\(text)")
            expected.append(ExpectedChange(type: type, id: id, field: name, element: nil, value: value))
        }
        let creates = kind == "create" || kind == "appendOnly" || kind == "immutable"
        return PlannedWrite(kind: kind, args: args, expected: expected, effect: creates ? .created(type: type, id: id) : nil)
    }
}
