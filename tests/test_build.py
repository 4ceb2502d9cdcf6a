"""`kg build` and `kg eval` end to end, on the seeds and on small inputs written here."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_build_prints_a_summary_and_writes_both_files(built):
    out, output = built
    assert output.splitlines()[0] == "Read 2 reports."
    assert output.splitlines()[1].startswith("Entities:  School ")
    assert f"Wrote {(out / 'graph.ttl').as_posix()}" in output
    assert (out / "graph.html").read_text("utf-8").startswith("<!DOCTYPE html>")


def test_aliases_are_one_node(built):
    graph = Graph().parse(built[0] / "graph.ttl")
    rows = list(graph.query("""
        PREFIX kg: <https://w3id.org/vetkg/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?school WHERE {
          ?school a kg:School .
          { ?school rdfs:label|skos:altLabel "大兴一职" } UNION { ?school rdfs:label|skos:altLabel "北京市大兴区第一职业学校" }
        }"""))
    assert len(rows) == 1


def test_every_relation_has_evidence_a_query_can_read(built):
    graph = Graph().parse(built[0] / "graph.ttl")
    unexplained = graph.query("""
        PREFIX kg: <https://w3id.org/vetkg/ontology#>
        SELECT ?s ?p ?o WHERE {
          VALUES ?p { kg:cooperates_with kg:assists kg:offers_major kg:trains kg:affiliated_with }
          ?s ?p ?o .
          FILTER NOT EXISTS { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                                  prov:wasDerivedFrom ?report ; kg:evidence ?sentence ; kg:start_offset ?start . }
        }""", initNs={"prov": "http://www.w3.org/ns/prov#"})
    assert list(unexplained) == []
    # the offsets point at the sentence in the report
    row = next(iter(graph.query("""
        PREFIX kg: <https://w3id.org/vetkg/ontology#>
        SELECT ?file ?start ?end WHERE {
          ?st a rdf:Statement ; kg:start_offset ?start ; kg:end_offset ?end ; prov:wasDerivedFrom ?r .
          ?r kg:file_name ?file . } LIMIT 1""", initNs={"prov": "http://www.w3.org/ns/prov#"})))
    text = (SEEDS / str(row.file)).read_text("utf-8")
    assert 0 <= int(row.start) < int(row.end) <= len(text)


def test_two_builds_are_byte_identical(built, tmp_path):
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / "graph.ttl").read_bytes() == (built[0] / "graph.ttl").read_bytes()
    assert (tmp_path / "graph.html").read_bytes() == (built[0] / "graph.html").read_bytes()


def test_seed_scores_meet_the_build_targets(built):
    result = CliRunner().invoke(cli, ["eval", str(GOLD), "--graph", str(built[0] / "graph.ttl"), "--json"])
    assert result.exit_code == 0, result.output
    import json

    overall = json.loads(result.output)["overall"]
    assert overall["entities"]["f1"] >= 0.80
    assert overall["relations"]["f1"] >= 0.60


def test_gbk_report_is_read(tmp_path):
    report = tmp_path / "gbk.txt"
    report.write_bytes("某区中等职业教育质量年度报告（2020）\n\n潞城区职业学校与长治华锐机械有限公司签订校企合作协议。\n".encode("gbk"))
    result = CliRunner().invoke(cli, ["build", str(report), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "长治华锐机械有限公司" in (tmp_path / "out" / "graph.ttl").read_text("utf-8")


def test_missing_path_is_one_line_and_exit_1(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'nope'}: no such file or folder - check the path"
    assert not (tmp_path / "graph.ttl").exists()


def test_build_with_a_skipped_file_leaves_the_good_graph_unchanged(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(tmp_path / "seeds"), "--out", str(out)]).exit_code == 0
    before = (out / "graph.ttl").read_bytes()
    (tmp_path / "seeds" / "bad.txt").write_bytes(b"\x00\x01binary")
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "seeds"), "--out", str(out)])
    assert result.exit_code == 1
    assert "bad.txt: is a binary file" in result.output
    assert (out / "graph.ttl").read_bytes() == before
