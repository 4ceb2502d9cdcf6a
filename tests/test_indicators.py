"""Indicator values (在校生, 就业率, 生师比, …) as a user meets them: qb:Observation nodes in
graph.ttl, `kg query indicators`, `kg export --format csv`, and the seeds scored against the
indicator gold of tests/indicators/gold/ (read by hand from their running text).

The two small reports are written for this test; the names in them are invented.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import PROV, QB, RDF, RDFS, SKOS, XSD

from kg.build import build
from kg.cli import cli
from kg.model import INDICATORS
from kg.vocab import KG

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "indicators" / "gold"

SCHOOL_REPORT = """岚溪县职业技术学校质量年度报告（2022年度）

一、基本情况

学校全日制在校生3392人，2022年招收新生1150人，毕业生1020人。

学校毕业生就业率达98.6%，对口就业率为92.5%，初次就业起薪平均3800元。

学校现有专任教师226人，生师比为16.5:1，“双师型”教师比例为68.5%。

与上一年度相比，学校招生人数较上年增长200人，在校生增加113人。
"""

AREA_REPORT = """成都市温江区中等职业教育质量年度报告（2021年度）

一、基本情况

全区中职学校在校生1.2万人，毕业生3120人。

温江区岚山职业学校与岚山精工机械有限公司签订订单培养协议。温江区岚山职业学校就业率达97.2%。

就业率达99.9%，专任教师480人。
"""


def _build(folder: Path, reports: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in reports.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = folder.parent / (folder.name + "-out")
    result = build([folder], out, cache=None)
    assert not result.violations, result.violations
    return out / "graph.ttl"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("indicators") / "reports"
    return _build(folder, {"school.txt": SCHOOL_REPORT, "area.txt": AREA_REPORT})


@pytest.fixture(scope="module")
def graph(small: Path) -> Graph:
    return Graph().parse(small, format="turtle")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds")
    result = build([SEEDS], out, cache=None)
    assert not result.violations
    return out / "graph.ttl"


def _observations(graph: Graph) -> list[dict]:
    """Each observation as organisation label, class, year, indicator, value, unit, evidence."""
    rows = []
    for node in graph.subjects(RDF.type, QB.Observation):
        measure = graph.value(node, QB.measureType)
        organisation = graph.value(node, KG.organisation)
        rows.append({
            "node": node,
            "organisation": str(graph.value(organisation, RDFS.label)),
            "names": {str(n) for n in graph.objects(organisation, RDFS.label | SKOS.altLabel)},
            "class": graph.value(organisation, RDF.type),
            "year": graph.value(node, KG.ref_year),
            "indicator": str(graph.value(measure, SKOS.notation)),
            "value": graph.value(node, measure),
            "unit": str(graph.value(node, KG.unit)),
            "evidence": str(graph.value(node, KG.evidence)),
        })
    return rows


def _find(rows: list[dict], indicator: str, name: str | None = None) -> list[dict]:
    return [r for r in rows if r["indicator"] == indicator and (name is None or name in r["names"])]


# --------------------------------------------------------------------------- the Turtle


def test_a_sentence_becomes_a_data_cube_observation_with_its_evidence(graph: Graph, small: Path):
    [row] = _find(_observations(graph), "employment_rate", "岚溪县职业技术学校")
    node = row["node"]
    assert (node, QB.dataSet, KG.indicators) in graph
    assert (node, QB.measureType, KG.employment_rate) in graph
    assert row["value"] == Literal(Decimal("98.6"), datatype=XSD.decimal)  # 98.6% -> 98.6
    assert row["unit"] == "%"
    assert row["year"] == Literal(2022, datatype=XSD.integer)
    assert row["class"] == KG.School
    report = graph.value(node, PROV.wasDerivedFrom)
    assert str(graph.value(report, KG.file_name)) == "school.txt"
    start, end = int(graph.value(node, KG.start_offset)), int(graph.value(node, KG.end_offset))
    text = (small.parent.parent / "reports" / "school.txt").read_text("utf-8")
    assert text[start:end] == row["evidence"] and "就业率达98.6%" in row["evidence"]
    assert str(graph.value(node, KG.extraction_rule)) == "indicator-employment-rate"


def test_the_organisation_is_the_same_entity_as_elsewhere(graph: Graph):
    # 学校 in the school's own report is the school of its title; 温江区岚山职业学校 is the
    # school that cooperates with the company
    rows = _observations(graph)
    own = {r["node"] for r in rows if r["organisation"] == "岚溪县职业技术学校"}
    assert len(own) == 9
    [named] = _find(rows, "employment_rate", "温江区岚山职业学校")
    school = graph.value(named["node"], KG.organisation)
    assert (school, KG.cooperates_with, None) in graph or (None, KG.cooperates_with, school) in graph


def test_counts_percentages_and_ratios_are_numbers_in_their_units(graph: Graph):
    rows = _observations(graph)
    school = {r["indicator"]: (r["value"].toPython(), r["unit"]) for r in rows
              if r["organisation"] == "岚溪县职业技术学校"}
    assert school == {
        "enrolment": (3392, "人"),
        "admissions": (1150, "人"),
        "graduates": (1020, "人"),
        "employment_rate": (Decimal("98.6"), "%"),
        "matched_employment_rate": (Decimal("92.5"), "%"),
        "starting_salary": (Decimal("3800"), "元/月"),
        "full_time_teachers": (226, "人"),
        "student_teacher_ratio": (Decimal("16.5"), ":1"),
        "dual_qualified_teacher_ratio": (Decimal("68.5"), "%"),
    }


def test_ten_thousand_people_of_a_whole_district_are_a_count_of_the_region(graph: Graph):
    [row] = _find(_observations(graph), "enrolment", "温江区")
    assert row["class"] == KG.Region
    assert row["value"] == Literal(12000, datatype=XSD.integer) and row["unit"] == "人"
    assert [r["value"].toPython() for r in _find(_observations(graph), "graduates", "温江区")] == [3120]


def test_a_change_is_not_taken_as_a_level(graph: Graph):
    rows = _observations(graph)
    assert not [r for r in rows if "较上年" in r["evidence"] or "相比" in r["evidence"]]
    assert [r["value"].toPython() for r in _find(rows, "admissions")] == [1150]


def test_a_value_of_no_clear_organisation_is_not_emitted(graph: Graph):
    rows = _observations(graph)
    assert not [r for r in rows if "99.9" in r["evidence"]]
    assert not _find(rows, "full_time_teachers", "温江区")


# --------------------------------------------------------------------------- reading them


def test_the_ready_made_question_lists_a_schools_values(small: Path):
    result = CliRunner().invoke(cli, [
        "query", "indicators", "--graph", str(small), "--param", "school", "岚溪县职业技术学校",
        "--param", "indicator", "employment_rate", "--format", "csv",
    ])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["organisation"], r["year"], r["indicator"], r["label"], r["value"], r["unit"], r["report"])
            for r in rows] == [("岚溪县职业技术学校", "2022", "employment_rate", "就业率", "98.6", "%", "school.txt")]
    assert "就业率达98.6%" in rows[0]["evidence"]


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_the_ready_made_question_without_parameters_lists_every_value(small: Path, graph: Graph, engine: str):
    result = CliRunner().invoke(cli, ["query", "indicators", "--graph", str(small), "--engine", engine,
                                      "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(_observations(graph))
    assert {r["indicator"] for r in rows} <= set(INDICATORS)


def test_csv_export_has_one_row_per_observation(small: Path, graph: Graph, tmp_path: Path):
    target = tmp_path / "indicators.csv"
    result = CliRunner().invoke(cli, ["export", "--format", "csv", "--graph", str(small), "-o", str(target)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))
    assert list(rows[0]) == ["organisation", "year", "indicator", "value", "unit", "report", "evidence",
                             "start", "end"]
    assert len(rows) == len(_observations(graph))
    assert {"organisation": "温江区", "year": "2021", "indicator": "enrolment", "value": "12000", "unit": "人",
            "report": "area.txt"}.items() <= next(r for r in rows if r["indicator"] == "enrolment"
                                                  and r["report"] == "area.txt").items()
    again = CliRunner().invoke(cli, ["export", "--format", "csv", "--graph", str(small)])
    assert again.stdout == target.read_text("utf-8")


# --------------------------------------------------------------------------- the seeds


def test_the_seeds_employment_rates_compare_across_schools(seeds: Path):
    query = """
        SELECT ?school ?year ?rate WHERE {
          ?o kg:organisation ?s ; kg:employment_rate ?rate ; kg:ref_year ?year .
          ?s a kg:School ; rdfs:label ?school .
        } ORDER BY ?school ?year"""
    result = CliRunner().invoke(cli, ["query", query, "--graph", str(seeds), "--format", "csv"])
    assert result.exit_code == 0, result.output
    # 004: "2021 年就业（含升学）率 100%" in the report of 2022 on 大兴区's one public school
    assert result.stdout.splitlines()[1:] == ["北京市大兴区第一职业学校,2022,100"]


def _score(graph: Graph, gold: dict) -> tuple[int, int, int, list[str]]:
    """(true positives, extracted, gold) for one report, and the wrong observations."""
    rows = [r for r in _observations(graph) if gold["document"] in _reports_of(graph, r["node"])]
    wanted = [(o["indicator"], Decimal(o["value"]), o["unit"], o["organisation"]) for o in gold["observations"]]
    matched, wrong = 0, []
    found = set()
    for row in rows:
        key = next((i for i, (ind, value, unit, name) in enumerate(wanted)
                    if i not in found and ind == row["indicator"] and value == row["value"].toPython()
                    and unit == row["unit"] and name in row["names"]), None)
        if key is None:
            wrong.append(f"{row['organisation']} {row['indicator']} {row['value']} {row['unit']}: {row['evidence']}")
        else:
            found.add(key)
            matched += 1
    return matched, len(rows), len(wanted), wrong


def _reports_of(graph: Graph, node) -> set[str]:
    return {str(graph.value(r, KG.file_name)) for r in graph.objects(node, PROV.wasDerivedFrom)}


def test_the_seeds_against_the_indicator_gold(seeds: Path):
    graph = Graph().parse(seeds, format="turtle")
    totals = [0, 0, 0]
    wrong: list[str] = []
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text("utf-8"))
        tp, extracted, expected, mistakes = _score(graph, gold)
        wrong += mistakes
        print(f"{gold['document']}: {tp} of {extracted} extracted right, {tp} of {expected} in the gold found")
        totals = [totals[0] + tp, totals[1] + extracted, totals[2] + expected]
    precision = totals[0] / totals[1] if totals[1] else 1.0
    recall = totals[0] / totals[2]
    print(f"indicators on the seeds: P {precision:.3f}  R {recall:.3f}")
    assert totals[1] > 0
    assert precision >= 0.95, "\n".join(wrong)
    assert recall >= 0.5
