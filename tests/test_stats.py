"""kg stats and kg export: the entity network, its components, and the graph in other formats."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.compare import graph_diff, isomorphic
from rdflib.namespace import RDF, RDFS, SKOS

from kg.cli import cli
from kg.query import load
from kg.stats import compute_stats
from kg.vocab import ID, KG

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def build_network() -> Graph:
    """Two reports; a chain 甲校 - 星河公司 - 乙校 - 丙专家, a pair 丁校 - 航空服务, and 戊公司 alone."""
    g = Graph()
    r1, r2 = ID["report/aaaaaaaaaaaa"], ID["report/bbbbbbbbbbbb"]
    for r, name in ((r1, "001_a.txt"), (r2, "002_b.txt")):
        g.add((r, RDF.type, KG.Report))
        g.add((r, KG.file_name, Literal(name)))
    nodes = {}
    for key, cls, label, reports in (
        ("s1", "School", "甲职业学校", (r1,)),
        ("s2", "School", "乙职业学校", (r1, r2)),
        ("s3", "School", "丁职业学校", (r2,)),
        ("e1", "Enterprise", "星河科技有限公司", (r1, r2)),
        ("e2", "Enterprise", "戊科技有限公司", (r2,)),
        ("x1", "Expert", "丙", (r1,)),
        ("m1", "Major", "航空服务", (r2,)),
    ):
        node = ID[f"{cls.lower()}/{key * 6}"]
        g.add((node, RDF.type, KG[cls]))
        g.add((node, RDFS.label, Literal(label)))
        g.add((node, SKOS.altLabel, Literal(label[:2])))
        for r in reports:
            g.add((node, KG.mentioned_in, r))
        nodes[key] = node
    for s, p, o in (
        ("s1", "cooperates_with", "e1"),
        ("s2", "cooperates_with", "e1"),
        ("x1", "trains", "s2"),
        ("s3", "offers_major", "m1"),
    ):
        g.add((nodes[s], KG[p], nodes[o]))
        st = ID[f"statement/{s}{o}{s}{o}{s}{o}"]
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, nodes[s]))
        g.add((st, RDF.predicate, KG[p]))
        g.add((st, RDF.object, nodes[o]))
        g.add((st, KG.evidence, Literal(f"{s}与{o}")))
    return g


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("network") / "graph.ttl"
    build_network().serialize(path, format="turtle")
    return path


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_most_connected_entities_per_class(graph_file):
    stats = compute_stats(load(graph_file), top=1)
    top = {cls: ranked for cls, ranked in stats.top}
    assert [(r.label, r.degree) for r in top["School"]] == [("乙职业学校", 2)]
    assert [(r.label, r.degree) for r in top["Enterprise"]] == [("星河科技有限公司", 2)]
    # 乙 and 星河 sit between the others of the 4-node chain: 2 of the 21 pairs of 7 nodes
    assert top["School"][0].betweenness == pytest.approx(2 / 15, abs=1e-6)
    assert stats.betweenness_exact


def test_components_and_counts(graph_file):
    stats = compute_stats(load(graph_file))
    assert stats.components == (4, 2, 1)
    assert (stats.entities, stats.relations, stats.reports) == (7, 4, 2)
    assert dict(stats.by_class) == {
        "School": 3,
        "Enterprise": 2,
        "Major": 1,
        "Expert": 1,
    }


def test_entities_mentioned_by_more_than_one_report(graph_file):
    stats = compute_stats(load(graph_file))
    assert [(s.label, s.reports) for s in stats.shared] == [
        ("星河科技有限公司", ("001_a.txt", "002_b.txt")),
        ("乙职业学校", ("001_a.txt", "002_b.txt")),
    ]


def test_stats_are_the_same_through_oxigraph(graph_file):
    assert compute_stats(load(graph_file, engine="oxigraph")) == compute_stats(
        load(graph_file, engine="rdflib")
    )


def test_stats_command_prints_a_readable_summary(graph_file):
    result = invoke("stats", "--graph", str(graph_file))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert (
        lines[0] == "7 entities (School 3, Enterprise 2, Major 1, Expert 1), 4 relations, 2 reports"
    )
    assert "Connected components: 3 (sizes 4, 2, 1)" in lines
    assert "Entities mentioned by more than one report: 2" in lines
    assert any(line.startswith("School") and "乙职业学校" in line for line in lines)


def test_stats_json(graph_file):
    data = json.loads(invoke("stats", "--graph", str(graph_file), "--format", "json").output)
    assert data["components"] == [4, 2, 1]
    assert data["shared"][0]["label"] == "星河科技有限公司"


def test_stats_without_a_graph(tmp_path):
    result = invoke("stats", "--graph", str(tmp_path / "graph.ttl"))
    assert result.exit_code == 1
    assert "run kg build first" in result.output
    assert len(result.output.splitlines()) == 1


def test_export_graphml_for_gephi(graph_file, tmp_path):
    out = tmp_path / "network.graphml"
    result = invoke("export", "--format", "graphml", "--graph", str(graph_file), "-o", str(out))
    assert result.exit_code == 0
    net = nx.read_graphml(out, force_multigraph=True)
    school = str(ID["school/s2s2s2s2s2s2"])
    assert net.nodes[school]["label"] == "乙职业学校"
    assert net.nodes[school]["class"] == "School"
    assert net.nodes[school]["reports"] == 2
    assert net.number_of_nodes() == 7 and net.number_of_edges() == 4
    edge = net.get_edge_data(str(ID["expert/x1x1x1x1x1x1"]), school)
    assert [d["predicate"] for d in edge.values()] == ["trains"]


def test_graphml_edges_have_unique_ids_and_labels(graph_file, tmp_path):
    import xml.etree.ElementTree as ET

    out = tmp_path / "network.graphml"
    invoke("export", "--format", "graphml", "--graph", str(graph_file), "-o", str(out))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(out).getroot()
    ids = [edge.get("id") for edge in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert len(ids) == 4 and len(set(ids)) == 4
    label_key = next(k.get("id") for k in root.findall("g:key", ns)
                     if k.get("attr.name") == "label" and k.get("for") == "edge")
    labels = {d.text for d in root.iter("{http://graphml.graphdrawing.org/xmlns}data") if d.get("key") == label_key}
    assert "trains" in labels


def test_export_graphml_keeps_chinese_readable(graph_file):
    text = invoke("export", "--format", "graphml", "--graph", str(graph_file)).output
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    assert ">乙职业学校</data>" in text  # not &#20057;&#32844;...
    assert "&#" not in text


@pytest.mark.parametrize("fmt", ["nt", "jsonld", "graphml"])
def test_export_is_the_same_bytes_from_every_load(graph_file, tmp_path, fmt):
    # blank nodes (here an RDF list, as in the ontology) get new ids at every parse
    g = Graph().parse(graph_file)
    g.parse(
        data="@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<urn:kg:c> owl:unionOf ( <urn:kg:a> [ a owl:Class ] ) .",
        format="turtle",
    )
    path = tmp_path / "graph.ttl"
    g.serialize(path, format="turtle")
    first = invoke("export", "--format", fmt, "--graph", str(path)).output
    second = invoke("export", "--format", fmt, "--graph", str(path)).output
    assert first == second


def _same(a: Graph, b: Graph) -> None:
    if not isomorphic(a, b):
        _, only_a, only_b = graph_diff(a, b)
        pytest.fail(f"only in first: {sorted(only_a)}\nonly in second: {sorted(only_b)}")


def test_export_jsonld_round_trips(graph_file):
    result = invoke("export", "--format", "jsonld", "--graph", str(graph_file))
    assert result.exit_code == 0
    # read back by another implementation (Oxigraph's JSON-LD parser)
    got = set(ox.parse(result.output, format=ox.RdfFormat.JSON_LD))
    want = set(ox.parse(build_network().serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES))
    assert got == want


def test_export_nt_round_trips_in_sorted_order(graph_file):
    text = invoke("export", "--format", "nt", "--graph", str(graph_file)).output
    lines = text.splitlines()
    assert lines == sorted(lines)
    _same(Graph().parse(io.StringIO(text), format="nt"), build_network())


def test_export_needs_a_format(graph_file):
    result = CliRunner().invoke(cli, ["export", "--graph", str(graph_file)])
    assert result.exit_code == 2
    assert "--format" in result.output


@pytest.fixture(scope="session")
def seed_graph(tmp_path_factory) -> Path:
    """The seeds built once per session by kg build (the same folder tests/test_query.py uses)."""
    out = tmp_path_factory.getbasetemp() / "seed-build"
    graph = out / "graph.ttl"
    if not graph.exists():
        result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(out)])
        assert result.exit_code == 0, f"kg build seeds/ failed:\n{result.output}"
    return graph


def test_seed_stats_share_beijing_between_the_two_reports(seed_graph):
    stats = compute_stats(load(seed_graph))
    shared = {s.label for s in stats.shared}
    assert "北京市" in shared  # both reports are about districts of Beijing
    schools = dict(stats.top)["School"]
    assert schools[0].label in {"北京市大兴区第一职业学校", "房山区第二职业高中", "房山职业学校"}


def test_stats_count_the_indicator_values_of_each_indicator(tmp_path):
    """The seeds' school report states its employment rate, teachers and students: stats say so."""
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(out)]).exit_code == 0
    result = invoke("stats", "--graph", str(out / "graph.ttl"))
    assert result.exit_code == 0, result.output
    section = result.output.split("Indicator values: ", 1)[1]
    rows = {line.split()[0]: line.split()[1:] for line in section.splitlines()[3:] if line.strip()}
    assert int(section.split()[0]) == sum(int(values) for values, _ in rows.values())
    for indicator in ("employment_rate", "full_time_teachers", "enrolment"):
        assert rows[indicator] == ["1", "1"]  # one value, of one school
