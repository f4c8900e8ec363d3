import CountyWork
import SyncModel
import Testing

/// Cross-field checks are warnings for `tributary put`, computed from the record after a write.
@Suite("County-work warnings")
struct CountyWorkWarningsTests {
    let schema: Schema

    init() throws {
        schema = try CountyWorkSchema.load()
    }

    @Test("an order done before it was ordered is a warning naming both dates")
    func doneBeforeOrdered() {
        let values: [String: FieldValue] = ["orderedOn": "2025-04-03", "doneOn": "2025-04-01", "state": "done"]
        let warnings = CountyWorkWarnings.warnings(type: "serviceOrder", id: "so-1", values: values, written: ["doneOn"], schema: schema)
        #expect(warnings == ["serviceOrder so-1: doneOn 2025-04-01 is before orderedOn 2025-04-03"])
    }

    @Test("checks speak only when the write touched one of their fields")
    func onlyWrittenFields() {
        let values: [String: FieldValue] = ["orderedOn": "2025-04-03", "doneOn": "2025-04-01", "state": "done"]
        #expect(CountyWorkWarnings.warnings(type: "serviceOrder", id: "so-1", values: values, written: ["requester"], schema: schema).isEmpty)
    }

    @Test(
        "each check of the default schema",
        arguments: [
            ("serviceOrder", ["orderedOn": "2025-04-01", "state": "dispatched", "rating": 4] as [String: FieldValue], "rating",
             "serviceOrder x-1: it has a rating while its state is dispatched; an order is rated once it is done"),
            ("microWish", ["postedOn": "2025-05-20", "fulfilledOn": "2025-05-01"], "fulfilledOn",
             "microWish x-1: fulfilledOn 2025-05-01 is before postedOn 2025-05-20"),
            ("transfer", ["requestedOn": "2025-03-01", "releasedOn": "2025-03-04", "receivedOn": "2025-03-02"], "receivedOn",
             "transfer x-1: receivedOn 2025-03-02 is before releasedOn 2025-03-04"),
            ("gridIncident", ["reportedOn": "2025-04-08", "resolvedOn": "2025-04-07"], "resolvedOn",
             "gridIncident x-1: resolvedOn 2025-04-07 is before reportedOn 2025-04-08"),
            ("project", ["startedOn": "2025-03-01", "completedOn": "2024-12-31"], "completedOn",
             "project x-1: completedOn 2024-12-31 is before startedOn 2025-03-01"),
            ("member", ["birthYear": 1990, "joinedOn": "2005-07-01"], "joinedOn",
             "member x-1: joinedOn 2005-07-01 is before the member turned 18 (birthYear 1990)"),
        ])
    func eachCheck(type: String, values: [String: FieldValue], written: String, warning: String) {
        #expect(CountyWorkWarnings.warnings(type: type, id: "x-1", values: values, written: [written], schema: schema) == [warning])
    }

    @Test("plausible records give no warning", arguments: Samples.full)
    func samplesAreQuiet(record: any CountyRecord) {
        let recordType = Swift.type(of: record).recordType
        let warnings = CountyWorkWarnings.warnings(
            type: recordType, id: record.id, values: record.fields, written: Set(record.fields.keys), schema: schema)
        #expect(warnings.isEmpty, "\(warnings)")
    }

    @Test("every date pair names two date fields of its type, and other schemas get no warnings")
    func rulesNameDateFields() throws {
        for rule in CountyWorkWarnings.dateOrder {
            #expect(schema.field(rule.earlier, of: rule.type)?.kind == .date, "\(rule.type).\(rule.earlier)")
            #expect(schema.field(rule.later, of: rule.type)?.kind == .date, "\(rule.type).\(rule.later)")
        }
        let other = try Schema(name: "other", version: 1, types: schema.types)
        let values: [String: FieldValue] = ["orderedOn": "2025-01-02", "doneOn": "2025-01-01"]
        #expect(CountyWorkWarnings.warnings(type: "serviceOrder", id: "a", values: values, written: ["doneOn"], schema: other).isEmpty)
    }
}
