public import SyncModel

/// Cross-field checks of the county-work record types: values a clerk would hardly mean
/// together, such as an order done before it was ordered.
///
/// They are **warnings, never refusals**. Validation looks at one change at a time and never at
/// what a replica holds (SPEC §4), so that every replica refuses the same changes; a rule over two
/// fields could not keep that promise, because the fields are written by separate changes, maybe
/// at different stations. `tributary put` prints these warnings after the write and exits 0.
public enum CountyWorkWarnings {
    /// Pairs of date fields of one type where the first should not come after the second.
    public static let dateOrder: [(type: String, earlier: String, later: String)] = [
        ("serviceOrder", "orderedOn", "doneOn"),
        ("microWish", "postedOn", "fulfilledOn"),
        ("transfer", "requestedOn", "releasedOn"),
        ("transfer", "releasedOn", "receivedOn"),
        ("transfer", "requestedOn", "receivedOn"),
        ("gridIncident", "reportedOn", "resolvedOn"),
        ("project", "startedOn", "completedOn"),
    ]

    /// The youngest age at which a member joins (the membership rules say 18).
    static let joiningAge = 18

    /// Warnings for the record of `type` whose fields now hold `values`, after a write of the
    /// fields `written`; only checks that involve a written field speak, so an old oddity is
    /// not repeated at every later write. Schemas other than county-work get none.
    ///
    /// Each warning is one sentence naming the fields and values, e.g.
    /// `serviceOrder so-0031: doneOn 2025-04-01 is before orderedOn 2025-04-03`.
    public static func warnings(
        type: String, id: String, values: [String: FieldValue], written: Set<String>, schema: Schema
    ) -> [String] {
        guard schema.name == "county-work", let recordType = schema.types[type] else { return [] }
        func date(_ field: String) -> String? {
            guard recordType.fields[field]?.kind == .date, case .string(let text)? = values[field] else { return nil }
            return text
        }
        var found: [String] = []
        for rule in dateOrder where rule.type == type && (written.contains(rule.earlier) || written.contains(rule.later)) {
            // Dates YYYY-MM-DD order as text.
            if let earlier = date(rule.earlier), let later = date(rule.later), later < earlier {
                found.append("\(type) \(id): \(rule.later) \(later) is before \(rule.earlier) \(earlier)")
            }
        }
        if type == "serviceOrder", written.contains("rating") || written.contains("state"),
            values["rating"].map({ $0 != .null }) == true,
            let state = values["state"]?.stringValue, state != "done", state != "reviewed"
        {
            found.append("\(type) \(id): it has a rating while its state is \(state); an order is rated once it is done")
        }
        if type == "member", written.contains("birthYear") || written.contains("joinedOn"),
            case .int(let born)? = values["birthYear"], let joined = date("joinedOn"), let year = Int64(joined.prefix(4)),
            year - born < Int64(joiningAge)
        {
            found.append("\(type) \(id): joinedOn \(joined) is before the member turned \(joiningAge) (birthYear \(born))")
        }
        return found
    }
}
