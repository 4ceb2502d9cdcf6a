"""Command line: translates flags into library calls and library errors into one line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg import __version__
from kg.errors import KgError


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Example: kg build seeds/ && kg query partners --param school 大兴一职",
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
def build(paths: tuple[Path, ...], out: Path, html_focus: str | None, strict: bool) -> None:
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

        from kg.build import NoReportsError
        from kg.build import build as run_build

        def progress(files):  # type: ignore[no-untyped-def]
            return tqdm(files, desc="reading reports", unit="report", file=sys.stderr,
                        disable=None if len(files) > 1 else True, leave=False)

        def skipped(error: KgError) -> None:
            # Through tqdm, so that the line does not break the progress bar.
            tqdm.write(f"Error: {error}", file=sys.stderr)

        try:
            result = run_build(
                paths, out, html_focus=html_focus, progress=progress, strict=strict,
                on_skip=skipped,
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
        for error in result.skipped:
            click.echo(f"  {error.path}: {error.problem}")
        sys.exit(1)


@cli.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--graph", "graph_path", default="exports/graph.ttl", show_default=True,
    type=click.Path(path_type=Path), help="The built graph to score.",
)
@click.option("-v", "--verbose", is_flag=True, help="List every false positive and false negative.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON, for scripts.")
def eval_command(gold: tuple[Path, ...], graph_path: Path, verbose: bool, as_json: bool) -> None:
    """Score a built graph against gold files (precision, recall, F1 per class and predicate).

    GOLD are gold JSON files (shared/gold/GUIDELINES.md format) or folders of them.

    \b
    Example:
        kg build seeds/ && kg eval ../shared/gold/
        kg eval tests/unseen/gold/ --graph /tmp/unseen/graph.ttl -v
    """
    import json as json_module

    from rdflib import Graph

    from kg.errors import GraphError
    from kg.evaluate import as_json as scores_json
    from kg.evaluate import evaluate, overall

    files = sorted(
        f for g in gold for f in ([g] if g.is_file() else sorted(g.glob("*.json")))
    )
    if not graph_path.exists():
        fail(GraphError(f"{graph_path} does not exist - run kg build first"))
    try:
        graph = Graph().parse(graph_path, format="turtle")
    except Exception as error:  # rdflib raises many kinds of parse errors
        fail(GraphError(f"{graph_path} is not valid Turtle ({error}) - rebuild it with kg build"))
        return
    try:
        results = evaluate(graph, files)
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
            for error in result.errors:
                extra = f"  [{error.get('note') or error.get('evidence', '')}]" if error.get("note") or error.get("evidence") else ""
                click.echo(f"  {error['kind']} {error['class']}: {error['item']}{extra}")
        click.echo("")
    totals = overall(results)
    click.echo(f"Overall over {len(results)} report{'s' if len(results) != 1 else ''}:")
    for name, score in totals.items():
        click.echo(f"  {name:<10} P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}")


# Commands of other modules register here, one line each.
from kg.cli_query import export, query, serve, stats  # noqa: E402
cli.add_command(query)
cli.add_command(stats)
cli.add_command(export)
cli.add_command(serve)
from kg.cli_validate import validate  # noqa: E402
cli.add_command(validate)
