"""The interactive network of the graph, as one HTML file that works with no network at all.

pyvis builds the vis-network nodes, edges and options. The page around them is kg's own
template (assets/graph.html): pyvis' template loads Bootstrap from a CDN whatever
`cdn_resources` says, and a report reader opens graph.html on machines with no internet. The
vis-network script and style that ship inside the pyvis package are inlined into the page.

Every string that comes from the graph reaches the page as JSON data, never as markup: the
data sits in a `<script type="application/json">` block with `<`, `>` and `&` escaped, labels
are drawn on a canvas, and tooltips are plain strings, which vis-network shows as text.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
import re
from collections import defaultdict, deque
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jinja2
import rdflib
from pyvis.network import Network  # type: ignore[import-untyped]
from rdflib.namespace import PROV, QB, RDF, RDFS, SKOS

from kg.errors import KgError
from kg.model import ENTITY_CLASSES, PREDICATES
from kg.vocab import ID, KG

__all__ = ["LABEL_MIN_PX", "LAYOUT_THRESHOLD", "SETTLE_ITERATIONS", "render_html"]

#: Above this many nodes the browser does not run physics: the layout is computed here.
LAYOUT_THRESHOLD = 300

#: Physics iterations run before the first frame; physics then stops, so nothing moves after.
#: 200 untangle 300 nodes about as well as 400 and take about 1 s in headless Chromium.
SETTLE_ITERATIONS = 200

#: Up to this many nodes vis starts physics from a Kamada-Kawai layout (improvedLayout): it
#: halves the crossings of a --html-focus neighbourhood for 0.1 s, but costs 0.6 s at 140 nodes
#: and untangles no better than the iterations alone there.
KAMADA_KAWAI_MAX = 50

#: Node labels smaller than this on screen (px) are not drawn: at overview zoom they are
#: unreadable specks that only blur the picture. They appear, fading in over 1 px, on zooming in.
LABEL_MIN_PX = 10

#: Fonts that have Chinese glyphs on Linux, Windows and macOS, in that order.
FONT_STACK = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'

#: How each class looks: colour (tab10, distinct in print), vis shape, legend glyph, Chinese name.
CLASS_STYLE = {
    "School": ("#1f77b4", "dot", "●", "学校"),
    "Enterprise": ("#ff7f0e", "square", "■", "企业"),
    "Major": ("#2ca02c", "triangle", "▲", "专业"),
    "Region": ("#9467bd", "diamond", "◆", "地区"),
    "Expert": ("#d62728", "star", "★", "专家"),
}

# Tooltips list at most this many items; a major mentioned by 500 reports stays readable.
_MAX_LISTED = 10
_MAX_EVIDENCE = 5
_MAX_SENTENCE = 240

_VIS_DIR = "lib/vis-9.1.2"


@dataclass(frozen=True)
class _Node:
    id: str  # the IRI without the entity namespace: "school/3fa2b19c0d4e"
    cls: str
    label: str
    aliases: tuple[str, ...]
    reports: tuple[str, ...]
    indicators: tuple[str, ...] = ()  # its latest value of each indicator: "在校生 2022: 748 人"


@dataclass(frozen=True)
class _Edge:
    source: str
    predicate: str
    target: str
    evidence: tuple[tuple[str, str], ...]  # (report file name, sentence), in report order


def render_html(graph: rdflib.Graph, *, focus: str | None = None, title: str = "kg") -> str:
    """The whole page for `graph`; with `focus` (a label or alias), only that neighbourhood.

    The same graph always gives the same bytes: nodes, edges and options are sorted and the
    layout has no randomness. An unknown `focus` raises KgError naming close names.
    """
    nodes = _read_nodes(graph)
    edges = _read_edges(graph, nodes)
    if focus is not None:
        nodes, edges = _neighbourhood(nodes, edges, focus)
    large = len(nodes) > LAYOUT_THRESHOLD
    positions = _class_ring_layout(nodes, edges) if large else {}
    net = _network(nodes, edges, positions, large)
    vis_nodes, vis_edges, _heading, _height, _width, options = net.get_network_data()
    data = {
        "nodes": vis_nodes,
        "edges": vis_edges,
        "options": json.loads(options),
        "physics": not large,
    }
    counts = {cls: 0 for cls in ENTITY_CLASSES}
    for node in nodes.values():
        counts[node.cls] += 1
    legend = [
        {
            "name": cls,
            "zh": CLASS_STYLE[cls][3],
            "color": CLASS_STYLE[cls][0],
            "glyph": CLASS_STYLE[cls][2],
            "count": counts[cls],
        }
        for cls in ENTITY_CLASSES
    ]
    vis_js, vis_css = _vis_assets()
    return _template().render(
        title=title,
        focus=focus,
        legend=legend,
        node_count=len(nodes),
        edge_count=len(edges),
        font_stack=FONT_STACK,
        vis_css=vis_css,
        vis_js=vis_js,
        page_css=_asset("graph.css"),
        page_js=_script_safe(_asset("graph.js")),
        data_json=_json_for_script(data),
    )


# --- reading the graph -------------------------------------------------------------------


def _node_id(term: rdflib.term.Node) -> str:
    text = str(term)
    return text.removeprefix(str(ID))


def _report_names(graph: rdflib.Graph) -> dict[rdflib.term.Node, str]:
    """The file name of every report node, looked up once for the whole graph."""
    names: dict[rdflib.term.Node, str] = {}
    for report, name in sorted(graph.subject_objects(KG.file_name), key=lambda pair: str(pair[1])):
        names.setdefault(report, str(name))
    return names


def _file_names(names: dict[rdflib.term.Node, str], reports: Any) -> tuple[str, ...]:
    """File names of report nodes (the IRI if a report has none)."""
    return tuple(sorted({names.get(report, str(report)) for report in reports}))


def _read_nodes(graph: rdflib.Graph) -> dict[str, _Node]:
    """Entities of the five classes; reports, statements and ontology terms are not drawn."""
    nodes: dict[str, _Node] = {}
    report_names = _report_names(graph)
    latest = _latest_indicators(graph)
    for cls in ENTITY_CLASSES:
        for subject in sorted(set(graph.subjects(RDF.type, getattr(KG, cls))), key=str):
            node_id = _node_id(subject)
            if node_id in nodes:  # typed twice: the first class in ontology order wins
                continue
            labels = sorted(str(o) for o in graph.objects(subject, RDFS.label))
            aliases = sorted({str(o) for o in graph.objects(subject, SKOS.altLabel)})
            label = labels[0] if labels else (aliases[0] if aliases else node_id)
            aliases = [a for a in dict.fromkeys(labels[1:] + aliases) if a != label]
            nodes[node_id] = _Node(
                id=node_id,
                cls=cls,
                label=label,
                aliases=tuple(aliases),
                reports=_file_names(report_names, graph.objects(subject, KG.mentioned_in)),
                indicators=latest.get(subject, ()),
            )
    return dict(sorted(nodes.items()))


def _latest_indicators(graph: rdflib.Graph) -> dict[rdflib.term.Node, tuple[str, ...]]:
    """Each organisation's latest value of each indicator, as a line of its tooltip."""
    latest: dict[rdflib.term.Node, dict[str, tuple[int, str]]] = defaultdict(dict)
    for observation in graph.subjects(RDF.type, QB.Observation):
        organisation = graph.value(observation, KG.organisation)
        measure = graph.value(observation, QB.measureType)
        year = graph.value(observation, KG.ref_year)
        if organisation is None or measure is None or year is None:
            continue
        value, unit = graph.value(observation, measure), str(graph.value(observation, KG.unit) or "")
        names = {getattr(label, "language", None): str(label) for label in graph.objects(measure, RDFS.label)}
        name = names.get("zh") or names.get("en") or str(measure).rsplit("#", 1)[-1]
        shown = f"{name} {year}: {value}{'' if unit == ':1' else ' '}{unit}".rstrip()
        when = int(str(year))
        if name not in latest[organisation] or when > latest[organisation][name][0]:
            latest[organisation][name] = (when, shown)
    return {o: tuple(line for _, (_, line) in sorted(v.items())) for o, v in latest.items()}


def _read_edges(graph: rdflib.Graph, nodes: dict[str, _Node]) -> list[_Edge]:
    """The direct relation triples between drawn entities, each with its statements' evidence."""
    evidence: dict[tuple[str, str, str], set[tuple[str, int, str]]] = defaultdict(set)
    report_names = _report_names(graph)
    for statement, subject in graph.subject_objects(RDF.subject):
        for predicate in graph.objects(statement, RDF.predicate):
            for obj in graph.objects(statement, RDF.object):
                key = (_node_id(subject), str(predicate), _node_id(obj))
                reports = _file_names(report_names, graph.objects(statement, PROV.wasDerivedFrom))
                starts = graph.objects(statement, KG.start_offset)
                values = [o.toPython() for o in starts if isinstance(o, rdflib.Literal)]
                offset = min((v for v in values if isinstance(v, int)), default=0)
                for sentence in sorted(str(o) for o in graph.objects(statement, KG.evidence)):
                    evidence[key].add((reports[0] if reports else "", offset, sentence))
    edges = []
    for name in PREDICATES:
        predicate = getattr(KG, name)
        for subject, obj in graph.subject_objects(predicate):
            source, target = _node_id(subject), _node_id(obj)
            if source in nodes and target in nodes:
                found = sorted(evidence.get((source, str(predicate), target), ()))
                edges.append(_Edge(source, name, target, tuple((r, s) for r, _o, s in found)))
    return sorted(set(edges), key=lambda e: (e.source, e.target, e.predicate))


def _neighbourhood(
    nodes: dict[str, _Node], edges: list[_Edge], name: str
) -> tuple[dict[str, _Node], list[_Edge]]:
    """The entities named `name` (by label, else by alias), their neighbours, edges among them."""
    wanted = name.strip()
    centre = {n.id for n in nodes.values() if n.label == wanted}
    centre = centre or {n.id for n in nodes.values() if wanted in n.aliases}
    if not centre:
        names = sorted(
            {n.label for n in nodes.values()} | {a for n in nodes.values() for a in n.aliases}
        )
        close = difflib.get_close_matches(wanted, names, n=5, cutoff=0.5)
        close = close or sorted(n for n in names if wanted and (wanted in n or n in wanted))[:5]
        hint = (
            f"did you mean {', '.join(close)}?" if close else "give a label or alias from the graph"
        )
        raise KgError(f'no entity named "{name}" to focus on - {hint}')
    keep = set(centre)
    for edge in edges:
        if edge.source in centre:
            keep.add(edge.target)
        if edge.target in centre:
            keep.add(edge.source)
    return (
        {k: v for k, v in nodes.items() if k in keep},
        [e for e in edges if e.source in keep and e.target in keep],
    )


# --- layout ------------------------------------------------------------------------------


def _class_ring_layout(
    nodes: dict[str, _Node], edges: list[_Edge]
) -> dict[str, tuple[float, float]]:
    """One ring (a band of a few circles) per class, neighbours at about the same angle.

    Own code because networkx's spring_layout takes 9 s for 5,000 nodes with only 10
    iterations (and needs scipy); this takes 0.1 s and is deterministic. Nodes are numbered by
    a breadth-first walk from the best-connected node, then each class is sorted by the mean
    walk number of the node and its neighbours, so a school and its partners share an angle and
    edges stay short.
    """
    adjacent: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        adjacent[edge.source].add(edge.target)
        adjacent[edge.target].add(edge.source)
    order: dict[str, int] = {}
    by_degree = sorted(nodes, key=lambda n: (-len(adjacent[n]), n))
    for start in by_degree:
        if start in order:
            continue
        order[start] = len(order)
        queue = deque([start])
        while queue:
            for nxt in sorted(adjacent[queue.popleft()], key=lambda n: (-len(adjacent[n]), n)):
                if nxt not in order:
                    order[nxt] = len(order)
                    queue.append(nxt)

    def barycentre(node: str) -> float:
        near = [order[n] for n in adjacent[node]] + [order[node]]
        return sum(near) / len(near)

    gap = 100.0  # distance between neighbouring nodes, in vis canvas units
    positions: dict[str, tuple[float, float]] = {}
    radius = 150.0
    for cls in ("Region", "School", "Major", "Enterprise", "Expert"):
        members = sorted(
            (n for n in nodes.values() if n.cls == cls), key=lambda n: (barycentre(n.id), n.id)
        )
        if not members:
            continue
        circles = max(1, math.ceil(len(members) * gap / (2 * math.pi * radius)))
        for rank, node in enumerate(members):
            angle = 2 * math.pi * (rank + 0.5) / len(members)
            r = radius + (rank % circles) * gap
            positions[node.id] = (round(r * math.cos(angle), 1), round(r * math.sin(angle), 1))
        radius += circles * gap + 4 * gap
    return positions


# --- the vis network ---------------------------------------------------------------------


def _node_title(node: _Node) -> str:
    return "\n".join(
        [
            node.label,
            f"Class: {node.cls} ({CLASS_STYLE[node.cls][3]})",
            "Aliases: " + (_listing(node.aliases) if node.aliases else "none"),
            "Mentioned in: " + (_listing(node.reports) if node.reports else "no report"),
            *node.indicators,
        ]
    )


def _edge_title(edge: _Edge, nodes: dict[str, _Node]) -> str:
    lines = [f"{nodes[edge.source].label} → {nodes[edge.target].label}", edge.predicate]
    if edge.evidence:
        lines.append("Evidence:")
        for report, sentence in edge.evidence[:_MAX_EVIDENCE]:
            short = sentence if len(sentence) <= _MAX_SENTENCE else sentence[:_MAX_SENTENCE] + "…"
            lines.append(f"• {short}" + (f" ({report})" if report else ""))
        if len(edge.evidence) > _MAX_EVIDENCE:
            lines.append(f"… and {len(edge.evidence) - _MAX_EVIDENCE} more")
    else:
        lines.append("Evidence: none recorded")
    return "\n".join(lines)


def _listing(items: tuple[str, ...]) -> str:
    text = ", ".join(items[:_MAX_LISTED])
    if len(items) > _MAX_LISTED:
        text += f" … and {len(items) - _MAX_LISTED} more"
    return text


def _network(
    nodes: dict[str, _Node],
    edges: list[_Edge],
    positions: dict[str, tuple[float, float]],
    large: bool,
) -> Network:
    net = Network(directed=True)
    degree: dict[str, int] = defaultdict(int)
    for edge in edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    for node in nodes.values():
        extra: dict[str, Any] = {}
        if node.id in positions:
            extra["x"], extra["y"] = positions[node.id]
        net.add_node(
            node.id,
            label=node.label,
            shape=CLASS_STYLE[node.cls][1],
            group=node.cls,
            title=_node_title(node),
            size=round(min(30.0, 10 + 3 * math.log2(1 + degree[node.id])), 1),
            cls=node.cls,
            aliases=list(node.aliases),
            **extra,
        )
    # Several relations between one pair of nodes are bent apart, or they would overlap.
    pairs: dict[frozenset[str], int] = defaultdict(int)
    for edge in edges:
        pairs[frozenset((edge.source, edge.target))] += 1
    seen: dict[frozenset[str], int] = defaultdict(int)
    for number, edge in enumerate(edges):
        pair = frozenset((edge.source, edge.target))
        extra = {}
        if pairs[pair] > 1:
            seen[pair] += 1
            extra["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.2 * seen[pair]}
        # No label: graph.js draws the predicate only on hover, selection and the focus view.
        net.add_edge(
            edge.source,
            edge.target,
            id=f"e{number}",
            title=_edge_title(edge, nodes),
            predicate=edge.predicate,
            **extra,
        )
    # A plain dict: pyvis' set_options() strips every space, which would break the font names.
    net.options = _options(large, len(nodes))
    return net


def _options(large: bool, count: int) -> dict[str, Any]:
    groups = {
        cls: {
            "shape": shape,
            "color": {
                "background": colour,
                "border": colour,
                "highlight": {"background": colour, "border": "#212121"},
                "hover": {"background": colour, "border": "#212121"},
            },
        }
        for cls, (colour, shape, _glyph, _zh) in CLASS_STYLE.items()
    }
    if large:
        physics: dict[str, Any] = {"enabled": False}
    else:
        # theta 0.9 (Barnes-Hut accuracy, default 0.5) makes an iteration about a third cheaper
        # with no visible loss; graph.js turns physics off once these iterations are done.
        physics = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120, "theta": 0.9},
            "stabilization": {"enabled": True, "iterations": SETTLE_ITERATIONS, "fit": True},
        }
    return {
        "groups": groups,
        "nodes": {
            "font": {"face": FONT_STACK, "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"label": {"drawThreshold": LABEL_MIN_PX}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9e9e9e", "highlight": "#424242", "hover": "#424242"},
            "font": {
                "face": FONT_STACK,
                "size": 12,
                "color": "#616161",
                "strokeWidth": 3,
                "align": "middle",
            },
            # Predicates are short Latin words, legible smaller than Chinese names.
            "scaling": {"label": {"drawThreshold": LABEL_MIN_PX - 2}},
            "smooth": False,
            "width": 1,
        },
        "interaction": {
            "hover": not large,
            "hideEdgesOnDrag": large,
            "tooltipDelay": 150,
            "navigationButtons": False,
        },
        "layout": {"randomSeed": 7, "improvedLayout": count <= KAMADA_KAWAI_MAX},
        "physics": physics,
    }


# --- the page ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_asset("graph.html"))


def _asset(name: str) -> str:
    return resources.files("kg.export").joinpath("assets", name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network as shipped inside pyvis, ready to inline: no source map to fetch."""
    lib = resources.files("pyvis").joinpath(*_VIS_DIR.split("/"))
    js = lib.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = lib.joinpath("vis-network.css").read_text(encoding="utf-8")
    js = re.sub(r"^//# sourceMappingURL=\S*$", "", js, flags=re.MULTILINE)
    return _script_safe(js), css.replace("</style", "<\\/style")


def _script_safe(js: str) -> str:
    """Script text that cannot close its own <script> element early."""
    return js.replace("</script", "<\\/script")


def _json_for_script(data: Any) -> str:
    """JSON that is inert inside <script>: no markup character survives unescaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text
