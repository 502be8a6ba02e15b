#!/usr/bin/env python3
"""The scale corpus of issue #13: the shared OSV archives (Go, PyPI, crates.io)
replicated 16x and 64x with renamed ids, aliases and package names, a matching
NVD-sized CPE set, a copy of the 64x archives with 1,000 advisories changed,
and a 20,000-component SBOM that hits it. Deterministic: the same inputs give
the same bytes.

  bench/scale.py OUT_DIR [--scales 1,16,64] [--changed 1000] [--no-nvd]

Writes, under OUT_DIR:
  {1,16,64}x/{Go,PyPI,crates.io}.zip  1x is a copy of the shared archives;
                                      replica 0 of every scale is the original
                                      record, byte for byte; replica k >= 1 has
                                      its ids, aliases, related ids and package
                                      names renamed (see `rename_*`)
  {1,16,64}x/nvd/nvdcve-2.0-ECO-NN.json  NVD CVE JSON 2.0 feed files: one
                                      CVE per distinct CVE alias of the scale's
                                      advisories (per ecosystem), with a CPE configuration
                                      (vendor/product from the package name,
                                      versionEndExcluding the first fix)
  64x-changed/*.zip                   the 64x archives with --changed
                                      advisories changed (a later `modified`
                                      and a changed summary), same entry names
  delta-1000/delta.zip                only those changed advisories
  sbom20k.cdx.json                    20,000 components drawn from replica 0
                                      (the original names): the same findings
                                      at every scale, so scan times compare
  sbom20k-spread.cdx.json             20,000 components spread over the 64
                                      replicas (hits the whole 64x database)
"""
import argparse, hashlib, json, os, random, re, shutil, sys, zipfile
from concurrent.futures import ProcessPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OSV = os.path.join(ROOT, "..", "shared", "data", "osv")
ECOS = ("Go", "PyPI", "crates.io")
PURL = {"Go": "golang", "PyPI": "pypi", "crates.io": "cargo"}
CVE = re.compile(r"^CVE-(\d{4})-(\d+)$")
CHANGED_MODIFIED = "2026-12-01T00:00:00Z"


def rename_id(s, k):
    """Replica k's name of an advisory id or alias. CVE ids stay CVE ids (the
    number gets k in front, 7 digits after it), others get a suffix."""
    if k == 0:
        return s
    m = CVE.match(s)
    if m:
        return f"CVE-{m.group(1)}-{k}{int(m.group(2)):07d}"
    return f"{s}-s{k:02d}"


def rename_pkg(name, k):
    return name if k == 0 else f"{name}-s{k:02d}"


def dump(rec, like):
    """JSON text in the layout of the original entry (Go and crates.io are
    indented by 2, PyPI is one line)."""
    if like.lstrip()[:2] == b"{\n":
        return json.dumps(rec, indent=2, ensure_ascii=False).encode() + b"\n"
    return json.dumps(rec, ensure_ascii=False).encode()


def replica(rec, k):
    r = json.loads(json.dumps(rec))
    r["id"] = rename_id(r["id"], k)
    for key in ("aliases", "related", "upstream"):
        if isinstance(r.get(key), list):
            r[key] = [rename_id(a, k) for a in r[key]]
    for a in r.get("affected", []):
        p = a.get("package") or {}
        if p.get("name"):
            p["name"] = rename_pkg(p["name"], k)
            if p.get("purl"):
                p["purl"] = f"pkg:{PURL.get(p.get('ecosystem'), 'generic')}/{p['name']}"
    return r


def changed(rec):
    r = json.loads(json.dumps(rec))
    r["modified"] = CHANGED_MODIFIED
    r["summary"] = (r.get("summary") or r["id"]) + " (updated)"
    return r


def is_changed(new_id, n_changed, total):
    """About n_changed of total advisories, chosen by a hash of the id."""
    h = int.from_bytes(hashlib.sha256(new_id.encode()).digest()[:8], "big")
    return h % total < n_changed


def write_eco(args):
    eco, out, scales, n_changed, total, nvd = args
    src = zipfile.ZipFile(os.path.join(OSV, f"{eco}.zip"))
    entries = []
    for info in src.infolist():
        if info.is_dir() or not info.filename.endswith(".json"):
            continue
        raw = src.read(info)
        entries.append((info.filename, raw, json.loads(raw)))
    big = max(scales)
    zips = {}
    for s in scales:
        if s == 1:
            continue
        zips[s] = zipfile.ZipFile(os.path.join(out, f"{s}x", f"{eco}.zip"), "w", zipfile.ZIP_DEFLATED)
    ch = zipfile.ZipFile(os.path.join(out, f"{big}x-changed", f"{eco}.zip"), "w", zipfile.ZIP_DEFLATED)
    delta = []
    cves = {s: [] for s in scales}
    for k in range(big):
        for name, raw, rec in entries:
            r = replica(rec, k) if k else rec
            body = raw if k == 0 else dump(r, raw)
            ename = name if k == 0 else f"{os.path.dirname(name) + '/' if os.path.dirname(name) else ''}{r['id']}.json"
            for s, z in zips.items():
                if k < s:
                    z.writestr(ename, body)
            if n_changed and is_changed(r["id"], n_changed, total):
                c = changed(r)
                cbody = dump(c, raw)
                ch.writestr(ename, cbody)
                delta.append((ename, cbody))
            else:
                ch.writestr(ename, body)
            if nvd:
                item = nvd_item(r, eco)
                for s in scales:
                    if item and k < s:
                        cves[s].append(item)
    for z in zips.values():
        z.close()
    ch.close()
    if 1 in scales:
        shutil.copyfile(os.path.join(OSV, f"{eco}.zip"), os.path.join(out, "1x", f"{eco}.zip"))
    ncves = {s: write_nvd(os.path.join(out, f"{s}x", "nvd"), eco, v) for s, v in cves.items() if nvd}
    return eco, len(entries), delta, ncves


def nvd_item(r, eco):
    """One NVD CVE per CVE alias (the first): a CPE criterion with the
    package as vendor/product, versionEndExcluding the first fixed version."""
    cve = next((a for a in r.get("aliases", []) if CVE.match(a)), None)
    if not cve:
        return None
    fixed = None
    pkg = None
    for a in r.get("affected", []):
        pkg = pkg or (a.get("package") or {}).get("name")
        for rg in a.get("ranges", []):
            for e in rg.get("events", []):
                fixed = fixed or e.get("fixed")
    if not pkg:
        return None
    parts = re.split(r"[/]", pkg.lower())
    vendor = re.sub(r"[^a-z0-9_.\-]", "_", parts[-2] if len(parts) > 1 else parts[-1])
    product = re.sub(r"[^a-z0-9_.\-]", "_", parts[-1])
    match = {"vulnerable": True, "criteria": f"cpe:2.3:a:{vendor}:{product}:*:*:*:*:*:*:*:*",
             "matchCriteriaId": hashlib.md5((cve + pkg).encode()).hexdigest().upper()}
    if fixed:
        match["versionEndExcluding"] = fixed
    mod = r.get("modified") or "2024-01-01T00:00:00Z"
    if mod.startswith("0001"):
        mod = "2024-01-01T00:00:00Z"
    t = mod.replace("Z", "")[:19] + ".000"
    return {"cve": {
        "id": cve, "sourceIdentifier": "cve@mitre.org",
        "published": t, "lastModified": t, "vulnStatus": "Analyzed",
        "descriptions": [{"lang": "en", "value": r.get("details") or r.get("summary") or cve}],
        "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary", "cvssData": {
            "version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
            "baseScore": 7.5, "baseSeverity": "HIGH"}, "exploitabilityScore": 3.9, "impactScore": 3.6}]},
        "weaknesses": [{"source": "nvd@nist.gov", "type": "Primary",
                        "description": [{"lang": "en", "value": "NVD-CWE-noinfo"}]}],
        "configurations": [{"nodes": [{"operator": "OR", "negate": False, "cpeMatch": [match]}]}],
        "references": [{"url": f"https://osv.dev/vulnerability/{r['id']}", "source": "cve@mitre.org"}],
    }}


def write_nvd(dirpath, eco, items, per_file=20000):
    os.makedirs(dirpath, exist_ok=True)
    seen = set()
    uniq = []
    for it in items:
        if it["cve"]["id"] not in seen:
            seen.add(it["cve"]["id"])
            uniq.append(it)
    uniq.sort(key=lambda it: it["cve"]["id"])
    for i in range(0, len(uniq), per_file):
        chunk = uniq[i:i + per_file]
        doc = {"resultsPerPage": len(chunk), "startIndex": i, "totalResults": len(uniq),
               "format": "NVD_CVE", "version": "2.0", "timestamp": "2026-12-01T00:00:00.000",
               "vulnerabilities": chunk}
        with open(os.path.join(dirpath, f"nvdcve-2.0-{eco}-{i // per_file:02d}.json"), "w") as f:
            json.dump(doc, f, indent=2)
    return len(uniq)


def sboms(out, big):
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    import sbom20k
    pool = sbom20k.candidates()
    for name, spread in (("sbom20k.cdx.json", False), ("sbom20k-spread.cdx.json", True)):
        rnd = random.Random(1)
        picks = rnd.sample(pool, min(20000, len(pool)))
        comps = []
        for eco, pkg, v in picks:
            k = rnd.randrange(big) if spread else 0
            pkg = rename_pkg(pkg, k)
            ver = v if eco != "Go" or v.startswith("v") else "v" + v
            purl = f"pkg:{PURL[eco]}/{pkg}@{ver}"
            comps.append({"type": "library", "name": pkg, "version": ver, "purl": purl, "bom-ref": purl})
        bom = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
               "metadata": {"component": {"type": "application", "name": name, "version": "1"}},
               "components": comps}
        with open(os.path.join(out, name), "w") as f:
            json.dump(bom, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--scales", default="1,16,64")
    ap.add_argument("--changed", type=int, default=1000)
    ap.add_argument("--no-nvd", action="store_true")
    a = ap.parse_args()
    for e in ECOS:
        if not os.path.exists(os.path.join(OSV, f"{e}.zip")):
            print(f"error: {OSV}/{e}.zip is absent (the shared data lives in ../shared beside the repo)", file=sys.stderr)
            sys.exit(2)
    scales = sorted({int(s) for s in a.scales.split(",")})
    big = max(scales)
    for s in scales:
        os.makedirs(os.path.join(a.out, f"{s}x"), exist_ok=True)
    os.makedirs(os.path.join(a.out, f"{big}x-changed"), exist_ok=True)
    total = 0
    for e in ECOS:
        with zipfile.ZipFile(os.path.join(OSV, f"{e}.zip")) as z:
            total += sum(1 for n in z.namelist() if n.endswith(".json"))
    total *= big
    with ProcessPoolExecutor(max_workers=3) as ex:
        results = list(ex.map(write_eco, [(e, a.out, scales, a.changed, total, not a.no_nvd) for e in ECOS]))
    delta_dir = os.path.join(a.out, f"delta-{a.changed}")
    os.makedirs(delta_dir, exist_ok=True)
    n_delta = 0
    with zipfile.ZipFile(os.path.join(delta_dir, "delta.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for _eco, _n, delta, _c in results:
            for name, body in delta:
                z.writestr(name, body)
                n_delta += 1
    for s in scales:
        if not a.no_nvd:
            print(f"{s}x: {sum(c[s] for _e, _n, _d, c in results)} NVD CVEs")
    sboms(a.out, big)
    for s in scales:
        print(f"{s}x: {sum(n for _e, n, _d, _c in results) * s} records")
    print(f"{big}x-changed: {n_delta} advisories changed; delta-{a.changed}/delta.zip holds them")


if __name__ == "__main__":
    main()
