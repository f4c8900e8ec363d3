import CountyWork

/// A typed record of every type with every field set, and one with only the required fields.
enum Samples {
    static func day(_ text: String) -> CalendarDate {
        guard let date = CalendarDate(text) else { preconditionFailure("bad fixture date \(text)") }
        return date
    }

    /// Every field of every type set.
    static let full: [any CountyRecord] = [
        OrgUnit(id: "yc-t01-c01", name: "留安社区", kind: .community, parentId: "yc-t01", orgForm: .committee),
        Member(
            id: "m-0001", name: "林秀英", gender: .female, birthYear: 1958, joinedOn: day("1984-07-01"),
            orgUnitId: "yc-t01-c01", category: .retired, phone: "13800000001", idNumber: "350525195803150021"),
        Transfer(
            id: "tr-01", memberId: "m-0001", fromOrgUnitId: "yc-t01-c01", toOrgUnitId: "yc-t05-v01", state: .released,
            requestedOn: day("2025-03-01"), releasedOn: day("2025-03-04"), receivedOn: day("2025-03-09"),
            note: "随子女迁居蓬壶"),
        ServiceOrder(
            id: "so-01", orgUnitId: "yc-t01-c01", requester: "陈大爷", requesterPhone: "13800000002",
            category: .applianceRepair, description: "电饭煲不加热", teamId: "team-01", state: .reviewed,
            orderedOn: day("2025-04-02"), doneOn: day("2025-04-03"), rating: 5),
        MicroWish(
            id: "wish-01", orgUnitId: "yc-t01-c02", beneficiary: "小林", beneficiaryPhone: "13800000003",
            wish: "一个新书包", claimedBy: "m-0001", state: .fulfilled, postedOn: day("2025-05-20"),
            fulfilledOn: day("2025-06-01")),
        VolunteerTeam(
            id: "team-01", orgUnitId: "yc-t01-c01", name: "留安红色义修队", specialty: "家电维修", leaderId: "m-0001",
            foundedOn: day("2021-03-05")),
        VolunteerHours(
            id: "vh-01", memberId: "m-0001", teamId: "team-01", orderId: "so-01", orgUnitId: "yc-t01-c01",
            date: day("2025-04-03"), hours: 1.5, note: "上门维修"),
        Activity(
            id: "act-01", orgUnitId: "yc-t01", kind: .unifiedActivityDay, date: day("2025-04-26"),
            title: "四月统一活动日", place: "桃城镇党群服务中心", summary: "学习与志愿服务",
            attendees: ["m-0001", "m-0002", "m-0003"]),
        Meeting(
            id: "mt-01", orgUnitId: "yc-t01-c01", date: day("2025-04-10"), kind: .jointMeeting, title: "第二季度联席会议",
            place: "留安社区会议室", participants: ["yc-t01-c01", "yc-t01-c02"], minutes: "与会单位通报需求与资源。",
            decisions: "启动老旧小区加装电梯项目。"),
        PartnerUnit(
            id: "pu-01", orgUnitId: "yc-t01-c01", name: "永春县供电公司", kind: .coBuildingUnit, contactPerson: "郑主任",
            contactPhone: "13800000004", signedOn: day("2024-01-15"), commitments: "每月一次用电安全检查",
            ratingYear: 2024, ratingOfUnit: 95.5, ratingByUnit: 92),
        Demand(
            id: "dm-01", orgUnitId: "yc-t01-c01", title: "老人助餐", category: .elderCare, description: "独居老人午餐",
            raisedBy: "居民代表", raisedOn: day("2025-02-11"), state: .matched),
        Resource(
            id: "rs-01", orgUnitId: "yc-t01-c01", title: "食堂场地", category: .venue, description: "午间可用",
            providerId: "pu-01", offeredOn: day("2025-02-20"), state: .used),
        Project(
            id: "pj-01", orgUnitId: "yc-t01-c01", title: "长者食堂", description: "为独居老人提供午餐",
            demandIds: ["dm-01"], resourceIds: ["rs-01"], state: .underway, startedOn: day("2025-03-01"),
            completedOn: day("2025-12-31")),
        GridIncident(
            id: "gi-01", gridId: "yc-t01-c01-g2", reportedBy: "网格员王强", category: .sanitation,
            description: "垃圾桶满溢", place: "桃源小区5号楼旁", state: .resolved, reportedOn: day("2025-04-08"),
            resolvedOn: day("2025-04-09")),
    ]

    /// Only the required fields set (set fields empty).
    static let minimal: [any CountyRecord] = [
        OrgUnit(id: "yc", name: "永春县", kind: .county),
        Member(id: "m-0002", name: "陈志强", orgUnitId: "yc-t02-c01", category: .inService),
        Transfer(
            id: "tr-02", memberId: "m-0002", fromOrgUnitId: "yc-t02-c01", toOrgUnitId: "yc-t01-c01",
            requestedOn: day("2025-01-02")),
        ServiceOrder(
            id: "so-02", orgUnitId: "yc-t02-c01", requester: "黄阿姨", category: .billPayment,
            orderedOn: day("2025-01-03")),
        MicroWish(id: "wish-02", orgUnitId: "yc-t02-c01", beneficiary: "小陈", wish: "一套字典", postedOn: day("2025-01-04")),
        VolunteerTeam(id: "team-02", orgUnitId: "yc-t02-c01", name: "五里街法律服务队"),
        VolunteerHours(id: "vh-02", memberId: "m-0002", orgUnitId: "yc-t02-c01", date: day("2025-01-05"), hours: 2),
        Activity(id: "act-02", orgUnitId: "yc-t02", kind: .themedDay, date: day("2025-01-25"), title: "主题党日"),
        Meeting(id: "mt-02", orgUnitId: "yc-t02", date: day("2025-01-06"), kind: .deliberation),
        PartnerUnit(id: "pu-02", orgUnitId: "yc-t02-c01", name: "五里街中学", kind: .residentUnit),
        Demand(id: "dm-02", orgUnitId: "yc-t02-c01", title: "路灯维修", category: .safety, raisedOn: day("2025-01-07")),
        Resource(
            id: "rs-02", orgUnitId: "yc-t02-c01", title: "电工志愿者", category: .volunteers,
            offeredOn: day("2025-01-08")),
        Project(id: "pj-02", orgUnitId: "yc-t02-c01", title: "点亮小巷"),
        GridIncident(
            id: "gi-02", gridId: "yc-t02-c01-g1", reportedBy: "网格员李娜", category: .complaint,
            reportedOn: day("2025-01-09")),
    ]
}
