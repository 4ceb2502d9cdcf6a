"""Score a built graph against gold annotations (the format of shared/gold/GUIDELINES.md).

Matching follows the scorer the project is judged by: an entity node matches a gold entity when
one of its labels (rdfs:label, skos:altLabel) equals the gold name or an alias, after NFKC and
removing white space (and, for majors, a trailing 专业); one node per gold entity, so a second
node for the same thing is a false positive; relations by predicate, cooperates_with without
direction; optional gold items neither rewarded nor punished.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import PROV
from rdflib.term import Identifier, Node

from kg.errors import GoldError
from kg.model import ENTITY_CLASSES, PREDICATES
from kg.vocab import KG


def _key(text: str, cls: str) -> str:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if cls == "Major" and text.endswith("专业") and len(text) > 2:
        text = text[:-2]
    return text


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
        }


@dataclass
class Report:
    document: str
    entities: dict[str, Score] = field(default_factory=lambda: {c: Score() for c in ENTITY_CLASSES})
    relations: dict[str, Score] = field(default_factory=lambda: {p: Score() for p in PREDICATES})
    errors: list[dict[str, str]] = field(default_factory=list)

    def total(self, kind: str) -> Score:
        score = Score()
        for part in (self.entities if kind == "entities" else self.relations).values():
            score.add(part)
        return score


def load_gold(path: Path) -> dict:  # type: ignore[type-arg]
    try:
        gold = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise GoldError(f"{path}: not a readable gold JSON file ({error}) - see shared/gold/GUIDELINES.md") from None
    if not isinstance(gold, dict) or not {"document", "entities", "relations"} <= gold.keys():
        raise GoldError(f"{path}: needs 'document', 'entities' and 'relations' - see GUIDELINES.md")
    return gold


class _GraphView:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.reports = {str(o): s for s, o in graph.subject_objects(KG.file_name)}
        self.nodes: dict[URIRef, tuple[str, set[str], str]] = {}
        for cls in ENTITY_CLASSES:
            for subject in graph.subjects(RDF.type, KG[cls]):
                # rdflib types every term as Node; entity nodes are IRIs (kg.graph.entity_iri)
                node = cast(URIRef, subject)
                labels = {str(o) for o in graph.objects(node, RDFS.label)}
                labels |= {str(o) for o in graph.objects(node, SKOS.altLabel)}
                names = cast("Iterator[Identifier]", graph.objects(node, RDFS.label))
                label = str(next(iter(sorted(names)), node))
                self.nodes[node] = (cls, {_key(x, cls) for x in labels}, label)

    def nodes_of(self, report: Node) -> list[URIRef]:
        return sorted(n for n in self.nodes if (n, KG.mentioned_in, report) in self.graph)

    def relations_of(self, report: Node) -> list[tuple[URIRef, str, URIRef, str]]:
        found = []
        for statement in self.graph.subjects(PROV.wasDerivedFrom, report):
            predicate = self.graph.value(statement, RDF.predicate)
            if predicate is None or not str(predicate).startswith(str(KG)):
                continue
            name = str(predicate)[len(str(KG)) :]
            if name not in PREDICATES:
                continue
            evidence = str(self.graph.value(statement, KG.evidence) or "")
            subject, object_ = self.graph.value(statement, RDF.subject), self.graph.value(statement, RDF.object)
            found.append((subject, name, object_, evidence))
        unique: dict[tuple, str] = {}  # type: ignore[type-arg]
        for s, p, o, evidence in sorted(found):
            unique.setdefault((s, p, o), evidence)
        return [(s, p, o, e) for (s, p, o), e in unique.items()]


def evaluate(graph: Graph, gold_files: list[Path]) -> list[Report]:
    view = _GraphView(graph)
    results = []
    for path in gold_files:
        gold = load_gold(path)
        document = gold["document"]
        report_node = view.reports.get(document)
        if report_node is None:
            raise GoldError(
                f"{path}: the graph holds no report named {document} - build it with kg build first"
            )
        results.append(_score_report(view, gold, report_node))
    return results


def _score_report(view: _GraphView, gold: dict, report_node: Node) -> Report:  # type: ignore[type-arg]
    result = Report(gold["document"])
    gold_entities = {e["id"]: e for e in gold["entities"]}
    forms = {
        gid: {_key(x, e["type"]) for x in [e["name"], *e.get("aliases", [])]}
        for gid, e in gold_entities.items()
    }
    node_to_gold: dict[URIRef, str] = {}
    gold_to_node: dict[str, URIRef] = {}
    nodes = view.nodes_of(report_node)
    # exact label first, then any alias; one node per gold entity
    for gid, entity in sorted(gold_entities.items(), key=lambda kv: kv[1].get("optional", False)):
        candidates = [
            n for n in nodes
            if n not in node_to_gold and view.nodes[n][0] == entity["type"] and view.nodes[n][1] & forms[gid]
        ]
        if candidates:
            best = max(candidates, key=lambda n: (
                _key(view.nodes[n][2], entity["type"]) == _key(entity["name"], entity["type"]),
                _key(view.nodes[n][2], entity["type"]) in forms[gid],
                len(view.nodes[n][1] & forms[gid]),
                str(n),
            ))
            node_to_gold[best] = gid
            gold_to_node[gid] = best
    for gid, entity in gold_entities.items():
        score = result.entities[entity["type"]]
        if gid in gold_to_node:
            if not entity.get("optional"):
                score.tp += 1
        elif not entity.get("optional"):
            score.fn += 1
            result.errors.append({"kind": "FN", "class": entity["type"], "item": entity["name"]})
    for node in nodes:
        cls, labels, label = view.nodes[node]
        if node in node_to_gold:
            continue
        optional_match = any(
            gold_entities[g].get("optional") and labels & forms[g] for g in gold_entities
        )
        duplicate = [g for g in gold_entities if labels & forms[g] and g in gold_to_node]
        if optional_match and not duplicate:
            continue
        result.entities[cls].fp += 1
        note = f"second node for {gold_entities[duplicate[0]]['name']}" if duplicate else "not in gold"
        result.errors.append({"kind": "FP", "class": cls, "item": label, "note": note})
    # relations
    def canonical(s: str, p: str, o: str) -> tuple[str, str, str]:
        return (min(s, o), p, max(s, o)) if p == "cooperates_with" else (s, p, o)

    gold_relations: dict[tuple[str, str, str], dict] = {}  # type: ignore[type-arg]
    for relation in gold["relations"]:
        key = canonical(relation["subject"], relation["predicate"], relation["object"])
        if key in gold_relations and not gold_relations[key].get("optional"):
            continue
        gold_relations[key] = relation
    matched: set[tuple[str, str, str]] = set()
    for s, p, o, evidence in view.relations_of(report_node):
        gs, go = node_to_gold.get(s), node_to_gold.get(o)
        found_key = canonical(gs, p, go) if gs and go else None
        relation = gold_relations.get(found_key) if found_key else None
        if relation is not None and found_key is not None:
            if not relation.get("optional") and found_key not in matched:
                result.relations[p].tp += 1
            matched.add(found_key)
            continue
        result.relations[p].fp += 1
        result.errors.append({
            "kind": "FP", "class": p,
            "item": f"{view.nodes.get(s, ('', set(), s))[2]} {p} {view.nodes.get(o, ('', set(), o))[2]}",
            "evidence": evidence,
        })
    for key, relation in gold_relations.items():
        if relation.get("optional") or key in matched:
            continue
        result.relations[relation["predicate"]].fn += 1
        result.errors.append({
            "kind": "FN", "class": relation["predicate"],
            "item": f"{gold_entities[relation['subject']]['name']} {relation['predicate']} "
                    f"{gold_entities[relation['object']]['name']}",
            "evidence": relation.get("evidence", ""),
        })
    return result


def overall(results: list[Report]) -> dict[str, Score]:
    totals = {"entities": Score(), "relations": Score()}
    for result in results:
        totals["entities"].add(result.total("entities"))
        totals["relations"].add(result.total("relations"))
    return totals


def as_json(results: list[Report]) -> dict:  # type: ignore[type-arg]
    return {
        "reports": [
            {
                "document": r.document,
                "entities": {c: s.as_dict() for c, s in r.entities.items()} | {"all": r.total("entities").as_dict()},
                "relations": {p: s.as_dict() for p, s in r.relations.items()} | {"all": r.total("relations").as_dict()},
                "errors": r.errors,
            }
            for r in results
        ],
        "overall": {k: v.as_dict() for k, v in overall(results).items()},
    }


#: Where a gold file's report may stand: beside it, with one of these endings.
_REPORT_ENDINGS = (".txt", ".md", ".docx", ".pdf")


def gold_files(paths: Sequence[Path]) -> list[Path]:
    """The gold files among `paths` (files, or folders of them), sorted."""
    found: list[Path] = []
    for path in paths:
        found += [path] if path.is_file() else sorted(path.glob("*.json"))
    return sorted(set(found))


def report_of(gold: Path, folders: Sequence[Path]) -> Path:
    """The report a gold file annotates: named by its `document`, beside it or in `folders`."""
    document = load_gold(gold)["document"]
    places = [gold.parent, *folders]
    for place in places:
        candidate = place / document
        if candidate.is_file():
            return candidate
        for ending in _REPORT_ENDINGS:
            candidate = place / (gold.stem + ending)
            if candidate.is_file():
                return candidate
    where = ", ".join(p.as_posix() for p in places)
    raise GoldError(
        f"{gold}: its report {document} is in none of {where} - give its folder with --reports"
    )


def evaluate_alone(gold: Sequence[Path], folders: Sequence[Path] = ()) -> list[Report]:
    """Build each gold file's report on its own and score it, as the independent scorer does."""
    from kg.build import knowledge_graph
    from kg.graph import build_graph

    results = []
    for path in gold:
        report = report_of(path, folders)
        knowledge, _, _ = knowledge_graph([report], strict=True)
        graph = build_graph(knowledge, include_ontology=False)
        gold_data = load_gold(path)
        view = _GraphView(graph)
        node = view.reports.get(report.name)
        if node is None:
            raise GoldError(f"{path}: building {report} gave no report node - a bug in kg")
        results.append(_score_report(view, gold_data, node))
    return results
