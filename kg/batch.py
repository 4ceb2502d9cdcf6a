"""Extraction of many reports: in several processes, and once per text and version of kg.

Extraction (segment → structure → extract) is a pure function of a report's text, its name and
kg's own code and data, and it is nine tenths of a build. So:

- with `jobs > 1` the reports are extracted in a pool of processes, each with its own pipeline
  (and jieba tokenizer); results come back in the order of the input, so the graph is the same
  whatever the number of processes;
- with a cache folder, each extraction is kept as a pickle named by a hash of the report's
  name, its text and a fingerprint of kg's package (code, cues, lexicons). A rebuild after one
  report changed extracts that one only; a new kg version never reads an old entry.

The standard library's `concurrent.futures` and `pickle` fit; no task queue is needed on one
machine. Beyond one machine, kg.cluster sends the same function to Dask workers.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from kg.extract import build_pipeline, extract
from kg.model import Extraction, Report
from kg.segment import segment
from kg.structure import structure

__all__ = ["ExtractionCache", "default_cache_folder", "extract_reports", "fingerprint"]

#: One pipeline per process; built on the first report the process sees.
_pipeline = None


def extract_one(report: Report) -> Extraction | Exception:
    """One report's extraction, or the exception kg raised on it (which the caller reports)."""
    global _pipeline  # the worker process's own pipeline, not state shared with anyone
    if _pipeline is None:
        _pipeline = build_pipeline()
    try:
        return extract(structure(report, segment(report)), _pipeline)
    except Exception as error:  # noqa: BLE001 - handed back, the build decides what to do
        return error


def default_cache_folder() -> Path:
    """$KG_CACHE_DIR, or kg/ in the user's cache folder ($XDG_CACHE_HOME, ~/.cache): never
    the output folder, which holds only what a build writes."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kg"


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of every file of the kg package: any change of code or data is a new version."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix not in (".pyc",) and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class ExtractionCache:
    """Extractions on disk, one file per report text and kg version."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def key(self, report: Report) -> str:
        digest = hashlib.sha256()
        for part in (fingerprint(), report.name, report.path, report.text):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def get(self, report: Report) -> Extraction | None:
        try:
            with open(self.folder / (self.key(report) + ".pickle"), "rb") as file:
                found = pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # missing or unreadable: extract again
        return found if isinstance(found, Extraction) else None

    def put(self, report: Report, extraction: Extraction) -> None:
        """Written under a temporary name and renamed: a killed build leaves no torn entry."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as file:
                pickle.dump(extraction, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(name, self.folder / (self.key(report) + ".pickle"))
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower


def extract_reports(
    reports: Sequence[Report],
    *,
    jobs: int = 1,
    cache: ExtractionCache | None = None,
    cluster: str | None = None,
) -> Iterator[Extraction | Exception]:
    """The extraction of each report, in the order given; those not in the cache are
    extracted by `jobs` processes here, or by the Dask cluster whose scheduler is `cluster`."""
    found: list[Extraction | None] = [cache.get(r) if cache else None for r in reports]
    missing = [i for i, f in enumerate(found) if f is None]
    if cluster and missing:
        from kg.cluster import extract_on_cluster  # an optional extra, and it imports this module

        fresh = extract_on_cluster([reports[i] for i in missing], cluster)
        yield from _merged(reports, found, missing, fresh, cache)
    elif jobs > 1 and len(missing) > 1:
        workers = min(jobs, len(missing))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            chunk = max(1, len(missing) // (workers * 4))
            fresh = pool.map(extract_one, [reports[i] for i in missing], chunksize=chunk)
            yield from _merged(reports, found, missing, fresh, cache)
    else:
        yield from _merged(reports, found, missing, map(extract_one, (reports[i] for i in missing)), cache)


def _merged(
    reports: Sequence[Report],
    found: list[Extraction | None],
    missing: list[int],
    fresh: Iterator[Extraction | Exception],
    cache: ExtractionCache | None,
) -> Iterator[Extraction | Exception]:
    fresh_results = iter(fresh)  # `missing` ascends, so the fresh results come in input order
    for index, report in enumerate(reports):
        cached = found[index]
        if cached is not None:
            yield cached
            continue
        result = next(fresh_results)
        if cache is not None and isinstance(result, Extraction):
            cache.put(report, result)
        yield result
