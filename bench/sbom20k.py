#!/usr/bin/env python3
"""A 20,000-component CycloneDX SBOM for the single-SBOM scan benchmark (issue #10):
packages and versions taken from the shared OSV archives (Go, PyPI, crates.io), mostly
versions those advisories list as affected, so that the scan has real work.

  bench/sbom20k.py OUT.cdx.json [--components 20000] [--seed 1]
"""
import argparse, json, os, random, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OSV = os.path.join(ROOT, "..", "shared", "data", "osv")
PURL = {"Go": "golang", "PyPI": "pypi", "crates.io": "cargo"}


def candidates():
    seen = {}
    for eco in ("Go", "PyPI", "crates.io"):
        with zipfile.ZipFile(os.path.join(OSV, f"{eco}.zip")) as z:
            for n in z.namelist():
                if not n.endswith(".json"):
                    continue
                rec = json.loads(z.read(n))
                for a in rec.get("affected", []):
                    p = a.get("package", {})
                    if p.get("ecosystem") != eco or not p.get("name"):
                        continue
                    versions = list(a.get("versions", []))
                    for r in a.get("ranges", []):
                        for e in r.get("events", []):
                            for k in ("introduced", "fixed", "last_affected"):
                                v = e.get(k)
                                if v and v != "0":
                                    versions.append(v)
                    for v in versions:
                        seen[(eco, p["name"], v)] = True
    return sorted(seen)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--components", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    pool = candidates()
    picks = rnd.sample(pool, min(a.components, len(pool)))
    comps = []
    for eco, name, v in picks:
        ver = v
        if eco == "Go" and not ver.startswith("v"):
            ver = "v" + ver
        purl = f"pkg:{PURL[eco]}/{name}@{ver}"
        comps.append({"type": "library", "name": name, "version": ver, "purl": purl, "bom-ref": purl})
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
           "metadata": {"component": {"type": "application", "name": "sbom20k", "version": "1"}},
           "components": comps}
    with open(a.out, "w") as f:
        json.dump(bom, f)
    print(f"{a.out}: {len(comps)} components from {len(pool)} (ecosystem, package, version) triples")


if __name__ == "__main__":
    main()
