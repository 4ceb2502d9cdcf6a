"""Extraction quality on the seeds and on the reports written for testing, against the targets.

Every report is built on its own and scored with `kg eval`'s scorer; a change that makes kg
worse on any of them fails here, with the scores in the message.
"""

from pathlib import Path

import pytest

from kg.build import knowledge_graph
from kg.evaluate import Score, evaluate
from kg.graph import build_graph
from kg.model import ENTITY_CLASSES, PREDICATES

ROOT = Path(__file__).resolve().parent.parent
SEED_GOLD = ROOT.parent / "shared" / "gold"
UNSEEN = ROOT / "tests" / "unseen"


def score(report: Path, gold: Path):
    knowledge, _, _ = knowledge_graph([report], strict=True)
    return evaluate(build_graph(knowledge), [gold])[0]


def f1(result, kind: str) -> float:
    return round(result.total(kind).f1, 3)


@pytest.mark.parametrize("name", sorted(p.stem for p in (UNSEEN / "reports").glob("*.txt")))
def test_unseen_report_meets_the_targets(name):
    result = score(UNSEEN / "reports" / f"{name}.txt", UNSEEN / "gold" / f"{name}.json")
    message = f"{name}: entity F1 {f1(result, 'entities')}, relation F1 {f1(result, 'relations')}"
    assert f1(result, "entities") >= 0.90, message
    assert f1(result, "relations") >= 0.75, message


@pytest.mark.skipif(not SEED_GOLD.exists(), reason="shared/gold is not beside the repository")
def test_seeds_meet_the_targets_overall_per_class_and_per_predicate():
    results = [score(ROOT / "seeds" / gold.with_suffix(".txt").name, gold) for gold in sorted(SEED_GOLD.glob("*.json"))]
    entities, relations = Score(), Score()
    by_part: dict[str, Score] = {}
    for result in results:
        entities.add(result.total("entities"))
        relations.add(result.total("relations"))
        for name, part in [*result.entities.items(), *result.relations.items()]:
            by_part.setdefault(name, Score()).add(part)
    scores = {name: round(part.f1, 3) for name, part in by_part.items()}
    assert entities.f1 >= 0.95 and relations.f1 >= 0.85, (entities.f1, relations.f1)
    assert all(scores[c] >= 0.90 for c in ENTITY_CLASSES), scores
    assert all(scores[p] >= 0.75 for p in PREDICATES), scores
