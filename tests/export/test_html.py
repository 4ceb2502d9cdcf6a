"""graph.html: what a reader sees in the browser, and that the page never touches the network.

Browser tests run Debian's chromium through Playwright (`apt-get install chromium`,
`pip install playwright`; no `playwright install`) and skip when either is missing.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, QB, RDF, RDFS, SKOS, XSD

from kg.cli import cli
from kg.errors import KgError
from kg.export.html import LABEL_MIN_PX, LAYOUT_THRESHOLD, render_html
from kg.vocab import ID, KG

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

EVIL_LABEL = '<img src=x onerror="window.__pwned=1">坏公司'
EVIL_ALIAS = "</script><script>window.__pwned=2</script>"
EVIL_EVIDENCE = (
    '房山二职与<img src=x onerror="window.__pwned=3">签约</script>'
    '<script>window.__pwned=4</script> "引号" \\反斜杠\n换行'
)


# --- fixture graphs, following the conventions of graph.ttl -------------------------------


def _report(g: rdflib.Graph, name: str) -> URIRef:
    report = ID["report/" + hashlib.sha1(name.encode()).hexdigest()[:12]]
    g.add((report, RDF.type, KG.Report))
    g.add((report, KG.file_name, Literal(name)))
    g.add((report, DCTERMS.title, Literal("北京市大兴区中等职业教育质量年度报告")))
    g.add((report, KG.year, Literal(2020, datatype=XSD.integer)))
    return report


def _entity(
    g: rdflib.Graph, iri: str, cls: str, label: str, aliases: tuple[str, ...], reports: list[URIRef]
) -> URIRef:
    node = ID[iri]
    g.add((node, RDF.type, getattr(KG, cls)))
    g.add((node, RDFS.label, Literal(label)))
    for alias in aliases:
        g.add((node, SKOS.altLabel, Literal(alias)))
    for report in reports:
        g.add((node, KG.mentioned_in, report))
    return node


def _relation(
    g: rdflib.Graph, s: URIRef, predicate: str, o: URIRef, evidence: str, report: URIRef
) -> None:
    p = getattr(KG, predicate)
    g.add((s, p, o))
    statement = ID["statement/" + hashlib.sha1(f"{s}{p}{o}".encode()).hexdigest()[:12]]
    g.add((statement, RDF.type, RDF.Statement))
    g.add((statement, RDF.subject, s))
    g.add((statement, RDF.predicate, p))
    g.add((statement, RDF.object, o))
    g.add((statement, PROV.wasDerivedFrom, report))
    g.add((statement, KG.evidence, Literal(evidence)))
    g.add((statement, KG.start_offset, Literal(12, datatype=XSD.integer)))
    g.add((statement, KG.end_offset, Literal(12 + len(evidence), datatype=XSD.integer)))
    g.add((statement, KG.extraction_rule, Literal("test")))


def small_graph() -> rdflib.Graph:
    """Seven entities of all five classes, eight relations, two reports, some ontology."""
    g = rdflib.Graph()
    g.bind("kg", str(KG._NS))
    g.add((KG.School, RDF.type, OWL.Class))
    g.add((KG.School, RDFS.label, Literal("School", lang="en")))
    g.add((KG.cooperates_with, RDF.type, OWL.ObjectProperty))
    r1, r2 = _report(g, "001_test.txt"), _report(g, "002_test.txt")
    region = _entity(g, "region/110115", "Region", "大兴区", ("北京市大兴区",), [r1])
    g.add((region, KG.division_code, Literal("110115")))
    g.add((r1, KG.covers_region, region))
    s1 = _entity(
        g,
        "school/aaaaaaaaaaa1",
        "School",
        "北京市大兴区第一职业学校",
        ("大兴一职", "大兴区第一职业学校"),
        [r1, r2],
    )
    s2 = _entity(
        g, "school/aaaaaaaaaaa2", "School", "北京市房山区第二职业高中", ("房山二职",), [r2]
    )
    e1 = _entity(
        g,
        "enterprise/bbbbbbbbbbb1",
        "Enterprise",
        "北京三维六度科技有限公司",
        ("三维六度公司",),
        [r1],
    )
    e2 = _entity(g, "enterprise/bbbbbbbbbbb2", "Enterprise", EVIL_LABEL, (EVIL_ALIAS,), [r2])
    m1 = _entity(g, "major/ccccccccccc1", "Major", "学前教育", ("学前",), [r1])
    x1 = _entity(g, "expert/ddddddddddd1", "Expert", "吴安民", ("吴安民教授",), [r2])
    _relation(g, s1, "located_in", region, "北京市大兴区第一职业学校位于大兴区", r1)
    _relation(g, s1, "cooperates_with", e1, "大兴一职与三维六度公司签订“三方合作协议”", r1)
    _relation(g, s1, "offers_major", m1, "大兴一职开设学前教育专业", r1)
    _relation(g, x1, "trains", s1, "吴安民教授为大兴一职教师开展培训", r2)
    _relation(g, x1, "affiliated_with", s2, "房山二职吴安民老师", r2)
    _relation(g, s2, "cooperates_with", e2, EVIL_EVIDENCE, r2)
    _relation(g, s2, "assists", s1, "房山二职帮扶大兴一职", r2)
    _relation(g, s1, "cooperates_with", s2, "大兴一职与房山二职联合办学", r2)
    return g


def ring_graph(n: int) -> rdflib.Graph:
    """n entities: schools, each with an enterprise partner, all in one region."""
    g = rdflib.Graph()
    report = _report(g, "009_big.txt")
    region = _entity(g, "region/110000", "Region", "北京市", (), [report])
    for i in range((n - 1) // 2):
        school = _entity(g, f"school/{i:012x}", "School", f"第{i}职业学校", (), [report])
        firm = _entity(g, f"enterprise/{i:012x}", "Enterprise", f"第{i}有限公司", (), [report])
        _relation(g, school, "located_in", region, f"第{i}职业学校在北京市", report)
        _relation(g, school, "cooperates_with", firm, f"第{i}职业学校与第{i}有限公司合作", report)
    return g


def page_data(html: str) -> dict[str, Any]:
    found = re.search(
        r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.DOTALL
    )
    assert found, "the page holds no kg-data block"
    return json.loads(found.group(1))


SMALL_LABELS = {
    "大兴区",
    "北京市大兴区第一职业学校",
    "北京市房山区第二职业高中",
    "北京三维六度科技有限公司",
    EVIL_LABEL,
    "学前教育",
    "吴安民",
}


# --- the page as text ---------------------------------------------------------------------


def test_page_holds_only_entities_and_their_relations() -> None:
    data = page_data(render_html(small_graph()))
    assert {n["label"] for n in data["nodes"]} == SMALL_LABELS
    assert sorted(e["predicate"] for e in data["edges"]) == sorted(
        [
            "located_in",
            "cooperates_with",
            "offers_major",
            "trains",
            "affiliated_with",
            "cooperates_with",
            "assists",
            "cooperates_with",
        ]
    )


def test_edges_carry_their_relation_in_the_title_not_as_a_label() -> None:
    """graph.js draws a predicate only on hover, around a found node and in the focus view."""
    for graph in (small_graph(), ring_graph(LAYOUT_THRESHOLD + 51)):
        for edge in page_data(render_html(graph))["edges"]:
            assert "label" not in edge
            assert edge["title"].split("\n")[1] == edge["predicate"]


def test_page_refers_to_nothing_outside_itself() -> None:
    html = render_html(small_graph())
    assert not re.search(
        r"<(script|link|img|iframe|source)\b[^>]*\b(src|href)\s*=", html, re.IGNORECASE
    )
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.IGNORECASE)
    assert "@import" not in html
    assert "sourceMappingURL" not in html


def test_graph_text_never_appears_as_markup() -> None:
    html = render_html(small_graph(), title='<i id="t">"报告"</i>')
    for raw in (EVIL_LABEL, EVIL_ALIAS, "<script>window.__pwned=4", '<i id="t">'):
        assert raw not in html
    assert "<title>&lt;i id=&#34;t&#34;&gt;&#34;报告&#34;&lt;/i&gt;</title>" in html


def test_same_graph_gives_same_bytes() -> None:
    graph = small_graph()
    shuffled = rdflib.Graph()
    for triple in sorted(graph, reverse=True):
        shuffled.add(triple)
    assert render_html(graph) == render_html(shuffled)


def test_focus_keeps_the_entity_and_its_neighbours() -> None:
    data = page_data(render_html(small_graph(), focus="大兴一职"))
    assert {n["label"] for n in data["nodes"]} == SMALL_LABELS - {EVIL_LABEL}
    assert len(data["edges"]) == 7  # all but 房山二职 → the injected enterprise


def test_focus_by_label_of_a_leaf() -> None:
    data = page_data(render_html(small_graph(), focus="学前教育"))
    assert {n["label"] for n in data["nodes"]} == {"学前教育", "北京市大兴区第一职业学校"}


def test_unknown_focus_says_so_and_suggests_close_names() -> None:
    with pytest.raises(KgError) as caught:
        render_html(small_graph(), focus="大兴一只")
    message = str(caught.value)
    assert '"大兴一只"' in message and "大兴一职" in message
    assert "\n" not in message


def test_large_graph_is_laid_out_here_without_physics() -> None:
    data = page_data(render_html(ring_graph(LAYOUT_THRESHOLD + 51)))
    assert len(data["nodes"]) == LAYOUT_THRESHOLD + 51
    assert data["options"]["physics"]["enabled"] is False
    positions = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(positions) == len(data["nodes"])  # every node placed, no two on one spot


def test_small_graph_is_laid_out_by_physics() -> None:
    data = page_data(render_html(small_graph()))
    assert data["options"]["physics"]["enabled"] is True
    assert not any("x" in n for n in data["nodes"])


# --- the page in a browser ----------------------------------------------------------------


@dataclass
class Opened:
    page: Any
    url: str
    requests: list[str] = field(default_factory=list)  # every request the page made
    blocked: list[str] = field(default_factory=list)  # those the route refused
    errors: list[str] = field(default_factory=list)  # script errors and console errors


@pytest.fixture(scope="module")
def browser() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed - pip install playwright")
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed - apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_path(browser: Any) -> Any:
    """Opens a page file; with ready=False it returns at the load event, not when laid out."""
    opened: list[Opened] = []

    def open_(path: Path, *, ready: bool = True) -> Opened:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        result = Opened(page, path.as_uri())

        def route(route: Any) -> None:
            if route.request.url == result.url:
                route.continue_()
            else:
                result.blocked.append(route.request.url)
                route.abort()

        page.route("**/*", route)
        page.on("request", lambda request: result.requests.append(request.url))
        page.on("pageerror", lambda error: result.errors.append(str(error)))
        page.on("console", lambda m: m.type == "error" and result.errors.append(m.text))
        page.goto(result.url)
        if ready:
            page.wait_for_selector("html[data-kg-ready]", state="attached", timeout=20_000)
        opened.append(result)
        return result

    yield open_
    for result in opened:
        result.page.close()


@pytest.fixture
def open_graph(open_path: Any, tmp_path: Path) -> Any:
    numbers = itertools.count()

    def open_(graph: rdflib.Graph, **options: Any) -> Opened:
        path = tmp_path / f"graph{next(numbers)}.html"
        path.write_text(render_html(graph, **options), encoding="utf-8")
        return open_path(path)

    return open_


def node_id(page: Any, label: str) -> str:
    return page.evaluate("l => window.kg.nodes.get({filter: n => n.label === l})[0].id", label)


def visible_labels(page: Any) -> set[str]:
    """Labels of the nodes vis-network draws (its own node objects, not the data set)."""
    return set(
        page.evaluate(
            """() => Object.values(window.kg.network.body.nodes)
               .filter(n => !n.options.hidden).map(n => n.options.label)"""
        )
    )


def point_of(page: Any, *ids: str) -> tuple[float, float]:
    """Page coordinates of a node, or of the middle of the straight line between two."""
    return tuple(
        page.evaluate(
            """ids => {
            const net = window.kg.network, box = document.getElementById('kg-network')
                .getBoundingClientRect();
            const pos = net.getPositions(ids);
            const x = ids.reduce((s, i) => s + pos[i].x, 0) / ids.length;
            const y = ids.reduce((s, i) => s + pos[i].y, 0) / ids.length;
            const dom = net.canvasToDOM({x, y});
            return [box.left + dom.x, box.top + dom.y];
        }""",
            list(ids),
        )
    )


def tooltip_after_hovering(page: Any, *ids: str) -> str:
    page.mouse.move(5, 5)
    x, y = point_of(page, *ids)
    page.mouse.move(x, y, steps=4)
    page.wait_for_function(
        "() => { const t = document.querySelector('div.vis-tooltip');"
        " return t && t.style.visibility === 'visible' && t.innerText.length > 0; }",
        timeout=5_000,
    )
    return page.inner_text("div.vis-tooltip")


def test_page_draws_one_node_per_entity(open_graph: Any) -> None:
    page = open_graph(small_graph()).page
    assert page.evaluate("window.kg.nodes.length") == 7
    assert page.evaluate("window.kg.network.body.nodeIndices.length") == 7
    assert page.evaluate("window.kg.edges.length") == 8
    assert visible_labels(page) == SMALL_LABELS


def test_legend_shows_every_class_in_its_colour(open_graph: Any) -> None:
    page = open_graph(small_graph()).page
    assert page.is_visible("#kg-legend")
    rows = page.evaluate(
        """() => Array.from(document.querySelectorAll('#kg-legend li')).map(li => [
            li.querySelector('.kg-class-filter').dataset.class,
            getComputedStyle(li.querySelector('.kg-swatch')).color,
            li.innerText])"""
    )
    groups = page.evaluate(
        "JSON.parse(document.getElementById('kg-data').textContent).options.groups"
    )
    assert [r[0] for r in rows] == ["School", "Enterprise", "Major", "Region", "Expert"]
    for cls, colour, text in rows:
        hex_colour = groups[cls]["color"]["background"]
        rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        assert colour == "rgb({}, {}, {})".format(*rgb)
        assert cls in text
    assert [r[2].split()[-1] for r in rows] == ["2", "2", "1", "1", "1"]  # counts per class


def test_node_tooltip_shows_class_aliases_and_reports(open_graph: Any) -> None:
    page = open_graph(small_graph()).page
    text = tooltip_after_hovering(page, node_id(page, "北京市大兴区第一职业学校"))
    assert "School" in text
    assert "大兴一职" in text and "大兴区第一职业学校" in text
    assert "001_test.txt" in text and "002_test.txt" in text


def test_edge_tooltip_shows_predicate_and_evidence(open_graph: Any) -> None:
    page = open_graph(small_graph()).page
    school = node_id(page, "北京市大兴区第一职业学校")
    firm = node_id(page, "北京三维六度科技有限公司")
    text = tooltip_after_hovering(page, school, firm)
    assert "cooperates_with" in text
    assert "大兴一职与三维六度公司签订“三方合作协议”" in text
    assert "001_test.txt" in text


def test_search_by_alias_selects_and_centres_the_node(open_graph: Any) -> None:
    page = open_graph(small_graph()).page
    target = node_id(page, "北京市房山区第二职业高中")
    page.fill("#kg-search", "房山二职")
    page.press("#kg-search", "Enter")
    page.wait_for_function(
        """id => { const net = window.kg.network, p = net.getPositions([id])[id],
                   v = net.getViewPosition();
                   return Math.hypot(p.x - v.x, p.y - v.y) < 1; }""",
        arg=target,
        timeout=5_000,
    )
    assert page.evaluate("window.kg.network.getSelectedNodes()") == [target]
    assert "北京市房山区第二职业高中" in page.inner_text("#kg-status")


def test_search_for_an_unknown_name_says_so(open_graph: Any) -> None:
    page = open_graph(small_graph()).page
    page.fill("#kg-search", "不存在的学校")
    page.press("#kg-search", "Enter")
    assert "No entity named “不存在的学校”" in page.inner_text("#kg-status")
    assert page.evaluate("window.kg.network.getSelectedNodes()") == []


def test_class_filter_hides_and_shows_a_class(open_graph: Any) -> None:
    page = open_graph(small_graph()).page
    page.uncheck('.kg-class-filter[data-class="Enterprise"]')
    assert visible_labels(page) == SMALL_LABELS - {"北京三维六度科技有限公司", EVIL_LABEL}
    page.uncheck('.kg-class-filter[data-class="School"]')
    assert visible_labels(page) == {"大兴区", "学前教育", "吴安民"}
    page.check('.kg-class-filter[data-class="Enterprise"]')
    page.check('.kg-class-filter[data-class="School"]')
    assert visible_labels(page) == SMALL_LABELS


def test_clicking_a_node_shows_its_neighbourhood_until_show_all(open_graph: Any) -> None:
    page = open_graph(small_graph()).page
    assert page.is_disabled("#kg-show-all")
    x, y = point_of(page, node_id(page, "吴安民"))
    page.mouse.click(x, y)
    assert visible_labels(page) == {
        "吴安民",
        "北京市大兴区第一职业学校",
        "北京市房山区第二职业高中",
    }
    page.click("#kg-show-all")
    assert visible_labels(page) == SMALL_LABELS


def test_focused_large_graph_gathers_the_neighbourhood(open_graph: Any) -> None:
    page = open_graph(ring_graph(LAYOUT_THRESHOLD + 51)).page
    assert page.evaluate("window.kg.network.physics.options.enabled") is False
    school = node_id(page, "第7职业学校")
    before = page.evaluate("() => window.kg.network.getPositions()")
    page.evaluate("id => window.kg.network.focus(id, {scale: 2, animation: false})", school)
    x, y = point_of(page, school)
    page.mouse.click(x, y)
    assert visible_labels(page) == {"第7职业学校", "第7有限公司", "北京市"}
    page.click("#kg-show-all")
    assert page.evaluate("() => window.kg.network.getPositions()") == before


def test_page_makes_no_request_but_its_own_file(open_graph: Any) -> None:
    opened = open_graph(small_graph())
    page = opened.page
    tooltip_after_hovering(page, node_id(page, "北京市大兴区第一职业学校"))
    page.fill("#kg-search", "三维六度公司")
    page.press("#kg-search", "Enter")
    assert opened.requests == [opened.url]
    assert opened.blocked == []
    assert opened.errors == []


def test_injected_markup_in_labels_and_evidence_does_not_run(open_graph: Any) -> None:
    opened = open_graph(small_graph())
    page = opened.page
    evil = node_id(page, EVIL_LABEL)
    node_text = tooltip_after_hovering(page, evil)
    assert EVIL_LABEL in node_text and EVIL_ALIAS in node_text  # shown as text, verbatim
    edge_text = tooltip_after_hovering(page, node_id(page, "北京市房山区第二职业高中"), evil)
    assert "window.__pwned=4</script>" in edge_text and "\\反斜杠" in edge_text
    page.fill("#kg-search", EVIL_ALIAS)
    page.press("#kg-search", "Enter")
    assert page.evaluate("window.kg.network.getSelectedNodes()") == [evil]
    page.mouse.click(*point_of(page, evil))
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert opened.requests == [opened.url] and opened.errors == []


# --- kg build --html-focus on the seeds ------------------------------------------------------

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_build_html_focus_draws_one_school_and_its_neighbours(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["build", str(SEEDS), "--out", str(tmp_path), "--html-focus", "大兴一职"]
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "graph.html").read_text(encoding="utf-8")
    data = page_data(html)
    centre = [n["id"] for n in data["nodes"] if n["label"] == "北京市大兴区第一职业学校"]
    assert len(centre) == 1
    touching = {e["from"] for e in data["edges"] if e["to"] == centre[0]}
    touching |= {e["to"] for e in data["edges"] if e["from"] == centre[0]}
    assert {n["id"] for n in data["nodes"]} == touching | set(centre)
    assert len(data["nodes"]) > 10  # its partners, majors, regions, experts
    assert "around “大兴一职”" in html
    full = rdflib.Graph().parse(tmp_path / "graph.ttl")  # the Turtle keeps the whole graph
    assert len(set(full.subjects(RDF.type, KG.School))) > sum(
        n["cls"] == "School" for n in data["nodes"]
    )


def test_build_html_focus_on_an_unknown_name_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["build", str(SEEDS), "--out", str(tmp_path), "--html-focus", "大兴一中"]
    )
    assert result.exit_code == 1
    assert result.output.startswith('Error: no entity named "大兴一中" to focus on - did you mean ')
    assert "大兴一职" in result.output and len(result.output.splitlines()) == 1


# --- kg build seeds/ in a browser: still after load, readable at every zoom ------------------


@pytest.fixture(scope="module")
def seeds_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """graph.html of `kg build seeds/`, built once for the tests below."""
    out = tmp_path_factory.mktemp("seeds")
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "graph.html"


# Every string the canvas draws during one redraw: node and edge labels are all the text there is.
DRAWN_TEXT = """() => new Promise(done => {
    const proto = CanvasRenderingContext2D.prototype, fillText = proto.fillText, texts = [];
    proto.fillText = function (text) {
        texts.push(String(text));
        return fillText.apply(this, arguments);
    };
    window.kg.network.once('afterDrawing', () => { proto.fillText = fillText; done(texts); });
    window.kg.network.redraw();
})"""


def drawn_text(page: Any) -> set[str]:
    return {t for t in page.evaluate(DRAWN_TEXT) if t.strip()}


def edge_labels(page: Any) -> dict[str, str]:
    """The label vis-network holds for each edge that has one that draws something."""
    return dict(
        page.evaluate(
            """() => Object.values(window.kg.network.body.edges)
               .filter(e => (e.options.label || '').trim()).map(e => [e.id, e.options.label])"""
        )
    )


def seeds_edges(page: Any) -> list[tuple[str, str, str, str]]:
    """(id, from, to, predicate) of every edge."""
    return [tuple(e) for e in page.evaluate("window.kg.edges.map(e => [e.id, e.from, e.to, e.predicate])")]


def page_point(page: Any, where: str) -> tuple[float, float]:
    """Page coordinates of a DOM point of the network, `where` a JS expression of `net`."""
    return tuple(
        page.evaluate(
            f"""() => {{ const net = window.kg.network, p = {where};
                const box = document.getElementById('kg-network').getBoundingClientRect();
                return [box.left + p.x, box.top + p.y]; }}"""
        )
    )


def test_seeds_network_is_still_two_seconds_after_load(open_path: Any, seeds_html: Path) -> None:
    opened = open_path(seeds_html, ready=False)
    page = opened.page
    page.wait_for_function(
        """() => { const load = performance.getEntriesByType('navigation')[0].loadEventEnd;
                   return load > 0 && performance.now() > load + 2000; }""",
        polling=50,
        timeout=10_000,
    )
    first = page.evaluate("() => window.kg.network.getPositions()")
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.kg.network.getPositions()") == first
    assert page.evaluate("document.documentElement.hasAttribute('data-kg-ready')")
    assert page.evaluate("window.kg.network.physics.options.enabled") is False
    assert len({(p["x"], p["y"]) for p in first.values()}) == len(first) > 100  # laid out
    page.uncheck('.kg-class-filter[data-class="Enterprise"]')  # nor does a filter stir it
    page.wait_for_timeout(300)
    moved = page.evaluate("() => window.kg.network.getPositions()")
    assert all(moved[n] == first[n] for n in moved)
    assert opened.errors == []


def test_seeds_overview_draws_no_label_until_zoomed_in(open_path: Any, seeds_html: Path) -> None:
    page = open_path(seeds_html).page
    labels = set(page.evaluate("window.kg.nodes.map(n => n.label)"))
    assert page.evaluate("window.kg.network.getScale()") < LABEL_MIN_PX / 14  # fitted: small
    assert drawn_text(page) == set()
    page.evaluate("window.kg.network.moveTo({scale: 1, animation: false})")
    seen = drawn_text(page)
    assert seen and seen <= labels  # the names in view, and no edge label


def test_seeds_edges_are_unlabelled_but_their_tooltip_names_the_relation(
    open_path: Any, seeds_html: Path
) -> None:
    page = open_path(seeds_html).page
    titles = page.evaluate("window.kg.edges.map(e => [e.predicate, e.title])")
    assert len(titles) > 100
    for predicate, title in titles:
        assert title.split("\n")[1] == predicate
    assert edge_labels(page) == {}
    page.evaluate("window.kg.network.moveTo({scale: 1.5, animation: false})")
    assert not drawn_text(page) & {predicate for predicate, _title in titles}


def test_seeds_edge_label_shows_while_the_edge_is_hovered(open_path: Any, seeds_html: Path) -> None:
    page = open_path(seeds_html).page
    # An edge whose middle touches no node and no other edge, put in the middle at scale 1.
    found = page.evaluate(
        """() => { const net = window.kg.network;
            for (const e of window.kg.edges.get()) {
                if (e.smooth) continue;
                const p = net.getPositions([e.from, e.to]);
                const mid = {x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2};
                net.moveTo({position: mid, scale: 1, animation: false});
                const dom = net.canvasToDOM(mid);
                if (net.getEdgeAt(dom) === e.id && net.getNodeAt(dom) === undefined)
                    return [e.id, e.predicate];
            }
            return null; }"""
    )
    assert found, "no edge of the seeds has a middle clear of other nodes and edges"
    edge, predicate = found
    page.mouse.move(*page_point(page, "net.canvasToDOM(net.getViewPosition())"), steps=4)
    page.wait_for_function(
        """p => { const t = document.querySelector('div.vis-tooltip');
                  return t && t.style.visibility === 'visible' && t.innerText.includes(p); }""",
        arg=predicate,
        timeout=5_000,
    )
    assert edge_labels(page) == {edge: predicate}
    assert predicate in drawn_text(page)
    free = page.evaluate(
        """() => { const net = window.kg.network, c = net.canvas.frame.canvas;
            for (let y = 10; y < c.clientHeight; y += 20)
                for (let x = 10; x < c.clientWidth; x += 20)
                    if (net.getNodeAt({x, y}) === undefined && net.getEdgeAt({x, y}) === undefined)
                        return {x, y};
            return null; }"""
    )
    assert free, "no empty spot in the view"
    page.mouse.move(*page_point(page, f"({json.dumps(free)})"), steps=4)
    assert edge_labels(page) == {}


def test_seeds_focus_view_labels_the_relations_it_shows(open_path: Any, seeds_html: Path) -> None:
    opened = open_path(seeds_html)
    page = opened.page
    edges = seeds_edges(page)
    centre = node_id(page, "北京市大兴区第一职业学校")
    shown = {centre} | {t for _e, f, t, _p in edges if f == centre}
    shown |= {f for _e, f, t, _p in edges if t == centre}
    focused = {e: p for e, f, t, p in edges if f in shown and t in shown}
    page.mouse.click(*page_point(page, f"net.canvasToDOM(net.getPositions(['{centre}'])['{centre}'])"))
    assert "neighbours" in page.inner_text("#kg-status")
    assert edge_labels(page) == focused
    assert set(focused.values()) <= drawn_text(page)
    page.click("#kg-show-all")
    assert edge_labels(page) == {}
    page.fill("#kg-search", "大兴一职")  # a found node shows the relations of its own edges
    page.press("#kg-search", "Enter")
    assert edge_labels(page) == {e: p for e, f, t, p in edges if centre in (f, t)}
    assert opened.errors == []


def test_a_school_tooltip_gives_its_latest_value_of_each_indicator() -> None:
    graph = small_graph()
    school = next(s for s in graph.subjects(RDF.type, KG.School))
    graph.add((KG.enrolment, RDFS.label, Literal("在校生数", lang="zh")))
    for year, value in ((2021, 700), (2022, 748)):
        observation = ID[f"observation/{year}"]
        graph.add((observation, RDF.type, QB.Observation))
        graph.add((observation, KG.organisation, school))
        graph.add((observation, KG.ref_year, Literal(year, datatype=XSD.integer)))
        graph.add((observation, QB.measureType, KG.enrolment))
        graph.add((observation, KG.enrolment, Literal(value, datatype=XSD.integer)))
        graph.add((observation, KG.unit, Literal("人")))
    node = next(n for n in page_data(render_html(graph))["nodes"] if n["id"] == str(school)[len(str(ID)) :])
    assert node["title"].split("\n")[-1] == "在校生数 2022: 748 人"
    assert "700" not in node["title"]
