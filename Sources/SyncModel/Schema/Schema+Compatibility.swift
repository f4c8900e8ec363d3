extension Schema {
    /// Whether this schema is a compatible successor of `current`: the same name, the next
    /// version, and only additive (or cosmetic) differences (SPEC §9).
    ///
    /// Then every change valid under `current` is valid under this schema with the same
    /// canonical value and merges the same way, so a replica may take this schema without
    /// touching what it holds, and no refusal depends on which of the two versions a replica holds.
    public func isCompatibleSuccessor(of current: Schema) -> Bool {
        !differences(from: current).contains { $0.impact == .breaking }
    }

    /// Throws `schema_incompatible`, naming every breaking difference, unless this schema is a
    /// compatible successor of `current`.
    public func checkCompatibleSuccessor(of current: Schema) throws(SyncError) {
        let breaking = differences(from: current).filter { $0.impact == .breaking }
        guard !breaking.isEmpty else { return }
        throw SyncError(
            .schemaIncompatible,
            "\(WireProtocol.schemaTag(self)) is not a compatible successor of \(WireProtocol.schemaTag(current)): "
                + breaking.map(\.sentence).joined(separator: "; "))
    }

    /// Throws `schema_incompatible` unless this schema descends from `older` by compatible
    /// successors: the same name, a later version, and only additive (or cosmetic) differences.
    /// A station that skipped versions (weeks offline) checks the hub's schema against its own
    /// this way before it takes it (SPEC §9).
    public func checkCompatibleDescendant(of older: Schema) throws(SyncError) {
        let breaking = differences(from: older).filter { $0.impact == .breaking && ($0.aspect != .version || version <= older.version) }
        guard !breaking.isEmpty else { return }
        throw SyncError(
            .schemaIncompatible,
            "\(WireProtocol.schemaTag(self)) does not descend compatibly from \(WireProtocol.schemaTag(older)): "
                + breaking.map(\.sentence).joined(separator: "; "))
    }

    /// Every difference between `current` and this schema taken as its successor, type by type
    /// and field by field, each classified as additive, breaking or cosmetic.
    ///
    /// The order is stable: the schema's name and version, then the types by name, each type's
    /// own settings before its fields, the fields by name.
    public func differences(from current: Schema) -> [SchemaDifference] {
        var found: [SchemaDifference] = []
        if name != current.name {
            found.append(.init(
                aspect: .name, impact: .breaking,
                sentence: "the name is \"\(name)\", not \"\(current.name)\" (a successor keeps its schema's name)"))
        }
        if version != current.version + 1 {
            found.append(.init(
                aspect: .version, impact: .breaking,
                sentence: "the version is \(version); the successor of \(WireProtocol.schemaTag(current)) is version \(current.version + 1)"))
        }
        found += orgTreeDifferences(from: current)
        for typeName in Set(types.keys).union(current.types.keys).sorted() {
            switch (current.types[typeName], types[typeName]) {
            case (let old?, let new?):
                found += new.differences(from: old, type: typeName)
            case (nil, let new?):
                found.append(.init(
                    type: typeName, aspect: .type, impact: .additive,
                    sentence: "new type \(typeName) (\(new.fields.count) fields)"))
            case (let old?, nil):
                let renamed = types.keys.filter { current.types[$0] == nil && types[$0]?.fields == old.fields }.sorted()
                found.append(.init(
                    type: typeName, aspect: .type, impact: .breaking,
                    sentence: "type \(typeName) was removed\(Self.renameHint(renamed)); a type is never removed or renamed "
                        + "(its records and changes exist): keep it and stop using it"))
            case (nil, nil):
                break
            }
        }
        return found
    }

    /// The org unit type and its parent field decide every record's place in the tree.
    private func orgTreeDifferences(from current: Schema) -> [SchemaDifference] {
        if orgUnitType != current.orgUnitType {
            // A removed unit type or a changed scopeField is reported with the type; what is
            // left is a schema without a unit type gaining one.
            guard current.orgUnitType == nil, let unitType = orgUnitType else { return [] }
            return [.init(
                aspect: .orgTree, impact: .breaking,
                sentence: "\(unitType) would become the org unit type, changing where every record lies")]
        }
        guard orgUnitParentField != current.orgUnitParentField, let unitType = orgUnitType else { return [] }
        return [.init(
            type: unitType, aspect: .orgTree, impact: .breaking,
            sentence: "the field naming an org unit's parent would change from \(current.orgUnitParentField ?? "none") "
                + "to \(orgUnitParentField ?? "none"), moving units in the tree")]
    }

    static func renameHint(_ candidates: [String]) -> String {
        candidates.isEmpty ? "" : " (renamed to \(candidates.joined(separator: " or "))?)"
    }
}

extension RecordType {
    /// The differences of this type from `old`, the same type in the current schema.
    func differences(from old: RecordType, type: String) -> [SchemaDifference] {
        var found: [SchemaDifference] = []
        func add(_ aspect: SchemaDifference.Aspect, _ impact: SchemaDifference.Impact, _ sentence: String) {
            found.append(.init(type: type, aspect: aspect, impact: impact, sentence: sentence))
        }
        if description != old.description {
            add(.description, .cosmetic, "the description of \(type) changed")
        }
        if scopeField != old.scopeField {
            add(.scopeField, .breaking,
                "\(type).scopeField would change from \(old.scopeField ?? "none") to \(scopeField ?? "none"); "
                    + "it decides which stations hold each record")
        }
        if alsoScopeFields != old.alsoScopeFields {
            add(.alsoScopeFields, .breaking,
                "\(type).alsoScopeFields would change from [\(old.alsoScopeFields.joined(separator: ", "))] to "
                    + "[\(alsoScopeFields.joined(separator: ", "))]; they decide which stations hold each record")
        }
        if appendOnly != old.appendOnly {
            add(.appendOnly, .breaking,
                appendOnly
                    ? "\(type) would become append-only: edits and deletes accepted before would be refused"
                    : "\(type) would no longer be append-only: its fields would merge as their own policies, not as immutable")
        }
        for fieldName in Set(fields.keys).union(old.fields.keys).sorted() {
            let path = "\(type).\(fieldName)"
            switch (old.fields[fieldName], fields[fieldName]) {
            case (let was?, let now?):
                found += now.differences(from: was, path: path, type: type, field: fieldName, oldType: old, newType: self)
            case (nil, let now?) where now.required:
                found.append(.init(
                    type: type, field: fieldName, aspect: .field, impact: .breaking,
                    sentence: "new required field \(path): records created under the older version lack it; add it as optional"))
            case (nil, let now?):
                found.append(.init(
                    type: type, field: fieldName, aspect: .field, impact: .additive,
                    sentence: "new optional field \(path) (\(now.kind.rawValue))"))
            case (let was?, nil):
                let renamed = fields.keys.filter { old.fields[$0] == nil && fields[$0] == was }.sorted()
                found.append(.init(
                    type: type, field: fieldName, aspect: .field, impact: .breaking,
                    sentence: "field \(path) was removed\(Schema.renameHint(renamed)); a field is never removed or renamed "
                        + "(stations still write it): keep it and stop using it"))
            case (nil, nil):
                break
            }
        }
        return found
    }
}
