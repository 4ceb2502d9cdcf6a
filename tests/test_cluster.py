"""kg build --cluster: the reports extracted by a local Dask cluster of two worker processes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

distributed = pytest.importorskip("distributed", reason="the cluster extra: pip install -e '.[cluster]'")

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def scheduler():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def build(*args: str) -> str:
    result = CliRunner().invoke(cli, ["build", *args, "--no-cache"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_cluster_build_has_the_bytes_of_a_local_build(scheduler: str, tmp_path: Path) -> None:
    build(str(SEEDS), "--out", str(tmp_path / "local"), "--jobs", "1")
    output = build(str(SEEDS), "--out", str(tmp_path / "cluster"), "--cluster", scheduler)
    assert output.startswith("Read 2 reports.")
    for name in ("graph.ttl", "graph.html"):
        assert (tmp_path / "cluster" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def test_an_unreachable_scheduler_is_one_line_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kg.cluster.CONNECT_TIMEOUT_S", 2)
    result = CliRunner().invoke(
        cli, ["build", str(SEEDS), "--out", str(tmp_path), "--no-cache", "--cluster", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "cannot reach a Dask scheduler at tcp://127.0.0.1:9" in lines[0]
    assert list(tmp_path.iterdir()) == []
