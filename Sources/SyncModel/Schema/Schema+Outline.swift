extension Schema {
    /// The schema for people, as `tributary schema` and `tributary-hub schema show` print it:
    /// each type with its description and scope, then one line per field with its kind, policy,
    /// whether it is required or personal, and what values it takes.
    ///
    /// ```
    /// serviceOrder — A resident's order in the three-list flow (三单制) …
    ///   scope: orgUnitId
    ///   field           kind    policy   flags     takes
    ///   rating          int     lww                from 1 to 5
    ///   requesterPhone  string  lww      personal  at most 32 characters
    ///   state           enum    forward  required  ordered → dispatched → accepted → done → reviewed
    /// ```
    ///
    /// - Parameter only: the type to show; every type, in name order, when `nil`.
    public func outline(only: String? = nil) -> String {
        let names = only.map { [$0] } ?? types.keys.sorted()
        var lines = [only == nil ? "\(WireProtocol.schemaTag(self)): \(types.count) record types" : WireProtocol.schemaTag(self)]
        for name in names {
            guard let type = types[name] else { continue }
            lines.append("")
            lines.append(type.description.isEmpty ? name : "\(name) — \(type.description)")
            lines.append("  " + type.placement)
            var rows = [["field", "kind", "policy", "flags", "takes"]]
            for (fieldName, spec) in type.fields.sorted(by: { $0.key < $1.key }) {
                let policy = type.effectivePolicy(of: fieldName) ?? spec.policy
                let flags = [spec.required ? "required" : nil, spec.personal ? "personal" : nil].compactMap { $0 }
                rows.append([fieldName, spec.kind.rawValue, policy.rawValue, flags.joined(separator: ","), spec.takes(policy: policy)])
            }
            lines += Self.aligned(rows).map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// Rows padded to column widths (names, kinds and policies are ASCII), the last column as is.
    private static func aligned(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }
}

extension RecordType {
    /// Where records of the type lie, and whether they are append-only.
    var placement: String {
        var parts = [scopeField.map { "scope: \($0)" } ?? "scope: its own id (the org unit type)"]
        if !alsoScopeFields.isEmpty { parts.append("also seen by: \(alsoScopeFields.joined(separator: ", "))") }
        if appendOnly { parts.append("append-only: never edited or deleted") }
        return parts.joined(separator: "; ")
    }
}

extension FieldSpec {
    /// What the field takes, for people: its values or states, the type it refers to, its
    /// length limit or range.
    func takes(policy: MergePolicy) -> String {
        var parts: [String] = []
        if kind == .enum {
            parts.append(values.joined(separator: policy == .forward ? " → " : ", "))
        }
        if let ref {
            parts.append(kind == .set ? "ids of \(ref)" : "id of \(ref)")
        }
        if let maxLength { parts.append("at most \(maxLength) characters") }
        if let rangeText { parts.append(rangeText) }
        return parts.joined(separator: "; ")
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
