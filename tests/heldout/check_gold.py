#!/usr/bin/env python3
"""Validate the held-out gold files against their reports and GUIDELINES.md.

Usage:  python tests/heldout/check_gold.py        (exit code 1 if anything is wrong)

For each gold/NAME.json it checks that
  * the file is well-formed JSON with exactly the keys document/entities/relations,
    and `document` names reports/NAME.txt, which exists;
  * every entity has id/type/name/aliases/optional, a known type, a unique id,
    no repeated surface form and no space left inside a Chinese name;
  * every name, alias and evidence string occurs in the report once all white space
    is removed from both;
  * every relation has subject/predicate/object/evidence/optional, a known predicate,
    existing ends whose types the guidelines' relation table allows, is not repeated,
    and, when required, does not hang on an optional entity.
"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORTS = HERE / "reports"
GOLD = HERE / "gold"

ENTITY_TYPES = {"School", "Enterprise", "Major", "Region", "Expert"}
PREDICATES = {
    "cooperates_with": ({"School"}, {"Enterprise", "School"}),
    "assists": ({"School", "Expert"}, {"Region", "School"}),
    "offers_major": ({"School"}, {"Major"}),
    "trains": ({"Expert"}, {"School"}),
    "located_in": ({"School", "Enterprise"}, {"Region"}),
    "affiliated_with": ({"Expert"}, {"School", "Enterprise"}),
}
SPACED_HAN = re.compile(r"[\u4e00-\u9fff\uff00-\uffef]\s|\s[\u4e00-\u9fff\uff00-\uffef]")


def squash(text):
    return re.sub(r"\s+", "", text)


def check(path):
    errors = []
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"not valid JSON: {exc}"], 0, 0
    if not isinstance(gold, dict) or set(gold) != {"document", "entities", "relations"}:
        return ["top level must be an object with keys document, entities, relations"], 0, 0
    if gold["document"] != path.stem + ".txt":
        errors.append(f"document is {gold['document']!r}, expected {path.stem + '.txt'!r}")
    report = REPORTS / gold["document"]
    if not report.is_file():
        return errors + [f"report {report} not found"], 0, 0
    text = squash(report.read_text(encoding="utf-8"))

    types, optional = {}, {}
    for ent in gold["entities"]:
        if not isinstance(ent, dict) or set(ent) != {"id", "type", "name", "aliases", "optional"}:
            errors.append(f"bad entity record: {ent!r}")
            continue
        eid = ent["id"]
        if eid in types:
            errors.append(f"duplicate entity id {eid}")
        if ent["type"] not in ENTITY_TYPES:
            errors.append(f"{eid}: unknown type {ent['type']!r}")
        if not isinstance(ent["optional"], bool):
            errors.append(f"{eid}: optional must be true or false")
        if not isinstance(ent["aliases"], list):
            errors.append(f"{eid}: aliases must be a list")
            continue
        types[eid], optional[eid] = ent["type"], ent["optional"]
        forms = [ent["name"], *ent["aliases"]]
        if len(forms) != len(set(forms)):
            errors.append(f"{eid}: a surface form is repeated")
        for form in forms:
            if not isinstance(form, str) or not form or form != form.strip():
                errors.append(f"{eid}: bad form {form!r}")
            elif SPACED_HAN.search(form):
                errors.append(f"{eid}: {form!r} keeps a space")
            elif squash(form) not in text:
                errors.append(f"{eid}: {form!r} does not occur in the report")

    seen = set()
    for rel in gold["relations"]:
        if not isinstance(rel, dict) or set(rel) != {"subject", "predicate", "object", "evidence", "optional"}:
            errors.append(f"bad relation record: {rel!r}")
            continue
        key = (rel["subject"], rel["predicate"], rel["object"])
        label = " ".join(key)
        if rel["predicate"] not in PREDICATES:
            errors.append(f"{label}: unknown predicate")
            continue
        if rel["subject"] not in types or rel["object"] not in types:
            errors.append(f"{label}: subject or object id does not exist")
            continue
        subjects, objects = PREDICATES[rel["predicate"]]
        if types[rel["subject"]] not in subjects:
            errors.append(f"{label}: subject type {types[rel['subject']]} not allowed")
        if types[rel["object"]] not in objects:
            errors.append(f"{label}: object type {types[rel['object']]} not allowed")
        if not isinstance(rel["optional"], bool):
            errors.append(f"{label}: optional must be true or false")
        elif not rel["optional"] and (optional[rel["subject"]] or optional[rel["object"]]):
            errors.append(f"{label}: required relation on an optional entity")
        if key in seen:
            errors.append(f"{label}: duplicate relation")
        seen.add(key)
        ev = rel["evidence"]
        if not isinstance(ev, str) or not squash(ev):
            errors.append(f"{label}: empty evidence")
        elif squash(ev) not in text:
            errors.append(f"{label}: evidence does not occur in the report: {ev}")
    return errors, len(gold["entities"]), len(gold["relations"])


def main():
    golds = sorted(GOLD.glob("*.json"))
    reports = {p.stem for p in REPORTS.glob("*.txt")}
    failed = False
    if {p.stem for p in golds} != reports:
        print("reports and gold files do not match:", sorted(reports ^ {p.stem for p in golds}))
        failed = True
    for path in golds:
        errors, n_ent, n_rel = check(path)
        status = "ok" if not errors else f"{len(errors)} problem(s)"
        print(f"{path.name}: {n_ent} entities, {n_rel} relations - {status}")
        for err in errors:
            print("   ", err)
        failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
