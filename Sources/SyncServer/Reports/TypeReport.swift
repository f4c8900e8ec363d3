public import SyncModel

/// The reports every record type has, whatever schema the hub runs (SPEC §12): built from the
/// schema, the org tree and the merged records (``HubStore/records(ofType:)``), never from the
/// county tables, so a type a county added with `tributary-hub schema apply` has them too.
public enum TypeReport: String, CaseIterable, Sendable, Codable {
    /// Records of the type per org unit: the unit's total, a row per sub-unit (its whole
    /// subtree) and, when the unit holds records itself, a "held directly" row.
    case counts
    /// One row per record of the unit's subtree: id, org unit, and each field's shown value.
    case records

    /// The title in `language`, naming `type`.
    public func title(_ language: ReportLanguage, type: String) -> String {
        "\(Labels.text("report.\(rawValue)", language)) · \(type)"
    }
}

/// Whose eyes a generic report is for, which decides its personal fields (SPEC §10 "Scope").
public enum PersonalAccess: Hashable, Sendable {
    /// Every field (an admin token, the hub's operator).
    case all
    /// Personal fields only of the records the station with this scope owns (its subtree).
    case owner(StationScope)

    /// Whether a record at `place` shows its personal fields.
    func shows(_ place: RecordPlace) -> Bool {
        switch self {
        case .all: true
        case .owner(let scope): scope.visibility(of: place) == .whole
        }
    }
}

extension HubStore {
    /// Builds the generic report `report` of the type `query.type` over the hub's current
    /// records (deleted ones excluded): 400 `bad_request` without a type, 404 `not_found` for a
    /// type the hub's schema does not have or an unknown unit.
    public func typeReport(_ report: TypeReport, query: ReportQuery, personal: PersonalAccess = .all) async throws -> ReportTable {
        let schema = try await currentSchema()
        let types = schema.types.keys.sorted()
        guard let type = query.type else {
            throw SyncError(.badRequest, "the \(report.rawValue) report takes a record type: type=TYPE (\(Self.list(types)))")
        }
        guard schema.types[type] != nil else {
            throw SyncError(
                .notFound, "there is no record type \"\(type.prefix(60))\" in the hub's schema \(schema.name)/\(schema.version) (\(Self.list(types)))")
        }
        let builder = try TypeReportBuilder(schema: schema, units: try await orgUnits(), query: query, personal: personal)
        let records = try await records(ofType: type)
        switch report {
        case .counts: return builder.counts(records)
        case .records: return builder.export(records)
        }
    }

    private static func list(_ types: [String]) -> String {
        types.isEmpty ? "the schema has no types" : "types: " + types.joined(separator: ", ")
    }
}
