"""rdflib terms and graphs as Oxigraph's, and back.

kg builds its graph with rdflib, the reference implementation that pySHACL, pyvis' reader and
users' scripts share; Oxigraph (pyoxigraph, Rust) then writes and queries it many times faster.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

__all__ = ["from_ox", "to_ox", "to_quads", "to_store"]

_XSD_STRING = str(XSD.string)


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term: object) -> Identifier | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unexpected term from Oxigraph: {term!r}")


def to_quads(triples: Iterable[tuple[Node, Node, Node]]) -> list[ox.Quad]:
    """The triples as quads of the default graph; each distinct term is converted once (a
    build of 1,000 reports has two million triples but far fewer distinct terms)."""
    converted: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def convert(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = converted.get(term)
        if found is None:
            found = converted[term] = to_ox(term)
        return found

    return [ox.Quad(convert(s), convert(p), convert(o)) for s, p, o in triples]  # type: ignore[arg-type]


def to_store(graph: Graph | Iterable[ox.Quad]) -> ox.Store:
    """An in-memory Oxigraph store holding the graph."""
    store = ox.Store()
    store.bulk_extend(to_quads(graph) if isinstance(graph, Graph) else graph)
    return store
