"""Well-formedness of the unseen-report gold files.

The gold is only useful for scoring if every string in it can be found in its
report and every relation follows the guidelines, so a typo here would silently
turn into a "missed" entity or relation for the extractor.
"""

import json
import re
from pathlib import Path

import pytest

HERE = Path(__file__).parent
REPORTS = HERE / "reports"
GOLD = HERE / "gold"
GOLD_FILES = sorted(GOLD.glob("*.json"))

ENTITY_TYPES = {"School", "Enterprise", "Major", "Region", "Expert"}
# Subject and object types allowed for each predicate (GUIDELINES.md, "Relations").
PREDICATES = {
    "cooperates_with": ({"School"}, {"Enterprise", "School"}),
    "assists": ({"School", "Expert"}, {"Region", "School"}),
    "offers_major": ({"School"}, {"Major"}),
    "trains": ({"Expert"}, {"School"}),
    "located_in": ({"School", "Enterprise"}, {"Region"}),
    "affiliated_with": ({"Expert"}, {"School", "Enterprise"}),
}


SPACED_HAN = re.compile(r"[\u4e00-\u9fff\uff00-\uffef]\s|\s[\u4e00-\u9fff\uff00-\uffef]")


def squash(text: str) -> str:
    """Reports break lines and space out names; gold strings are matched without white space."""
    return re.sub(r"\s+", "", text)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def report_text(gold: dict) -> str:
    return squash((REPORTS / gold["document"]).read_text(encoding="utf-8"))


def test_every_report_has_gold():
    reports = {p.stem for p in REPORTS.glob("*.txt")}
    golds = {p.stem for p in GOLD_FILES}
    assert reports, "no reports found"
    assert reports == golds


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_document_names_its_report(path):
    gold = load(path)
    assert set(gold) == {"document", "entities", "relations"}
    assert gold["document"] == path.stem + ".txt"
    assert (REPORTS / gold["document"]).is_file()


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_entities_are_well_formed(path):
    gold = load(path)
    ids = [e["id"] for e in gold["entities"]]
    assert len(ids) == len(set(ids)), "duplicate entity ids"
    for entity in gold["entities"]:
        assert set(entity) == {"id", "type", "name", "aliases", "optional"}, entity["id"]
        assert entity["type"] in ENTITY_TYPES, entity["id"]
        assert isinstance(entity["optional"], bool), entity["id"]
        assert isinstance(entity["aliases"], list), entity["id"]
        forms = [entity["name"], *entity["aliases"]]
        assert len(forms) == len(set(forms)), f"{entity['id']} repeats a form"
        for form in forms:
            # "会 计" is written "会计"; a space between Latin words ("Mr Larry") stays.
            assert form and form == form.strip(), f"{entity['id']}: {form!r}"
            assert not SPACED_HAN.search(form), f"{entity['id']}: {form!r} keeps a space"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_names_and_aliases_occur_in_report(path):
    gold = load(path)
    text = report_text(gold)
    missing = [
        f"{e['id']}: {form}"
        for e in gold["entities"]
        for form in [e["name"], *e["aliases"]]
        if squash(form) not in text
    ]
    assert missing == []


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_relations_follow_guidelines(path):
    gold = load(path)
    types = {e["id"]: e["type"] for e in gold["entities"]}
    optional = {e["id"]: e["optional"] for e in gold["entities"]}
    keys = set()
    for rel in gold["relations"]:
        assert set(rel) == {"subject", "predicate", "object", "evidence", "optional"}, rel
        assert rel["predicate"] in PREDICATES, rel
        assert rel["subject"] in types and rel["object"] in types, rel
        subjects, objects = PREDICATES[rel["predicate"]]
        assert types[rel["subject"]] in subjects, rel
        assert types[rel["object"]] in objects, rel
        assert isinstance(rel["optional"], bool), rel
        # A required relation cannot hang on an entity a system may leave out.
        if not rel["optional"]:
            assert not optional[rel["subject"]] and not optional[rel["object"]], rel
        key = (rel["subject"], rel["predicate"], rel["object"])
        assert key not in keys, f"duplicate relation {key}"
        keys.add(key)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_evidence_occurs_in_report(path):
    gold = load(path)
    text = report_text(gold)
    missing = [r["evidence"] for r in gold["relations"] if not r["evidence"] or squash(r["evidence"]) not in text]
    assert missing == []
