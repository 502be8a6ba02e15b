#!/usr/bin/env python3
"""Validate OSCAL JSON documents with compliance-trestle's pydantic models.

Usage: validate_oscal.py FILE...   (each file holds one OSCAL document:
assessment-results, catalog or mapping-collection). Prints one line per file and
exits 1 if any file does not validate.
"""
import json
import sys

from trestle.oscal import OSCAL_VERSION
from trestle.oscal import assessment_results, catalog

MODELS = {
    "assessment-results": assessment_results.AssessmentResults,
    "catalog": catalog.Catalog,
}
try:
    from trestle.oscal import mapping

    MODELS["mapping-collection"] = mapping.MappingCollection
except Exception:  # older trestle without the mapping model
    pass


def main(paths):
    bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        (root, body), = doc.items()
        model = MODELS.get(root)
        if model is None:
            print(f"{path}: no trestle model for root `{root}`")
            bad += 1
            continue
        try:
            model.parse_obj(body)
            print(f"{path}: valid {root} (trestle models, OSCAL {OSCAL_VERSION})")
        except Exception as e:  # pydantic.ValidationError
            print(f"{path}: INVALID {root}: {e}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
