"""Turtle output that is the same, byte for byte, for the same input.

Oxigraph writes the instance data: a build of 1,000 reports has two million triples, and
rdflib's pretty serialiser needs a minute for them where Oxigraph needs seconds. The triples
are given to it sorted, so the bytes follow the graph, not the order of insertion. The few
subjects with blank nodes (the ontology's unions and lists) go through rdflib's longturtle,
which writes them inline as `[ … ]` and `( … )` instead of as labelled nodes whose random
labels would change from build to build.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph

from kg.oxigraph import to_ox, to_quads
from kg.vocab import ID, PREFIXES

__all__ = ["to_turtle"]


def to_turtle(graph: Graph, quads: list[ox.Quad] | None = None) -> str:
    """The graph in Turtle; `quads` are its triples for Oxigraph, when the caller has them.

    The part Oxigraph writes declares kg's prefixes again after the part rdflib writes, which
    Turtle allows.
    """
    with_blank_nodes = {s for s, _, o in graph if isinstance(s, BNode) or isinstance(o, BNode)}
    head = Graph(bind_namespaces="none")
    head.namespace_manager = graph.namespace_manager
    for triple in graph.triples((None, None, None)):
        if triple[0] in with_blank_nodes:
            head.add(triple)
    named = {to_ox(s) for s in with_blank_nodes}
    plain = [q for q in (to_quads(graph) if quads is None else quads) if q.subject not in named]
    # N-Triples forms differ for different terms: a total order, whatever the insertion order
    plain.sort(key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))
    # Oxigraph escapes "/" in a prefixed name (id:school\/3fa2…): entity IRIs are written whole,
    # as rdflib writes them.
    prefixes = {prefix: iri for prefix, iri in PREFIXES.items() if iri != str(ID)}
    data = (ox.serialize(plain, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b"").decode("utf-8")
    return head.serialize(format="longturtle") + "\n" + data if len(head) else data
