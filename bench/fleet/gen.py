#!/usr/bin/env python3
"""A synthetic estate for `riskmark fleet` benchmarks (issue #10).

  bench/fleet/gen.py OUT_DIR --models 5000 --instances 1000000 [--components 150] [--seed 1]

Writes OUT_DIR/models/*.toml (model profiles made from the shipped examples, one per
model family, categories as the examples have them), OUT_DIR/sboms/*.cdx.json (one
CycloneDX SBOM per model and firmware, COMPONENTS real components each: names, versions
and purls taken from the SBOMs in ../shared/data/sboms, so the vulnerability database
matches many of them), and OUT_DIR/inventory-N.csv (N instances: models drawn with a
long tail, firmware drift within a model, zones, owners, criticality).

Distinct (profile, firmware, SBOM) keys = --models: families of 1-3 firmwares each.
Deterministic for a seed.
"""
import argparse, glob, json, os, random, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, "..", "shared", "data", "sboms")


def components_pool():
    pool = {}
    for path in sorted(glob.glob(os.path.join(SHARED, "**", "*.json"), recursive=True)):
        try:
            with open(path) as f:
                doc = json.load(f)
        except (OSError, ValueError):
            continue
        if not isinstance(doc, dict):
            continue
        if doc.get("bomFormat") == "CycloneDX":
            for c in doc.get("components", []):
                purl, name, version = c.get("purl"), c.get("name"), c.get("version")
                if purl and name and version:
                    pool[purl] = (name, version, purl)
        for p in doc.get("packages", []):
            for ref in p.get("externalRefs", []):
                if ref.get("referenceType") == "purl":
                    purl = ref.get("referenceLocator")
                    if purl and p.get("name") and p.get("versionInfo"):
                        pool[purl] = (p["name"], p["versionInfo"], purl)
    return sorted(pool.values())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--models", type=int, default=5000)
    ap.add_argument("--instances", type=int, nargs="+", default=[10000])
    ap.add_argument("--components", type=int, default=150)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    pool = components_pool()
    if len(pool) < a.components:
        sys.exit(f"error: only {len(pool)} real components under {SHARED}")
    examples = sorted(glob.glob(os.path.join(ROOT, "examples", "*.toml")))
    os.makedirs(os.path.join(a.out, "models"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "sboms"), exist_ok=True)
    keys = []  # (profile, firmware, sbom) relative to OUT
    family = 0
    while len(keys) < a.models:
        base = examples[family % len(examples)]
        text = open(base).read()
        model = f"GEN-{family:05d}"
        text = re.sub(r'(?m)^model = "[^"]*"', f'model = "{model}"', text, count=1)
        text = re.sub(r'(?m)^sbom = "[^"]*"\n', "", text)
        prof = f"models/{model}.toml"
        with open(os.path.join(a.out, prof), "w") as f:
            f.write(text)
        base_components = rnd.sample(pool, a.components)
        for fw in range(min(rnd.choice([1, 2, 2, 3]), a.models - len(keys))):
            version = f"{1 + fw}.{rnd.randrange(10)}.{rnd.randrange(30)}"
            comps = list(base_components)
            # Drift: a newer firmware swaps a tenth of its components.
            for i in rnd.sample(range(len(comps)), len(comps) * fw // 10):
                comps[i] = rnd.choice(pool)
            comps = list({c[2]: c for c in comps}.values())
            bom = {
                "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                "metadata": {"component": {"type": "firmware", "name": model, "version": version}},
                "components": [
                    {"type": "library", "name": n, "version": v, "purl": p, "bom-ref": p}
                    for (n, v, p) in comps
                ],
            }
            sbom = f"sboms/{model}-{version}.cdx.json"
            with open(os.path.join(a.out, sbom), "w") as f:
                json.dump(bom, f, separators=(",", ":"))
            keys.append((prof, version, sbom))
        family += 1
    zones = ["office", "dmz", "ot", "clinical", "building", "guest", "cctv", "lab"]
    owners = ["netops", "facilities", "ot", "biomed", "security", "it", "hr"]
    crit = ["low"] * 3 + ["medium"] * 4 + ["high"] * 2 + ["critical"]
    # A long tail: a few models make most of the estate.
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(keys))]
    for n in a.instances:
        path = os.path.join(a.out, f"inventory-{n}.csv")
        picks = rnd.choices(range(len(keys)), weights=weights, k=n)
        with open(path, "w") as f:
            f.write("device_id,profile,firmware_version,sbom,location,owner,network_zone,criticality,asset_tag\n")
            for i, k in enumerate(picks):
                prof, fw, sbom = keys[k]
                f.write(f"dev-{i:07d},{prof},{fw},{sbom},site-{rnd.randrange(200)},"
                        f"{rnd.choice(owners)},{rnd.choice(zones)},{rnd.choice(crit)},A-{i:07d}\n")
        print(f"{path}: {n} instances over {len(set(picks))} of {len(keys)} models")
    print(f"{len(keys)} models in {family} families, {a.components} components each, pool {len(pool)}")


if __name__ == "__main__":
    main()
