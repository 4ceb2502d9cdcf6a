"""The entity network of a graph (networkx): who is most connected, how it falls apart, who is shared.

The network is read with SPARQL through the graph's own engine, so it is quick on big graphs too:
nodes are entities of the five classes, edges the six relations between them.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import asdict, dataclass
from itertools import groupby

import networkx as nx  # type: ignore[import-untyped]
from rdflib import Literal

from kg.model import ENTITY_CLASSES, PREDICATES
from kg.query import KnowledgeBase, format_table, write_result

__all__ = [
    "EXACT_BETWEENNESS_LIMIT",
    "GraphStats",
    "Ranked",
    "Shared",
    "compute_stats",
    "entity_network",
    "graphml_text",
    "stats_json",
    "stats_text",
]

#: Above this many nodes betweenness is estimated from this many sources (seeded: repeatable).
EXACT_BETWEENNESS_LIMIT = 2000

_CLASSES = ", ".join(f"kg:{c}" for c in ENTITY_CLASSES)
_PREDICATES = " ".join(f"kg:{p}" for p in PREDICATES)

_ENTITIES = f"""
SELECT ?e ?class ?label WHERE {{
  ?e a ?class ; rdfs:label ?label .
  FILTER(?class IN ({_CLASSES}))
}}"""
_EDGES = f"""
SELECT ?s ?p ?o WHERE {{
  VALUES ?p {{ {_PREDICATES} }}
  ?s ?p ?o .
}}"""
_EVIDENCE = f"""
SELECT ?s ?p ?o (COUNT(?st) AS ?n) WHERE {{
  VALUES ?p {{ {_PREDICATES} }}
  ?st rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o .
}} GROUP BY ?s ?p ?o"""
_MENTIONS = """
SELECT ?e ?file WHERE {
  ?e kg:mentioned_in ?r .
  ?r kg:file_name ?file .
}"""


@dataclass(frozen=True)
class Ranked:
    iri: str
    label: str
    cls: str
    degree: int
    betweenness: float


@dataclass(frozen=True)
class Shared:
    iri: str
    label: str
    cls: str
    reports: tuple[str, ...]


@dataclass(frozen=True)
class GraphStats:
    entities: int
    relations: int
    reports: int
    by_class: tuple[tuple[str, int], ...]
    top: tuple[tuple[str, tuple[Ranked, ...]], ...]  # per class, most connected first
    components: tuple[int, ...]  # sizes, largest first
    shared: tuple[Shared, ...]  # entities mentioned by more than one report
    betweenness_exact: bool
    indicators: tuple[tuple[str, int, int], ...] = ()  # (indicator, values, organisations)


def entity_network(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """Entities as nodes (label, class, reports), relations as edges keyed by predicate."""
    net = nx.MultiDiGraph()
    rows = sorted(kb.query(_ENTITIES).rows, key=lambda r: (str(r[0]), str(r[1]), str(r[2])))
    for iri, group in groupby(rows, key=lambda r: str(r[0])):
        first = next(group)  # an entity should have one class and one label; keep the first
        net.add_node(iri, label=str(first[2]), cls=str(first[1]).split("#")[-1], reports=0)
    reports: dict[str, set[str]] = {}
    for e, file in kb.query(_MENTIONS).rows:
        if str(e) in net:
            reports.setdefault(str(e), set()).add(str(file))
    for iri, files in reports.items():
        net.nodes[iri]["reports"] = len(files)
    weight = {
        (str(s), str(p).split("#")[-1], str(o)): int(str(n)) for s, p, o, n in kb.query(_EVIDENCE).rows
    }
    edges = sorted((str(s), str(p).split("#")[-1], str(o)) for s, p, o in kb.query(_EDGES).rows)
    for s, p, o in edges:
        if s in net and o in net:
            net.add_edge(s, o, key=p, predicate=p, evidence=weight.get((s, p, o), 0))
    return net


def compute_stats(kb: KnowledgeBase, top: int = 10) -> GraphStats:
    net = entity_network(kb)
    simple = nx.Graph()
    simple.add_nodes_from(sorted(net.nodes))
    simple.add_edges_from(sorted((s, o) for s, o in net.edges() if s != o))
    exact = simple.number_of_nodes() <= EXACT_BETWEENNESS_LIMIT
    # Exact betweenness is O(nodes x edges); a seeded sample keeps the output repeatable.
    sample = {} if exact else {"k": 256, "seed": 0}
    betweenness = nx.betweenness_centrality(simple, **sample)
    ranked: dict[str, list[Ranked]] = {c: [] for c in ENTITY_CLASSES}
    for iri, data in net.nodes(data=True):
        ranked.setdefault(data["cls"], []).append(
            Ranked(iri, data["label"], data["cls"], simple.degree(iri), round(betweenness[iri], 6))
        )
    tops = tuple(
        (cls, tuple(sorted(items, key=lambda r: (-r.degree, -r.betweenness, r.label, r.iri))[:top]))
        for cls, items in ranked.items()
        if items
    )
    components = tuple(sorted((len(c) for c in nx.connected_components(simple)), reverse=True))
    mentions: dict[str, set[str]] = {}
    for e, file in kb.query(_MENTIONS).rows:
        mentions.setdefault(str(e), set()).add(str(file))
    shared = tuple(
        sorted(
            (
                Shared(iri, net.nodes[iri]["label"], net.nodes[iri]["cls"], tuple(sorted(files)))
                for iri, files in mentions.items()
                if len(files) > 1 and iri in net
            ),
            key=lambda s: (-len(s.reports), s.cls, s.label, s.iri),
        )
    )
    report_count = kb.query("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a kg:Report }").rows
    indicators = tuple(
        (str(row[0]), int(str(row[1])), int(str(row[2])))
        for row in sorted(kb.query(_INDICATORS).rows, key=lambda r: str(r[0]))
        if row[0] is not None  # rdflib answers a grouping of no solutions with one empty row
    )
    return GraphStats(
        entities=net.number_of_nodes(),
        relations=net.number_of_edges(),
        reports=int(str(report_count[0][0])) if report_count else 0,
        by_class=tuple((c, len(ranked[c])) for c in ranked if ranked[c]),
        top=tops,
        components=components,
        shared=shared,
        betweenness_exact=exact,
        indicators=indicators,
    )


#: Each indicator (its measure's skos:notation), how many values and of how many organisations.
_INDICATORS = """
SELECT ?indicator (COUNT(?observation) AS ?values) (COUNT(DISTINCT ?organisation) AS ?organisations)
WHERE {
  ?observation a qb:Observation ; qb:measureType ?measure ; kg:organisation ?organisation .
  ?measure skos:notation ?indicator .
}
GROUP BY ?indicator
"""


def stats_json(stats: GraphStats) -> str:
    return json.dumps(asdict(stats), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _sizes(sizes: tuple[int, ...]) -> str:
    parts = []
    for size, run in groupby(sizes):
        n = len(list(run))
        parts.append(f"{size}" if n == 1 else f"{size} ×{n}")
    return ", ".join(parts)


def stats_text(stats: GraphStats) -> str:
    classes = ", ".join(f"{c} {n}" for c, n in stats.by_class)
    summary = (
        f"{stats.entities} entities ({classes}), {stats.relations} relations, "
        f"{stats.reports} reports"
    )
    lines = [
        summary,
        "",
        "Most connected entities per class"
        + ("" if stats.betweenness_exact else " (betweenness estimated from 256 sources)")
        + ":",
    ]
    rows = [
        (Literal(r.cls), Literal(r.label), Literal(r.degree), Literal(f"{r.betweenness:.4f}"))
        for _, items in stats.top
        for r in items
    ]
    lines.append(format_table(("class", "entity", "degree", "betweenness"), rows).rstrip("\n"))
    lines.append("")
    lines.append(
        f"Connected components: {len(stats.components)} (sizes {_sizes(stats.components)})"
        if stats.components
        else "Connected components: 0"
    )
    lines.append("")
    lines.append(f"Entities mentioned by more than one report: {len(stats.shared)}")
    if stats.shared:
        shared_rows = [
            (Literal(s.cls), Literal(s.label), Literal(", ".join(s.reports))) for s in stats.shared
        ]
        lines.append(format_table(("class", "entity", "reports"), shared_rows).rstrip("\n"))
    lines.append("")
    values = sum(n for _, n, _ in stats.indicators)
    lines.append(f"Indicator values: {values}")
    if stats.indicators:
        indicator_rows = [(Literal(i), Literal(n), Literal(o)) for i, n, o in stats.indicators]
        lines.append(format_table(("indicator", "values", "organisations"), indicator_rows).rstrip("\n"))
    return "\n".join(lines) + "\n"


def graphml_text(kb: KnowledgeBase) -> str:
    """GraphML of the entity network: node attributes label, class, reports; edge label and
    predicate. Edge ids are e0, e1, … in sorted order: unique, and the same on every export."""
    net = entity_network(kb)
    out = nx.MultiDiGraph()
    for iri, data in net.nodes(data=True):
        out.add_node(iri, label=data["label"], **{"class": data["cls"]}, reports=data["reports"])
    for index, (s, o, _, data) in enumerate(sorted(net.edges(keys=True, data=True))):
        out.add_edge(s, o, key=f"e{index}", label=data["predicate"], predicate=data["predicate"],
                     evidence=data["evidence"])
    text = "\n".join(nx.generate_graphml(out)) + "\n"
    # networkx writes every non-ASCII character as &#NNNN;: Gephi reads either, people read UTF-8
    # (an XML file without a declaration is UTF-8; markup escapes are all ASCII and stay).
    return _XML_DECLARATION + re.sub(r"&#(\d+);", _unescape_wide, text)


_XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def _unescape_wide(match: re.Match[str]) -> str:
    code = int(match.group(1))
    return chr(code) if code > 127 else match.group(0)


# --- indicator values as CSV, for `kg export --format csv` -------------------------------------
# Columns: organisation (its label), year, indicator (the measure's skos:notation, e.g.
# employment_rate), value, unit, report (file name), evidence (the sentence), start and end (the
# sentence's character offsets in the report). Rows are sorted: the same graph, the same bytes.

OBSERVATIONS = """
PREFIX kg: <https://w3id.org/vetkg/ontology#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?organisation ?year ?indicator ?value ?unit ?report ?evidence ?start ?end
WHERE {
  ?o a qb:Observation ;
     kg:organisation ?org ;
     qb:measureType ?measure ;
     ?measure ?value ;
     kg:ref_year ?year ;
     kg:unit ?unit ;
     kg:evidence ?evidence ;
     kg:start_offset ?start ;
     kg:end_offset ?end ;
     prov:wasDerivedFrom ?r .
  ?measure skos:notation ?indicator .
  ?org rdfs:label ?organisation .
  ?r kg:file_name ?report .
}
ORDER BY ?organisation ?year ?indicator ?report ?start ?value
"""


def observations_csv(kb: KnowledgeBase) -> str:
    """Every observation of the graph as CSV with a header row (only the header if none)."""
    out = io.StringIO()
    write_result(kb.query(OBSERVATIONS), "csv", out)
    return out.getvalue()
