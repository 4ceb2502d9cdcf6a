"""How long `kg.validate.validate` takes on a conforming graph of about N triples.

Run: python benchmarks/bench_validate.py [TRIPLES]   (default 5000; kg installed or PYTHONPATH=.)

The graph is synthetic but shaped like `kg build` output: entities with a label, an alias and
a report, relations each backed by one statement, and the ontology included.
"""

from __future__ import annotations

import sys
import time

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg.validate import ONTOLOGY_DIR, validate
from kg.vocab import ID, KG


def synthetic_graph(triples: int) -> Graph:
    graph = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    reports = [ID[f"report/{n:012x}"] for n in range(5)]
    for n, report in enumerate(reports):
        graph.add((report, RDF.type, KG.Report))
        graph.add((report, KG.file_name, Literal(f"{n:03d}_report.txt")))
        graph.add((report, KG.year, Literal(2019)))
    # ~4 triples per entity and 10 per relation; one relation per two entities.
    units = max(1, (triples - len(graph)) // 18)
    classes = {"school": KG.School, "enterprise": KG.Enterprise, "major": KG.Major}
    nodes: dict[str, list] = {name: [] for name in classes}
    for n in range(units * 2):
        name = ("school", "enterprise", "major")[n % 3]
        node = ID[f"{name}/{n:012x}"]
        nodes[name].append(node)
        graph.add((node, RDF.type, classes[name]))
        graph.add((node, RDFS.label, Literal(f"{name} {n}")))
        graph.add((node, SKOS.altLabel, Literal(f"{name[0]}{n}")))
        graph.add((node, KG.mentioned_in, reports[n % len(reports)]))
    for n in range(units):
        school = nodes["school"][n % len(nodes["school"])]
        if n % 2:
            predicate, other = KG.offers_major, nodes["major"][n % len(nodes["major"])]
        else:
            predicate, other = KG.cooperates_with, nodes["enterprise"][n % len(nodes["enterprise"])]
        graph.add((school, predicate, other))
        statement = ID[f"statement/{n:012x}"]
        graph.add((statement, RDF.type, RDF.Statement))
        graph.add((statement, RDF.subject, school))
        graph.add((statement, RDF.predicate, predicate))
        graph.add((statement, RDF.object, other))
        graph.add((statement, PROV.wasDerivedFrom, reports[n % len(reports)]))
        graph.add((statement, KG.evidence, Literal(f"sentence {n}")))
        graph.add((statement, KG.start_offset, Literal(n)))
        graph.add((statement, KG.end_offset, Literal(n + 20)))
        graph.add((statement, KG.extraction_rule, Literal("bench")))
    graph.add((reports[0], DCTERMS.title, Literal("benchmark")))
    return graph


def main() -> None:
    graph = synthetic_graph(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
    start = time.perf_counter()
    violations = validate(graph)
    seconds = time.perf_counter() - start
    print(f"{len(graph)} triples: {len(violations)} violations in {seconds:.2f} s")


if __name__ == "__main__":
    main()
