#!/usr/bin/env python3
"""Writes Protocol/vectors/*.json.

Every `expect` below was worked out by hand from the rules in Protocol/SPEC.md (the
reasoning is in the comments); nothing here runs a merge. Run from anywhere:
    python3 Protocol/vectors/tools/make_vectors.py
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vectors import (NOW_MS, BASE_MS, SCOPE, SITES, Log, Raw, concurrent, delete_edit, fv, hlc, hlc_at_millis, rec,  # noqa: E402
                     refused, ver, write_vector)

OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ORG = {"kind": "ref", "policy": "lww", "ref": "orgUnit"}
TYPES = {
    "member": {
        "description": "a registered member",
        "scopeField": "orgUnitId",
        "fields": {
            "orgUnitId": ORG,
            "name": {"kind": "string", "policy": "lww"},
            "birthYear": {"kind": "int", "policy": "lww"},
            "category": {"kind": "enum", "policy": "lww",
                         "values": ["direct", "inService", "retired", "floating", "laidOff"]},
            "joinedOn": {"kind": "date", "policy": "lww"},
            "phone": {"kind": "string", "policy": "lww", "personal": True},
            "active": {"kind": "bool", "policy": "lww"},
            "note": {"kind": "text", "policy": "lww"},
        },
    },
    "serviceOrder": {
        "description": "a three-list service order; its state only moves forward",
        "scopeField": "orgUnitId",
        "fields": {
            "orgUnitId": ORG,
            "state": {"kind": "enum", "policy": "forward",
                      "values": ["ordered", "dispatched", "accepted", "done", "reviewed"]},
            "rating": {"kind": "int", "policy": "lww"},
            "fee": {"kind": "number", "policy": "lww"},
            "description": {"kind": "text", "policy": "lww"},
        },
    },
    "activity": {
        "description": "an activity day; attendees is a set",
        "scopeField": "orgUnitId",
        "fields": {
            "orgUnitId": ORG,
            "title": {"kind": "string", "policy": "lww"},
            "date": {"kind": "date", "policy": "lww"},
            "attendees": {"kind": "set", "policy": "set", "ref": "member"},
        },
    },
    "volunteerHours": {
        "description": "a time-bank entry: append-only",
        "scopeField": "orgUnitId",
        "appendOnly": True,
        "fields": {
            "orgUnitId": ORG,
            "memberId": {"kind": "ref", "policy": "lww", "ref": "member"},
            "hours": {"kind": "number", "policy": "lww"},
            "date": {"kind": "date", "policy": "lww"},
            "note": {"kind": "string", "policy": "lww"},
        },
    },
    "orgUnit": {
        "description": "an organisation node; its scope is its own id",
        "fields": {
            "name": {"kind": "string", "policy": "lww"},
            "kind": {"kind": "enum", "policy": "lww",
                     "values": ["county", "township", "street", "community", "village", "grid", "building"]},
            "parentId": {"kind": "ref", "policy": "lww", "ref": "orgUnit"},
            "code": {"kind": "string", "policy": "immutable"},
        },
    },
}


def schema(*names):
    return {"name": "golden", "version": 1, "types": {n: TYPES[n] for n in names}}


def expect(records=(), conflicts=(), refusals=()):
    return {"records": list(records), "conflicts": list(conflicts), "refused": list(refusals)}


V = []


def vector(fn):
    V.append(fn)
    return fn


M = "member"
SO = "serviceOrder"
ACT = "activity"
VH = "volunteerHours"
OU = "orgUnit"


# --- lww -------------------------------------------------------------------------------------

@vector
def v01():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0001", "orgUnitId", SCOPE)
    a2 = log.w("A", (1, 0, 1), M, "m-0001", "name", "王秀英")
    a3 = log.w("A", (2, 0, 0), M, "m-0001", "name", "王秀珍", [a2])
    b1 = log.w("B", (5, 0, 0), M, "m-0001", "name", "王秀贞", [a3])
    # a2 <- a3 <- b1: only b1 is a head.
    return ("01-lww-sequential",
            "lww: a chain of overwrites, each listing the previous write as its base, ends with the last write and no conflict.",
            schema(M), log,
            expect([rec(M, "m-0001", name=fv("王秀贞", b1), orgUnitId=fv(SCOPE, a1))]))


@vector
def v02():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0002", "orgUnitId", SCOPE)
    a2 = log.w("A", (1, 0, 1), M, "m-0002", "name", "李明")
    a3 = log.w("A", (3, 0, 0), M, "m-0002", "name", "李明华", [a2])
    b1 = log.w("B", (4, 0, 0), M, "m-0002", "name", "李敏", [a2])
    a4 = log.w("A", (3, 0, 1), M, "m-0002", "birthYear", 1961)
    b2 = log.w("B", (4, 0, 1), M, "m-0002", "birthYear", 1962)
    # name: heads a3 (3:00) and b1 (4:00) -> b1 wins, a3 is a conflict.
    # birthYear: two first writes, neither lists the other: heads a4, b2 -> b2 wins.
    return ("02-lww-concurrent-two-way",
            "lww: two sites overwrite the same base concurrently (and two sites write a field first, concurrently); the greater version wins and the other head is a concurrent conflict.",
            schema(M), log,
            expect([rec(M, "m-0002", birthYear=fv(1962, b2), name=fv("李敏", b1), orgUnitId=fv(SCOPE, a1))],
                   [concurrent(M, "m-0002", "birthYear", 1961, a4, b2),
                    concurrent(M, "m-0002", "name", "李明华", a3, b1)]))


@vector
def v03():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0003", "name", "陈静")
    a2 = log.w("A", (2, 0, 0), M, "m-0003", "name", "陈静怡", [a1])
    b1 = log.w("B", (2, 0, 0), M, "m-0003", "name", "陈婧", [a1])
    # a2 and b1 have the same hlc; site B (8c41...) > site A (3f2a...), so b1 wins.
    return ("03-lww-concurrent-equal-hlc",
            "lww: two concurrent writes with the same hlc; the version order falls back to the site id, so the greater site wins.",
            schema(M), log,
            expect([rec(M, "m-0003", name=fv("陈婧", b1))],
                   [concurrent(M, "m-0003", "name", "陈静怡", a2, b1)]))


@vector
def v04():
    log = Log()
    a0 = log.w("A", (1, 0, 0), M, "m-0004", "category", "direct")
    a1 = log.w("A", (5, 0, 0), M, "m-0004", "category", "retired", [a0])
    b1 = log.w("B", (6, 0, 0), M, "m-0004", "category", "floating", [a0])
    c1 = log.w("C", (4, 0, 0), M, "m-0004", "category", "inService", [a0])
    # heads a1 (5:00), b1 (6:00), c1 (4:00): b1 wins; c1 and a1 lose (sorted by version: c1, a1).
    return ("04-lww-concurrent-three-way",
            "lww: three sites overwrite the same base concurrently; the greatest version wins and the two others are conflicts, listed in version order.",
            schema(M), log,
            expect([rec(M, "m-0004", category=fv("floating", b1))],
                   [concurrent(M, "m-0004", "category", "inService", c1, b1),
                    concurrent(M, "m-0004", "category", "retired", a1, b1)]))


@vector
def v05():
    log = Log()
    a0 = log.w("A", (1, 0, 0), M, "m-0005", "name", "张伟")
    a1 = log.w("A", (3, 0, 0), M, "m-0005", "name", "张伟明", [a0])
    b1 = log.w("B", (4, 0, 0), M, "m-0005", "name", "张伟明", [a0])
    c1 = log.w("C", (2, 0, 0), M, "m-0005", "name", "张卫", [a0])
    a2 = log.w("A", (3, 0, 1), M, "m-0005", "phone", "13800000000")
    b2 = log.w("B", (4, 0, 1), M, "m-0005", "phone", "13800000000")
    # name: heads a1, b1, c1; b1 wins with "张伟明"; a1 has the same value (agreement), c1 differs.
    # phone: heads a2, b2 with the same value: no conflict; the version is b2's.
    return ("05-lww-agreement",
            "lww: concurrent heads with the winner's value are agreement, not conflict; only heads with a different value are conflicts.",
            schema(M), log,
            expect([rec(M, "m-0005", name=fv("张伟明", b1), phone=fv("13800000000", b2))],
                   [concurrent(M, "m-0005", "name", "张卫", c1, b1)]))


@vector
def v06():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0006", "note", "初稿")
    a2 = log.w("A", (3, 0, 0), M, "m-0006", "note", "甲方案", [a1])
    b1 = log.w("B", (4, 0, 0), M, "m-0006", "note", "乙方案", [a1])
    c1 = log.w("C", (6, 0, 0), M, "m-0006", "note", "甲方案", [a2, b1])
    # c1 lists both heads: it is the only head. It keeps the loser's value.
    return ("06-lww-settlement",
            "lww: a conflict between two heads is settled by a write listing both heads as bases (here choosing the losing value); no conflict remains. The reversed order delivers the settlement before the writes it settles.",
            schema(M), log,
            expect([rec(M, "m-0006", note=fv("甲方案", c1))]))


@vector
def v07():
    log = Log()
    # The settlement is listed first: it arrives before the writes it settles.
    a0v = ver("A", 1)
    a1v = ver("A", 3)
    b1v = ver("B", 4)
    d1 = log.w("D", (6, 0, 0), M, "m-0007", "category", "retired", [a1v, b1v])
    a0 = log.w("A", (1, 0, 0), M, "m-0007", "category", "direct")
    a1 = log.w("A", (3, 0, 0), M, "m-0007", "category", "retired", [a0])
    b1 = log.w("B", (4, 0, 0), M, "m-0007", "category", "floating", [a0])
    c1 = log.w("C", (5, 0, 0), M, "m-0007", "category", "laidOff", [a0])
    assert (a0, a1, b1) == (a0v, a1v, b1v)
    # d1 settles a1 and b1 but had not seen c1: heads d1 (6:00) and c1 (5:00). d1 wins, c1 conflicts.
    return ("07-lww-partial-settlement-first",
            "lww: a settling write that arrives before the writes it settles, and that had not seen a third concurrent head: that head stays in conflict with the settlement.",
            schema(M), log,
            expect([rec(M, "m-0007", category=fv("retired", d1))],
                   [concurrent(M, "m-0007", "category", "laidOff", c1, d1)]))


@vector
def v08():
    log = Log()
    a1v = ver("A", 1)
    a2v = ver("A", 1, 0, 1)
    b1 = log.w("B", (2, 0, 0), M, "m-0008", "name", "赵蕾", [a2v])
    a1 = log.w("A", (1, 0, 0), M, "m-0008", "orgUnitId", SCOPE)
    a2 = log.w("A", (1, 0, 1), M, "m-0008", "name", "赵磊")
    log.dup(2)
    log.dup(0)
    assert (a1, a2) == (a1v, a2v)
    # a2 is superseded by b1 whether it comes before or after; duplicates are ignored.
    return ("08-lww-superseded-late-and-duplicate",
            "lww: the write a later write overwrote arrives after it, and again as a duplicate delivery (same site and seq); it never comes back as a head.",
            schema(M), log,
            expect([rec(M, "m-0008", name=fv("赵蕾", b1), orgUnitId=fv(SCOPE, a1))]))


@vector
def v09():
    log = Log()
    v1 = log.w("A", (1, 0, 0), M, "m-0009", "note", "第一稿")
    v2 = log.w("B", (2, 0, 0), M, "m-0009", "note", "第二稿", [v1])
    s = log.w("C", (2, 0, 1), M, "m-0009", "note", "旁支稿", [v1])
    v3 = log.w("C", (3, 0, 0), M, "m-0009", "note", "第三稿", [v2])
    v4 = log.w("A", (4, 0, 0), M, "m-0009", "note", "第四稿", [v3, s])
    log.changes = [log.changes[i] for i in (4, 0, 3, 1, 2)]  # newest first
    # v1 <- v2 <- v3 <- v4 and v1 <- s <- v4: only v4 stands, whatever the order
    # (in the listed order v1 is briefly a head again until v2 arrives).
    return ("09-lww-chain-out-of-order",
            "lww: a chain of overwrites with a side branch, delivered newest first; every superseded write is dropped once its superseder is known.",
            schema(M), log,
            expect([rec(M, "m-0009", note=fv("第四稿", v4))]))


@vector
def v10():
    log = Log()
    a0 = log.w("A", (1, 0, 0), M, "m-0010", "joinedOn", "2019-07-01")
    a1 = log.w("A", (3, 0, 0), M, "m-0010", "joinedOn", "2019-07-02", [a0])
    b1 = log.w("B", (4, 0, 0), M, "m-0010", "joinedOn", "2019-06-30", [a0])
    c1 = log.w("C", (6, 0, 0), M, "m-0010", "joinedOn", "2019-07-02", [a1, b1])
    d1 = log.w("D", (7, 0, 0), M, "m-0010", "joinedOn", "2019-07-03", [a1])
    # c1 settled a1 and b1, but d1 (which had seen only a1) is concurrent with c1:
    # heads c1 (6:00), d1 (7:00): d1 wins, c1 conflicts.
    return ("10-lww-stale-write-after-settlement",
            "lww: after a settlement, a write from a site that had not seen the conflict (its base is one of the settled heads) reopens a conflict with the settlement.",
            schema(M), log,
            expect([rec(M, "m-0010", joinedOn=fv("2019-07-03", d1))],
                   [concurrent(M, "m-0010", "joinedOn", "2019-07-02", c1, d1)]))


@vector
def v11():
    log = Log()
    ghost = ver("C", 0, 30)
    a1 = log.w("A", (1, 0, 0), M, "m-0011", "name", "孙立")
    b1 = log.w("B", (2, 0, 0), M, "m-0011", "name", "孙丽", [ghost])
    # b1's base is a version no replica holds; it supersedes nothing that is here: heads a1, b1.
    return ("11-lww-unknown-base",
            "lww: a base only supersedes the write with exactly that version; a base naming a write this replica never received (e.g. compacted away) supersedes nothing here.",
            schema(M), log,
            expect([rec(M, "m-0011", name=fv("孙丽", b1))],
                   [concurrent(M, "m-0011", "name", "孙立", a1, b1)]))


# --- forward ---------------------------------------------------------------------------------

@vector
def v12():
    log = Log()
    a1 = log.w("A", (1, 0, 0), SO, "so-0001", "orgUnitId", SCOPE)
    a2 = log.w("A", (1, 0, 1), SO, "so-0001", "state", "ordered")
    a3 = log.w("A", (2, 0, 0), SO, "so-0001", "state", "dispatched", [a2])
    b1 = log.w("B", (3, 0, 0), SO, "so-0001", "state", "accepted", [a3])
    b2 = log.w("B", (4, 0, 0), SO, "so-0001", "state", "done", [b1])
    return ("12-forward-sequential",
            "forward: a service order moves ordered -> dispatched -> accepted -> done; the value is the furthest state and the version the greatest.",
            schema(SO), log,
            expect([rec(SO, "so-0001", orgUnitId=fv(SCOPE, a1), state=fv("done", b2))]))


@vector
def v13():
    log = Log()
    a1 = log.w("A", (1, 0, 0), SO, "so-0002", "state", "ordered")
    a2 = log.w("A", (2, 0, 0), SO, "so-0002", "state", "dispatched", [a1])
    a3 = log.w("A", (5, 0, 0), SO, "so-0002", "state", "done", [a2])
    b1 = log.w("B", (6, 0, 0), SO, "so-0002", "state", "accepted", [a2])
    c1 = log.w("A", (5, 0, 1), SO, "so-0003", "state", "accepted")
    d1 = log.w("B", (4, 0, 0), SO, "so-0003", "state", "accepted")
    # so-0002: furthest state "done" (a3), greatest version b1 (6:00) -> value and version come from different writes.
    # so-0003: both "accepted"; greatest version c1 (5:00.1).
    return ("13-forward-concurrent-advances",
            "forward: concurrent advances are not conflicts; the value is the furthest state any write reached and the version the greatest version seen, which may belong to another write.",
            schema(SO), log,
            expect([rec(SO, "so-0002", state=fv("done", b1)),
                    rec(SO, "so-0003", state=fv("accepted", c1))]))


@vector
def v14():
    log = Log()
    a1 = log.w("A", (1, 0, 0), SO, "so-0004", "state", "ordered")
    a2 = log.w("A", (5, 0, 0), SO, "so-0004", "state", "reviewed", [a1])
    b1 = log.w("B", (7, 0, 0), SO, "so-0004", "state", "dispatched", [a1])
    # b1 is newer but further back: the state stays "reviewed"; the version is b1's.
    return ("14-forward-backward-write",
            "forward: a newer write of an earlier state (a stale device) does not move the state back and is not refused; the version still advances to it.",
            schema(SO), log,
            expect([rec(SO, "so-0004", state=fv("reviewed", b1))]))


# --- set -------------------------------------------------------------------------------------

@vector
def v15():
    log = Log()
    a1 = log.w("A", (1, 0, 0), ACT, "act-0001", "orgUnitId", SCOPE)
    a2 = log.w("A", (1, 0, 1), ACT, "act-0001", "title", "统一活动日")
    a3 = log.w("A", (1, 0, 2), ACT, "act-0001", "attendees", True, elem="m-0001")
    b1 = log.w("B", (3, 0, 0), ACT, "act-0001", "attendees", True, elem="m-0002")
    a4 = log.w("A", (2, 0, 0), ACT, "act-0001", "attendees", True, elem="m-0003")
    # three elements present; the field's version is the greatest element version, b1 (3:00).
    return ("15-set-concurrent-adds",
            "set: two devices check people in at once; every added element is present and the field's version is the greatest element version.",
            schema(ACT), log,
            expect([rec(ACT, "act-0001", attendees=fv(["m-0001", "m-0002", "m-0003"], b1),
                        orgUnitId=fv(SCOPE, a1), title=fv("统一活动日", a2))]))


@vector
def v16():
    log = Log()
    a1 = log.w("A", (1, 0, 0), ACT, "act-0002", "attendees", True, elem="m-0001")
    a2 = log.w("A", (5, 0, 0), ACT, "act-0002", "attendees", False, [a1], elem="m-0001")
    b1 = log.w("B", (4, 0, 0), ACT, "act-0002", "attendees", True, elem="m-0001")
    a3 = log.w("A", (6, 0, 0), ACT, "act-0002", "attendees", False, elem="m-0002")
    b2 = log.w("B", (6, 0, 0), ACT, "act-0002", "attendees", True, elem="m-0002")
    # m-0001: greatest version a2 (5:00) says absent.
    # m-0002: a3 and b2 share the hlc; site B is greater -> b2, present.
    # field version: greatest of a2 (5:00 A) and b2 (6:00 B) -> b2.
    return ("16-set-add-remove-concurrent",
            "set: each element is its own greatest-version-wins flag; a newer removal beats an older concurrent add, and equal clocks fall back to the site id.",
            schema(ACT), log,
            expect([rec(ACT, "act-0002", attendees=fv(["m-0002"], b2))]))


@vector
def v17():
    log = Log()
    a1 = log.w("A", (1, 0, 0), ACT, "act-0003", "attendees", True, elem="m-0001")
    b1 = log.w("B", (2, 0, 0), ACT, "act-0003", "attendees", False, [a1], elem="m-0001")
    a2 = log.w("A", (3, 0, 0), ACT, "act-0003", "attendees", True, [b1], elem="m-0001")
    a3 = log.w("A", (1, 0, 1), ACT, "act-0004", "attendees", True, elem="m-0005")
    b2 = log.w("B", (2, 0, 1), ACT, "act-0004", "attendees", False, [a3], elem="m-0005")
    # act-0003: add, remove, re-add -> present, version a2.
    # act-0004: its only element was removed -> value [], version b2 (the removal).
    return ("17-set-readd-and-empty",
            "set: an element removed and added again is present; a set whose every element was removed is the empty list, its version that of the last removal.",
            schema(ACT), log,
            expect([rec(ACT, "act-0003", attendees=fv(["m-0001"], a2)),
                    rec(ACT, "act-0004", attendees=fv([], b2))]))


# --- immutable / append-only -----------------------------------------------------------------

@vector
def v18():
    log = Log()
    a1 = log.w("A", (1, 0, 0), OU, "ou-0001", "name", "桥南社区", scope="ou-0001")
    a2 = log.w("A", (5, 0, 0), OU, "ou-0001", "code", "350525-001", scope="ou-0001")
    b1 = log.w("B", (3, 0, 0), OU, "ou-0001", "code", "350525-002", scope="ou-0001")
    a3 = log.w("A", (4, 0, 0), OU, "ou-0002", "code", "X-1", scope="ou-0002")
    b2 = log.w("B", (4, 0, 0), OU, "ou-0002", "code", "X-2", scope="ou-0002")
    # ou-0001: two creations; the earliest version b1 (3:00) stands.
    # ou-0002: equal hlc; the smaller site A is the earlier version -> a3.
    return ("18-immutable-double-creation",
            "immutable: two creations of the same field (no bases) reach a replica; the earliest version stands, with no conflict, so replicas agree.",
            schema(OU), log,
            expect([rec(OU, "ou-0001", code=fv("350525-002", b1), name=fv("桥南社区", a1)),
                    rec(OU, "ou-0002", code=fv("X-1", a3))]))


@vector
def v19():
    log = Log()
    a1 = log.w("A", (1, 0, 0), OU, "ou-0003", "code", "350525-003", scope="ou-0003")
    log.w("A", (2, 0, 0), OU, "ou-0003", "code", "350525-004", [a1], scope="ou-0003")  # A#2 refused
    log.w("A", (2, 0, 1), OU, "ou-0003", "code", "350525-003", [a1], scope="ou-0003")  # A#3 refused (same value)
    log.w("B", (9, 0, 0), OU, "ou-0003", "code", "350525-009", scope="ou-0003")        # B#1 accepted, later
    # a1 stands: the updates are refused; B#1 is a later creation, which loses to the earliest.
    return ("19-immutable-update-refused",
            "immutable: a write with bases (an update) is refused with immutable_field, even with the same value; a later creation is accepted but the earliest stands.",
            schema(OU), log,
            expect([rec(OU, "ou-0003", code=fv("350525-003", a1))], [],
                   [refused("A", 2, "immutable_field"), refused("A", 3, "immutable_field")]))


@vector
def v20():
    log = Log()
    a1 = log.w("A", (1, 0, 0), VH, "vh-0001", "orgUnitId", SCOPE)
    a2 = log.w("A", (1, 0, 1), VH, "vh-0001", "memberId", "m-0001")
    a3 = log.w("A", (1, 0, 2), VH, "vh-0001", "hours", 2.5)
    a4 = log.w("A", (1, 0, 3), VH, "vh-0001", "date", "2026-01-24")
    log.w("A", (2, 0, 0), VH, "vh-0001", "hours", 3, [a3])          # A#5 append_only (update)
    log.w("A", (2, 0, 1), VH, "vh-0001", "_deleted", True)            # A#6 append_only (delete)
    log.w("A", (2, 0, 2), VH, "vh-0001", "note", "更正", [a3])         # A#7 append_only (bases on another field)
    b1 = log.w("B", (0, 30, 0), VH, "vh-0001", "hours", 1.5)
    c1 = log.w("A", (3, 0, 0), VH, "vh-0002", "memberId", "m-0001")
    c2 = log.w("A", (3, 0, 1), VH, "vh-0002", "hours", -1)
    c3 = log.w("A", (3, 0, 2), VH, "vh-0002", "note", "更正 vh-0001")
    # vh-0001.hours: two creations; the earliest, b1 (0:30) with 1.5, stands.
    # vh-0002: a correcting entry; -1 is an integer written to a number field -> -1.
    return ("20-append-only",
            "appendOnly type: creations are accepted; any write with bases, and any _deleted write, is refused with append_only; two creations of a field keep the earliest; a correction is a new entry.",
            schema(VH), log,
            expect([rec(VH, "vh-0001", date=fv("2026-01-24", a4), hours=fv(1.5, b1), memberId=fv("m-0001", a2),
                        orgUnitId=fv(SCOPE, a1)),
                    rec(VH, "vh-0002", hours=fv(-1, c2), memberId=fv("m-0001", c1), note=fv("更正 vh-0001", c3))],
                   [],
                   [refused("A", 5, "append_only"), refused("A", 6, "append_only"), refused("A", 7, "append_only")]))


# --- deletes ---------------------------------------------------------------------------------

@vector
def v21():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0021", "orgUnitId", SCOPE)
    a2 = log.w("A", (1, 0, 1), M, "m-0021", "name", "周强")
    b1 = log.w("B", (3, 0, 0), M, "m-0021", "name", "周强华", [a2])
    a3 = log.w("A", (5, 0, 0), M, "m-0021", "_deleted", True)
    c1 = log.w("C", (4, 0, 0), M, "m-0021", "_deleted", True)
    d1 = log.w("D", (6, 0, 0), M, "m-0022", "_deleted", True)
    # m-0021: _deleted heads a3 (5:00) and c1 (4:00) both true -> agreement; deleted by a3.
    #         b1 (3:00) is older than the delete -> no delete/edit conflict.
    # m-0022: a delete of a record never seen created: a record with only _deleted.
    return ("21-delete",
            "delete: _deleted true wins; two concurrent deletes agree; an edit older than the winning delete is no conflict; a delete of a record the replica never saw created is kept as a tombstone.",
            schema(M), log,
            expect([rec(M, "m-0021", _deleted=fv(True, a3), name=fv("周强华", b1), orgUnitId=fv(SCOPE, a1)),
                    rec(M, "m-0022", _deleted=fv(True, d1))]))


def delete_edit_log():
    log = Log()
    w = {}
    w["a1"] = log.w("A", (1, 0, 0), M, "m-0023", "orgUnitId", SCOPE)
    w["a2"] = log.w("A", (1, 0, 1), M, "m-0023", "name", "吴芳")
    w["del"] = log.w("A", (5, 0, 0), M, "m-0023", "_deleted", True)
    w["b1"] = log.w("B", (6, 0, 0), M, "m-0023", "name", "吴芳芳", [w["a2"]])
    return log, w


@vector
def v22():
    log, w = delete_edit_log()
    s1 = log.w("A", (1, 0, 2), ACT, "act-0022", "title", "主题党日")
    s2 = log.w("A", (1, 0, 3), ACT, "act-0022", "attendees", True, elem="m-0001")
    sdel = log.w("A", (5, 0, 1), ACT, "act-0022", "_deleted", True)
    s3 = log.w("B", (7, 0, 0), ACT, "act-0022", "attendees", True, elem="m-0009")
    o1 = log.w("A", (1, 0, 4), SO, "so-0022", "state", "ordered")
    odel = log.w("A", (5, 0, 2), SO, "so-0022", "_deleted", True)
    o2 = log.w("B", (7, 0, 1), SO, "so-0022", "state", "dispatched", [o1])
    # member: name's winner b1 (6:00) > delete (5:00) -> delete_edit on name; orgUnitId (1:00) older.
    # activity: element m-0009 (7:00) > delete (5:00.1) -> delete_edit with elem; m-0001 and title older.
    #           field version = greatest element version = s3.
    # serviceOrder (forward): state version o2 (7:00.1) > delete (5:00.2) -> delete_edit with value "dispatched".
    return ("22-delete-edit-conflict",
            "delete/edit: writes newer than the winning delete, made without seeing it (an lww field, a set element, a forward state), stay in the record and are delete_edit conflicts whose winner is the delete.",
            schema(M, ACT, SO), log,
            expect([rec(ACT, "act-0022", _deleted=fv(True, sdel), attendees=fv(["m-0001", "m-0009"], s3),
                        title=fv("主题党日", s1)),
                    rec(M, "m-0023", _deleted=fv(True, w["del"]), name=fv("吴芳芳", w["b1"]),
                        orgUnitId=fv(SCOPE, w["a1"])),
                    rec(SO, "so-0022", _deleted=fv(True, odel), state=fv("dispatched", o2))],
                   [delete_edit(ACT, "act-0022", "attendees", True, s3, sdel, elem="m-0009"),
                    delete_edit(M, "m-0023", "name", "吴芳芳", w["b1"], w["del"]),
                    delete_edit(SO, "so-0022", "state", "dispatched", o2, odel)]))


@vector
def v23():
    log, w = delete_edit_log()
    c1 = log.w("C", (8, 0, 0), M, "m-0023", "_deleted", False, [w["del"]])
    # the restore supersedes the delete: _deleted false -> live, no delete/edit conflict.
    return ("23-delete-restore",
            "delete/edit settled by restoring: a _deleted false write listing the delete as its base makes the record live again and clears the conflict.",
            schema(M), log,
            expect([rec(M, "m-0023", _deleted=fv(False, c1), name=fv("吴芳芳", w["b1"]), orgUnitId=fv(SCOPE, w["a1"]))]))


@vector
def v24():
    log, w = delete_edit_log()
    c1 = log.w("C", (8, 0, 0), M, "m-0023", "_deleted", True, [w["del"]])
    # the confirming delete (8:00) is newer than the edit (6:00): no delete/edit conflict.
    return ("24-delete-confirm",
            "delete/edit settled by confirming: a newer _deleted true write listing the delete as its base is newer than the edit, so the conflict clears and the record stays deleted.",
            schema(M), log,
            expect([rec(M, "m-0023", _deleted=fv(True, c1), name=fv("吴芳芳", w["b1"]), orgUnitId=fv(SCOPE, w["a1"]))]))


@vector
def v25():
    log, w = delete_edit_log()
    c1 = log.w("C", (8, 0, 0), M, "m-0023", "_deleted", False, [w["del"]])
    d1 = log.w("D", (7, 0, 0), M, "m-0023", "_deleted", True, [w["del"]])
    # _deleted heads c1 (8:00, false) and d1 (7:00, true): c1 wins -> live; d1 is a concurrent conflict.
    # the record is not deleted, so there are no delete/edit conflicts.
    return ("25-delete-restore-race",
            "_deleted is an lww field: a restore and a confirming delete made concurrently are two heads; the greater (the restore) wins and the other is a concurrent conflict on _deleted.",
            schema(M), log,
            expect([rec(M, "m-0023", _deleted=fv(False, c1), name=fv("吴芳芳", w["b1"]), orgUnitId=fv(SCOPE, w["a1"]))],
                   [concurrent(M, "m-0023", "_deleted", True, d1, c1)]))


# --- validation ------------------------------------------------------------------------------

@vector
def v26():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0026", "name", "钱进")
    log.w("B", (2, 0, 0), "meeting", "mt-0001", "minutes", "联席会议纪要")   # B#1 unknown_type
    log.w("B", (2, 0, 1), M, "m-0026", "email", "qian@example.cn")           # B#2 unknown_field
    log.w("B", (2, 0, 2), M, "m-0026", "_hidden", True)                      # B#3 unknown_field
    log.w("B", (2, 0, 3), "Member", "m-0026", "name", "钱进")                 # B#4 unknown_type (names are case-sensitive)
    return ("26-refuse-unknown-type-and-field",
            "validation: a record type or field the schema does not have is refused (unknown_type, unknown_field); names are case-sensitive; the rest of the batch is applied.",
            schema(M), log,
            expect([rec(M, "m-0026", name=fv("钱进", a1))], [],
                   [refused("B", 1, "unknown_type"), refused("B", 2, "unknown_field"),
                    refused("B", 3, "unknown_field"), refused("B", 4, "unknown_type")]))


@vector
def v27():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0027", "birthYear", 1958)
    a2 = log.w("A", (1, 0, 1), M, "m-0027", "active", False)
    a3 = log.w("A", (1, 0, 2), ACT, "act-0027", "attendees", True, elem="m-0001")
    bad = [
        (M, "m-0027", "birthYear", "1960", None),      # B#1  text to int
        (M, "m-0027", "birthYear", 1.5, None),         # B#2  fraction to int
        (M, "m-0027", "name", True, None),             # B#3  bool to string
        (M, "m-0027", "name", 42, None),               # B#4  int to string
        (M, "m-0027", "active", 1, None),              # B#5  int to bool
        (M, "m-0027", "active", "true", None),         # B#6  text to bool
        (M, "m-0027", "_deleted", "yes", None),        # B#7  text to _deleted
        (M, "m-0027", "joinedOn", 20260101, None),     # B#8  int to date
        (M, "m-0027", "orgUnitId", 42, None),          # B#9  int to ref
        (M, "m-0027", "category", 1, None),            # B#10 int to enum
        (ACT, "act-0027", "attendees", "yes", "m-0002"),  # B#11 text to a set element
        (ACT, "act-0027", "attendees", None, "m-0003"),   # B#12 null to a set element
        (SO, "so-0027", "fee", "12.5", None),          # B#13 text to number
        (SO, "so-0027", "fee", True, None),            # B#14 bool to number
        (SO, "so-0027", "state", 2, None),             # B#15 int to a forward enum
    ]
    for i, (t, rid, field, value, elem) in enumerate(bad):
        log.w("B", (2, 0, i), t, rid, field, value, elem=elem)
    return ("27-refuse-wrong-kind",
            "validation: a value whose JSON type does not fit the field's kind is refused with wrong_kind (int, bool, string, date, ref, enum, number, set element, _deleted).",
            schema(M, ACT, SO), log,
            expect([rec(ACT, "act-0027", attendees=fv(["m-0001"], a3)),
                    rec(M, "m-0027", active=fv(False, a2), birthYear=fv(1958, a1))], [],
                   [refused("B", i + 1, "wrong_kind") for i in range(len(bad))]))


@vector
def v28():
    log = Log()
    long_ok = "名" * 1024
    a1 = log.w("A", (1, 0, 0), M, "m-0028", "joinedOn", "2024-02-29")
    a2 = log.w("A", (1, 0, 1), M, "m-0028", "name", long_ok)
    a3 = log.w("A", (1, 0, 2), M, "m-0028", "phone", None)
    a4 = log.w("A", (1, 0, 3), SO, "so-0028", "state", "ordered")
    a5 = log.w("A", (1, 0, 4), SO, "so-0028", "fee", 999999999.5)
    a6 = log.w("A", (1, 0, 5), M, "m-0029", "joinedOn", "2000-02-29")
    bad = [
        (M, "m-0028", "name", "a" * 1025),          # B#1  string longer than 1024 characters
        (M, "m-0028", "category", "student"),       # B#2  not one of the enum's values
        (M, "m-0028", "joinedOn", "2026-02-29"),    # B#3  2026 is not a leap year
        (M, "m-0028", "joinedOn", "2026-1-05"),     # B#4  not YYYY-MM-DD
        (M, "m-0028", "joinedOn", "2026-13-01"),    # B#5  no month 13
        (M, "m-0029", "joinedOn", "1900-02-29"),    # B#6  1900 is not a leap year
        (SO, "so-0028", "state", None),             # B#7  a forward field cannot be cleared
        (SO, "so-0028", "state", "cancelled"),      # B#8  not one of the states
        (SO, "so-0028", "fee", 1000000000000),      # B#9  |number| must be below 10^12
        (SO, "so-0028", "fee", Raw("-1e12")),       # B#10
    ]
    for i, (t, rid, field, value) in enumerate(bad):
        log.w("B", (2, 0, i), t, rid, field, value)
    return ("28-refuse-invalid-value",
            "validation: values of the right kind but not allowed are refused with invalid_value (too long, unknown enum value or state, impossible date, null to a forward field, a number of magnitude 10^12 or more); boundary values (1024 characters, 29 February of leap years, null to an lww field) are accepted; 37 shows the largest numbers accepted.",
            schema(M, SO), log,
            expect([rec(M, "m-0028", joinedOn=fv("2024-02-29", a1), name=fv(long_ok, a2), phone=fv(None, a3)),
                    rec(M, "m-0029", joinedOn=fv("2000-02-29", a6)),
                    rec(SO, "so-0028", fee=fv(999999999.5, a5), state=fv("ordered", a4))], [],
                   [refused("B", i + 1, "invalid_value") for i in range(len(bad))]))


@vector
def v29():
    log = Log()
    id128 = "m" + "0" * 127
    a1 = log.w("A", (1, 0, 0), M, "m:2026.01_a-Z", "name", "合法")
    a2 = log.w("A", (1, 0, 1), M, id128, "name", "长编号")
    bad = [
        (M, "m 1", SCOPE, "name", "甲", None),                       # B#1 space in the id
        (M, "成员1", SCOPE, "name", "乙", None),                      # B#2 non-ASCII id
        (M, "", SCOPE, "name", "丙", None),                          # B#3 empty id
        (M, "m" + "0" * 128, SCOPE, "name", "丁", None),             # B#4 129 characters
        (M, "m-0030", "", "name", "戊", None),                        # B#5 empty scope
        (M, "m-0030", "comm/qiaonan", "name", "己", None),            # B#6 '/' in the scope
        (M, "m-0030", SCOPE, "orgUnitId", "comm qiaonan", None),      # B#7 ref value is not an id
        (ACT, "act-0029", SCOPE, "attendees", True, "m 9"),           # B#8 set element is not an id
    ]
    for i, (t, rid, scope, field, value, elem) in enumerate(bad):
        log.w("B", (2, 0, i), t, rid, field, value, elem=elem, scope=scope)
    # ids sort by UTF-8 bytes: "m0..." ('0' = 0x30) before "m:..." (':' = 0x3a).
    return ("29-refuse-malformed-id",
            "validation: record ids, scopes, ref values and set elements are 1-128 characters of A-Z a-z 0-9 - _ . : ; anything else is refused with malformed_id. A 128-character id and one using every punctuation allowed are accepted.",
            schema(M, ACT), log,
            expect([rec(M, id128, name=fv("长编号", a2)),
                    rec(M, "m:2026.01_a-Z", name=fv("合法", a1))], [],
                   [refused("B", i + 1, "malformed_id") for i in range(len(bad))]))


@vector
def v30():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0030", "name", "冯军")
    ghosts = [ver("C", 0, s) for s in range(1, 64)]        # 63 versions no replica holds
    a2 = log.w("A", (5, 0, 0), M, "m-0030", "name", "冯俊", [a1] + ghosts)  # 64 bases: accepted
    log.w("B", (2, 0, 0), M, "m-0030", "birthYear", 1970, seq=0)            # seq 0
    log.w("B", (2, 0, 1), M, "m-0030", "name", "冯军", elem="x")             # B#1 elem on a non-set field
    log.w("B", (2, 0, 2), ACT, "act-0030", "attendees", True)                # B#2 set field without elem
    log.w("B", (4, 0, 0), M, "m-0030", "name", "冯军军", [ver("A", 4)])       # B#3 base as new as the change
    log.w("B", (4, 0, 1), M, "m-0030", "name", "冯军军", [ver("A", 9)])       # B#4 base newer than the change
    log.w("B", (4, 0, 2), M, "m-0030", "name", "冯军军", [ver("C", 0, s) for s in range(0, 65)])  # B#5 65 bases
    # a2 supersedes a1 (one of its 64 bases); the refused changes' bases supersede nothing.
    return ("30-refuse-malformed-change",
            "validation: structurally wrong changes are refused with malformed_change: seq 0, elem on a non-set field, no elem on a set field, a base not strictly older (by hlc) than the change, more than 64 bases. Exactly 64 bases is accepted.",
            schema(M, ACT), log,
            expect([rec(M, "m-0030", name=fv("冯俊", a2))], [],
                   [refused("B", 0, "malformed_change")] + [refused("B", i, "malformed_change") for i in range(1, 6)]))


@vector
def v31():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0031", "name", "郑洁")
    edge = NOW_MS + 600_000
    a2 = log.w("A", None, M, "m-0031", "note", "边界", raw_hlc=hlc_at_millis(edge, 0xFFFF))
    log.w("A", None, M, "m-0031", "phone", "13900000000", raw_hlc=hlc_at_millis(edge + 1))           # A#3
    log.w("A", None, M, "m-0031", "birthYear", 1980, raw_hlc=hlc_at_millis(1893456000000))          # A#4 2030-01-01
    log.w("B", None, M, "m-0031", "name", "郑婕", [a1], raw_hlc=hlc_at_millis(edge + 1, 5))          # B#1
    # now + 600000 ms exactly is allowed (even with counter ffff); one millisecond more is clock_skew.
    # B#1 is refused, so its base a1 stays the head.
    return ("31-clock-skew",
            "validation: a change whose hlc milliseconds exceed the receiver's wall clock (`now`) plus 600000 ms is refused with clock_skew; exactly now + 600000 is accepted; a refused change supersedes nothing.",
            schema(M), log,
            expect([rec(M, "m-0031", name=fv("郑洁", a1), note=fv("边界", a2))], [],
                   [refused("A", 3, "clock_skew"), refused("A", 4, "clock_skew"), refused("B", 1, "clock_skew")]))


@vector
def v32():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0032", "name", "何平")
    b1 = log.w("B", (2, 0, 0), M, "m-0032", "name", 7, [a1])                   # wrong_kind
    log.w("C", (3, 0, 0), M, "m-0032", "name", "何萍", [a1], scope="")         # malformed_id
    d1 = log.w("D", (4, 0, 0), M, "m-0032", "name", "何平平", [b1])
    # B#1 and C#1 are refused: a1 is not superseded. d1's only base is b1, which was never merged:
    # heads a1 and d1 -> d1 wins, a1 is a conflict.
    return ("32-refused-does-not-supersede",
            "a refused change is not merged: its bases supersede nothing, and a valid write whose base is a refused change does not supersede anything either.",
            schema(M), log,
            expect([rec(M, "m-0032", name=fv("何平平", d1))],
                   [concurrent(M, "m-0032", "name", "何平", a1, d1)],
                   [refused("B", 1, "wrong_kind"), refused("C", 1, "malformed_id")]))


# --- values ----------------------------------------------------------------------------------

@vector
def v33():
    log = Log()
    n = {}
    n[1] = log.w("A", (1, 0, 0), SO, "n-1", "fee", 2)
    n["1b"] = log.w("B", (2, 0, 0), SO, "n-1", "fee", Raw("2.0"))
    n["1r"] = log.w("A", (1, 0, 1), SO, "n-1", "rating", 5)
    n[2] = log.w("A", (1, 0, 2), SO, "n-2", "fee", 1.5)
    n["2b"] = log.w("B", (0, 30, 0), SO, "n-2", "fee", 1.25)
    n["2r"] = log.w("A", (1, 0, 3), SO, "n-2", "rating", -3)
    n[3] = log.w("A", (1, 0, 4), SO, "n-3", "fee", Raw("0.1234567"))
    n[4] = log.w("A", (1, 0, 5), SO, "n-4", "fee", Raw("2.50"))
    n[5] = log.w("A", (1, 0, 6), SO, "n-5", "fee", Raw("-0.000125"))
    n[6] = log.w("A", (1, 0, 7), SO, "n-6", "fee", Raw("1e2"))
    n[7] = log.w("A", (1, 0, 8), SO, "n-7", "fee", Raw("123456789.123456"))
    n[8] = log.w("A", (1, 0, 9), SO, "n-8", "fee", Raw("0.0000004"))
    n[9] = log.w("A", (1, 0, 10), SO, "n-9", "fee", Raw("-0.0"))
    # n-1: 2 and 2.0 are the same number: agreement, the version is B's (2:00).
    # n-2: 1.5 (1:00) and 1.25 (0:30) are concurrent first writes: 1.5 wins, 1.25 is a conflict.
    return ("33-number-canonical-form",
            "values: a number field holds numbers rounded to six decimals and written in plain decimal without trailing zeros: an int 2 and 2.0 are the same value (agreement), 2.50 is 2.5, 0.1234567 is 0.123457, 1e2 is 100, 0.0000004 and -0.0 are 0; int fields keep integers.",
            schema(SO), log,
            expect([rec(SO, "n-1", fee=fv(Raw("2"), n["1b"]), rating=fv(Raw("5"), n["1r"])),
                    rec(SO, "n-2", fee=fv(Raw("1.5"), n[2]), rating=fv(Raw("-3"), n["2r"])),
                    rec(SO, "n-3", fee=fv(Raw("0.123457"), n[3])),
                    rec(SO, "n-4", fee=fv(Raw("2.5"), n[4])),
                    rec(SO, "n-5", fee=fv(Raw("-0.000125"), n[5])),
                    rec(SO, "n-6", fee=fv(Raw("100"), n[6])),
                    rec(SO, "n-7", fee=fv(Raw("123456789.123456"), n[7])),
                    rec(SO, "n-8", fee=fv(Raw("0"), n[8])),
                    rec(SO, "n-9", fee=fv(Raw("0"), n[9]))],
                   [concurrent(SO, "n-2", "fee", Raw("1.25"), n["2b"], n[2])]))


@vector
def v34():
    log = Log()
    u1 = log.w("A", (1, 0, 0), M, "u-1", "name", "王秀英")
    u1b = log.w("B", (2, 0, 0), M, "u-1", "name", "王秀瑛")
    u2 = log.w("A", (1, 0, 1), M, "u-2", "name", Raw(r'"\u674e\u56db"'))
    u3 = log.w("A", (1, 0, 2), M, "u-3", "note",
               Raw(r'"引号\"、反斜杠\\、换行\n、制表\t、回车\r、控制\u0001\u001f、斜杠\/、表情\ud83d\udc4d、\u00e9"'))
    u4 = log.w("A", (1, 0, 3), M, "u-4", "name", "Zoë 👍 社区")
    u5 = log.w("A", (1, 0, 4), M, "u-5", "note", "a\u001fb\u007fc")
    return ("34-unicode-strings",
            "values: strings are Unicode; escapes on the wire (\\u, surrogate pairs, \\/, \\n, \\t, \\r, control characters) decode to the same text as raw UTF-8; the canonical dump writes text as raw UTF-8 escaping only \", \\ and U+0000-U+001F (as \\u00xx).",
            schema(M), log,
            expect([rec(M, "u-1", name=fv("王秀瑛", u1b)),
                    rec(M, "u-2", name=fv("李四", u2)),
                    rec(M, "u-3", note=fv("引号\"、反斜杠\\、换行\n、制表\t、回车\r、控制\u0001\u001f、斜杠/、表情👍、é", u3)),
                    rec(M, "u-4", name=fv("Zoë 👍 社区", u4)),
                    rec(M, "u-5", note=fv("a\u001fb\u007fc", u5))],
                   [concurrent(M, "u-1", "name", "王秀英", u1, u1b)]))


@vector
def v35():
    log = Log()
    w = {}
    w["ou"] = log.w("H", (1, 0, 0), OU, "ou-1", "name", "永春县", scope="ou-1")
    w["so"] = log.w("H", (1, 0, 1), SO, "so-1", "state", "ordered")
    ids = ["m_1", "m:1", "m1", "m.1", "m-2", "m-10", "M-2"]
    for i, rid in enumerate(ids):
        w[rid] = log.w("A", (2, 0, i), M, rid, "name", "成员" + rid)
    for i, rid in enumerate(["m-2", "m-10", "M-2"]):
        w["b" + rid] = log.w("B", (1, 30, i), M, rid, "name", "旧名" + rid)
    w["del"] = log.w("A", (2, 0, 10), M, "m-10", "_deleted", False)
    w["act"] = log.w("A", (2, 0, 11), M, "m-10", "active", True)
    w["by"] = log.w("A", (2, 0, 12), M, "m-10", "birthYear", 1975)
    w["cat"] = log.w("A", (2, 0, 13), M, "m-10", "category", "retired")
    for i, e in enumerate(["m-2", "M-2", "m-10"]):
        w["e" + e] = log.w("C", (3, 0, i), ACT, "act-1", "attendees", True, elem=e)
    # types: activity < member < orgUnit < serviceOrder; ids by bytes:
    # "M-2" < "m-10" < "m-2" < "m.1" < "m1" < "m:1" < "m_1"; fields: "_deleted" < "active" < ... < "name".
    # B's older first writes (1:30) are concurrent with A's (2:00): A wins, B's are conflicts.
    return ("35-canonical-order",
            "canonical order: records by type then id, fields by name, set elements and conflicts, all compared as UTF-8 bytes (upper case before '_' before lower case; '-' < '.' < digits < ':').",
            schema(ACT, M, OU, SO), log,
            expect([rec(ACT, "act-1", attendees=fv(["M-2", "m-10", "m-2"], w["em-10"])),
                    rec(M, "M-2", name=fv("成员M-2", w["M-2"])),
                    rec(M, "m-10", _deleted=fv(False, w["del"]), active=fv(True, w["act"]),
                        birthYear=fv(1975, w["by"]), category=fv("retired", w["cat"]), name=fv("成员m-10", w["m-10"])),
                    rec(M, "m-2", name=fv("成员m-2", w["m-2"])),
                    rec(M, "m.1", name=fv("成员m.1", w["m.1"])),
                    rec(M, "m1", name=fv("成员m1", w["m1"])),
                    rec(M, "m:1", name=fv("成员m:1", w["m:1"])),
                    rec(M, "m_1", name=fv("成员m_1", w["m_1"])),
                    rec(OU, "ou-1", name=fv("永春县", w["ou"])),
                    rec(SO, "so-1", state=fv("ordered", w["so"]))],
                   [concurrent(M, "M-2", "name", "旧名M-2", w["bM-2"], w["M-2"]),
                    concurrent(M, "m-10", "name", "旧名m-10", w["bm-10"], w["m-10"]),
                    concurrent(M, "m-2", "name", "旧名m-2", w["bm-2"], w["m-2"])]))


@vector
def v36():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "u-6", "name", "没有空字符")
    log.w("A", (1, 0, 1), M, "u-6", "note", "第一行\u0000第二行")   # A#2 NUL in a text field
    log.w("A", (1, 0, 2), M, "u-6", "name", Raw(r'"nul\u0000end"'))  # A#3 NUL in a string field, escaped
    # U+0000 is refused in string and text values (invalid_value); other control characters are fine (34).
    return ("36-refuse-nul-in-text",
            "validation: a string or text value containing U+0000 (NUL), raw or escaped, is refused with invalid_value.",
            schema(M), log,
            expect([rec(M, "u-6", name=fv("没有空字符", a1))], [],
                   [refused("A", 2, "invalid_value"), refused("A", 3, "invalid_value")]))


@vector
def v37():
    log = Log()
    a1 = log.w("A", (1, 0, 0), SO, "big-1", "fee", Raw("999999999999.5"))
    a2 = log.w("A", (1, 0, 1), SO, "big-2", "fee", Raw("-123456789012.25"))
    a3 = log.w("A", (1, 0, 2), SO, "big-3", "fee", Raw("8589934592.125"))
    a4 = log.w("A", (1, 0, 3), SO, "big-4", "fee", Raw("999999999999"))
    a5 = log.w("A", (1, 0, 4), SO, "big-5", "fee", Raw("-999999999999"))
    # Each value is exactly representable in binary and has at most six decimals, so rounding
    # to six decimals leaves it unchanged; its canonical text is its plain decimal form.
    return ("37-number-large-magnitude",
            "values: numbers of magnitude up to the limit (below 10^12, so 999999999999 is accepted) keep their exact decimal text in the dump (999999999999.5 stays 999999999999.5, not 999999999999.500032): a dump must not print binary noise past the value's decimals.",
            schema(SO), log,
            expect([rec(SO, "big-1", fee=fv(Raw("999999999999.5"), a1)),
                    rec(SO, "big-2", fee=fv(Raw("-123456789012.25"), a2)),
                    rec(SO, "big-3", fee=fv(Raw("8589934592.125"), a3)),
                    rec(SO, "big-4", fee=fv(Raw("999999999999"), a4)),
                    rec(SO, "big-5", fee=fv(Raw("-999999999999"), a5))]))


# --- SPEC decisions (issue 16) ---------------------------------------------------------------

@vector
def v38():
    log = Log()
    # An int field takes a JSON number whose value, read from its decimal text and rounded half
    # away from zero to six decimals (R), is whole and within -2^63..2^63-1 (SPEC §3 Numbers).
    ok = [
        ("i-01", "1961.0", "1961"),                      # JSON does not tell 1961 from 1961.0
        ("i-02", "1.961e3", "1961"),
        ("i-03", "19610e-1", "1961"),
        ("i-04", "1e3", "1000"),
        ("i-05", "-0", "0"),                             # -0 is 0
        ("i-06", "-0.0", "0"),
        ("i-07", "1961.0000004", "1961"),                # R = 1961.000000: whole
        ("i-08", "0.0000004", "0"),                      # R = 0
        ("i-09", "9223372036854775807", "9223372036854775807"),
        ("i-10", "-9223372036854775808", "-9223372036854775808"),
        ("i-11", "9.2233720368547758e18", "9223372036854775800"),   # exact decimal: a binary64 reading would be 2^63
        ("i-12", "-92233720368547758.07e2", "-9223372036854775807"),
    ]
    bad = [
        ("i-20", "9223372036854775808", "invalid_value"),      # 2^63: out of range
        ("i-21", "-9223372036854775809", "invalid_value"),
        ("i-22", "1e19", "invalid_value"),
        ("i-23", "-1e30", "invalid_value"),
        ("i-24", "9223372036854775807.5", "invalid_value"),    # out of range comes first, whole or not
        ("i-25", "1961.5", "wrong_kind"),                      # not whole: a number, not an integer
        ("i-26", "1961.0000005", "wrong_kind"),                # R = 1961.000001
        ("i-27", "-0.5", "wrong_kind"),
        ("i-28", "9007199254740993.5", "wrong_kind"),          # not whole, though its binary64 is
    ]
    versions = {}
    for i, (rid, text, _) in enumerate(ok):
        versions[rid] = log.w("A", (1, 0, i), SO, rid, "rating", Raw(text))
    for i, (rid, text, _) in enumerate(bad):
        log.w("B", (1, 0, i), SO, rid, "rating", Raw(text))
    return ("38-int-from-json-numbers",
            "values: an int field takes any JSON number whose value, read exactly from its decimal text and rounded to six decimals, is whole and within -2^63..2^63-1 (1961.0, 1.961e3, 1e3, -0, 1961.0000004); out of that range it is invalid_value (2^63, 1e19, 9223372036854775807.5), inside it a number that is not whole is wrong_kind (1961.5, 1961.0000005).",
            schema(SO), log,
            expect([rec(SO, rid, rating=fv(Raw(canonical), versions[rid])) for rid, _, canonical in ok], [],
                   [refused("B", i + 1, code) for i, (_, _, code) in enumerate(bad)]))


@vector
def v39():
    log = Log()
    # A number field: the decimal text is rounded half away from zero to six decimals (decimal
    # rounding of the digits, not of a binary double: 0.0000005 is 0.000001 although the
    # binary64 nearest to it is a little less), then held as the nearest binary64, which must
    # be below 10^12 in magnitude; its canonical text is that binary64's exact value rounded
    # to six decimals. Below 2^33 that text is the rounded decimal itself.
    ok = [
        ("n-01", "0.0000005", "0.000001"),
        ("n-02", "-0.0000005", "-0.000001"),
        ("n-03", "5e-7", "0.000001"),
        ("n-04", "0.00000049999999", "0"),
        ("n-05", "0.1234565", "0.123457"),                 # binary64 0.12345649999...: text rounding wins
        ("n-06", "1.0000015", "1.000002"),
        ("n-07", "4.0000005", "4.000001"),
        ("n-08", "0.0078125", "0.007813"),
        ("n-09", "8589934591.9999995", "8589934592"),     # rounds to a whole number
        ("n-10", "8589934591.999999", "8589934591.999999"),
        ("n-11", "999999999999.123456", "999999999999.123413"),   # above 2^33 binary64 steps exceed 10^-6
        ("n-12", "999999999999.999938", "999999999999.999878"),   # the greatest binary64 below 10^12
    ]
    bad = [
        "999999999999.9999995",     # rounds to 10^12
        "-999999999999.9999995",
        "999999999999.9999994",     # rounds to 999999999999.999999, whose binary64 is 10^12
        "999999999999.999939",      # binary64 10^12
    ]
    versions = {}
    for i, (rid, text, _) in enumerate(ok):
        versions[rid] = log.w("A", (1, 0, i), SO, rid, "fee", Raw(text))
    for i, text in enumerate(bad):
        log.w("B", (1, 0, i), SO, "n-20", "fee", Raw(text))
    return ("39-number-decimal-rounding",
            "values: a number is its decimal text rounded half away from zero to six decimals (0.0000005 is 0.000001, 0.1234565 is 0.123457), held as the nearest binary64, which must be below 10^12 in magnitude (999999999999.9999995 and 999999999999.999939 are refused); its canonical text is that binary64 rounded to six decimals (999999999999.123456 is written 999999999999.123413).",
            schema(SO), log,
            expect([rec(SO, rid, fee=fv(Raw(canonical), versions[rid])) for rid, _, canonical in ok], [],
                   [refused("B", i + 1, "invalid_value") for i in range(len(bad))]))


@vector
def v40():
    log = Log()
    # Dates: YYYY-MM-DD, years 0000-9999 of the proleptic Gregorian calendar (year 0 is a leap
    # year: divisible by 400), ASCII digits only, nothing before or after.
    ok = [("d-01", "0000-01-01"), ("d-02", "0000-02-29"), ("d-03", "1600-02-29"), ("d-04", "9999-12-31"),
          ("d-05", "1970-01-01")]
    bad = ["10000-01-01", "-0001-01-01", "0001-02-29", "2100-02-29", "2026-01-01T08:00:00",
           "\uff12\uff10\uff12\uff16-01-01", "2026-00-10", "2026-04-31", " 2026-01-01"]
    versions = {}
    for i, (rid, text) in enumerate(ok):
        versions[rid] = log.w("A", (1, 0, i), M, rid, "joinedOn", text)
    for i, text in enumerate(bad):
        log.w("B", (1, 0, i), M, "d-20", "joinedOn", text)
    return ("40-date-range",
            "values: a date is YYYY-MM-DD in ASCII digits, years 0000 to 9999 of the proleptic Gregorian calendar (0000-02-29 exists, 0001-02-29 and 2100-02-29 do not); five-digit or signed years, times, full-width digits and spaces are invalid_value.",
            schema(M), log,
            expect([rec(M, rid, joinedOn=fv(text, versions[rid])) for rid, text in ok], [],
                   [refused("B", i + 1, "invalid_value") for i in range(len(bad))]))


@vector
def v41():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0041", "name", "林秀英")
    b1 = log.w("B", (1, 20, 0), M, "m-0041", "name", "林秀瑛")        # concurrent first write: wins
    c1 = log.w("C", (1, 10, 0), M, "m-0041", "_deleted", True)        # a delete older than b1
    a2 = log.w("A", (1, 0, 1), M, "m-0042", "name", "周平")
    b2 = log.w("B", (1, 20, 1), M, "m-0042", "name", "周萍")
    c2 = log.w("C", (1, 30, 0), M, "m-0042", "_deleted", True)        # a delete newer than both
    # m-0041.name: heads b1 (winner) and a1 (a concurrent conflict). The record is deleted (c1)
    # and name's winner b1 (1:20) is newer than the delete (1:10): also a delete/edit conflict.
    # Both are listed: they are different facts (a lost race; an edit made without seeing the
    # delete), sorted by version. m-0042: the delete is newer than name's winner, so only the
    # concurrent conflict is listed; a deleted record keeps its concurrent conflicts.
    return ("41-concurrent-and-delete-edit",
            "conflicts: a field of a deleted record can be in a concurrent conflict and a delete/edit conflict at once; both are listed (sorted by version), and a deleted record keeps its concurrent conflicts.",
            schema(M), log,
            expect([rec(M, "m-0041", _deleted=fv(True, c1), name=fv("林秀瑛", b1)),
                    rec(M, "m-0042", _deleted=fv(True, c2), name=fv("周萍", b2))],
                   [concurrent(M, "m-0041", "name", "林秀英", a1, b1),
                    delete_edit(M, "m-0041", "name", "林秀瑛", b1, c1),
                    concurrent(M, "m-0042", "name", "周平", a2, b2)]))


@vector
def v42():
    log = Log()
    a1 = log.w("A", (1, 0, 0), SO, "so-0042", "state", "done")
    b1 = log.w("B", (1, 10, 0), SO, "so-0042", "state", "ordered", [a1])
    c1 = log.w("C", (1, 20, 0), SO, "so-0042", "state", "dispatched", [b1])
    a2 = log.w("A", (1, 0, 1), ACT, "act-0042", "attendees", True, elem="m-1")
    b2 = log.w("B", (1, 10, 1), ACT, "act-0042", "attendees", True, [a2], elem="m-1")
    c2 = log.w("C", (1, 20, 1), ACT, "act-0042", "attendees", True, [ver("A", 0, 50)], elem="m-2")
    # Bases of forward and set writes are accepted and ignored: they supersede nothing.
    # state: the furthest state written (done), the greatest version (c1). Were the bases read
    # as lww bases, c1 would be the only head and the state "dispatched".
    # attendees: m-1's greatest version is b2, m-2's c2; both present; the version is c2's.
    return ("42-bases-forward-and-set",
            "bases: a writer sends none for forward and set fields; a receiver accepts a forward or set write that has some and ignores them (they supersede nothing): the forward state stays the furthest one written.",
            schema(SO, ACT), log,
            expect([rec(ACT, "act-0042", attendees=fv(["m-1", "m-2"], c2)),
                    rec(SO, "so-0042", state=fv("done", c1))]))


@vector
def v43():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0043", "name", "甲")
    b1 = log.w("B", (1, 10, 0), M, "m-0043", "name", "乙")
    c1 = log.w("C", (1, 20, 0), M, "m-0043", "name", "丙", [b1])          # an edit: the winner only
    a2 = log.w("A", (1, 0, 1), M, "m-0044", "name", "甲")
    b2 = log.w("B", (1, 10, 1), M, "m-0044", "name", "乙")
    c2 = log.w("C", (1, 20, 1), M, "m-0044", "name", "丙", [b2, a2])      # a settlement: every head
    d2 = log.w("D", (1, 30, 0), M, "m-0044", "name", "丁", [c2])
    # m-0043: c1 supersedes b1 only; heads a1 and c1; c1 wins, a1 is still a conflict (now
    # against c1): an ordinary edit of a field in conflict leaves the conflict open.
    # m-0044: c2 lists both heads and is the only head; d2 overwrites it: no conflict.
    return ("43-edit-keeps-conflict-open",
            "bases: an ordinary edit of a field in conflict lists the winner only, so the conflict stays open (now against the edit); a settling write lists every head and closes it.",
            schema(M), log,
            expect([rec(M, "m-0043", name=fv("丙", c1)),
                    rec(M, "m-0044", name=fv("丁", d2))],
                   [concurrent(M, "m-0043", "name", "甲", a1, c1)]))


@vector
def v44():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0044", "name", "吴敏")
    log.changes[-1]["note"] = {"added": "in a later protocol", "items": [1, 2.5, None, {"deep": [[]]}]}
    a2 = log.w("A", (1, 0, 1), M, "m-0044", "birthYear", 1961)
    log.changes[-1] = {"x-trace": "a1b2", **log.changes[-1], "priority": True}
    # Readers ignore keys they do not know, wherever they stand (SPEC §9).
    return ("44-unknown-keys-ignored",
            "wire: a change may carry keys this protocol version does not define (a later additive version); readers ignore them, whatever their value and position.",
            schema(M), log,
            expect([rec(M, "m-0044", birthYear=fv(1961, a2), name=fv("吴敏", a1))]))


@vector
def v50():
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0050", "orgUnitId", SCOPE)
    a2 = log.w("A", (1, 0, 1), M, "m-0050", "phone", None)
    log.w("A", (1, 0, 2), M, "m-0050", "orgUnitId", None, bases=[a1])   # A#3 clears the scope field
    # A record always lies in an org unit (SPEC §3, §10 "Scope"): null clears any field but a
    # forward one and the type's scope fields, so A#3 is refused invalid_value and a1 stands.
    return ("50-refuse-null-scope-field",
            "validation: null to a type's scope field is refused with invalid_value (a record always lies in an org unit; move it instead), while null to another lww field clears it.",
            schema(M), log,
            expect([rec(M, "m-0050", orgUnitId=fv(SCOPE, a1), phone=fv(None, a2))], [],
                   [refused("A", 3, "invalid_value")]))


# --- limits and ranges (vectors 60 and up) --------------------------------------------------

def limited(type_name, **limits):
    """TYPES[type_name] with limits added to some of its fields: {field: {"min": …, …}}."""
    t = dict(TYPES[type_name])
    t["fields"] = {name: dict(spec, **limits.get(name, {})) for name, spec in t["fields"].items()}
    return t


@vector
def v60():
    sch = {"name": "golden", "version": 1, "types": {
        M: limited(M, name={"maxLength": 4}, note={"maxLength": 6}, birthYear={"max": 2100}),
        SO: limited(SO, rating={"min": 1, "max": 5}, fee={"min": 0}),
        VH: limited(VH, hours={"min": -24, "max": 24}),
    }}
    log = Log()
    a1 = log.w("A", (1, 0, 0), M, "m-0060", "name", "林秀英子")               # 4 characters (12 UTF-8 bytes): at the limit
    a2 = log.w("A", (1, 0, 1), M, "m-0060", "note", "\U0001F600" * 6)        # 6 characters outside the BMP (12 UTF-16 units)
    a3 = log.w("A", (1, 0, 2), M, "m-0060", "birthYear", 2100)               # max is included
    a4 = log.w("A", (1, 0, 3), M, "m-0061", "birthYear", -5)                 # no min: only the kind's limits below
    a5 = log.w("A", (1, 0, 4), SO, "so-0060", "rating", 1)                   # min is included
    a6 = log.w("A", (1, 0, 5), SO, "so-0061", "rating", 5)
    a7 = log.w("A", (1, 0, 6), SO, "so-0060", "fee", 0)                      # an int to a number field: 0, at min
    a8 = log.w("A", (1, 0, 7), SO, "so-0061", "fee", Raw("-0.0000004"))      # rounds to 0 first: in range
    a9 = log.w("A", (1, 0, 8), VH, "vh-0060", "hours", -24)
    a10 = log.w("A", (1, 0, 9), VH, "vh-0061", "hours", Raw("24.0000004"))   # rounds to 24 first: in range
    bad = [
        (M, "m-0060", "name", "林秀英子x"),             # B#1  5 characters, maxLength 4
        (M, "m-0060", "note", "\U0001F600" * 7),       # B#2  7 characters, maxLength 6
        (M, "m-0060", "birthYear", 2101),              # B#3  above max
        (SO, "so-0060", "rating", 0),                  # B#4  below min
        (SO, "so-0061", "rating", 6),                  # B#5  above max
        (SO, "so-0060", "fee", Raw("-0.5")),           # B#6  below min (no max)
        (VH, "vh-0062", "hours", Raw("24.000001")),    # B#7  still above 24 after rounding to six decimals
        (VH, "vh-0063", "hours", -25),                 # B#8  an int below min
    ]
    for i, (t, rid, field, value) in enumerate(bad):
        log.w("B", (2, 0, i), t, rid, field, value)
    # Every B change has the right kind and breaks only its field's limit, so each is refused
    # invalid_value and merges nothing; every A change is a first write of its field, so it
    # is the field's winner with no conflict. Numbers are compared after rounding (SPEC §3).
    return ("60-refuse-out-of-range",
            "validation: a schema's maxLength (characters, not bytes), min and max (both included) refuse values outside them with invalid_value; a number is rounded to six decimals before it is compared; an absent bound means no bound beyond the kind's.",
            sch, log,
            expect([rec(M, "m-0060", birthYear=fv(2100, a3), name=fv("林秀英子", a1), note=fv("\U0001F600" * 6, a2)),
                    rec(M, "m-0061", birthYear=fv(-5, a4)),
                    rec(SO, "so-0060", fee=fv(0, a7), rating=fv(1, a5)),
                    rec(SO, "so-0061", fee=fv(0, a8), rating=fv(5, a6)),
                    rec(VH, "vh-0060", hours=fv(-24, a9)),
                    rec(VH, "vh-0061", hours=fv(24, a10))], [],
                   [refused("B", i + 1, "invalid_value") for i in range(len(bad))]))


@vector
def v51():
    log = Log()
    # A wrote under golden/1; B under golden/2, a compatible successor (SPEC §9): a new optional
    # field (member.onlineGroup), a new enum value (category "partyWorker") and a new type
    # (teaHouse). A replica holding version 2 applies both: every change valid under version 1
    # is valid under version 2 with the same canonical value.
    member = dict(TYPES[M])
    member["fields"] = dict(member["fields"])
    member["fields"]["onlineGroup"] = {"kind": "string", "policy": "lww"}
    member["fields"]["category"] = dict(member["fields"]["category"])
    member["fields"]["category"]["values"] = member["fields"]["category"]["values"] + ["partyWorker"]
    tea = {"description": "a tea-house talk (民声茶馆)", "scopeField": "orgUnitId",
           "fields": {"orgUnitId": ORG, "topic": {"kind": "string", "policy": "lww"}}}
    v2 = {"name": "golden", "version": 2, "types": {M: member, "teaHouse": tea}}
    a1 = log.w("A", (1, 0, 0), M, "m-0051", "category", "retired")
    a2 = log.w("A", (1, 0, 1), M, "m-0051", "name", "林秀英")
    b1 = log.w("B", (2, 0, 0), M, "m-0051", "onlineGroup", "桃城镇群")
    b2 = log.w("B", (2, 0, 1), M, "m-0051", "category", "partyWorker", bases=[a1])
    b3 = log.w("B", (2, 0, 2), "teaHouse", "t-0051", "topic", "加装电梯")
    return ("51-older-version-applied-by-newer",
            "schemas as data: a replica holding version 2 of a schema (a compatible successor: a new optional field, a new enum value, a new type) applies changes written under version 1 and under version 2 alike; nothing written under version 1 is refused or merged differently.",
            v2, log,
            expect([rec(M, "m-0051", category=fv("partyWorker", b2), name=fv("林秀英", a2), onlineGroup=fv("桃城镇群", b1)),
                    rec("teaHouse", "t-0051", topic=fv("加装电梯", b3))]))


def main():
    for fn in V:
        name, description, sch, log, exp = fn()[:5]
        write_vector(OUT, name, description, sch, log, exp)
        print("wrote", name, len(log.changes), "changes")


if __name__ == "__main__":
    main()
