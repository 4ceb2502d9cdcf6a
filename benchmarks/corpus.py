"""Generated corpora of distinct reports for the speed benchmarks.

Each report is a variant of one of the reports kept in the repository (seeds, dev, unseen and
held-out reports): the place it is of renamed to another county of the national list, its
paragraphs after the title block shuffled and its numbers changed, so that no two files are the
same report and each one costs kg a full extraction.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from kg.lexicon import regions

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(
    [*ROOT.glob("seeds/*.txt"), *ROOT.glob("tests/dev/*.txt"), *ROOT.glob("tests/unseen/reports/*.txt"),
     *ROOT.glob("tests/heldout/reports/*.txt")]
)


def variant(text: str, number: int) -> str:
    rng = random.Random(number)
    counties = [d for d in regions.all_divisions() if d.level == "county"]
    own = regions.find(text.split("\n", 5)[0] + text[:400])
    head, _, body = text.partition("\n\n")
    paragraphs = body.split("\n\n")
    rng.shuffle(paragraphs)
    body = "\n\n".join(paragraphs)
    if own:
        body = body.replace(own[0].surface, rng.choice(counties).name)
    body = re.sub(r"\d+", lambda m: str(rng.randint(1, 9999)), body)
    return f"{head}\n\n{body}\n\n本报告为第{number}份。\n"  # distinct even where nothing above changed


def write_corpus(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text("utf-8") for p in SOURCES]
    paths = []
    for number in range(count):
        path = folder / f"r{number:05d}.txt"
        path.write_text(variant(texts[number % len(texts)], number), "utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    import sys

    written = write_corpus(Path(sys.argv[1]), int(sys.argv[2]))
    print(f"{len(written)} reports, {sum(p.stat().st_size for p in written) / 1e6:.1f} MB in {sys.argv[1]}")
