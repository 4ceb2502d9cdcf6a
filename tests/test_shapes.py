"""kg.shapes must find exactly what pySHACL finds, on graphs broken at random."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from kg.build import build
from kg.shapes import UnsupportedShapes, check_core
from kg.validate import SHAPES, validate

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def seeds_graph(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    out = tmp_path_factory.mktemp("seeds-out")
    build([SEEDS], out=out)
    return Graph().parse(out / "graph.ttl")


def broken(graph: Graph, rng: random.Random, edits: int) -> Graph:
    """A copy with `edits` random changes of the kinds a buggy build or a hand edit makes."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    triples = sorted(graph, key=lambda t: tuple(str(x) for x in t))
    nodes = sorted({s for s, _, _ in triples if isinstance(s, URIRef)}, key=str)  # pySHACL fails on blank nodes
    for _ in range(edits):
        s, p, o = rng.choice(triples)
        if not isinstance(s, URIRef):
            continue
        change = rng.randrange(7)
        if change == 0:
            copy.remove((s, p, o))
        elif change == 1:
            copy.add((s, p, Literal("")))
        elif change == 2:
            copy.add((s, p, Literal("某", lang="zh")))
        elif change == 3:
            copy.add((s, p, rng.choice(nodes)))
        elif change == 4:
            copy.add((s, RDF.type, rng.choice(triples)[2]))
        elif change == 5:
            copy.set((s, p, Literal(rng.choice([-1, 10**9, "12", "z"]))))
        else:
            copy.add((rng.choice(nodes), p, o))
    return copy


def test_the_shipped_shapes_are_all_read_by_the_linear_checker(seeds_graph: Graph) -> None:
    # If this fails, kg build silently validates with pySHACL again, minutes slower at scale.
    assert check_core(seeds_graph, Graph().parse(SHAPES)) == set()


@pytest.mark.parametrize("seed", range(6))
def test_linear_checker_and_pyshacl_agree_on_a_broken_seed_graph(seeds_graph: Graph, seed: int) -> None:
    graph = broken(seeds_graph, random.Random(seed), edits=60)
    core = validate(graph, engine="core")
    assert core  # the edits must break something, or the comparison says nothing
    assert core == validate(graph, engine="pyshacl")


def test_a_shape_the_checker_cannot_read_is_refused() -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:Shape a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:maxLength 3 ; sh:message "short" ] .
        """,
        format="turtle",
    )
    graph = Graph().add((URIRef("http://example.org/a"), RDF.type, URIRef("http://example.org/C")))
    with pytest.raises(UnsupportedShapes, match="maxLength"):
        check_core(graph, shapes)
