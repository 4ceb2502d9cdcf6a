"""Command line: translates flags into library calls and library errors into one line."""

from __future__ import annotations

import click

from kg import __version__


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Example: kg build seeds/ && kg query partners --param school 大兴一职",
)
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """Build a knowledge graph (RDF + interactive network) from vocational-education reports."""


# Commands of other modules register here, one line each.
