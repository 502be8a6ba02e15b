"""Validates riskmark's disclosure files with third-party validators (offline).

    check.py sectxt FILE [CANONICAL_URL]   sectxt's Parser (the content checks of
                                           SecurityTXT, without fetching anything)
    check.py csaf SCHEMA_DIR VEX PROVIDER  CSAF 2.0 and provider-metadata JSON schemas
                                           (jsonschema, draft 2020-12, formats checked),
                                           CVSS schemas from SCHEMA_DIR via referencing
    check.py mud YANG_DIR FILE             yangson against the ietf-mud, ietf-acldns and
                                           ietf-access-control-list YANG modules

Prints one JSON object: {"errors": [...], ...}; exit 0 when there is no error.
Installed by .ci/setup.d/disclose.sh into /opt/riskmark-ref/disclose.
"""

import json
import os
import re
import sys


def sectxt(path, canonical=None):
    from sectxt import Parser

    with open(path, "rb") as f:
        content = f.read()
    p = Parser(content, urls=canonical)
    return {
        "errors": p.errors,
        "recommendations": p.recommendations,
        "notifications": p.notifications,
    }


def csaf(schema_dir, vex_path, provider_path):
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    def load(name):
        with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
            return json.load(f)

    resources = []
    for name, ref in [
        ("csaf_json_schema.json", "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"),
        ("provider_json_schema.json", "https://docs.oasis-open.org/csaf/csaf/v2.0/provider_json_schema.json"),
        ("cvss-v2.0.json", "https://www.first.org/cvss/cvss-v2.0.json"),
        ("cvss-v3.0.json", "https://www.first.org/cvss/cvss-v3.0.json"),
        ("cvss-v3.1.json", "https://www.first.org/cvss/cvss-v3.1.json"),
    ]:
        contents = load(name)
        r = Resource.from_contents(contents)
        resources.append((ref, r))
        if contents.get("$id") and contents["$id"] != ref:
            resources.append((contents["$id"], r))
    registry = Registry().with_resources(resources)
    errors = []
    for schema_name, path in [
        ("csaf_json_schema.json", vex_path),
        ("provider_json_schema.json", provider_path),
    ]:
        if path == "-":
            continue
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        v = Draft202012Validator(
            load(schema_name),
            registry=registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        for e in v.iter_errors(doc):
            errors.append(
                {"file": path, "path": "/" + "/".join(str(x) for x in e.absolute_path), "message": e.message[:300]}
            )
    return {"errors": errors}


def mud(yang_dir, path):
    from yangson import DataModel
    from yangson.enumerations import ContentType

    names = [
        "ietf-mud", "ietf-acldns", "ietf-access-control-list", "ietf-packet-fields",
        "ietf-ethertypes", "ietf-interfaces", "ietf-inet-types", "ietf-yang-types",
    ]
    modules = []
    for n in names:
        with open(os.path.join(yang_dir, n + ".yang"), encoding="utf-8") as f:
            text = f.read()
        rev = re.search(r"\brevision\s+\"?(\d{4}-\d{2}-\d{2})", text).group(1)
        features = re.findall(r"^\s*feature\s+([\w-]+)", text, re.M)
        m = {"name": n, "revision": rev, "namespace": re.search(r"\bnamespace\s+\"([^\"]+)\"", text).group(1),
             "conformance-type": "implement"}
        if features:
            m["feature"] = features
        modules.append(m)
    library = json.dumps({"ietf-yang-library:modules-state": {"module-set-id": "riskmark-mud", "module": modules}})
    dm = DataModel(library, [yang_dir])
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    errors = []
    try:
        inst = dm.from_raw(raw)
        inst.validate(ctype=ContentType.all)
    except Exception as e:  # yangson raises one exception per first problem
        errors.append({"file": path, "message": f"{type(e).__name__}: {e}"})
    return {"errors": errors, "modules": [f"{m['name']}@{m['revision']}" for m in modules]}


def main(argv):
    kind = argv[1]
    if kind == "sectxt":
        result = sectxt(argv[2], argv[3] if len(argv) > 3 else None)
    elif kind == "csaf":
        result = csaf(argv[2], argv[3], argv[4])
    elif kind == "mud":
        result = mud(argv[2], argv[3])
    else:
        raise SystemExit(f"unknown check {kind}")
    print(json.dumps(result, indent=1, default=str))
    return 0 if not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
