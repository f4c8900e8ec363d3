import SyncModel
import SyncStore

/// Generates a county's year of work as clerks' saves (`[LocalEdit]` groups), in the DOMAIN.md
/// sizes: members registered in community, village, grid and building units; service orders
/// moving ordered → dispatched → accepted → done → reviewed; time-bank entries; activities
/// with attendee sets; occasional member corrections. Deterministic for a given seed.
struct CountyGenerator {
    /// How much to generate.
    struct Sizes: Sendable, Codable {
        var members = 20_000
        var serviceOrders = 10_000
        var hours = 100_000
        var activities = 5_000
        var attendeesPerActivity = 60
        var memberEdits = 4_000
    }

    let tree: CountyTree
    var random: SplitMix

    init(tree: CountyTree, seed: UInt64 = 0x7269_6275_7461_7279) {
        self.tree = tree
        self.random = SplitMix(seed: seed)
    }

    static let categories = ["direct", "inService", "retired", "floating", "laidOff"]
    static let orderCategories = ["legalAdvice", "applianceRepair", "billPayment", "parcelPickup", "elderCare", "other"]
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈")
    static let given = Array("秀英桂兰玉梅建国志强丽娟海燕文华春生明辉晓红德福淑珍国庆建华金花")
    static let orderStates = ["ordered", "dispatched", "accepted", "done", "reviewed"]

    mutating func name() -> String {
        String(Self.surnames[random.below(Self.surnames.count)]) + String(Self.given[random.below(Self.given.count)])
            + String(Self.given[random.below(Self.given.count)])
    }

    mutating func date(month: Int? = nil) -> FieldValue {
        let m = month ?? (1 + random.below(12))
        return .string("2025-\(m < 10 ? "0" : "")\(m)-\(10 + random.below(18))")
    }

    /// A member's creation: five fields (the ~100k live fields of a county's register).
    mutating func member(_ id: String, unit: String) -> [LocalEdit] {
        edits("member", id, unit, [
            ("name", .string(name())), ("gender", .string(random.below(2) == 0 ? "female" : "male")),
            ("birthYear", .int(Int64(1940 + random.below(65)))), ("category", .string(Self.categories[random.below(5)])),
            ("orgUnitId", .string(unit)),
        ])
    }

    /// The county register: `count` members spread over every record unit, as (unit, saves).
    mutating func register(count: Int) -> [(id: String, unit: String, edits: [LocalEdit])] {
        let units = tree.townships.flatMap { tree.recordUnits(of: $0) }
        return (0..<count).map { index in
            let unit = units[index % units.count]
            let id = "m-\(unit)-\(index)"
            return (id, unit, member(id, unit: unit))
        }
    }

    /// One township station's year: its share of orders, hours, activities and member edits,
    /// day by day, over `members` of its township (ids and units).
    mutating func township(
        _ township: String, share: Double, sizes: Sizes, members: [(id: String, unit: String)]
    ) -> [[LocalEdit]] {
        work(prefix: township, units: tree.recordUnits(of: township), share: share, sizes: sizes, members: members)
    }

    /// A station's year over `units` (ids of its records start with `prefix`).
    mutating func work(
        prefix township: String, units: [String], share: Double, sizes: Sizes, members: [(id: String, unit: String)]
    ) -> [[LocalEdit]] {
        let days = 250
        let orders = Int(Double(sizes.serviceOrders) * share)
        let hours = Int(Double(sizes.hours) * share)
        let activities = Int(Double(sizes.activities) * share)
        let corrections = Int(Double(sizes.memberEdits) * share)
        var saves: [[LocalEdit]] = []
        // Two volunteer teams per unit.
        var teams: [String: [String]] = [:]
        for unit in units {
            for index in 0..<2 {
                let id = "team-\(unit)-\(index)"
                teams[unit, default: []].append(id)
                saves.append(edits("volunteerTeam", id, unit, [
                    ("name", .string("\(unit) 志愿服务队 \(index + 1)")), ("orgUnitId", .string(unit)),
                    ("specialty", .string(["助老", "维修", "法律", "环境"][random.below(4)])),
                ]))
            }
        }
        var open: [(id: String, unit: String, state: Int)] = []
        for day in 0..<days {
            let month = 1 + day * 12 / days
            // New orders of the day.
            for index in (orders * day / days)..<(orders * (day + 1) / days) {
                let unit = units[random.below(units.count)]
                let id = "so-\(township)-\(index)"
                saves.append(edits("serviceOrder", id, unit, [
                    ("category", .string(Self.orderCategories[random.below(6)])), ("description", .string("居民\(name())需要上门服务")),
                    ("orderedOn", date(month: month)), ("orgUnitId", .string(unit)), ("requester", .string(name())),
                    ("requesterPhone", .string("139\(10_000_000 + random.below(89_999_999))")), ("state", .string("ordered")),
                ]))
                open.append((id, unit, 0))
            }
            // Orders moving on: most of the open ones advance one state a day.
            var still: [(id: String, unit: String, state: Int)] = []
            for var order in open {
                guard random.below(10) < 7 else { still.append(order); continue }
                order.state += 1
                var fields: [(String, FieldValue)] = [("state", .string(Self.orderStates[order.state]))]
                switch order.state {
                case 1: fields.append(("teamId", .string(teams[order.unit]?.first ?? "team-\(order.unit)-0")))
                case 3: fields.append(("doneOn", date(month: month)))
                case 4: fields.append(("rating", .int(Int64(3 + random.below(3)))))
                default: break
                }
                saves.append(edits("serviceOrder", order.id, order.unit, fields))
                if order.state < 4 { still.append(order) }
            }
            open = still
            // Time-bank entries of the day.
            for index in (hours * day / days)..<(hours * (day + 1) / days) {
                let member = members.isEmpty ? ("m-none", units[0]) : members[random.below(members.count)]
                var fields: [(String, FieldValue)] = [
                    ("date", date(month: month)), ("hours", .number(Double(1 + random.below(8)) / 2)),
                    ("memberId", .string(member.0)), ("orgUnitId", .string(member.1)),
                    ("teamId", .string(teams[member.1]?[random.below(2)] ?? "team-\(member.1)-0")),
                ]
                if random.below(2) == 0 { fields.append(("note", .string("入户走访"))) }
                saves.append(edits("volunteerHours", "vh-\(township)-\(index)", member.1, fields))
            }
            // Activities of the day, with attendees checked in.
            for index in (activities * day / days)..<(activities * (day + 1) / days) {
                let unit = units[random.below(units.count)]
                let id = "act-\(township)-\(index)"
                saves.append(edits("activity", id, unit, [
                    ("date", date(month: month)), ("kind", .string(["themedDay", "unifiedActivityDay", "study"][random.below(3)])),
                    ("orgUnitId", .string(unit)), ("place", .string("党群服务中心")), ("title", .string("\(month)月主题党日")),
                ]))
                var attendees: [LocalEdit] = []
                for _ in 0..<sizes.attendeesPerActivity where !members.isEmpty {
                    let member = members[random.below(members.count)].id
                    attendees.append(LocalEdit(key: FieldKey(type: "activity", id: id, field: "attendees", element: member), scope: unit, value: .bool(true)))
                }
                saves.append(attendees)
            }
            // Member corrections (category, birth year) of registered members.
            for _ in (corrections * day / days)..<(corrections * (day + 1) / days) where !members.isEmpty {
                let member = members[random.below(members.count)]
                saves.append(edits("member", member.id, member.unit, [("category", .string(Self.categories[random.below(5)]))]))
            }
        }
        return saves
    }

    /// Field edits of one record.
    func edits(_ type: String, _ id: String, _ scope: String, _ fields: [(String, FieldValue)]) -> [LocalEdit] {
        fields.map { LocalEdit(key: FieldKey(type: type, id: id, field: $0.0), scope: scope, value: $0.1) }
    }
}

/// A small, fast, seeded random number generator (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}
