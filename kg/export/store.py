"""The graph as an Oxigraph store on disk, so that `kg query`, `kg serve` and `kg stats` open it
in milliseconds instead of parsing graph.ttl (seconds for a graph of a million triples)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

__all__ = ["STORE_NAME", "write_store"]

#: The store's folder, next to graph.ttl in the output folder.
STORE_NAME = "graph.oxigraph"


def write_store(quads: Iterable[ox.Quad], folder: Path) -> None:
    """Fill a new store in `folder` with the graph and close it."""
    store = ox.Store(str(folder))
    store.bulk_extend(quads)
    store.flush()
    store.optimize()
    del store  # closes the database: the folder is renamed into place next
