"""`kg validate`: check a built graph against ontology/shapes.ttl."""

from __future__ import annotations

import click

from kg.errors import KgError


@click.command(
    "validate",
    epilog="Example: kg validate exports/graph.ttl",
)
@click.argument("graph", type=click.Path())  # read_graph says what is wrong, in one line
def validate(graph: str) -> None:
    """Check a Turtle graph against the kg SHACL shapes.

    Prints one line per violation and exits 1 if the graph breaks a shape.
    """
    # Imported here so that `kg --help` does not load pySHACL.
    from kg.validate import read_graph
    from kg.validate import validate as check

    try:
        data = read_graph(graph)
    except KgError as error:
        raise click.ClickException(str(error)) from None
    violations = check(data)
    if not violations:
        click.echo(f"{graph} conforms to the kg shapes ({len(data)} triples)")
        return
    for violation in violations:
        click.echo(str(violation))
    noun = "violation" if len(violations) == 1 else "violations"
    click.echo(f"{graph} does not conform to the kg shapes: {len(violations)} {noun}")
    click.get_current_context().exit(1)
