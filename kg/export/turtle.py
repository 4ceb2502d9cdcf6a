"""Turtle output that is the same, byte for byte, for the same input."""

from __future__ import annotations

from rdflib import Graph


def to_turtle(graph: Graph) -> str:
    # longturtle writes subjects and predicates sorted and lists inline, so diffs stay readable
    # and two builds of the same reports are byte-identical.
    return graph.serialize(format="longturtle")
