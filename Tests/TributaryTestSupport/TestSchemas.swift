import Foundation
public import SyncModel

/// Schemas made for tests: small, and exercising every policy and value kind.
public enum TestSchemas {
    /// A schema with one type of each shape:
    /// - `unit`: an org unit (its own scope) with an lww `name` and a `parentId`;
    /// - `note`: every value kind under lww, a forward `state`, a set `tags`, an immutable `code`;
    /// - `entry`: an append-only type.
    public static let mixed: Schema = {
        let note = RecordType(
            description: "a note with every kind of field",
            scopeField: "unit",
            fields: [
                "unit": FieldSpec(kind: .ref, ref: "unit", required: true),
                "title": FieldSpec(kind: .string),
                "body": FieldSpec(kind: .text),
                "count": FieldSpec(kind: .int),
                "score": FieldSpec(kind: .number),
                "done": FieldSpec(kind: .bool),
                "due": FieldSpec(kind: .date),
                "state": FieldSpec(kind: .enum, policy: .forward, values: ["new", "open", "closed", "archived"]),
                "tags": FieldSpec(kind: .set, policy: .set),
                "code": FieldSpec(kind: .string, policy: .immutable),
                "phone": FieldSpec(kind: .string, personal: true),
            ])
        let entry = RecordType(
            description: "an append-only ledger entry",
            scopeField: "unit",
            appendOnly: true,
            fields: [
                "unit": FieldSpec(kind: .ref, ref: "unit", required: true),
                "amount": FieldSpec(kind: .number),
                "memo": FieldSpec(kind: .string),
            ])
        let unit = RecordType(
            description: "an org unit",
            scopeField: nil,
            fields: [
                "name": FieldSpec(kind: .string),
                "parentId": FieldSpec(kind: .ref, ref: "unit"),
            ])
        return try! Schema(name: "test-mixed", version: 1, types: ["note": note, "entry": entry, "unit": unit])
    }()

    /// A wall clock far ahead of any test history, so that no change is refused as skewed.
    public static let lateWall = ValidationContext(wallMillis: 1 << 47)
}
