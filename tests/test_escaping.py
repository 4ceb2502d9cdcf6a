"""Names, evidence and file names full of quotes, backslashes, newlines, markup and SPARQL
come out of graph.ttl exactly as they went in, read by rdflib and by Oxigraph alike.
(HTML escaping is tested in tests/export/test_html.py.)"""

import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kg.cli import cli
from kg.export.turtle import to_turtle
from kg.graph import build_graph
from kg.model import Entity, Evidence, KnowledgeGraph, Relation, ReportInfo, ResolvedReport
from kg.vocab import KG

HOSTILE = [
    'a "quoted" name',
    "back\\slash",
    "trailing backslash\\",
    'triple """ quotes """',
    "triple ''' single '''",
    "ends with a quote\"",
    "new\nline",
    "carriage\rreturn",
    "tab\tand\x0bvertical\x0cfeed\x1fcontrol\x7fdelete",
    "<script>alert(1)</script>",
    "'; DROP TABLE x; --",
    '} ; DELETE WHERE { ?s ?p ?o } ; SELECT * WHERE { ?s ?p "x',
    "@prefix evil: <http://evil.example/> . evil:a evil:b evil:c .",
    "\\u0022 and \\n written out",
    "😀 \U00020000 \u202eright to left\u202c \ufeffbom \u2028line separator",
    "北京\"星火\"<b>科技</b>有限公司",
]

REPORT = """长治市潞城区中等职业教育质量年度报告（2020）

一、校企合作
潞城区职业学校与长治"华锐"机械有限公司签订校企合作协议，共建"<script>alert('x')</script>"实训基地。
潞城区职业学校与长治华锐\\机械有限公司签订合作协议，约定 } ; DROP GRAPH <urn:x> ; INSERT DATA { <a> <b> "c" } 条款。
潞城区职业学校与<b>太行</b>科技有限公司开展合作，协议编号为 "\\"; \"\"\" ''' \\u0022 \\n 。
潞城区职业学校与长治市"钰锦<script>alert(1)</script>"科技有限公司签订校企合作协议。

序号	合作企业	合作专业
1	长治市"钰锦"科技有限公司	计算机应用
2	<script>alert(2)</script>有限公司	机电技术应用
3	长治\\华光\\有限公司	机电技术应用
"""
FILE_NAME = '报告 "引号" <script>&amp;\\.txt'


def oxigraph_triples(turtle: str) -> set:
    return set(pyoxigraph.parse(turtle.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE))


def literals(triples, predicate: str) -> set[str]:
    return {t.object.value for t in triples if t.predicate.value == predicate}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / FILE_NAME).write_text(REPORT, "utf-8")
    result = CliRunner().invoke(cli, ["build", str(folder), "--out", str(folder / "out")])
    assert result.exit_code == 0, result.output
    return (folder / "out" / "graph.ttl").read_text("utf-8")


def test_a_hostile_report_round_trips_through_rdflib_and_oxigraph(built):
    graph = Graph().parse(data=built, format="turtle")
    triples = oxigraph_triples(built)
    assert len(triples) == len(graph)
    evidence = literals(triples, str(KG.evidence))
    assert evidence == {str(o) for o in graph.objects(None, KG.evidence)}
    # Every sentence comes back exactly as the report has it: nothing lost to escaping.
    assert evidence and all(sentence in REPORT for sentence in evidence)
    assert any("<script>" in sentence for sentence in evidence)
    assert any("\\" in sentence for sentence in evidence)
    assert any("DROP GRAPH <urn:x>" in sentence for sentence in evidence)
    assert literals(triples, str(KG.file_name)) == {FILE_NAME}


def hostile_graph() -> Graph:
    info = ReportInfo(report=HOSTILE[0], title=HOSTILE[3], year=2020, region=None,
                      region_code=None, school=None)
    entities = tuple(
        Entity(key=f"k{n}", cls=("School", "Enterprise")[n % 2], label=text,
               aliases=(HOSTILE[-1 - n],), reports=(HOSTILE[0],))
        for n, text in enumerate(HOSTILE)
    )
    relations = tuple(
        Relation(subject=f"k{n}", predicate="cooperates_with", object=f"k{n + 1}",
                 evidence=(Evidence(report=HOSTILE[0], text=text, start=0, end=len(text), rule=text),))
        for n, text in enumerate(HOSTILE[:-1])
    )
    return build_graph(
        KnowledgeGraph(reports=(ResolvedReport(info=info, file_name=HOSTILE[0], region_key=None),),
                       entities=entities, relations=relations),
        include_ontology=False,
    )


def test_hostile_names_and_evidence_are_escaped_in_turtle():
    graph = hostile_graph()
    turtle = to_turtle(graph)
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), graph)
    triples = oxigraph_triples(turtle)
    assert len(triples) == len(graph)
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    for predicate in (label, str(KG.evidence), str(KG.extraction_rule)):
        expected = {str(o) for o in graph.objects(None, URIRef(predicate))}
        assert literals(triples, predicate) == expected
    assert literals(triples, label) == set(HOSTILE)

