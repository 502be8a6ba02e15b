#!/usr/bin/env python3
"""Compares riskmark and Trivy findings for one SBOM, same advisory set.

    compare.py RISKMARK.json TRIVY.json OSV.zip...

Trivy reports one row per (package instance, OSV record id); riskmark one per
(component, alias group) with the advisory ids in `id` + `aliases`. Both are
reduced to (package name, version) -> alias groups built from the OSV
records' own `aliases` (union-find), so a GHSA and a PYSEC record for the
same issue count once on both sides. Prints counts and the differences.
"""
import json, sys, zipfile, collections

rm_path, tv_path, zips = sys.argv[1], sys.argv[2], sys.argv[3:]

parent = {}
def find(x):
    parent.setdefault(x, x)
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x
def union(a, b):
    parent[find(a)] = find(b)
for z in zips:
    with zipfile.ZipFile(z) as zf:
        for n in zf.namelist():
            if n.endswith(".json"):
                r = json.loads(zf.read(n))
                for a in r.get("aliases") or []:
                    union(r["id"], a)

def norm(name):
    return name.lower().replace("_", "-")

rm = json.load(open(rm_path))
rm_set, rm_rows = set(), 0
for f in rm["findings"]:
    if f.get("status", "affected") != "affected":
        continue
    rm_rows += 1
    ids = [f["id"]] + (f.get("aliases") or [])
    rm_set.add((norm(f["component"]), f["version"].lstrip("v"), find(ids[0])))

tv = json.load(open(tv_path))
tv_set, tv_rows, tv_pkgs = set(), 0, 0
for res in tv.get("Results") or []:
    tv_pkgs += len(res.get("Packages") or [])
    for v in res.get("Vulnerabilities") or []:
        tv_rows += 1
        tv_set.add((norm(v["PkgName"]), v["InstalledVersion"].lstrip("v"), find(v["VulnerabilityID"])))

both = rm_set & tv_set
only_rm = sorted(rm_set - tv_set)
only_tv = sorted(tv_set - rm_set)
print(f"riskmark: {rm['components']} components, {rm_rows} findings -> {len(rm_set)} distinct (package, version, issue)")
print(f"trivy:    {tv_pkgs} packages, {tv_rows} vulnerability rows -> {len(tv_set)} distinct (package, version, issue)")
print(f"agree: {len(both)}; only riskmark: {len(only_rm)}; only trivy: {len(only_tv)}")
def show(label, rows):
    if not rows:
        return
    by_pkg = collections.defaultdict(list)
    for p, v, i in rows:
        by_pkg[(p, v)].append(i)
    print(f"{label} ({len(rows)} in {len(by_pkg)} packages):")
    for (p, v), ids in sorted(by_pkg.items()):
        print(f"  {p}@{v}: {' '.join(sorted(ids))}")
show("only riskmark", only_rm)
show("only trivy", only_tv)
