#!/usr/bin/env python3
"""Validate riskmark's VEX outputs with the formats' own validators.

Usage: validate_vex.py cyclonedx FILE...   (cyclonedx-python-lib's strict JSON
                                            validator for CycloneDX 1.6, plus: every
                                            affects[].ref names a bom-ref of the document)
       validate_vex.py openvex SCHEMA FILE... (the OpenVEX 0.2.0 JSON schema, with format
                                            checks for iri/uri/date-time)
Prints one line per problem and one summary line per file; exits 1 on any problem.
"""
import json
import sys


def cyclonedx(paths):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    validator = JsonStrictValidator(SchemaVersion.V1_6)
    bad = 0
    for path in paths:
        text = open(path, encoding="utf-8").read()
        problems = []
        err = validator.validate_str(text)
        if err is not None:
            problems.append(f"schema: {err}")
        doc = json.loads(text)
        refs = set()

        def collect(node):
            if isinstance(node, dict):
                if "bom-ref" in node:
                    refs.add(node["bom-ref"])
                for v in node.values():
                    collect(v)
            elif isinstance(node, list):
                for v in node:
                    collect(v)

        collect(doc)
        for i, v in enumerate(doc.get("vulnerabilities", [])):
            for a in v.get("affects", []):
                if a.get("ref") not in refs:
                    problems.append(f"vulnerabilities[{i}].affects: ref {a.get('ref')!r} resolves to nothing")
        for p in problems:
            print(f"{path}: {p}")
        print(f"{path}: {'INVALID' if problems else 'valid'} ({len(problems)} problems)")
        bad += bool(problems)
    return bad


def openvex(schema_path, paths):
    from jsonschema import Draft202012Validator

    schema = json.load(open(schema_path, encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    bad = 0
    for path in paths:
        doc = json.load(open(path, encoding="utf-8"))
        problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
        for p in problems:
            print(f"{path}: {p[:300]}")
        print(f"{path}: {'INVALID' if problems else 'valid'} ({len(problems)} problems)")
        bad += bool(problems)
    return bad


if __name__ == "__main__":
    kind, *rest = sys.argv[1:]
    bad = cyclonedx(rest) if kind == "cyclonedx" else openvex(rest[0], rest[1:])
    sys.exit(1 if bad else 0)
