"""The whole pipeline for a set of report paths: read → segment → extract → resolve → graph →
export → validate. The CLI only calls `build()` and prints what it returns.

Folders of scraped reports hold files that are no reports; each is skipped with an
`InputError` (unless `strict`), the others are still built, and the result lists what was
skipped. Outputs are replaced only once both are complete, so a failed or interrupted build
leaves the previous graph.ttl and graph.html as they were.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.batch import ExtractionCache, extract_reports
from kg.errors import InputError, KgError
from kg.export.store import STORE_NAME, write_store
from kg.export.turtle import to_turtle
from kg.graph import build_graph
from kg.model import ENTITY_CLASSES, PREDICATES, Extraction, KnowledgeGraph, Report
from kg.oxigraph import to_quads, to_store
from kg.read import read_report, scan
from kg.resolve import resolve
from kg.validate import Violation, validate
from kg.vocab import KG

Progress = Callable[[list[Report]], Iterable[Report]]
OnSkip = Callable[[InputError], None]


class NoReportsError(KgError):
    """Every path given was skipped: there is nothing to build, and nothing is written."""

    def __init__(self, skipped: tuple[InputError, ...]) -> None:
        self.skipped = skipped
        noun = "file was" if len(skipped) == 1 else "files were"
        super().__init__(
            f"no report could be read ({len(skipped)} {noun} skipped) - nothing written;"
            " fix the files named above"
        )


class NothingExtractedError(KgError):
    """Every report read yields nothing: writing its graph would replace a good one with none."""

    def __init__(self, reports: tuple[str, ...]) -> None:
        self.reports = reports
        what = reports[0] if len(reports) == 1 else f"any of the {len(reports)} reports"
        super().__init__(
            f"nothing could be extracted from {what} - nothing written; check that the files are"
            " quality reports with a text layer"
        )


class ExtractionFailed(InputError):
    """kg itself failed on a report (a bug): the report is skipped like a bad file."""

    def __init__(self, path: str, error: Exception) -> None:
        reason = (str(error).splitlines() or [""])[0][:100].replace(" - ", ": ")
        super().__init__(
            path,
            f"kg failed on it ({type(error).__name__}{': ' + reason if reason else ''})",
            "a bug in kg: build it alone with --strict to see where, and report it",
        )


@dataclass(frozen=True)
class BuildResult:
    reports: tuple[str, ...]
    entities: dict[str, int]
    relations: dict[str, int]
    triples: int
    written: tuple[Path, ...]
    skipped: tuple[InputError, ...] = ()
    violations: tuple[Violation, ...] = ()
    observations: int = 0  # indicator values (qb:Observation)
    observed: int = 0  # organisations they are of


def knowledge_graph(
    paths: Iterable[str | Path],
    progress: Progress | None = None,
    *,
    strict: bool = False,
    on_skip: OnSkip | None = None,
    jobs: int | None = None,
    cache: str | Path | None = None,
    on_warning: Callable[[str], None] | None = None,
    cluster: str | None = None,
) -> tuple[KnowledgeGraph, tuple[str, ...], tuple[InputError, ...]]:
    """The resolved graph of every readable report, the reports read, and the files skipped.

    Raises the first `InputError` if `strict`, `NoReportsError` if nothing could be read.
    `jobs` processes extract the reports, or the workers of the Dask scheduler at `cluster`;
    `cache` is a folder that keeps each extraction.
    """
    skipped: list[InputError] = []

    def skip(error: InputError) -> None:
        if strict:
            raise error
        skipped.append(error)
        if on_skip:
            on_skip(error)

    files, errors = scan(paths)
    for error in errors:
        skip(error)
    names = unique_names(files)
    reports: list[Report] = []
    first_copy: dict[str, str] = {}
    for path in files:
        try:
            report = read_report(path, names[path])
        except InputError as error:
            skip(error)
            continue
        # The text, not the bytes: a report saved once as UTF-8 and once as GBK is one report.
        digest = hashlib.sha256(report.text.encode("utf-8")).hexdigest()
        if digest in first_copy:
            skip(InputError(
                report.path, f"is the same report as {first_copy[digest]}", "remove one of the copies"
            ))
            continue
        first_copy[digest] = report.path
        reports.append(report)
    extractions: list[Extraction] = []
    read: list[str] = []
    if jobs is None:  # a pool costs a pipeline per process: worth it for a folder, not a file
        jobs = (os.cpu_count() or 1) if len(reports) > 8 else 1
    results = extract_reports(
        reports, jobs=jobs, cache=ExtractionCache(cache) if cache else None, cluster=cluster
    )
    for report, result in zip(progress(reports) if progress else reports, results):
        if isinstance(result, Exception):
            # A bug of kg's, not the user's; but one odd report must not cost the other 299.
            # --strict lets it through with its traceback, for a bug report.
            if strict:
                raise result
            skip(ExtractionFailed(report.path, result))
            continue
        extractions.append(result)
        read.append(report.path)
    if not extractions:
        raise NoReportsError(tuple(skipped))
    sparse = [(source, problem) for source, e in zip(read, extractions) if (problem := _sparse(e))]
    if len(sparse) == len(extractions) and all(p == _NOTHING for _, p in sparse):
        raise NothingExtractedError(tuple(read))
    for source, problem in sparse:
        if on_warning:
            on_warning(f"{source}: {problem} - is it a quality report, and is its text readable?")
    return resolve(extractions), tuple(read), tuple(skipped)


_NOTHING = "no entity and no relation could be extracted from it"


def _sparse(extraction: Extraction) -> str | None:
    """Why a report gave (almost) nothing, or None: the places of a title alone are nothing."""
    named = [m for m in extraction.mentions if m.label not in ("Region", "Ref")]
    if not named and not extraction.relations:
        return _NOTHING
    if not named:
        return "no school, enterprise, major or expert could be extracted from it"
    if not extraction.relations:
        return "no relation could be extracted from it"
    return None


def page_title(knowledge: KnowledgeGraph) -> str:
    """The reports' own titles (their file names where a title could not be read)."""
    titles = [r.info.title or r.file_name for r in knowledge.reports]
    shown = "；".join(titles[:2])
    return shown + (f" 等 {len(titles)} 份报告" if len(titles) > 2 else "")


def unique_names(files: list[Path]) -> dict[Path, str]:
    """The name each report goes by in the graph (its IRI comes from it): the file name, or,
    where folders hold files of the same name, as many folders as tell them apart
    (2021/报告.txt, 2022/报告.txt) - never the whole path, which differs between machines."""
    groups: dict[str, list[Path]] = defaultdict(list)
    for path in files:
        groups[path.name].append(path)
    names = {}
    for group in groups.values():
        for path in group:
            for depth in range(1, len(path.parts) + 1):
                tail = path.parts[-depth:]
                if all(other.parts[-depth:] != tail for other in group if other != path):
                    break
            names[path] = "/".join(tail)
    return names


def write_atomically(path: Path, text: str) -> None:
    """Write next to the target and rename over it: a failed build leaves the old file whole."""
    write_outputs({path: text})


def write_outputs(texts: dict[Path, str], folders: dict[Path, Callable[[Path], None]] | None = None) -> None:
    """Write every file (and fill every folder) under a temporary name first, then rename
    them all into place.

    Renaming is atomic for each file; doing it only once every output is on disk (and with
    Ctrl-C held back meanwhile) means the outputs are all old or all new, never a mixture. A
    folder cannot be renamed over another: the old one is moved aside first and removed
    after, so for a moment there is none, and readers fall back to graph.ttl.
    """
    temporaries: dict[Path, Path] = {}
    old_folders: list[Path] = []
    try:
        for path, text in texts.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temporaries[path] = Path(name)
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
                file.write(text)
            # mkstemp makes the file private (0600); the output should be like any other file.
            os.chmod(name, _mode_for(path))
        for path, fill in (folders or {}).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporaries[path] = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
            fill(temporaries[path])
            os.chmod(temporaries[path], _mode_for(path) if path.exists() else 0o777 & ~_umask())
        with _interrupts_held():
            for path, temporary in temporaries.items():
                if temporary.is_dir() and path.is_dir():
                    old_folders.append(Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".old")))
                    os.replace(path, old_folders[-1])
                os.replace(temporary, path)
    finally:
        for temporary in [*temporaries.values(), *old_folders]:
            if temporary.is_dir():
                shutil.rmtree(temporary, ignore_errors=True)
            else:
                temporary.unlink(missing_ok=True)


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C between two renames would leave a new graph.ttl beside an old graph.html.

    The renames take a millisecond; a Ctrl-C that arrives then comes after the build is done
    and is dropped.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def build(
    paths: Iterable[str | Path],
    out: str | Path = "exports",
    *,
    html_focus: str | None = None,
    progress: Progress | None = None,
    strict: bool = False,
    on_skip: OnSkip | None = None,
    jobs: int | None = None,
    cache: str | Path | None = None,
    on_warning: Callable[[str], None] | None = None,
    cluster: str | None = None,
) -> BuildResult:
    """Build graph.ttl and graph.html in `out` from every report that can be read.

    A file that cannot be read is passed to `on_skip` and listed in the result; with
    `strict`, the first one is raised instead and nothing is written.
    """
    from kg.export.html import render_html  # pyvis is only needed here

    knowledge, reports, skipped = knowledge_graph(
        paths, progress, strict=strict, on_skip=on_skip, jobs=jobs, cache=cache,
        on_warning=on_warning, cluster=cluster,
    )
    graph = build_graph(knowledge)
    quads = to_quads(graph)
    turtle = to_turtle(graph, quads)
    html = render_html(graph, focus=html_focus, title=page_title(knowledge))
    violations = validate(graph, engine="core", store=to_store(quads))
    out = Path(out)
    files = (out / "graph.ttl", out / "graph.html")
    store = out / STORE_NAME
    try:
        write_outputs(dict(zip(files, (turtle, html))), {store: lambda folder: write_store(quads, folder)})
    except OSError as error:
        raise InputError(
            out.as_posix(),
            f"cannot be written to ({error.strerror or error})",
            "choose another folder with --out",
        ) from None
    entity_counts = Counter(e.cls for e in knowledge.entities)
    # the graph's own counts: they include the links between regions from the national map
    relation_counts = Counter(
        str(p)[len(str(KG)) :] for p in graph.predicates(None, None) if str(p).startswith(str(KG))
    )
    return BuildResult(
        reports=reports,
        entities={c: entity_counts.get(c, 0) for c in ENTITY_CLASSES},
        relations={p: relation_counts.get(p, 0) for p in PREDICATES},
        triples=len(graph),
        written=(*files, store),
        skipped=skipped,
        violations=tuple(violations),
        observations=len(knowledge.observations),
        observed=len({o.organisation for o in knowledge.observations}),
    )
