"""How long `kg build` takes and how much memory it uses, on N copies of the seed reports.

Each copy gets a line of its own so that no two files are the same report.

    python benchmarks/build_speed.py [COPIES]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from kg.build import build

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def main(copies: int = 25) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        reports = root / "reports"
        reports.mkdir()
        for index in range(copies):
            for seed in sorted(SEEDS.glob("*.txt")):
                text = seed.read_text("utf-8") + f"\n本报告副本编号 {index}。\n"
                (reports / f"{index:04d}_{seed.name}").write_text(text, "utf-8")
        count = len(list(reports.iterdir()))
        started = time.perf_counter()
        result = build([reports], root / "out")
        elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count} reports, {result.triples} triples: {elapsed:.1f} s "
          f"({elapsed / count * 1000:.0f} ms per report), peak memory {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 25)
