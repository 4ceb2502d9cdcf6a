"""`kg build` against the bare segmentation of the same texts, on a generated corpus.

The yardstick of issue #10 is spaCy's blank Chinese pipeline with jieba, run with `nlp.pipe`
in one process over the same reports: what reading the texts costs at the least. Time both
with farm-bench, which pairs the runs:

    python benchmarks/corpus.py /tmp/c100 100
    farm-bench -n 3 --timeout 1800 -- kg build /tmp/c100 --out /tmp/c100-out --no-cache \\
        --vs "python benchmarks/build_speed.py --bare /tmp/c100"

Without --bare it builds the folder in this process and prints the time of each stage, to see
where the time goes:

    python benchmarks/build_speed.py /tmp/c100
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path


def bare(folder: Path) -> None:
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    texts = (p.read_text("utf-8") for p in sorted(folder.glob("*.txt")))
    tokens = sum(len(doc) for doc in nlp.pipe(texts))
    print(f"{tokens} tokens")


def stages(folder: Path, jobs: int | None) -> None:
    from kg.build import knowledge_graph
    from kg.export.html import render_html
    from kg.export.store import write_store
    from kg.export.turtle import to_turtle
    from kg.graph import build_graph
    from kg.oxigraph import to_quads, to_store
    from kg.validate import validate

    times: dict[str, float] = {}
    started = last = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        times[name] = now - last
        last = now

    knowledge, reports, _ = knowledge_graph([folder], jobs=jobs)
    lap("extract + resolve")
    graph = build_graph(knowledge)
    lap("graph")
    quads = to_quads(graph)
    lap("oxigraph terms")
    with tempfile.TemporaryDirectory() as out:
        Path(out, "graph.ttl").write_text(to_turtle(graph, quads), "utf-8")
        lap("turtle")
        write_store(quads, Path(out, "graph.oxigraph"))
        lap("store")
    render_html(graph)
    lap("html")
    validate(graph, engine="core", store=to_store(quads))
    lap("validate")
    total = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(reports)} reports, {len(graph)} triples: {total:.1f} s, peak memory {peak_mib:.0f} MiB"
          " (this process; workers apart)")
    for name, seconds in times.items():
        print(f"  {name:<18}{seconds:7.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder of reports (benchmarks/corpus.py writes one)")
    parser.add_argument("--bare", action="store_true", help="only segment the texts, with nlp.pipe")
    parser.add_argument("--jobs", type=int, default=None, help="processes that extract (as kg build -j)")
    arguments = parser.parse_args()
    if arguments.bare:
        bare(arguments.folder)
    else:
        stages(arguments.folder, arguments.jobs)


if __name__ == "__main__":
    main()
