"""Helpers for writing the golden vectors by hand.

The expectations in make_vectors.py are written out by hand from the rules in SPEC.md;
these helpers only spell clocks, versions and JSON. Nothing here merges anything.
"""

import json
import os
import random

# 2026-01-01T00:00:00Z in Unix milliseconds: the vectors' clocks are minutes after it.
BASE_MS = 1767225600000

# Receiver wall clock used by most vectors: 2026-01-01T01:00:00Z.
NOW_MS = BASE_MS + 3_600_000

# Site ids (16 lowercase hex digits). Their order matters for ties: A < B < C < D < H.
SITES = {
    "A": "3f2a9c4e7b1d0a55",
    "B": "8c41e2b7d9f03a16",
    "C": "c07d5a3e1f9b2468",
    "D": "d41d8cd98f00b204",
    "H": "e3b0c44298fc1c14",
}
assert sorted(SITES.values()) == [SITES[k] for k in "ABCDH"]

SCOPE = "comm-qiaonan"


def hlc(minute, second=0, counter=0, ms=0):
    """The 16-hex-digit hlc of BASE + minute:second.ms with a counter."""
    millis = BASE_MS + minute * 60_000 + second * 1000 + ms
    return format((millis << 16) | counter, "016x")


def hlc_at_millis(millis, counter=0):
    return format((millis << 16) | counter, "016x")


def ver(site, minute, second=0, counter=0, ms=0):
    return hlc(minute, second, counter, ms) + "-" + SITES[site]


class Log:
    """Builds a vector's changes, numbering each site's seq from 1."""

    def __init__(self):
        self.changes = []
        self.seqs = {}

    def w(self, site, when, type_, id_, field, value, bases=(), elem=None, scope=SCOPE, seq=None, raw_hlc=None):
        """Appends one change; `when` is (minute, second, counter). Returns its version."""
        minute, second, counter = (tuple(when or (0,)) + (0, 0))[:3]
        if seq is None:
            seq = self.seqs.get(site, 0) + 1
            self.seqs[site] = seq
        h = raw_hlc or hlc(minute, second, counter)
        change = {
            "site": SITES[site],
            "seq": seq,
            "hlc": h,
            "type": type_,
            "id": id_,
            "scope": scope,
            "field": field,
        }
        if elem is not None:
            change["elem"] = elem
        change["value"] = value
        if bases:
            change["bases"] = list(bases)
        self.changes.append(change)
        return h + "-" + SITES[site]

    def dup(self, index):
        """Appends an exact copy of an earlier change (a duplicate delivery)."""
        self.changes.append(dict(self.changes[index]))


class Raw:
    """A JSON value written exactly as `text` in the file (e.g. `2.50`, `1e2` or escapes)."""

    registry = {}

    def __init__(self, text):
        self.text = text
        self.token = "@@RAW%d@@" % len(Raw.registry)
        Raw.registry[self.token] = text


def _encode(value):
    if isinstance(value, Raw):
        return value.token
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def fv(value, version):
    return {"value": value, "version": version}


def rec(type_, id_, **fields):
    return {"fields": dict(sorted(fields.items(), key=lambda kv: kv[0].encode())), "id": id_, "type": type_}


def concurrent(type_, id_, field, value, version, winner):
    return {"field": field, "id": id_, "kind": "concurrent", "type": type_, "value": value,
            "version": version, "winner": winner}


def delete_edit(type_, id_, field, value, version, winner, elem=None):
    c = {"field": field, "id": id_, "kind": "delete_edit", "type": type_, "value": value,
         "version": version, "winner": winner}
    if elem is not None:
        c = {"elem": elem, **c}
    return c


def refused(site, seq, code):
    return {"site": SITES[site], "seq": seq, "code": code}


def orders_for(n, seed):
    """Forward, reversed, one shuffled order and one shuffled order with duplicates."""
    rng = random.Random(seed)
    forward = list(range(n))
    shuffled = forward[:]
    rng.shuffle(shuffled)
    again = forward[:]
    rng.shuffle(again)
    repeats = [rng.randrange(n) for _ in range(max(2, n // 2))]
    with_dups = again[:]
    for r in repeats:
        with_dups.insert(rng.randrange(len(with_dups) + 1), r)
    orders = [forward, list(reversed(forward)), shuffled, with_dups]
    unique = []
    for o in orders:
        if o not in unique:
            unique.append(o)
    return unique


def utf8_key(s):
    return s.encode("utf-8")


def check_sorted(expect):
    """Guards the hand-written expectations against ordering slips (it does not compute them)."""
    keys = [(utf8_key(r["type"]), utf8_key(r["id"])) for r in expect["records"]]
    assert keys == sorted(keys) and len(set(keys)) == len(keys), "records out of canonical order"
    for r in expect["records"]:
        names = [utf8_key(n) for n in r["fields"]]
        assert names == sorted(names)
    ck = [(utf8_key(c["type"]), utf8_key(c["id"]), utf8_key(c["field"]), utf8_key(c.get("elem", "")), c["version"])
          for c in expect["conflicts"]]
    assert ck == sorted(ck), "conflicts out of canonical order"
    rk = [(r["site"], r["seq"]) for r in expect["refused"]]
    assert rk == sorted(rk) and len(set(rk)) == len(rk), "refused out of order"


def write_vector(directory, name, description, schema, log, expect, now=NOW_MS, orders=None):
    check_sorted(expect)
    n = len(log.changes)
    seed = sum(name.encode())
    vector = {
        "description": description,
        "schema": schema,
        "now": now,
        "changes": log.changes,
        "orders": orders or orders_for(n, seed),
        "expect": expect,
    }
    for order in vector["orders"]:
        assert set(order) == set(range(n)), name
    path = os.path.join(directory, name + ".json")
    def dumps(value, indent=None):
        return json.dumps(_encode(value), ensure_ascii=False, indent=indent)

    def nested(value):
        return dumps(value, 2).replace("\n", "\n  ")

    lines = ["{"]
    lines.append('  "description": %s,' % dumps(description))
    lines.append('  "schema": %s,' % nested(schema))
    lines.append('  "now": %d,' % now)
    lines.append('  "changes": [')
    lines.append(",\n".join("    " + dumps(c) for c in log.changes))
    lines.append("  ],")
    lines.append('  "orders": [')
    lines.append(",\n".join("    " + dumps(o) for o in vector["orders"]))
    lines.append("  ],")
    lines.append('  "expect": %s' % nested(expect))
    lines.append("}")
    text = "\n".join(lines)
    for token, raw in Raw.registry.items():
        text = text.replace('"' + token + '"', raw)
    json.loads(text)  # still valid JSON
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")
