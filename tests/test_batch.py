"""Extraction in several processes and from the cache gives the graph a plain build gives."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _build(reports: Path, out: Path, *options: str) -> str:
    result = CliRunner().invoke(cli, ["build", str(reports), "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    return (out / "graph.ttl").read_text(encoding="utf-8")


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    shutil.copytree(SEEDS, folder)
    return folder


def test_two_processes_build_the_graph_one_builds(reports, tmp_path):
    one = _build(reports, tmp_path / "one", "--jobs", "1", "--no-cache")
    two = _build(reports, tmp_path / "two", "--jobs", "2", "--no-cache")
    assert one == two


def test_a_rebuild_after_one_report_changed_equals_a_full_build(reports, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    _build(reports, tmp_path / "first")
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 2
    changed = sorted(reports.glob("*.txt"))[0]
    added = "\n\n学校与岚溪新材料有限公司签订校企合作协议，共建实训基地。\n"
    changed.write_text(changed.read_text(encoding="utf-8") + added, encoding="utf-8")
    again = _build(reports, tmp_path / "again")
    full = _build(reports, tmp_path / "full", "--no-cache")
    assert again == full
    assert "岚溪新材料有限公司" in again
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 3  # the changed text is a new entry


def test_an_unreadable_cache_entry_is_extracted_again(reports, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    first = _build(reports, tmp_path / "first")
    for entry in (tmp_path / "cache").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert _build(reports, tmp_path / "again") == first


def test_jobs_must_be_positive(reports, tmp_path):
    result = CliRunner().invoke(cli, ["build", str(reports), "--out", str(tmp_path), "--jobs", "0"])
    assert result.exit_code == 2
    assert "--jobs" in result.output


def test_builds_in_processes_with_other_hash_seeds_have_the_same_bytes(tmp_path):
    """Python hashes strings differently in every process: nothing may depend on set order."""
    corpus = tmp_path / "corpus"
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, str(root / "benchmarks" / "corpus.py"), str(corpus), "10"], check=True,
                   capture_output=True)
    outputs = set()
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        subprocess.run(
            [sys.executable, "-c", "from kg.cli import cli; cli()", "build", str(corpus), "--out", str(out),
             "--no-cache", "--jobs", "2"],
            check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add((out / "graph.ttl").read_bytes())
    assert len(outputs) == 1
