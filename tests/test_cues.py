"""Every rule record of kg/cues runs its own examples through the whole extraction.

An example is a short text written for its rule (never taken from a report), with items that the
graph of that text must and must not hold: "School:某某职业学校" (an entity of a class, by a label),
"cooperates_with:某某职业学校|某某有限公司" (a relation between two entities, by a label of each),
"indicator:enrolment|某某职业学校|3392|人" (an observation: indicator, then as many of organisation,
value and unit as the item names; "indicator:enrolment" alone is any value of it) or
"heading:一、学校概况" (a passage of that kind, by its text).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.cues import all_rules
from kg.extract import extract
from kg.model import ENTITY_CLASSES, PREDICATES, Report
from kg.resolve import normalise, resolve
from kg.segment import segment
from kg.structure import structure

DEFAULT_TITLE = "成都市温江区中等职业教育质量年度报告（2021年度）"

EXAMPLES = [
    pytest.param(rule, number, example, id=f"{rule.id}-{number}")
    for rule in all_rules()
    for number, example in enumerate(rule.examples, 1)
]


def _graph(title: str, text: str):  # type: ignore[no-untyped-def]
    report = Report(path="example.txt", name="example.txt", text=f"{title}\n\n{text}\n", encoding="utf-8")
    document = structure(report, segment(report))
    extraction = extract(document)
    return document, resolve([extraction])


def _holds(item: str, document, knowledge) -> bool:  # type: ignore[no-untyped-def]
    kind, _, value = item.partition(":")
    value = normalise(value)
    names = {e.key: {e.label, *e.aliases} for e in knowledge.entities}
    if kind in ENTITY_CLASSES:
        return any(e.cls == kind and value in names[e.key] for e in knowledge.entities)
    if kind == "indicator":
        indicator, *rest = value.split("|")
        for observation in knowledge.observations:
            fields = (names[observation.organisation], observation.value, observation.unit)
            wanted = [
                (lambda got, want: want in got),
                (lambda got, want: got == Decimal(want)),
                (lambda got, want: got == want),
            ]
            if observation.indicator == indicator and all(
                same(got, want) for same, got, want in zip(wanted, fields, rest)
            ):
                return True
        return False
    if kind in PREDICATES:
        subject, _, obj = value.partition("|")
        for relation in knowledge.relations:
            if relation.predicate != kind:
                continue
            pairs = [(relation.subject, relation.object)]
            if kind == "cooperates_with":
                pairs.append((relation.object, relation.subject))
            if any(subject in names[s] and obj in names[o] for s, o in pairs):
                return True
        return False
    return any(p.kind == kind and normalise(p.text) == value for p in document.passages)


def test_every_rule_has_a_reason_and_a_unique_id():
    rules = all_rules()
    assert len({r.id for r in rules}) == len(rules)
    assert all(r.why.strip() for r in rules)


@pytest.mark.parametrize("rule, number, example", EXAMPLES)
def test_example_of_rule(rule, number, example):
    document, knowledge = _graph(example.title or DEFAULT_TITLE, example.text)
    for item in example.expect:
        assert _holds(item, document, knowledge), f"{rule.id}: {item} not found in {example.text!r}"
    for item in example.absent:
        assert not _holds(item, document, knowledge), f"{rule.id}: {item} found in {example.text!r}"
