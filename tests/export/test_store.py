"""The Oxigraph store that kg build writes beside graph.ttl, and that kg query opens."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from kg.cli import cli

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {(out / 'graph.oxigraph').as_posix()}" in result.output
    return out


def count(graph_file: Path) -> int:
    result = CliRunner().invoke(cli, ["query", COUNT, "--graph", str(graph_file), "--format", "csv"])
    assert result.exit_code == 0, result.output
    return int(result.output.split()[-1])


def test_query_answers_from_the_store_while_it_is_as_new_as_the_graph(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    shutil.copytree(built, out)
    triples = len(Graph().parse(out / "graph.ttl"))
    # A graph.ttl older than the store: the store answers, graph.ttl is not even read.
    (out / "graph.ttl").write_text("this is not Turtle", "utf-8")
    store_time = (out / "graph.oxigraph").stat().st_mtime
    os.utime(out / "graph.ttl", (store_time - 60, store_time - 60))
    assert count(out / "graph.ttl") == triples


def test_a_graph_edited_after_the_build_is_read_instead_of_the_store(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    shutil.copytree(built, out)
    edited = Graph().add((URIRef("http://example.org/a"), URIRef("http://example.org/b"), Literal("c")))
    edited.serialize(out / "graph.ttl", format="turtle")
    later = (out / "graph.oxigraph").stat().st_mtime + 60
    os.utime(out / "graph.ttl", (later, later))
    assert count(out / "graph.ttl") == 1


def test_a_rebuild_replaces_the_store_and_leaves_no_temporary_folder(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    shutil.copytree(built, out)
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(sorted(SEEDS.iterdir())[0], one)
    result = CliRunner().invoke(cli, ["build", str(one), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["graph.html", "graph.oxigraph", "graph.ttl"]
    os.utime(out / "graph.ttl", (0, 0))  # force the store to answer
    assert count(out / "graph.ttl") == len(Graph().parse(out / "graph.ttl"))
    assert count(out / "graph.ttl") < len(Graph().parse(built / "graph.ttl"))
