import SyncModel
import Testing
import TributaryTestSupport

/// Builds changes over ``TestSchemas/mixed`` for the unit tests.
struct Writer {
    var site: SiteID
    var seq: UInt64 = 0

    init(_ site: UInt64) { self.site = SiteID(rawValue: site) }

    mutating func write(
        _ field: String, _ value: FieldValue, at millis: UInt64, id: String = "n1", type: String = "note",
        element: String? = nil, bases: [Version] = []
    ) -> Change {
        seq += 1
        return Change(
            site: site, seq: seq, hlc: HLC(millis: millis, counter: 0), type: type, id: id, scope: "u1", field: field,
            element: element, value: value, bases: bases)
    }
}

func replica(_ changes: [Change]) -> MemoryReplica {
    var replica = MemoryReplica(schema: TestSchemas.mixed)
    replica.apply(changes, context: TestSchemas.lateWall)
    return replica
}

func value(_ replica: MemoryReplica, _ field: String, id: String = "n1") -> FieldValue? {
    replica.record(RecordKey(type: "note", id: id))?.fields[field]?.winner.value
}

@Suite("Merge policies and the conflict rule")
struct MergePolicyTests {
    @Test("lww: a sequential overwrite wins with no conflict")
    func lwwSequential() {
        var a = Writer(1)
        let first = a.write("title", "早会", at: 100)
        let second = a.write("title", "晚会", at: 200, bases: [first.version])
        let r = replica([second, first])
        #expect(value(r, "title") == "晚会")
        #expect(r.conflicts.isEmpty)
    }

    @Test("lww: concurrent writes keep the loser as a conflict; equal values agree")
    func lwwConcurrent() {
        var a = Writer(1), b = Writer(2), c = Writer(3)
        let base = a.write("title", "x", at: 100)
        let fromA = a.write("title", "A", at: 200, bases: [base.version])
        let fromB = b.write("title", "B", at: 150, bases: [base.version])
        let fromC = c.write("title", "A", at: 120, bases: [base.version])
        let r = replica([base, fromB, fromA, fromC])
        #expect(value(r, "title") == "A")
        // B lost with another value; C wrote the winner's value: agreement, not conflict.
        #expect(r.conflicts.map(\.version) == [fromB.version])
        #expect(r.conflicts.first?.winner == fromA.version)
        #expect(r.conflicts.first?.kind == .concurrent)
    }

    @Test("lww: a settling write that lists every head clears the conflict, in any order")
    func lwwSettle() {
        var a = Writer(1), b = Writer(2)
        let fromA = a.write("title", "A", at: 200)
        let fromB = b.write("title", "B", at: 150)
        let settle = b.write("title", "B", at: 300, bases: [fromA.version, fromB.version])
        for order in [[fromA, fromB, settle], [settle, fromB, fromA], [fromB, settle, fromA]] {
            let r = replica(order)
            #expect(value(r, "title") == "B")
            #expect(r.conflicts.isEmpty)
        }
    }

    @Test("lww: three-way race keeps two conflicts; settling one base leaves the other")
    func lwwThreeWay() {
        var a = Writer(1), b = Writer(2), c = Writer(3)
        let wa = a.write("body", "A", at: 100), wb = b.write("body", "B", at: 110), wc = c.write("body", "C", at: 120)
        #expect(replica([wa, wb, wc]).conflicts.count == 2)
        let partial = a.write("body", "A2", at: 200, bases: [wa.version, wb.version])
        let r = replica([wc, partial, wb, wa])
        #expect(value(r, "body") == "A2")
        #expect(r.conflicts.map(\.version) == [wc.version])
    }

    @Test("forward: the furthest state wins, whoever wrote last; no conflicts")
    func forward() {
        var a = Writer(1), b = Writer(2)
        let closed = a.write("state", "closed", at: 100)
        let open = b.write("state", "open", at: 200)
        let r = replica([open, closed])
        #expect(value(r, "state") == "closed")
        #expect(r.record(RecordKey(type: "note", id: "n1"))?.fields["state"]?.winner.version == open.version)
        #expect(r.conflicts.isEmpty)
    }

    @Test("set: concurrent adds both count; a later remove wins per element")
    func setElements() {
        var a = Writer(1), b = Writer(2)
        let addX = a.write("tags", true, at: 100, element: "x")
        let addY = b.write("tags", true, at: 100, element: "y")
        let removeX = b.write("tags", false, at: 150, element: "x")
        let r = replica([removeX, addY, addX])
        #expect(r.record(RecordKey(type: "note", id: "n1"))?.setValues["tags"] == ["y"])
        #expect(replica([addX, addY]).record(RecordKey(type: "note", id: "n1"))?.setValues["tags"] == ["x", "y"])
    }

    @Test("immutable: the earliest creation stands; an update is refused")
    func immutable() {
        var a = Writer(1), b = Writer(2)
        let early = a.write("code", "A-1", at: 100)
        let late = b.write("code", "B-1", at: 90 + 20)
        let update = a.write("code", "A-2", at: 200, bases: [early.version])
        var r = MemoryReplica(schema: TestSchemas.mixed)
        let report = r.apply([late, update, early], context: TestSchemas.lateWall)
        #expect(value(r, "code") == "A-1")
        #expect(report.refused.map(\.error.code) == [.immutableField])
    }

    @Test("delete: a write made after the delete without seeing it is a delete/edit conflict")
    func deleteEdit() {
        var a = Writer(1), b = Writer(2)
        let create = a.write("title", "t", at: 100)
        let delete = a.write("_deleted", true, at: 200)
        let edit = b.write("count", 3, at: 300)
        let old = b.write("done", true, at: 150)
        let r = replica([edit, delete, create, old])
        let record = r.record(RecordKey(type: "note", id: "n1"))!
        #expect(record.isDeleted)
        #expect(r.conflicts.map(\.kind) == [.deleteEdit])
        #expect(r.conflicts.first?.field == "count")
        #expect(r.conflicts.first?.winner == delete.version)

        // Confirming the delete (a newer delete) settles it; so does restoring.
        let confirm = a.write("_deleted", true, at: 400, bases: [delete.version])
        #expect(replica([create, delete, edit, confirm]).conflicts.isEmpty)
        let restore = b.write("_deleted", false, at: 400, bases: [delete.version])
        let restored = replica([create, delete, edit, restore])
        #expect(restored.conflicts.isEmpty)
        #expect(restored.record(RecordKey(type: "note", id: "n1"))?.isDeleted == false)
    }

    @Test("duplicates are ignored and reported")
    func duplicates() {
        var a = Writer(1)
        let w = a.write("title", "t", at: 100)
        var r = MemoryReplica(schema: TestSchemas.mixed)
        let report = r.apply([w, w, w], context: TestSchemas.lateWall)
        #expect(report.applied.count == 1 && report.duplicates.count == 2)
    }

    @Test("a late copy of a superseded write never comes back as a head")
    func lateSuperseded() {
        var a = Writer(1), b = Writer(2)
        let old = a.write("title", "old", at: 100)
        let new = b.write("title", "new", at: 200, bases: [old.version])
        let r = replica([new, old])
        #expect(value(r, "title") == "new")
        #expect(r.conflicts.isEmpty)
    }
}
