"""How long graph.html takes to build, to draw and to settle.

Builds a synthetic graph that follows the graph.ttl conventions (schools in districts, with
majors, partner enterprises and experts, every relation backed by a statement), renders it,
opens it in headless Chromium and prints: render time, file size, time from navigation to the
first drawn frame and to the layout's last movement, and how long a class filter and
a search take to redraw. With --html, times pages already written instead (`kg build seeds/
--out /tmp/seeds` writes /tmp/seeds/graph.html); the settle time is the median of --runs loads.

    python benchmarks/html_render.py [--entities 5000] [--chromium /usr/bin/chromium]
    python benchmarks/html_render.py --html /tmp/seeds/graph.html --html /tmp/c20-out/graph.html

(with kg importable: `pip install -e .`, or PYTHONPATH=. from the repository root)
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg.export.html import render_html
from kg.vocab import ID, KG

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _iri(kind: str, key: str) -> URIRef:
    return ID[f"{kind}/{hashlib.sha1(key.encode()).hexdigest()[:12]}"]


def synthetic_graph(entities: int) -> rdflib.Graph:
    """Regions 2%, schools 24%, majors 6%, enterprises 55%, experts 13%; no randomness."""
    g = rdflib.Graph()
    counts = {
        "Region": entities * 2 // 100,
        "School": entities * 24 // 100,
        "Major": entities * 6 // 100,
        "Expert": entities * 13 // 100,
    }
    counts["Enterprise"] = entities - sum(counts.values())
    reports = []
    for r in range(counts["Region"]):
        report = _iri("report", str(r))
        g.add((report, RDF.type, KG.Report))
        g.add((report, KG.file_name, Literal(f"{r:03d}_synthetic.txt")))
        reports.append(report)
    members: dict[str, list[URIRef]] = {}
    for cls, n in counts.items():
        members[cls] = []
        for i in range(n):
            node = _iri(cls.lower(), f"{cls}{i}")
            g.add((node, RDF.type, getattr(KG, cls)))
            g.add((node, RDFS.label, Literal(f"{_NAMES[cls]}{i}")))
            g.add((node, SKOS.altLabel, Literal(f"{_NAMES[cls][:2]}{i}")))
            g.add((node, KG.mentioned_in, reports[i % len(reports)]))
            members[cls].append(node)

    def relate(s: URIRef, predicate: str, o: URIRef, n: int) -> None:
        p = getattr(KG, predicate)
        g.add((s, p, o))
        statement = _iri("statement", f"{s}{p}{o}")
        g.add((statement, RDF.type, RDF.Statement))
        g.add((statement, RDF.subject, s))
        g.add((statement, RDF.predicate, p))
        g.add((statement, RDF.object, o))
        g.add((statement, PROV.wasDerivedFrom, reports[n % len(reports)]))
        g.add(
            (
                statement,
                KG.evidence,
                Literal(f"第{n}句：学校与企业签订校企合作协议，共建实训基地。"),
            )
        )
        g.add((statement, KG.start_offset, Literal(n * 40, datatype=XSD.integer)))
        g.add((statement, KG.end_offset, Literal(n * 40 + 30, datatype=XSD.integer)))
        g.add((statement, KG.extraction_rule, Literal("synthetic")))

    schools, n = members["School"], 0
    for i, school in enumerate(schools):
        relate(school, "located_in", members["Region"][i % len(members["Region"])], n := n + 1)
        for k in range(4):
            relate(
                school,
                "offers_major",
                members["Major"][(i * 7 + k * 13) % len(members["Major"])],
                n := n + 1,
            )
    for i, firm in enumerate(members["Enterprise"]):
        relate(schools[(i * 31) % len(schools)], "cooperates_with", firm, n := n + 1)
        if i % 5 == 0:
            relate(schools[(i * 17 + 3) % len(schools)], "cooperates_with", firm, n := n + 1)
    for i, expert in enumerate(members["Expert"]):
        relate(expert, "trains", schools[(i * 11) % len(schools)], n := n + 1)
        relate(expert, "affiliated_with", schools[(i * 29 + 1) % len(schools)], n := n + 1)
    for i in range(0, len(schools), 10):
        relate(schools[i], "assists", schools[(i + 5) % len(schools)], n := n + 1)
    return g


_NAMES = {
    "Region": "某某区",
    "School": "某某职业学校",
    "Major": "某某专业方向",
    "Enterprise": "某某科技有限公司",
    "Expert": "专家",
}


# Once the page is ready, samples every node's position each 50 ms for `quiet` ms: a node that
# moved more than half a canvas unit since the last sample means the layout had not settled.
# Sampling before then would compete with the layout for the page's only thread.
_SAMPLER = """quiet => new Promise(done => {
    const kg = window.kg, net = kg.network, until = performance.now() + quiet;
    let last = net.getPositions(), lastMove = 0;
    function sample() {
        const now = performance.now(), pos = net.getPositions();
        for (const id in pos) {
            if (Math.hypot(pos[id].x - last[id].x, pos[id].y - last[id].y) > 0.5) {
                lastMove = now;
                break;
            }
        }
        last = pos;
        if (now < until) return setTimeout(sample, 50);
        done({drawn: kg.drawnAt, ready: kg.readyAt, lastMove: lastMove, nodes: kg.nodes.length,
              load: performance.getEntriesByType('navigation')[0].loadEventEnd,
              physics: net.physics.options.enabled});
    }
    setTimeout(sample, 50);
})"""


def settle(browser: object, path: Path, runs: int) -> dict[str, float]:
    """Navigation to the load event, the first frame, ready (stabilized) and settled, in ms.

    Settled is ready, or the last movement seen in the 2 s after it if the layout still moved.
    """
    results = []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
        page.route("**/*", lambda r: r.continue_() if r.request.url == path.as_uri() else r.abort())
        page.goto(path.as_uri())
        page.wait_for_selector("html[data-kg-ready]", state="attached", timeout=120_000)
        found = page.evaluate(_SAMPLER, 2000)
        found["settled"] = max(found["lastMove"], found["ready"])
        results.append(found)
        page.close()
    summary = {k: statistics.median(r[k] for r in results) for k in ("load", "drawn", "ready", "settled")}
    summary["worst"] = max(r["settled"] for r in results)
    summary["nodes"] = results[0]["nodes"]
    summary["physics"] = any(r["physics"] for r in results)
    return summary


def print_settle(name: str, found: dict[str, float], runs: int) -> None:
    print(
        f"{name}: {found['nodes']:,} nodes, median of {runs} loads, s after navigation: "
        f"load event {found['load'] / 1000:.2f}, first frame {found['drawn'] / 1000:.2f}, "
        f"settled {found['settled'] / 1000:.2f} (worst {found['worst'] / 1000:.2f}); "
        f"physics {'still on' if found['physics'] else 'off'} afterwards"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=5000, help="number of entity nodes")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium executable")
    parser.add_argument(
        "--html", action="append", type=Path, help="time this graph.html instead (repeatable)"
    )
    parser.add_argument("--runs", type=int, default=5, help="loads per page for the settle time")
    args = parser.parse_args()
    if args.html:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            for path in args.html:
                print_settle(str(path), settle(browser, path.resolve(), args.runs), args.runs)
            browser.close()
        return 0

    started = time.perf_counter()
    graph = synthetic_graph(args.entities)
    built = time.perf_counter()
    html = render_html(graph)
    rendered = time.perf_counter()
    again = render_html(graph)
    print(f"graph: {len(graph):,} triples, built in {built - started:.2f} s")
    print(
        f"render_html: {rendered - built:.2f} s, {len(html.encode()) / 1e6:.2f} MB, "
        f"deterministic: {html == again}"
    )

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        path = Path(tmp) / "graph.html"
        path.write_text(html, encoding="utf-8")
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        outside: list[str] = []
        page.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url == path.as_uri()
                else (outside.append(r.request.url), r.abort())
            ),
        )
        page.goto(path.as_uri())
        page.wait_for_selector("html[data-kg-ready]", state="attached", timeout=120_000)
        drawn, ready, count = page.evaluate(
            "[window.kg.drawnAt, window.kg.readyAt, window.kg.nodes.length]"
        )
        print(
            f"browser: {count:,} nodes, first frame {drawn / 1000:.2f} s after navigation, "
            f"ready (stabilized or drawn) {ready / 1000:.2f} s"
        )
        print_settle("settle", settle(browser, path, args.runs), args.runs)
        for label in ("hide Enterprise", "show Enterprise", "redraw"):
            took = page.evaluate(
                """label => new Promise(done => {
                    const t0 = performance.now();
                    window.kg.network.once('afterDrawing', () => done(performance.now() - t0));
                    if (label === 'redraw') window.kg.network.redraw();
                    else document.querySelector('.kg-class-filter[data-class=Enterprise]').click();
                })""",
                label,
            )
            print(f"  {label}: {took:.0f} ms to the next frame")
        page.fill("#kg-search", f"{_NAMES['School'][:2]}7")
        t0 = time.perf_counter()
        page.press("#kg-search", "Enter")
        page.wait_for_function("window.kg.network.getSelectedNodes().length === 1")
        print(f"  search by alias: {(time.perf_counter() - t0) * 1000:.0f} ms to select")
        browser.close()
    if outside:
        print(f"requests outside the file (blocked): {outside}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
