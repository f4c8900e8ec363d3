#!/usr/bin/env python3
"""Generates the sample org tree of Yongchun county (永春县, Quanzhou, Fujian).

Writes Protocol/examples/sample-county.json and Protocol/examples/sample-county.csv with the
same rows: id, name, kind, parentId (empty / null for the root), orgForm. The output is
deterministic: running the script twice gives byte-identical files.

The 22 townships are Yongchun's real ones (18 towns, 4 townships). The county has 27
communities, as in the published account; village, grid and building names are realistic
fixtures, not an official gazetteer. About 300 org units in all: 1 county, 22 townships,
27 communities, 166 villages, 74 grids and 12 buildings.

Usage: Scripts/gen-sample-county.py
"""

import csv
import io
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "Protocol", "examples")

# (township name, communities, villages), in the order of the ids yc-t01 … yc-t22.
TOWNSHIPS = [
    ("桃城镇", ["留安社区", "桃东社区", "桃溪社区", "环城社区", "花石社区", "八二三社区", "丰山社区", "济川社区"],
     ["大羽村", "洛阳村", "上坂村", "南门村", "化龙村"]),
    ("五里街镇", ["五里街社区", "西安社区", "仰贤社区", "埔头社区"],
     ["大路村", "吾东村", "西溪村", "高垅村", "华岩村", "儒林村"]),
    ("一都镇", [],
     ["仙阁村", "黄田村", "龙山村", "善益村", "琼溪村", "福中村", "新联村", "南斗村", "坪坑村"]),
    ("下洋镇", ["下洋社区"],
     ["下洋村", "岭兜村", "大兴村", "东溪村", "大坪村", "涌溪村", "后垵村", "柳溪村", "初溪村"]),
    ("蓬壶镇", ["蓬壶社区"],
     ["美山村", "壶东村", "西昌村", "仙岭村", "八乡村", "鹏溪村", "观山村", "汤城村", "高丽村", "都溪村"]),
    ("达埔镇", ["达埔社区"],
     ["汉口村", "楚安村", "新琼村", "狮峰村", "前峰村", "岩峰村", "光烈村", "金峰村", "乌石村"]),
    ("吾峰镇", ["吾峰社区"],
     ["吾峰村", "枣岩村", "三福村", "梅林村", "后溪村", "双溪村", "侯龙村"]),
    ("石鼓镇", ["石鼓社区"],
     ["卿园村", "半岭村", "大卿村", "吾边村", "桃场村", "凤山村", "东山村", "社山村", "朱紫村"]),
    ("岵山镇", ["岵山社区"],
     ["铺上村", "茂霞村", "塘溪村", "北溪村", "和林村", "南石村", "龙阁村", "西墩村"]),
    ("东平镇", ["东平社区"],
     ["太平村", "店上村", "冷水村", "东风村", "文峰村", "湖山村", "东里村", "霞林村"]),
    ("东关镇", ["东关社区"],
     ["东美村", "外碧村", "南美村", "东关村", "内碧村", "鹏翔村", "南埕村"]),
    ("桂洋镇", ["桂洋社区"],
     ["桂洋村", "陈坂村", "福坑村", "盖德村", "山头村", "白岩村", "竹林村"]),
    ("苏坑镇", ["苏坑社区"],
     ["苏坑村", "嵩溪村", "洑溪村", "林坂村", "呈美村", "岭头村", "坂头村", "深坑村"]),
    ("玉斗镇", ["玉斗社区"],
     ["玉斗村", "云台村", "玉美村", "炉地村", "白坑村", "溪头村", "高洋村"]),
    ("锦斗镇", ["锦斗社区"],
     ["锦斗村", "云路村", "洋上村", "芹山村", "营边村", "长基村", "月洋村"]),
    ("坑仔口镇", ["坑仔口社区"],
     ["坑仔口村", "玉柱村", "后坑村", "魁斗村", "四班村", "溪园村", "福联村", "大埕村"]),
    ("湖洋镇", ["湖洋社区"],
     ["湖城村", "锦溪村", "清白村", "美莲村", "桃源村", "蓬莱村", "龙水村", "玉湖村", "上洋村", "仙溪村"]),
    ("仙夹镇", ["仙夹社区"],
     ["仙夹村", "龙美村", "夹际村", "美寨村", "德风村", "山后村", "华美村"]),
    ("外山乡", [],
     ["外山村", "云峰村", "草洋村", "格头村", "三凤村", "新林村"]),
    ("横口乡", [],
     ["横口村", "环峰村", "云贵村", "圆潭村", "横山村", "福德村"]),
    ("呈祥乡", [],
     ["呈祥村", "呈林村", "坪林村", "南寨村", "后岭村", "上场村"]),
    ("介福乡", [],
     ["介福村", "紫美村", "龙津村", "福东村", "田岭村", "溪尾村", "大岭村"]),
]

GRID_NAMES = ["第一网格", "第二网格", "第三网格", "第四网格"]
ESTATES = ["桃源小区", "金桥花园", "锦绣家园", "玉湖苑", "留安新村", "八二三公寓"]
COLUMNS = ["id", "name", "kind", "parentId", "orgForm"]


def units():
    """The org units, parents before children."""
    rows = [dict(id="yc", name="永春县", kind="county", parentId=None, orgForm="committee")]
    for t, (town, communities, villages) in enumerate(TOWNSHIPS, start=1):
        tid = f"yc-t{t:02d}"
        rows.append(dict(id=tid, name=town, kind="township", parentId="yc", orgForm="committee"))
        # The county seat's communities are large (a community committee, four grids, and
        # building groups in their first two grids); the second town's have three grids;
        # other towns have one community each, with a general branch and two grids.
        grids = 4 if t == 1 else 3 if t == 2 else 2
        for c, community in enumerate(communities, start=1):
            cid = f"{tid}-c{c:02d}"
            form = "committee" if t == 1 else "generalBranch"
            rows.append(dict(id=cid, name=community, kind="community", parentId=tid, orgForm=form))
            for g in range(1, grids + 1):
                gid = f"{cid}-g{g}"
                rows.append(dict(id=gid, name=GRID_NAMES[g - 1], kind="grid", parentId=cid, orgForm="branch"))
                if t == 1 and c <= 6 and g <= 2:
                    estate = ESTATES[c - 1]
                    rows.append(dict(id=f"{gid}-b1", name=f"{estate}{g * 2 + c}号楼", kind="building",
                                     parentId=gid, orgForm="group"))
        for v, village in enumerate(villages, start=1):
            form = "generalBranch" if v == 1 else "branch"
            rows.append(dict(id=f"{tid}-v{v:02d}", name=village, kind="village", parentId=tid, orgForm=form))
    return rows


def check(rows):
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    known = set()
    for r in rows:
        assert r["parentId"] is None or r["parentId"] in known, f"parent of {r['id']} comes later or is missing"
        known.add(r["id"])
    siblings = {}
    for r in rows:
        key = (r["parentId"], r["name"])
        assert key not in siblings, f"two units named {r['name']} under {r['parentId']}"
        siblings[key] = r["id"]
    assert sum(r["kind"] == "community" for r in rows) == 27


def write(rows):
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, "sample-county.json"), "w", encoding="utf-8", newline="\n") as out:
        json.dump(rows, out, indent=2, sort_keys=True, ensure_ascii=False)
        out.write("\n")
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([r[c] if r[c] is not None else "" for c in COLUMNS])
    with open(os.path.join(OUT_DIR, "sample-county.csv"), "w", encoding="utf-8", newline="") as out:
        out.write(text.getvalue())


if __name__ == "__main__":
    rows = units()
    check(rows)
    write(rows)
    kinds = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print(f"gen-sample-county: {len(rows)} org units", ", ".join(f"{k} {n}" for k, n in kinds.items()))
