#!/usr/bin/env python3
"""Validate OSCAL JSON documents against the OSCAL metaschema and its document rules.

Usage: check_oscal.py FILE...   Prints one line per problem and a summary line per
file; exits 1 if any file has a problem.

Two layers:
1. The `oscal` package (PyPI `oscal`, which loads NIST's OSCAL metaschema): structure,
   data types, allowed values (props in the OSCAL namespace must use its names; other
   names need their own `ns`), cardinality and choices.
2. The metaschema's document-wide index and reference rules that layer 1 does not
   check: every `uuid` is unique in the document (UUID_NOT_UNIQUE); every internal
   reference `#id` (import-ap, links) names a back-matter resource; every
   `observation-uuid` names an observation of the document.
"""
import json
import sys

from oscal.oscal_content import OSCAL


def walk(node, path, uuids, hrefs, obs_refs, observations, in_observations=False):
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}/{key}"
            if key == "uuid" and isinstance(value, str):
                uuids.setdefault(value, []).append(path)
                if in_observations:
                    observations.add(value)
            elif key == "href" and isinstance(value, str) and value.startswith("#"):
                hrefs.append((here, value[1:]))
            elif key == "observation-uuid" and isinstance(value, str):
                obs_refs.append((here, value))
            walk(value, here, uuids, hrefs, obs_refs, observations, key == "observations")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            walk(item, f"{path}[{i}]", uuids, hrefs, obs_refs, observations, in_observations)


def document_rules(doc):
    problems = []
    uuids, hrefs, obs_refs, observations = {}, [], [], set()
    walk(doc, "", uuids, hrefs, obs_refs, observations)
    for uuid, paths in uuids.items():
        if len(paths) > 1:
            problems.append(f"UUID_NOT_UNIQUE {uuid} at {', '.join(paths[:3])}"
                            + (f" and {len(paths) - 3} more" if len(paths) > 3 else ""))
    (root,) = doc.values()
    resources = {r.get("uuid") for r in root.get("back-matter", {}).get("resources", [])}
    for where, target in hrefs:
        if target not in resources:
            problems.append(f"REFERENCE_NOT_FOUND {where}: #{target} names no back-matter resource")
    for where, target in obs_refs:
        if target not in observations:
            problems.append(f"REFERENCE_NOT_FOUND {where}: {target} names no observation")
    return problems


def main(paths):
    bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        problems = document_rules(doc)
        content = OSCAL.load(path)
        if not content.validate():
            for e in content.validation_errors:
                problems.append(
                    f"{e.get('error-type')} {e.get('location')} {e.get('field', '')}={e.get('value', '')!r}"
                )
        for p in problems:
            print(f"{path}: {p}")
        print(f"{path}: {'INVALID' if problems else 'valid'} ({len(problems)} problems)")
        bad += bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
