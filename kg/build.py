"""The whole pipeline for a set of report paths: read → segment → extract → resolve → graph →
export. The CLI only calls `build()` and prints what it returns."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.export.turtle import to_turtle
from kg.extract import build_pipeline, extract
from kg.graph import build_graph
from kg.model import ENTITY_CLASSES, PREDICATES, KnowledgeGraph
from kg.read import find_report_files, read_report
from kg.resolve import resolve
from kg.segment import segment


@dataclass(frozen=True)
class BuildResult:
    reports: tuple[str, ...]
    entities: dict[str, int]
    relations: dict[str, int]
    triples: int
    written: tuple[Path, ...]


def knowledge_graph(
    paths: Iterable[str | Path], progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None
) -> tuple[KnowledgeGraph, tuple[str, ...]]:
    files = find_report_files(paths)
    nlp = build_pipeline()
    extractions = []
    for path in progress(files) if progress else files:
        report = read_report(path)
        extractions.append(extract(report, segment(report), nlp))
    return resolve(extractions), tuple(p.as_posix() for p in files)


def write_atomically(path: Path, text: str) -> None:
    """Write next to the target and rename over it: a failed build leaves the old file whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build(
    paths: Iterable[str | Path],
    out: str | Path = "exports",
    *,
    html_focus: str | None = None,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
) -> BuildResult:
    from kg.export.html import render_html  # pyvis is only needed here

    knowledge, files = knowledge_graph(paths, progress)
    graph = build_graph(knowledge)
    turtle = to_turtle(graph)
    html = render_html(graph, focus=html_focus, title="kg: " + ", ".join(Path(f).name for f in files))
    out = Path(out)
    targets = (out / "graph.ttl", out / "graph.html")
    # Both texts exist before either file is touched: nothing half-written on failure.
    write_atomically(targets[0], turtle)
    write_atomically(targets[1], html)
    entity_counts = Counter(e.cls for e in knowledge.entities)
    relation_counts = Counter(r.predicate for r in knowledge.relations)
    return BuildResult(
        reports=files,
        entities={c: entity_counts.get(c, 0) for c in ENTITY_CLASSES},
        relations={p: relation_counts.get(p, 0) for p in PREDICATES},
        triples=len(graph),
        written=targets,
    )
