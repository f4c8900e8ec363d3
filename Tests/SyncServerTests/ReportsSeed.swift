import Foundation
import SyncModel
import SyncServer
import SyncStore
import TributaryTestSupport

/// A county dataset for the report tests, kept twice: as plain Swift values (from which the
/// tests compute every expected total on their own) and written to the hub through its
/// replica's own write path (`ReplicaStore.writeLocal`).
///
/// Records sit in the fixture's communities and, a few, directly in township yc-t01; some are
/// deleted afterwards and must not count.
struct ReportsSeed {
    struct Member { var id, unit, category, name: String; var deleted = false }
    struct Order { var id, unit, category, state, orderedOn: String; var doneOn: String?; var rating: Int64?; var deleted = false }
    struct Hours { var id, member, unit, date: String; var team: String?; var hours: Double }
    struct Activity { var id, unit, kind, date: String; var attendees: [String] }
    struct Wish { var id, unit, state, postedOn: String }
    struct Incident { var id, unit, state, reportedOn: String }
    struct Transfer { var id, member, from, to, state, requestedOn: String }
    struct Partner { var id, unit, name: String; var year: Int64; var by, of: Double }
    struct Team { var id, unit, name: String }

    static let units = ["yc-t01-c01", "yc-t01-c02", "yc-t02-c01", "yc-t01"]
    static let xss = "<script>alert(1)</script>"

    var members: [Member] = []
    var orders: [Order] = []
    var hours: [Hours] = []
    var activities: [Activity] = []
    var wishes: [Wish] = []
    var incidents: [Incident] = []
    var transfers: [Transfer] = []
    var partners: [Partner] = []
    var teams: [Team] = []

    /// The dataset, from a seed.
    init(seed: UInt64 = 7) {
        var random = SeededRandom(seed: seed)
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        let categories = ["direct", "inService", "retired", "floating", "laidOff"]
        for index in 0..<60 {
            let unit = Self.units[index % Self.units.count]
            let name = index == 5 ? Self.xss : "党员\(index)"
            members.append(Member(id: "m-\(index)", unit: unit, category: pick(categories), name: name, deleted: index == 7))
        }
        for (index, unit) in Self.units.enumerated() {
            teams.append(Team(id: "team-\(index)", unit: unit, name: "志愿服务队 \(index), \"先锋\""))
        }
        let states = ["ordered", "dispatched", "accepted", "done", "reviewed"]
        let orderCategories = ["legalAdvice", "applianceRepair", "billPayment", "parcelPickup", "elderCare", "other"]
        for index in 0..<80 {
            let state = pick(states)
            let day = 1 + Int(random.next() % 28)
            let month = 1 + Int(random.next() % 6)
            let orderedOn = String(format: "2025-%02d-%02d", month, day)
            let finished = state == "done" || state == "reviewed"
            let doneOn = finished ? CivilDateText.add(Int(random.next() % 9), to: orderedOn) : nil
            orders.append(
                Order(
                    id: "o-\(index)", unit: Self.units[index % Self.units.count], category: pick(orderCategories), state: state,
                    orderedOn: orderedOn, doneOn: doneOn, rating: state == "reviewed" ? Int64(1 + random.next() % 5) : nil,
                    deleted: index == 11))
        }
        let live = members.filter { !$0.deleted }
        for index in 0..<200 {
            let member = live[index % live.count]
            let month = 1 + index % 6
            let value = index % 17 == 0 ? -1.5 : Double(1 + index % 4) / 2
            hours.append(
                Hours(
                    id: "h-\(index)", member: member.id, unit: member.unit, date: String(format: "2025-%02d-%02d", month, 1 + index % 27),
                    team: index % 5 == 0 ? nil : "team-\(index % teams.count)", hours: value))
        }
        // 40 hours in two entries: an entry holds at most a day's hours (county-work's hours range is −24…24).
        hours.append(Hours(id: "h-top", member: "m-5", unit: "yc-t01-c02", date: "2025-05-05", team: "team-1", hours: 20))
        hours.append(Hours(id: "h-top2", member: "m-5", unit: "yc-t01-c02", date: "2025-05-05", team: "team-1", hours: 20))
        for index in 0..<24 {
            let unit = Self.units[index % Self.units.count]
            let here = live.filter { $0.unit == unit }.map(\.id)
            activities.append(
                Activity(
                    id: "a-\(index)", unit: unit, kind: index % 3 == 0 ? "unifiedActivityDay" : "themedDay",
                    date: String(format: "2025-%02d-%02d", 1 + index % 6, 20 + index % 5), attendees: Array(here.prefix(index % 6))))
        }
        for index in 0..<30 {
            wishes.append(Wish(id: "w-\(index)", unit: Self.units[index % 4], state: pick(["posted", "claimed", "fulfilled"]),
                postedOn: String(format: "2025-%02d-10", 1 + index % 6)))
            incidents.append(Incident(id: "g-\(index)", unit: Self.units[(index + 1) % 4], state: pick(["reported", "handling", "resolved"]),
                reportedOn: String(format: "2025-%02d-%02d", 1 + index % 6, 1 + index % 20)))
        }
        for index in 0..<6 {
            let member = live[index * 3]
            let to = Self.units.first { $0 != member.unit }!
            transfers.append(Transfer(id: "tr-\(index)", member: member.id, from: member.unit, to: to,
                state: ["requested", "released", "received"][index % 3], requestedOn: String(format: "2025-0%d-01", 1 + index % 5)))
        }
        for index in 0..<5 {
            partners.append(Partner(id: "p-\(index)", unit: Self.units[index % 4], name: "共建单位\(index)", year: 2024, by: 90 + Double(index), of: 85.5))
        }
    }

    /// Writes the dataset to the hub's replica, then deletes the records marked deleted.
    func write(to replica: ReplicaStore) throws {
        for batch in edits() { try replica.writeLocal(batch) }
    }

    /// Writes the dataset as the hub's own changes on any store, then deletes the records marked deleted.
    func write(to hub: HubFixture) async throws {
        for batch in edits() { try await hub.hubWrite(batch) }
    }

    /// The dataset's edits: the records, then the deletes.
    func edits() -> [[LocalEdit]] {
        var edits: [LocalEdit] = []
        func add(_ type: String, _ id: String, _ scope: String, _ fields: [String: FieldValue?]) {
            for (field, value) in fields.sorted(by: { $0.key < $1.key }) {
                guard let value else { continue }
                edits.append(LocalEdit(key: FieldKey(type: type, id: id, field: field), scope: scope, value: value))
            }
        }
        for team in teams { add("volunteerTeam", team.id, team.unit, ["name": .string(team.name), "orgUnitId": .string(team.unit)]) }
        for m in members {
            add("member", m.id, m.unit, ["name": .string(m.name), "orgUnitId": .string(m.unit), "category": .string(m.category), "phone": .string("13800000000")])
        }
        for o in orders {
            add("serviceOrder", o.id, o.unit, [
                "orgUnitId": .string(o.unit), "category": .string(o.category), "state": .string(o.state), "orderedOn": .string(o.orderedOn),
                "requester": .string("居民"), "doneOn": o.doneOn.map(FieldValue.string), "rating": o.rating.map(FieldValue.int),
            ])
        }
        for h in hours {
            add("volunteerHours", h.id, h.unit, [
                "memberId": .string(h.member), "orgUnitId": .string(h.unit), "date": .string(h.date), "hours": .number(h.hours),
                "teamId": h.team.map(FieldValue.string),
            ])
        }
        for a in activities {
            add("activity", a.id, a.unit, ["orgUnitId": .string(a.unit), "kind": .string(a.kind), "date": .string(a.date), "title": .string("主题党日")])
            for attendee in a.attendees {
                edits.append(LocalEdit(key: FieldKey(type: "activity", id: a.id, field: "attendees", element: attendee), scope: a.unit, value: .bool(true)))
            }
        }
        for w in wishes {
            add("microWish", w.id, w.unit, ["orgUnitId": .string(w.unit), "state": .string(w.state), "postedOn": .string(w.postedOn),
                "beneficiary": .string("王奶奶"), "wish": .string("一台收音机")])
        }
        for g in incidents {
            add("gridIncident", g.id, g.unit, ["gridId": .string(g.unit), "state": .string(g.state), "reportedOn": .string(g.reportedOn),
                "category": .string("sanitation"), "reportedBy": .string("网格员")])
        }
        for t in transfers {
            add("transfer", t.id, t.from, ["memberId": .string(t.member), "fromOrgUnitId": .string(t.from), "toOrgUnitId": .string(t.to),
                "state": .string(t.state), "requestedOn": .string(t.requestedOn)])
        }
        for p in partners {
            add("partnerUnit", p.id, p.unit, ["orgUnitId": .string(p.unit), "name": .string(p.name), "kind": .string("coBuildingUnit"),
                "ratingYear": .int(p.year), "ratingByUnit": .number(p.by), "ratingOfUnit": .number(p.of), "signedOn": .string("2023-03-01")])
        }
        var deletes: [LocalEdit] = []
        for m in members where m.deleted {
            deletes.append(LocalEdit(key: FieldKey(type: "member", id: m.id, field: "_deleted"), scope: m.unit, value: .bool(true)))
        }
        for o in orders where o.deleted {
            deletes.append(LocalEdit(key: FieldKey(type: "serviceOrder", id: o.id, field: "_deleted"), scope: o.unit, value: .bool(true)))
        }
        return [edits, deletes]
    }

    /// Whether `unit` lies under `root` in the fixture's tree (ids are prefixes of their children's).
    static func within(_ unit: String, _ root: String) -> Bool { unit == root || unit.hasPrefix(root + "-") }
}

/// Date arithmetic for the expected values, independent of the hub's.
enum CivilDateText {
    static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter
    }()

    static func add(_ days: Int, to date: String) -> String {
        formatter.string(from: formatter.date(from: date)!.addingTimeInterval(Double(days) * 86_400))
    }

    static func days(from: String, to: String) -> Int {
        Int((formatter.date(from: to)!.timeIntervalSince(formatter.date(from: from)!) / 86_400).rounded())
    }
}
