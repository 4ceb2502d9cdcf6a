"""kg.validate and `kg validate`: which graphs break the shapes, and what the user reads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS

from kg.cli import cli
from kg.validate import ONTOLOGY_DIR, SHAPES, Violation, validate
from kg.vocab import ID, KG

REPORT = ID["report/0a1b2c3d4e5f"]
COUNTY = ID["region/110115"]
PROVINCE = ID["region/110000"]
SCHOOL = ID["school/111111111111"]
OTHER_SCHOOL = ID["school/222222222222"]
COMPANY = ID["enterprise/333333333333"]
OTHER_COMPANY = ID["enterprise/444444444444"]
MAJOR = ID["major/555555555555"]
EXPERT = ID["expert/666666666666"]

ENTITIES = {
    SCHOOL: (KG.School, "示例市第一职业学校", ("示例一职",)),
    OTHER_SCHOOL: (KG.School, "示例市第二职业学校", ()),
    COMPANY: (KG.Enterprise, "示例科技有限公司", ("示例科技",)),
    OTHER_COMPANY: (KG.Enterprise, "示例汽车销售服务有限公司", ()),
    MAJOR: (KG.Major, "电子商务", ("电商",)),
    EXPERT: (KG.Expert, "张某某", ("张某某教授",)),
    COUNTY: (KG.Region, "示例区", ()),
    PROVINCE: (KG.Region, "示例市", ()),
}


def relate(graph: Graph, subject: URIRef, predicate: URIRef, obj: URIRef, n: int) -> URIRef:
    """Add a relation the way `kg build` does: the direct triple and a statement backing it."""
    statement = ID[f"statement/{n:012x}"]
    graph.add((subject, predicate, obj))
    graph.add((statement, RDF.type, RDF.Statement))
    graph.add((statement, RDF.subject, subject))
    graph.add((statement, RDF.predicate, predicate))
    graph.add((statement, RDF.object, obj))
    graph.add((statement, PROV.wasDerivedFrom, REPORT))
    graph.add((statement, KG.evidence, Literal(f"第{n}句。")))
    graph.add((statement, KG.start_offset, Literal(10 * n)))
    graph.add((statement, KG.end_offset, Literal(10 * n + 8)))
    graph.add((statement, KG.extraction_rule, Literal("test")))
    return statement


def conforming_graph() -> Graph:
    """A small graph shaped like exports/graph.ttl, ontology included, using every relation."""
    graph = Graph().parse(ONTOLOGY_DIR / "kg.ttl", format="turtle")
    graph.add((REPORT, RDF.type, KG.Report))
    graph.add((REPORT, KG.file_name, Literal("000_example.txt")))
    graph.add((REPORT, DCTERMS.title, Literal("示例区中等职业教育质量年度报告（2019）")))
    graph.add((REPORT, KG.year, Literal(2019)))
    graph.add((REPORT, KG.covers_region, COUNTY))
    for node, (cls, label, aliases) in ENTITIES.items():
        graph.add((node, RDF.type, cls))
        graph.add((node, RDFS.label, Literal(label)))
        for alias in aliases:
            graph.add((node, SKOS.altLabel, Literal(alias)))
        graph.add((node, KG.mentioned_in, REPORT))
    graph.add((COUNTY, KG.division_code, Literal("110115")))
    graph.add((COUNTY, KG.division_level, Literal("county")))
    graph.add((PROVINCE, KG.division_code, Literal("110000")))
    graph.add((PROVINCE, KG.division_level, Literal("province")))
    relate(graph, SCHOOL, KG.cooperates_with, COMPANY, 1)
    relate(graph, OTHER_COMPANY, KG.cooperates_with, OTHER_SCHOOL, 2)
    relate(graph, SCHOOL, KG.assists, OTHER_SCHOOL, 3)
    relate(graph, EXPERT, KG.assists, COUNTY, 4)
    relate(graph, SCHOOL, KG.offers_major, MAJOR, 5)
    relate(graph, EXPERT, KG.trains, SCHOOL, 6)
    relate(graph, SCHOOL, KG.located_in, COUNTY, 7)
    relate(graph, COMPANY, KG.located_in, COUNTY, 8)
    relate(graph, COUNTY, KG.located_in, PROVINCE, 9)
    relate(graph, EXPERT, KG.affiliated_with, COMPANY, 10)
    relate(graph, EXPERT, KG.affiliated_with, SCHOOL, 11)
    return graph


def statement(n: int) -> URIRef:
    return ID[f"statement/{n:012x}"]


def short(node: URIRef) -> str:
    return "id:" + node[len(str(ID)) :]


# Each case: how to break the conforming graph, and every violation that must then be found.
CASES: dict[str, tuple[Callable[[Graph], None], list[Violation]]] = {
    "relation without statement": (
        lambda g: g.add((OTHER_SCHOOL, KG.offers_major, MAJOR)),
        [
            Violation(
                short(OTHER_SCHOOL), "kg:offers_major", "backed by no rdf:Statement", short(MAJOR)
            )
        ],
    ),
    "statement without evidence": (
        lambda g: g.remove((statement(5), KG.evidence, None)),
        [Violation(short(statement(5)), "kg:evidence", "exactly one, a non-empty string")],
    ),
    "entity with two labels": (
        lambda g: g.add((SCHOOL, RDFS.label, Literal("示例一职"))),
        [
            Violation(
                short(SCHOOL), "rdfs:label", "exactly one, a non-empty string without language tag"
            )
        ],
    ),
    "school offering a region": (
        lambda g: relate(g, SCHOOL, KG.offers_major, COUNTY, 20),
        [Violation(short(SCHOOL), "kg:offers_major", "must point to a kg:Major", short(COUNTY))],
    ),
    "entity without label": (
        lambda g: g.remove((MAJOR, RDFS.label, None)),
        [
            Violation(
                short(MAJOR), "rdfs:label", "exactly one, a non-empty string without language tag"
            )
        ],
    ),
    "label with a language tag": (
        lambda g: g.set((MAJOR, RDFS.label, Literal("电子商务", lang="zh"))),
        [
            Violation(
                short(MAJOR),
                "rdfs:label",
                "exactly one, a non-empty string without language tag",
                '"电子商务"@zh',
            )
        ],
    ),
    "entity with two classes": (
        lambda g: g.add((COMPANY, RDF.type, KG.School)),
        [
            Violation(
                short(COMPANY),
                "rdf:type",
                "exactly one of kg:School, kg:Enterprise, kg:Major, kg:Region, kg:Expert",
            )
        ],
    ),
    "entity mentioned in no report": (
        lambda g: g.remove((EXPERT, KG.mentioned_in, None)),
        [Violation(short(EXPERT), "kg:mentioned_in", "at least one, a kg:Report")],
    ),
    "untyped entity": (
        lambda g: g.add((ID["school/777777777777"], KG.mentioned_in, REPORT)).add(
            (ID["school/777777777777"], RDFS.label, Literal("某校"))
        ),
        [
            Violation(
                "id:school/777777777777",
                "rdf:type",
                "exactly one of kg:School, kg:Enterprise, kg:Major, kg:Region, kg:Expert",
            )
        ],
    ),
    "start after end": (
        lambda g: g.set((statement(3), KG.start_offset, Literal(99))),
        [
            Violation(
                short(statement(3)),
                "kg:start_offset",
                "must not be greater than kg:end_offset",
                "99",
            )
        ],
    ),
    "negative offset": (
        lambda g: g.set((statement(3), KG.start_offset, Literal(-1))),
        [
            Violation(
                short(statement(3)),
                "kg:start_offset",
                "exactly one, a non-negative xsd:integer",
                "-1",
            )
        ],
    ),
    "offset as a string": (
        lambda g: g.set((statement(3), KG.end_offset, Literal("38"))),
        [
            Violation(
                short(statement(3)),
                "kg:end_offset",
                "exactly one, a non-negative xsd:integer",
                '"38"',
            ),
            # A string cannot be compared with the start offset either.
            Violation(
                short(statement(3)),
                "kg:start_offset",
                "must not be greater than kg:end_offset",
                "30",
            ),
        ],
    ),
    "statement from no report": (
        lambda g: g.remove((statement(1), PROV.wasDerivedFrom, None)),
        [Violation(short(statement(1)), "prov:wasDerivedFrom", "exactly one, a kg:Report")],
    ),
    "statement of a triple not in the graph": (
        lambda g: g.remove((EXPERT, KG.trains, SCHOOL)),
        [Violation(short(statement(6)), "", "the triple it describes is not in the graph")],
    ),
    "statement without a type": (
        lambda g: g.remove((statement(7), RDF.type, RDF.Statement)),
        [
            Violation(
                short(statement(7)), "rdf:type", "a node with an rdf:subject is an rdf:Statement"
            )
        ],
    ),
    "two enterprises cooperating": (
        lambda g: relate(g, COMPANY, KG.cooperates_with, OTHER_COMPANY, 21),
        [
            Violation(
                short(COMPANY),
                "",
                "kg:cooperates_with needs a kg:School at one end, not two enterprises",
            )
        ],
    ),
    "expert cooperating": (
        lambda g: relate(g, EXPERT, KG.cooperates_with, SCHOOL, 22),
        [
            Violation(
                short(EXPERT),
                "",
                "the subject of kg:cooperates_with must be a kg:School or kg:Enterprise",
            )
        ],
    ),
    "region assisting": (
        lambda g: relate(g, COUNTY, KG.assists, OTHER_SCHOOL, 23),
        [
            Violation(
                short(COUNTY), "", "the subject of kg:assists must be a kg:School or kg:Expert"
            )
        ],
    ),
    "school located in a school": (
        lambda g: relate(g, OTHER_SCHOOL, KG.located_in, SCHOOL, 24),
        [
            Violation(
                short(OTHER_SCHOOL), "kg:located_in", "must point to a kg:Region", short(SCHOOL)
            )
        ],
    ),
    "region with a bad division level": (
        lambda g: g.set((COUNTY, KG.division_level, Literal("district"))),
        [
            Violation(
                short(COUNTY),
                "kg:division_level",
                "at most one of province, prefecture, county, township",
                '"district"',
            )
        ],
    ),
    "region mentioned nowhere": (
        lambda g: g.remove((COUNTY, KG.mentioned_in, None)),
        [
            Violation(
                short(COUNTY),
                "",
                "a region must be mentioned in a kg:Report or contain a region of the graph",
            )
        ],
    ),
    "mention of no report": (
        lambda g: g.set((MAJOR, KG.mentioned_in, COUNTY)),
        [Violation(short(MAJOR), "kg:mentioned_in", "must point to a kg:Report", short(COUNTY))],
    ),
    "report without file name": (
        lambda g: g.remove((REPORT, KG.file_name, None)),
        [Violation(short(REPORT), "kg:file_name", "exactly one, a non-empty string")],
    ),
}


ENGINES = pytest.mark.parametrize("engine", ["pyshacl", "core"])


@ENGINES
def test_conforming_graph_has_no_violations(engine: str) -> None:
    assert validate(conforming_graph(), engine=engine) == []


@ENGINES
def test_parent_region_from_the_map_needs_no_statement_nor_mention(engine: str) -> None:
    graph = conforming_graph()
    graph.remove((PROVINCE, KG.mentioned_in, None))
    for triple in list(graph.triples((statement(9), None, None))):
        graph.remove(triple)
    assert (COUNTY, KG.located_in, PROVINCE) in graph
    assert validate(graph, engine=engine) == []


@ENGINES
def test_conforming_graph_without_ontology_has_no_violations(engine: str) -> None:
    graph = conforming_graph()
    for triple in Graph().parse(ONTOLOGY_DIR / "kg.ttl", format="turtle"):
        graph.remove(triple)
    assert validate(graph, engine=engine) == []


@ENGINES
@pytest.mark.parametrize("case", sorted(CASES))
def test_violation_is_found(case: str, engine: str) -> None:
    breaks, expected = CASES[case]
    graph = conforming_graph()
    breaks(graph)
    assert validate(graph, engine=engine) == sorted(expected)


@ENGINES
def test_several_violations_are_all_reported_sorted(engine: str) -> None:
    graph = conforming_graph()
    cases = ["school offering a region", "statement without evidence", "untyped entity"]
    for case in cases:
        CASES[case][0](graph)
    assert validate(graph, engine=engine) == sorted(v for case in cases for v in CASES[case][1])


def test_violation_reads_as_one_line() -> None:
    violation = Violation(
        "id:school/1", "kg:offers_major", "must point to a kg:Major", "id:region/2"
    )
    assert (
        str(violation)
        == "id:school/1 kg:offers_major: must point to a kg:Major (value: id:region/2)"
    )
    assert str(Violation("id:statement/3", "", "the triple it describes is not in the graph")) == (
        "id:statement/3: the triple it describes is not in the graph"
    )


def test_shapes_use_only_terms_of_the_vocabulary() -> None:
    shapes = Graph().parse(SHAPES, format="turtle")
    used = {
        term
        for triple in shapes
        for term in triple
        if isinstance(term, URIRef) and term.startswith(str(KG._NS))
    }
    assert sorted(used - set(dir(KG))) == []
    assert any(True for _ in shapes.subjects(RDF.type, SH.NodeShape))


# --- the command line ---


def write(graph: Graph, path: Path) -> Path:
    graph.serialize(path, format="longturtle", encoding="utf-8")
    return path


def test_cli_conforming(tmp_path: Path) -> None:
    graph = conforming_graph()
    path = write(graph, tmp_path / "graph.ttl")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{path} conforms to the kg shapes ({len(graph)} triples)"
    ]


def test_cli_violations(tmp_path: Path) -> None:
    graph = conforming_graph()
    graph.add((OTHER_SCHOOL, KG.offers_major, MAJOR))
    graph.add((SCHOOL, RDFS.label, Literal("示例一职")))
    path = write(graph, tmp_path / "graph.ttl")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "id:school/111111111111 rdfs:label: exactly one, a non-empty string without language tag",
        (
            "id:school/222222222222 kg:offers_major: backed by no rdf:Statement"
            " (value: id:major/555555555555)"
        ),
        f"{path} does not conform to the kg shapes: 2 violations",
    ]


def test_cli_not_turtle(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text('@prefix kg: <https://w3id.org/vetkg/ontology#> .\n\nkg:a kg:b "c\n', "utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        (
            f"Error: {path} is not valid Turtle: line 3: newline found in string literal"
            " - fix that line or build the graph again with kg build"
        )
    ]


def test_cli_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_bytes('<a> <b> "示例" .\n'.encode("gb18030"))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {path} is not valid Turtle: it is not UTF-8 - re-save it as UTF-8"
    ]


def test_cli_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "nothing.ttl")])
    assert result.exit_code == 1  # a bad file, not a usage error
    assert "does not exist" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_help() -> None:
    result = CliRunner().invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0
    assert "Check a Turtle graph against the kg SHACL shapes." in result.output
    assert "Example: kg validate exports/graph.ttl" in result.output
    listing = CliRunner().invoke(cli, ["--help"])
    assert "validate" in listing.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist - run kg build first"),
        ("", "holds no triples - build the graph with kg build"),
        ("@prefix kg: <https://w3id.org/vetkg/ontology#> .\n", "holds no triples - build the graph with kg build"),
    ],
)
def test_validate_refuses_a_missing_or_empty_graph_in_one_line(tmp_path, content, message):
    path = tmp_path / "graph.ttl"
    if content is not None:
        path.write_text(content, "utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.output == f"Error: {path} {message}\n"
