"""Command line: translates flags into library calls and library errors into one line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg import __version__
from kg.errors import KgError


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Example: kg build seeds/ && kg query partners --param school 某某职校",
)
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """Build a knowledge graph (RDF + interactive network) from vocational-education reports."""


def fail(error: KgError) -> None:
    """A library error as one line on stderr, exit code 1."""
    click.echo(f"Error: {error}", err=True)
    sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out", "-o", default="exports", show_default=True, type=click.Path(path_type=Path),
    help="Folder to write graph.ttl and graph.html into.",
)
@click.option(
    "--html-focus", metavar="NAME",
    help="Draw only this entity (a name or alias) and its neighbours in graph.html.",
)
@click.option(
    "--strict", is_flag=True,
    help="Stop at the first file that cannot be read, writing nothing (default: skip it).",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), metavar="N",
    help="Processes that extract reports (default: one per core for more than 8 reports).",
)
@click.option(
    "--no-cache", is_flag=True,
    help="Extract every report again instead of reusing the extractions of earlier builds"
    " (kept in $KG_CACHE_DIR, by default ~/.cache/kg).",
)
@click.option(
    "--cluster", metavar="ADDRESS",
    help="Extract on the workers of this Dask scheduler (tcp://HOST:8786) instead of here;"
    " needs pip install -e '.[cluster]' and the same kg on every worker.",
)
def build(
    paths: tuple[Path, ...], out: Path, html_focus: str | None, strict: bool, jobs: int | None,
    no_cache: bool, cluster: str | None,
) -> None:
    """Read every report under PATHS and write the graph as Turtle and HTML.

    PATHS are report files (.txt or .md in UTF-8 or GB18030, .docx, .pdf with a text layer)
    or folders of them. A file that is no report is named on stderr and skipped; the exit
    code is then 1, after the others are built. Ctrl-C leaves the previous outputs as they were.

    \b
    Example:
        kg build seeds/
        kg build seeds/ my-reports/ --out exports/all
    """
    try:
        # spaCy, rdflib and pySHACL load here, for seconds: Ctrl-C is likely even now.
        from tqdm import tqdm

        from kg.batch import default_cache_folder
        from kg.build import NoReportsError
        from kg.build import build as run_build

        def progress(files):  # type: ignore[no-untyped-def]
            return tqdm(files, desc="extracting", unit="report", file=sys.stderr,
                        disable=None if len(files) > 1 else True, leave=False)

        def warn(message: str) -> None:
            tqdm.write(f"Warning: {message}", file=sys.stderr)

        def skipped(error: KgError) -> None:
            # Through tqdm, so that the line does not break the progress bar.
            tqdm.write(f"Error: {error}", file=sys.stderr)

        try:
            result = run_build(
                paths, out, html_focus=html_focus, progress=progress, strict=strict,
                on_skip=skipped, on_warning=warn, jobs=jobs, cluster=cluster,
                cache=None if no_cache else default_cache_folder(),
            )
        except NoReportsError as error:
            if len(error.skipped) > 1:  # a single file has just been named: that line says it
                click.echo(f"Error: {error}", err=True)
            sys.exit(1)
        except KgError as error:
            fail(error)
            return
    except KeyboardInterrupt:
        click.echo("Interrupted - nothing written, the previous outputs are unchanged.", err=True)
        sys.exit(130)
    click.echo(f"Read {len(result.reports)} report{'s' if len(result.reports) != 1 else ''}.")
    click.echo("Entities:  " + ", ".join(f"{cls} {n}" for cls, n in result.entities.items()))
    click.echo("Relations: " + ", ".join(f"{p} {n}" for p, n in result.relations.items()))
    click.echo(f"Indicators: {result.observations} value{'s' if result.observations != 1 else ''}"
               f" of {result.observed} organisation{'s' if result.observed != 1 else ''}")
    if result.violations:
        count = len(result.violations)
        click.echo(f"Validation: {count} violation{'s' if count != 1 else ''}"
                   f" (run kg validate {result.written[0].as_posix()})")
    else:
        click.echo("Validation: conforms to the kg shapes")
    for path in result.written:
        click.echo(f"Wrote {path.as_posix()}")
    if result.skipped:
        count = len(result.skipped)
        click.echo(f"Skipped {count} file{'s' if count != 1 else ''}:")
        for skipped_file in result.skipped:
            click.echo(f"  {skipped_file.path}: {skipped_file.problem}")
        sys.exit(1)


@cli.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--graph", "graph_path", type=click.Path(path_type=Path),
    help="Score this built graph instead of building each report on its own.",
)
@click.option(
    "--reports", "report_folders", multiple=True, type=click.Path(path_type=Path),
    help="A folder that holds the reports of the gold files (default: beside each gold file).",
)
@click.option("-v", "--verbose", is_flag=True, help="List every false positive and false negative, with its evidence.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON, for scripts.")
def eval_command(
    gold: tuple[Path, ...], graph_path: Path | None, report_folders: tuple[Path, ...], verbose: bool, as_json: bool
) -> None:
    """Score kg against gold files: P/R/F1 per report, per class and predicate, and overall.

    GOLD are gold JSON files (shared/gold/GUIDELINES.md format) or folders of them. Each gold
    file's report (named by its "document", beside it or in a --reports folder) is built on its
    own, as the independent scorer does; with --graph, a graph built before is scored instead.

    \b
    Example:
        kg eval ../shared/dev/
        kg eval ../shared/gold/ --reports seeds/ -v
        kg build seeds/ && kg eval ../shared/gold/ --graph exports/graph.ttl
    """
    import json as json_module

    from kg.errors import GraphError
    from kg.evaluate import as_json as scores_json
    from kg.evaluate import evaluate, evaluate_alone, gold_files, overall

    for path in gold:
        if not path.exists():
            fail(KgError(f"{path.as_posix()} does not exist - give gold files (*.json) or their folder"))
    for folder in report_folders:
        if not folder.is_dir():
            fail(KgError(f"--reports {folder.as_posix()} is not a folder - give the folder of the reports"))
    files = gold_files(gold)
    if not files:
        where = ", ".join(p.as_posix() for p in gold)
        fail(KgError(f"no gold files (*.json) in {where} - give gold files or their folder"))
    try:
        if graph_path is not None:
            from rdflib import Graph

            if not graph_path.exists():
                raise GraphError(f"{graph_path} does not exist - run kg build first")
            try:
                graph = Graph().parse(graph_path, format="turtle")
            except Exception as error:  # noqa: BLE001 - rdflib raises many kinds of parse errors
                raise GraphError(f"{graph_path} is not valid Turtle ({error}) - rebuild it with kg build") from None
            results = evaluate(graph, files)
        else:
            results = evaluate_alone(files, report_folders)
    except KgError as error:
        fail(error)
        return
    if as_json:
        click.echo(json_module.dumps(scores_json(results), ensure_ascii=False, indent=2))
        return
    header = f"{'':<18}{'TP':>5}{'FP':>5}{'FN':>5}{'P':>8}{'R':>8}{'F1':>8}"
    for result in results:
        click.echo(result.document)
        click.echo(header)
        for name, score in [*result.entities.items(), ("entities", result.total("entities")),
                            *result.relations.items(), ("relations", result.total("relations"))]:
            click.echo(f"  {name:<16}{score.tp:>5}{score.fp:>5}{score.fn:>5}"
                       f"{score.precision:>8.3f}{score.recall:>8.3f}{score.f1:>8.3f}")
        if verbose:
            for mistake in result.errors:
                extra = mistake.get("note") or mistake.get("evidence", "")
                suffix = f"  [{extra}]" if extra else ""
                click.echo(f"  {mistake['kind']} {mistake['class']}: {mistake['item']}{suffix}")
        click.echo("")
    click.echo(f"{'report':<34}{'entity P':>9}{'R':>7}{'F1':>7}{'relation P':>12}{'R':>7}{'F1':>7}")
    for result in results:
        e, r = result.total("entities"), result.total("relations")
        click.echo(f"{result.document[:33]:<34}{e.precision:>9.3f}{e.recall:>7.3f}{e.f1:>7.3f}"
                   f"{r.precision:>12.3f}{r.recall:>7.3f}{r.f1:>7.3f}")
    totals = overall(results)
    e, r = totals["entities"], totals["relations"]
    noun = "report" if len(results) == 1 else "reports"
    label = f"micro-average, {len(results)} {noun}"
    click.echo(f"{label:<34}{e.precision:>9.3f}{e.recall:>7.3f}{e.f1:>7.3f}"
               f"{r.precision:>12.3f}{r.recall:>7.3f}{r.f1:>7.3f}")


# Commands of other modules register here, one line each.
from kg.cli_query import export, query, serve, stats

cli.add_command(query)
cli.add_command(stats)
cli.add_command(export)
cli.add_command(serve)
from kg.cli_validate import validate

cli.add_command(validate)
