"""How fast `kg serve` answers simple queries while heavy ones run, on loopback.

    python benchmarks/serve_load.py                        # both engines, a generated graph
    python benchmarks/serve_load.py --graph exports/graph.ttl --engine rdflib

Starts `kg serve` in a process of its own, as a user would, and sends --queries simple SELECTs
from --clients threads: first alone, then while --heavy cross joins of the whole graph run (they
never finish: they would stop at --timeout). Prints the latency of the simple queries (median,
99th percentile, slowest), whether the heavy ones were still running at the end, and how long
Ctrl-C (SIGINT) took to stop the server and its workers.
"""

from __future__ import annotations

import argparse
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

from kg.vocab import ID, KG

HEAVY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = "SELECT ?label WHERE { ?s a kg:School ; rdfs:label ?label } ORDER BY ?label"


def write_graph(path: Path, enterprises: int) -> None:
    """Two schools, and enough enterprises that a cross join of all triples never ends."""
    g = Graph()
    for key, label in (("a1a1a1a1a1a1", "甲职业学校"), ("b2b2b2b2b2b2", "乙职业学校")):
        g.add((ID[f"school/{key}"], RDF.type, KG.School))
        g.add((ID[f"school/{key}"], RDFS.label, Literal(label)))
    for i in range(enterprises):
        node = ID[f"enterprise/{i:012x}"]
        g.add((node, RDF.type, KG.Enterprise))
        g.add((node, RDFS.label, Literal(f"企业{i}")))
    g.serialize(path, format="turtle")


def ask(endpoint: str, query: str) -> tuple[int, float]:
    started = time.monotonic()
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0  # the server stopped while the query ran
    return status, time.monotonic() - started


def simple_round(endpoint: str, queries: int, clients: int) -> list[float]:
    with ThreadPoolExecutor(clients) as pool:
        answers = list(pool.map(lambda _: ask(endpoint, SIMPLE), range(queries)))
    bad = [status for status, _ in answers if status != 200]
    if bad:
        sys.exit(f"{len(bad)} simple queries failed: HTTP {sorted(set(bad))}")
    return sorted(seconds for _, seconds in answers)


def summary(seconds: list[float]) -> str:
    def pick(q: float) -> float:
        return seconds[min(len(seconds) - 1, int(q * len(seconds)))]

    return (
        f"median {pick(0.5) * 1000:6.0f} ms   p99 {pick(0.99) * 1000:6.0f} ms   "
        f"slowest {seconds[-1] * 1000:6.0f} ms"
    )


def run(graph: Path, engine: str, args: argparse.Namespace) -> None:
    kg = Path(sys.executable).with_name("kg")
    command = [str(kg)] if kg.exists() else [sys.executable, "-c", "from kg.cli import cli; cli()"]
    options = ["--port", "0", "--engine", engine, "--timeout", "120", "--workers", str(args.workers)]
    server = subprocess.Popen(
        [*command, "serve", "--graph", str(graph), *options], stderr=subprocess.PIPE, text=True
    )
    assert server.stderr is not None
    first = server.stderr.readline()
    found = re.search(r"http://\S+/sparql", first)
    if not found:
        sys.exit(f"kg serve did not start: {first.strip()}")
    endpoint = found.group(0)
    print(f"{engine}: {first.split(' at ')[0]}")
    alone = simple_round(endpoint, args.queries, args.clients)
    print(f"  {args.queries} simple queries from {args.clients} threads, alone: {summary(alone)}")
    heavy = ThreadPoolExecutor(args.heavy)
    heavy_answers = [heavy.submit(ask, endpoint, HEAVY) for _ in range(args.heavy)]
    time.sleep(0.5)
    loaded = simple_round(endpoint, args.queries, args.clients)
    running = sum(not f.done() for f in heavy_answers)
    print(f"  the same, {args.heavy} cross joins running:  {summary(loaded)}")
    print(f"  cross joins still running at the end: {running} of {args.heavy}")
    started = time.monotonic()
    server.send_signal(signal.SIGINT)
    server.wait(timeout=10)
    print(f"  Ctrl-C stopped kg serve in {(time.monotonic() - started) * 1000:.0f} ms")
    heavy.shutdown(wait=True)
    server.stderr.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graph", type=Path, help="graph to serve (default: a generated one)")
    parser.add_argument("--enterprises", type=int, default=200, help="size of the generated graph")
    parser.add_argument("--engine", choices=["rdflib", "oxigraph", "both"], default="both")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--heavy", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    engines = ["rdflib", "oxigraph"] if args.engine == "both" else [args.engine]
    with tempfile.TemporaryDirectory() as folder:
        graph = args.graph
        if graph is None:
            graph = Path(folder) / "graph.ttl"
            write_graph(graph, args.enterprises)
        for engine in engines:
            run(graph, engine, args)


if __name__ == "__main__":
    main()
