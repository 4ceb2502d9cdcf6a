"""kg query: SPARQL over an exported graph, the ready-made questions, and both engines agreeing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from wcwidth import wcswidth

from kg.cli import cli
from kg.query import (
    ParamError,
    QuerySyntaxError,
    load,
    parse_term,
    ready_queries,
    ready_query,
)
from kg.vocab import ID, KG

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GOLD = Path(__file__).resolve().parent / "gold"

# --------------------------------------------------------------------------- fixture graph


class FixtureGraph:
    """A small graph written the way kg build writes one (see the conventions in the brief)."""

    def __init__(self) -> None:
        self.g = Graph()
        for prefix, ns in (("kg", KG._NS), ("id", ID), ("skos", SKOS), ("prov", PROV)):
            self.g.bind(prefix, ns)
        self.reports: dict[str, URIRef] = {}

    def report(self, file_name: str, year: int, region: URIRef | None = None) -> URIRef:
        r = ID[f"report/{hashlib.sha1(file_name.encode()).hexdigest()[:12]}"]
        self.g.add((r, RDF.type, KG.Report))
        self.g.add((r, KG.file_name, Literal(file_name)))
        self.g.add((r, DCTERMS.title, Literal(f"{file_name} 质量年度报告")))
        self.g.add((r, KG.year, Literal(year)))
        if region is not None:
            self.g.add((r, KG.covers_region, region))
        self.reports[file_name] = r
        return r

    def entity(self, cls: str, label: str, *aliases: str, reports=(), code=None, level=None):
        if code:
            node = ID[f"region/{code}"]
        else:
            node = ID[f"{cls.lower()}/{hashlib.sha1(label.encode()).hexdigest()[:12]}"]
        self.g.add((node, RDF.type, KG[cls]))
        self.g.add((node, RDFS.label, Literal(label)))
        for alias in aliases:
            self.g.add((node, SKOS.altLabel, Literal(alias)))
        for r in reports:
            self.g.add((node, KG.mentioned_in, r))
        if code:
            self.g.add((node, KG.division_code, Literal(code)))
        if level:
            self.g.add((node, KG.division_level, Literal(level)))
        return node

    def relate(self, s, predicate: str, o, report: URIRef, sentence: str, start: int, rule="r"):
        p = KG[predicate]
        self.g.add((s, p, o))
        key = f"{s}|{p}|{o}|{report}|{start}"
        st = ID[f"statement/{hashlib.sha1(key.encode()).hexdigest()[:12]}"]
        self.g.add((st, RDF.type, RDF.Statement))
        self.g.add((st, RDF.subject, s))
        self.g.add((st, RDF.predicate, p))
        self.g.add((st, RDF.object, o))
        self.g.add((st, PROV.wasDerivedFrom, report))
        self.g.add((st, KG.evidence, Literal(sentence)))
        self.g.add((st, KG.start_offset, Literal(start, datatype=XSD.integer)))
        self.g.add((st, KG.end_offset, Literal(start + len(sentence), datatype=XSD.integer)))
        self.g.add((st, KG.extraction_rule, Literal(rule)))
        return st


def build_fixture() -> Graph:
    f = FixtureGraph()
    beijing = f.entity("Region", "北京市", "北京", code="110000", level="province")
    daxing = f.entity("Region", "北京市大兴区", "大兴区", code="110115", level="county")
    f.g.add((daxing, KG.located_in, beijing))
    r1 = f.report("001_a.txt", 2019, daxing)
    r2 = f.report("002_b.txt", 2020, daxing)
    for node in (beijing, daxing):
        f.g.add((node, KG.mentioned_in, r1))
    nmg = f.entity("Region", "内蒙古自治区", "内蒙古", code="150000", level="province")
    wlcb = f.entity("Region", "乌兰察布市", code="150900", level="prefecture")
    cyqq = f.entity("Region", "察哈尔右翼前旗", "察右前旗", code="150926", level="county")
    f.g.add((wlcb, KG.located_in, nmg))
    f.g.add((cyqq, KG.located_in, wlcb))
    f.entity("Region", "新疆维吾尔自治区", "新疆", code="650000", level="province")
    hetian = f.entity("Region", "和田县", code="653221", level="county")  # no located_in
    suning = f.entity("Region", "肃宁")  # no code, no parent

    s1 = f.entity(
        "School", "北京市大兴区第九职业学校", "大兴九职", "大兴区第九职业学校", reports=(r1, r2)
    )
    s2 = f.entity("School", "察右前旗测试职业中学", reports=(r1,))
    s3 = f.entity("School", "北京测试职业学校", "测试职校", reports=(r2,))
    e1 = f.entity("Enterprise", "北京星河航空有限公司", "星河航空", reports=(r1, r2))
    e2 = f.entity("Enterprise", "北京云杉医药有限公司", reports=(r1,))
    m1 = f.entity("Major", "航空服务", reports=(r1, r2))
    m2 = f.entity("Major", "学前教育", "学前", reports=(r2,))
    x1 = f.entity("Expert", "张明", "张明教授", reports=(r1,))
    x2 = f.entity("Expert", "李华", reports=(r1,))
    f.entity("Expert", "王强", reports=(r2,))
    f.g.add((s1, KG.located_in, daxing))
    f.g.add((s2, KG.located_in, cyqq))
    f.g.add((s3, KG.located_in, beijing))

    f.relate(s1, "cooperates_with", e1, r1, "学校与北京星河航空有限公司签订合作协议", 100, "coop")
    f.relate(s1, "cooperates_with", e1, r2, "大兴九职与星河航空共建实训基地", 40, "coop")
    f.relate(s1, "cooperates_with", e2, r1, "教师赴北京云杉医药有限公司实践", 300, "coop")
    f.relate(e1, "cooperates_with", s3, r2, "星河航空与测试职校开展订单培养", 500, "coop")
    f.relate(s1, "cooperates_with", s2, r1, "大兴九职与察右前旗测试职业中学合作办学", 700, "coop")
    f.relate(s1, "offers_major", m1, r1, "学校开设航空服务专业", 10, "major")
    f.relate(s1, "offers_major", m1, r2, "航空服务专业招生", 20, "major")
    f.relate(s3, "offers_major", m2, r2, "测试职校学前教育专业", 30, "major")
    f.relate(s1, "assists", s2, r1, "对口帮扶察右前旗测试职业中学", 800, "assist")
    f.relate(s1, "assists", hetian, r1, "结对帮扶和田县", 900, "assist")
    f.relate(s1, "assists", suning, r1, "为肃宁培养教师", 950, "assist")
    f.relate(x2, "assists", s2, r1, "李华赴察右前旗测试职业中学支教", 1000, "assist")
    f.relate(x1, "trains", s1, r1, "聘请张明教授为教师培训", 1200, "trains")
    f.relate(x1, "affiliated_with", s3, r1, "北京测试职业学校张明", 1300, "aff")
    return f.g


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fixture") / "graph.ttl"
    build_fixture().serialize(path, format="turtle")
    return path


@pytest.fixture(scope="module")
def kb(graph_file):
    return load(graph_file, engine="rdflib")


def run(kb, question: str, engine: str | None = None, /, **params):
    q = ready_query(question)
    bound = {k: parse_term(v) for k, v in params.items()}
    q.check(bound)
    return kb.query(q.text(bound), bound, engine=engine)


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


# --------------------------------------------------------------------------- ready-made


def test_every_ready_query_has_a_description_line():
    names = {q.name for q in ready_queries()}
    assert {
        "partners",
        "shared-partners",
        "assisted-regions",
        "majors",
        "experts",
        "evidence",
    } <= names
    for q in ready_queries():
        assert q.template.startswith("# ")
        assert q.description


def test_list_shows_each_name_with_its_description():
    result = invoke("query", "--list")
    assert result.exit_code == 0
    for q in ready_queries():
        assert any(
            line.startswith(q.name + " ") and line.endswith(q.description)
            for line in result.output.splitlines()
        ), q.name


def test_partners_matches_the_label_or_any_alias(kb):
    for name in ("大兴九职", "北京市大兴区第九职业学校", "大兴区第九职业学校"):
        rows = run(kb, "partners", school=name).records()
        assert {(r["school_name"], r["partner"], r["partner_class"]) for r in rows} == {
            ("北京市大兴区第九职业学校", "北京星河航空有限公司", "Enterprise"),
            ("北京市大兴区第九职业学校", "北京云杉医药有限公司", "Enterprise"),
            ("北京市大兴区第九职业学校", "察右前旗测试职业中学", "School"),
        }
        assert all(r["school"] == name for r in rows)


def test_partners_gives_each_evidence_sentence_and_its_report(kb):
    rows = run(kb, "partners", school="大兴九职").records()
    xinghe = sorted(
        (r["evidence"], r["report"]) for r in rows if r["partner"] == "北京星河航空有限公司"
    )
    assert xinghe == [
        ("大兴九职与星河航空共建实训基地", "002_b.txt"),
        ("学校与北京星河航空有限公司签订合作协议", "001_a.txt"),
    ]


def test_partners_reads_cooperation_in_either_direction(kb):
    rows = run(kb, "partners", school="测试职校").records()
    assert [(r["partner"], r["evidence"]) for r in rows] == [
        ("北京星河航空有限公司", "星河航空与测试职校开展订单培养")
    ]


def test_partners_of_an_unknown_name_is_empty(kb):
    assert run(kb, "partners", school="不存在的学校").rows == ()


def test_shared_partners_lists_enterprises_of_two_or_more_schools(kb):
    rows = run(kb, "shared-partners").records()
    assert rows == [
        {
            "enterprise": "北京星河航空有限公司",
            "schools": "2",
            "school": "北京市大兴区第九职业学校",
        },
        {"enterprise": "北京星河航空有限公司", "schools": "2", "school": "北京测试职业学校"},
    ]


def test_assisted_regions_rolls_up_to_the_province(kb):
    rows = {
        (r.get("province", ""), r["assisted"], r["assisted_class"], r["helper"])
        for r in run(kb, "assisted-regions").records()
    }
    assert rows == {
        # a school counts for the region it is located_in, two hops below the province
        ("内蒙古自治区", "察右前旗测试职业中学", "School", "北京市大兴区第九职业学校"),
        ("内蒙古自治区", "察右前旗测试职业中学", "School", "李华"),
        # no located_in: rolled up by the division code 653221 -> 650000
        ("新疆维吾尔自治区", "和田县", "Region", "北京市大兴区第九职业学校"),
        # not on the national map: listed without a province
        ("", "肃宁", "Region", "北京市大兴区第九职业学校"),
    }


def test_majors_per_school_and_report_year(kb):
    rows = [(r["school_name"], r.get("year"), r["major"]) for r in run(kb, "majors").records()]
    assert rows == [
        ("北京市大兴区第九职业学校", "2019", "航空服务"),
        ("北京市大兴区第九职业学校", "2020", "航空服务"),
        ("北京测试职业学校", "2020", "学前教育"),
    ]
    only = run(kb, "majors", school="测试职校").records()
    assert [(r["school_name"], r["major"]) for r in only] == [("北京测试职业学校", "学前教育")]


def test_experts_with_what_they_train_and_where_they_work(kb):
    rows = [
        (r["expert"], r.get("relation", ""), r.get("organisation", ""))
        for r in run(kb, "experts").records()
    ]
    assert rows == [
        ("张明", "affiliated_with", "北京测试职业学校"),
        ("张明", "trains", "北京市大兴区第九职业学校"),
        ("李华", "assists", "察右前旗测试职业中学"),
        ("王强", "", ""),
    ]


def test_evidence_for_every_relation_with_offsets(kb):
    rows = run(kb, "evidence").records()
    assert len(rows) == 14
    first = next(r for r in rows if r["predicate"] == "trains")
    assert first == {
        "subject": "张明",
        "predicate": "trains",
        "object": "北京市大兴区第九职业学校",
        "evidence": "聘请张明教授为教师培训",
        "report": "001_a.txt",
        "start": "1200",
        "end": str(1200 + len("聘请张明教授为教师培训")),
        "rule": "trains",
    }


def test_evidence_filtered_by_an_alias_keeps_both_sides(kb):
    rows = run(kb, "evidence", name="星河航空").records()
    assert sorted((r["subject"], r["object"], r["report"]) for r in rows) == [
        ("北京市大兴区第九职业学校", "北京星河航空有限公司", "001_a.txt"),
        ("北京市大兴区第九职业学校", "北京星河航空有限公司", "002_b.txt"),
        ("北京星河航空有限公司", "北京测试职业学校", "002_b.txt"),
    ]


def test_a_required_parameter_must_be_given():
    with pytest.raises(ParamError, match="partners needs --param school"):
        ready_query("partners").check({})
    result = invoke("query", "partners", "--graph", "nowhere.ttl")
    assert result.exit_code == 2
    assert "needs --param school" in result.output


# --------------------------------------------------------------------------- engines agree

CASES = [
    ("partners", {"school": "大兴九职"}),
    ("partners", {"school": "测试职校"}),
    ("shared-partners", {}),
    ("assisted-regions", {}),
    ("majors", {}),
    ("majors", {"school": "大兴区第九职业学校"}),
    ("experts", {}),
    ("evidence", {}),
    ("evidence", {"name": "星河航空"}),
]


@pytest.mark.parametrize("name,params", CASES)
def test_oxigraph_answers_like_rdflib(kb, name, params):
    by_rdflib = run(kb, name, "rdflib", **params)
    by_oxigraph = run(kb, name, "oxigraph", **params)
    assert by_rdflib.rows, "the fixture should give this question an answer"
    assert by_oxigraph == by_rdflib


def test_oxigraph_and_rdflib_agree_on_ask_and_construct(kb):
    ask = "ASK { ?s kg:assists ?o ; rdfs:label ?name }"
    for value, expected in (("李华", True), ("王强", False)):
        answers = {
            kb.query(ask, {"name": Literal(value)}, engine=e).boolean
            for e in ("rdflib", "oxigraph")
        }
        assert answers == {expected}
    construct = "CONSTRUCT { ?s kg:partner ?o } WHERE { ?s kg:cooperates_with ?o }"
    a = kb.query(construct, engine="rdflib").graph
    b = kb.query(construct, engine="oxigraph").graph
    assert len(a) == 4 and set(a) == set(b)


def test_a_large_graph_is_queried_through_oxigraph(graph_file):
    assert load(graph_file).engine == "rdflib"
    assert load(graph_file, threshold=10).engine == "oxigraph"


# --------------------------------------------------------------------------- CLI


def test_table_aligns_chinese_columns(graph_file):
    result = invoke("query", "shared-partners", "--graph", str(graph_file))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["enterprise", "schools", "school"]
    assert "北京星河航空有限公司" in lines[2]
    # the third column starts at the same display column on every line
    starts = [wcswidth(lines[0][: lines[0].rindex("school")])]
    starts += [wcswidth(line[: line.index("北京", 10)]) for line in lines[2:4]]
    assert len(set(starts)) == 1, lines


def test_csv_tsv_and_json_outputs(graph_file):
    base = ("query", "partners", "--param", "school", "大兴九职", "--graph", str(graph_file))
    rows = list(csv.DictReader(io.StringIO(invoke(*base, "--format", "csv").output)))
    assert {r["partner"] for r in rows} == {
        "北京星河航空有限公司",
        "北京云杉医药有限公司",
        "察右前旗测试职业中学",
    }
    tsv = invoke(*base, "--format", "tsv").output.splitlines()
    assert tsv[0].split("\t")[:3] == ["?school", "?school_name", "?partner"]
    assert '"大兴九职"' in tsv[1].split("\t")
    data = json.loads(invoke(*base, "--format", "json").output)
    assert data["head"]["vars"][:2] == ["school", "school_name"]
    binding = data["results"]["bindings"][0]
    assert binding["school"] == {"type": "literal", "value": "大兴九职"}


def test_sparql_text_file_and_stdin(graph_file, tmp_path):
    text = "SELECT ?label WHERE { ?m a kg:Major ; rdfs:label ?label } ORDER BY ?label"
    expected = ["label", "学前教育", "航空服务"]
    by_arg = invoke("query", text, "--graph", str(graph_file), "--format", "csv")
    assert by_arg.output.split() == expected
    (tmp_path / "q.rq").write_text(text, encoding="utf-8")
    by_file = invoke(
        "query", "-f", str(tmp_path / "q.rq"), "--graph", str(graph_file), "--format", "csv"
    )
    assert by_file.output.split() == expected
    by_stdin = invoke("query", "-", "--graph", str(graph_file), "--format", "csv", input=text)
    assert by_stdin.output.split() == expected


def test_param_values_are_bound_not_pasted(graph_file):
    text = "SELECT ?s ?name WHERE { ?s rdfs:label ?name }"
    hostile = '张明" } ?s ?p ?o { "'
    result = invoke(
        "query", text, "--param", "name", hostile, "--graph", str(graph_file), "--format", "csv"
    )
    assert result.exit_code == 0
    assert result.output.splitlines() == ["s,name"]
    ok = invoke(
        "query", text, "--param", "name", "张明", "--graph", str(graph_file), "--format", "csv"
    )
    assert len(ok.output.splitlines()) == 2


def test_typed_and_iri_parameters(graph_file):
    text = "SELECT ?year ?r WHERE { ?r kg:year ?year }"
    result = invoke(
        "query",
        text,
        "--param",
        "year",
        '"2020"^^xsd:integer',
        "--graph",
        str(graph_file),
        "--format",
        "csv",
    )
    assert len(result.output.splitlines()) == 2
    iri = f"<{ID['region/110115']}>"
    result = invoke(
        "query",
        "SELECT ?r ?label WHERE { ?r rdfs:label ?label }",
        "--param",
        "r",
        iri,
        "--graph",
        str(graph_file),
        "--format",
        "csv",
    )
    assert result.output.splitlines()[1].endswith(",北京市大兴区")
    assert parse_term("2019") == Literal("2019")


def test_a_parameter_the_query_does_not_select_is_refused(graph_file):
    text = "SELECT ?s WHERE { ?s rdfs:label ?name }"
    result = invoke("query", text, "--param", "name", "张明", "--graph", str(graph_file))
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: --param name: the query does not SELECT ?name - add ?name to the SELECT clause"
    )
    kb = load(graph_file, threshold=0)
    with pytest.raises(ParamError, match="does not SELECT"):
        kb.query(text, {"name": Literal("张明")})


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_syntax_error_names_line_and_column(graph_file, engine):
    text = "SELECT ?s\nWHERE { ?s ?p }"
    result = invoke("query", text, "--graph", str(graph_file), "--engine", engine)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: query syntax error at line 2, column ")
    with pytest.raises(QuerySyntaxError) as info:
        load(graph_file, engine=engine).query(text)
    assert info.value.line == 2


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_an_unknown_prefix_is_a_syntax_error(graph_file, engine):
    result = invoke(
        "query",
        "SELECT ?s WHERE {\n  ?s a kg:School ; foo:bar ?o }",
        "--graph",
        str(graph_file),
        "--engine",
        engine,
    )
    assert result.exit_code == 2
    assert result.output == (
        "Error: query syntax error at line 2, column 20: unknown prefix foo: "
        "(declare it with PREFIX) - fix the query\n"
    )


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize(
    "text,message",
    [
        (
            "SELECT ?s FROM <file:///etc/hosts> WHERE { ?s ?p ?o }",
            "Error: FROM and FROM NAMED are not supported",
        ),
        (
            "SELECT ?s FROM NAMED <urn:x> WHERE { ?s ?p ?o }",
            "Error: FROM and FROM NAMED are not supported",
        ),
        (
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            "Error: SERVICE (federated query) is not allowed",
        ),
    ],
)
def test_queries_that_leave_the_graph_are_refused(graph_file, engine, text, message):
    result = invoke("query", text, "--graph", str(graph_file), "--engine", engine)
    assert result.exit_code == 2
    assert result.output.startswith(message)
    assert len(result.output.splitlines()) == 1


def test_the_words_from_and_service_elsewhere_are_no_keywords(graph_file):
    text = (
        "PREFIX from: <https://w3id.org/vetkg/ontology#>\n"
        'SELECT ?from WHERE { ?s from:year ?from FILTER(?from != "FROM SERVICE") } # FROM'
    )
    result = invoke("query", text, "--graph", str(graph_file), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert sorted(result.output.split()) == ["2019", "2020", "from"]


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_graph_patterns_match_nothing_in_a_single_graph(graph_file, engine):
    text = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    result = invoke(
        "query", text, "--graph", str(graph_file), "--engine", engine, "--format", "csv"
    )
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["n", "0"]


@pytest.mark.parametrize("value", ['"2019', '"2019" junk', '"x"^^', "<https://w3id.org/vetkg"])
def test_a_malformed_parameter_value_is_refused(graph_file, value):
    text = "SELECT ?r ?year WHERE { ?r kg:year ?year }"
    result = invoke("query", text, "--param", "year", value, "--graph", str(graph_file))
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: parameter value {value!r} is not an <iri>")


def test_a_missing_graph_says_to_run_kg_build(tmp_path):
    result = invoke("query", "ASK { ?s ?p ?o }", "--graph", str(tmp_path / "graph.ttl"))
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1
    assert "run kg build first" in result.output


def test_a_broken_graph_file_is_one_line(tmp_path):
    bad = tmp_path / "graph.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    result = invoke("query", "ASK { ?s ?p ?o }", "--graph", str(bad))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {bad}: not a valid graph")
    assert len(result.output.splitlines()) == 1


def test_an_unknown_ready_made_name(graph_file):
    result = invoke("query", "parnters", "--graph", str(graph_file))
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: no ready-made question named 'parnters' - kg query --list shows them"
    )


def test_updates_are_refused(graph_file):
    result = invoke("query", "INSERT DATA { <a:x> <a:y> <a:z> }", "--graph", str(graph_file))
    assert result.exit_code == 2
    assert "SPARQL Update is not allowed" in result.output


def test_ask_and_construct_output(graph_file):
    ask = invoke("query", "ASK { ?s kg:trains ?o }", "--graph", str(graph_file))
    assert ask.output == "true\n"
    ask_json = invoke(
        "query", "ASK { ?s kg:trains ?o }", "--graph", str(graph_file), "--format", "json"
    )
    assert json.loads(ask_json.output)["boolean"] is True
    construct = "CONSTRUCT { ?s kg:partner ?o } WHERE { ?s kg:cooperates_with ?o }"
    ttl = invoke("query", construct, "--graph", str(graph_file)).output
    assert len(Graph().parse(data=ttl, format="turtle")) == 4
    nt = invoke("query", construct, "--graph", str(graph_file), "--format", "nt").output
    assert len(Graph().parse(data=nt, format="nt")) == 4


def _with_a_list(graph_file: Path, tmp_path: Path) -> Path:
    """The fixture plus an OWL union (an RDF list of blank nodes), as the ontology has."""
    g = Graph().parse(graph_file)
    Graph().parse(
        data="""@prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix kg: <https://w3id.org/vetkg/ontology#> .
        kg:assists <http://www.w3.org/2000/01/rdf-schema#domain>
            [ a owl:Class ; owl:unionOf ( kg:School kg:Expert kg:Region ) ] .""",
        format="turtle",
    ).serialize(tmp_path / "list.ttl", format="turtle")
    g.parse(tmp_path / "list.ttl")
    path = tmp_path / "graph.ttl"
    g.serialize(path, format="turtle")
    return path


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "xml"])
def test_graph_results_are_the_same_bytes_every_time(graph_file, tmp_path, fmt):
    path = _with_a_list(graph_file, tmp_path)
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    outputs = {
        invoke("query", text, "--graph", str(path), "--engine", engine, "--format", fmt).output
        for engine in ("rdflib", "oxigraph", "rdflib")
    }
    assert len(outputs) == 1
    # read back by Oxigraph: another implementation, and rdflib's JSON-LD parser warns
    parse_as = {"turtle": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD", "xml": "RDF_XML"}
    triples = ox.parse(outputs.pop(), format=getattr(ox.RdfFormat, parse_as[fmt]))
    got = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    want = Graph().parse(path)
    assert isomorphic(got, want), f"{len(got)} triples read back, {len(want)} in the graph"


def test_describe_returns_the_description_of_a_node(graph_file):
    text = f"DESCRIBE <{ID['region/110115']}>"
    ttl = invoke("query", text, "--graph", str(graph_file)).output
    g = Graph().parse(data=ttl, format="turtle")
    assert (ID["region/110115"], RDFS.label, Literal("北京市大兴区")) in g


def test_graph_formats_are_refused_for_select(graph_file):
    result = invoke(
        "query", "SELECT * WHERE { ?s ?p ?o }", "--graph", str(graph_file), "--format", "turtle"
    )
    assert result.exit_code == 2
    assert result.output.startswith("Error: --format turtle is for CONSTRUCT/DESCRIBE results")


# --------------------------------------------------------------------------- seeds


@pytest.fixture(scope="session")
def seed_graph(tmp_path_factory) -> Path:
    """The seeds built once per session by kg build (shared with tests/test_stats.py)."""
    out = tmp_path_factory.getbasetemp() / "seed-build"
    graph = out / "graph.ttl"
    if not graph.exists():
        result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(out)])
        assert result.exit_code == 0, f"kg build seeds/ failed:\n{result.output}"
        assert graph.exists(), f"kg build wrote no {graph}"
    return graph


@pytest.fixture(scope="module")
def seeds(seed_graph):
    return load(seed_graph)


def _gold():
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in GOLD.glob("*.json")}


def test_seed_partners_of_daxing_yizhi(seeds):
    partners = {r["partner"] for r in run(seeds, "partners", school="大兴一职").records()}
    assert "北京瑞莎国际航空有限公司" in partners
    assert "北京功崇业广文化传播有限公司" in partners
    evidence = run(seeds, "partners", school="大兴一职").records()
    assert all(r.get("report", "").startswith("004_") for r in evidence)


def test_seed_partners_of_fangshan_erzhi_by_another_alias(seeds):
    partners = {r["partner"] for r in run(seeds, "partners", school="房山二职").records()}
    assert any("三维六度" in p for p in partners)


def test_seed_shared_partners_are_real_cooperations(seeds):
    # 三维六度 cooperates with 房山二职 and with 北京新媒体技师学院 (gold of report 000)
    rows = run(seeds, "shared-partners").records()
    assert any("三维六度" in r["enterprise"] for r in rows)
    for r in rows:
        assert int(r["schools"]) >= 2


def test_seed_assisted_regions_roll_up_to_inner_mongolia(seeds):
    rows = run(seeds, "assisted-regions").records()
    cyqq = [r for r in rows if "察右前旗" in r["assisted"]]
    assert cyqq, "察右前旗 (or its 职业中学) is assisted by 大兴一职 in the gold"
    assert {r.get("province") for r in cyqq} == {"内蒙古自治区"}


def test_seed_majors_of_daxing_yizhi_in_2021_report(seeds):
    rows = run(seeds, "majors", school="大兴一职").records()
    majors = {r["major"] for r in rows}
    assert {"飞机电子维修", "学前教育", "生物技术制药"} <= majors
    assert {r["school_name"] for r in rows} == {"北京市大兴区第一职业学校"}


def test_seed_experts_include_gold_trainers(seeds):
    rows = run(seeds, "experts").records()
    trained = {(r["expert"], r.get("organisation")) for r in rows if r.get("relation") == "trains"}
    assert ("董宏建", "北京市大兴区第一职业学校") in trained
    assert ("马开颜", "北京市大兴区第一职业学校") in trained


def test_seed_evidence_quotes_the_report_at_its_offsets(seeds):
    rows = run(seeds, "evidence", name="大兴一职").records()
    assert rows
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for r in rows[:50]:
        span = texts[r["report"]][int(r["start"]) : int(r["end"])]
        # the evidence is the sentence, cleaned of line breaks and spaces inside words
        assert "".join(span.split()) == "".join(r["evidence"].split())


def test_seed_gold_cooperations_are_found(seeds):
    """Non-optional gold cooperations of 大兴一职 show up among its partners."""
    gold = _gold()["004_dae18b310b8ef190"]
    names = {e["id"]: e["name"] for e in gold["entities"]}
    expected = {
        names[r["object"]]
        for r in gold["relations"]
        if r["predicate"] == "cooperates_with"
        and not r["optional"]
        and names[r["subject"]] == "北京市大兴区第一职业学校"
    }
    found = {r["partner"] for r in run(seeds, "partners", school="大兴一职").records()}
    assert len(expected & found) >= len(expected) // 2, sorted(expected - found)
