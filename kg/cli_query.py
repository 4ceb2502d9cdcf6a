"""Commands that read an exported graph: query, stats, export, serve.

Each command only translates flags into calls of kg.query, kg.stats and kg.serve, and library
errors into one line on stderr (exit 1; usage errors such as a bad query exit 2).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.errors import KgError

DEFAULT_GRAPH = "exports/graph.ttl"

graph_option = click.option(
    "--graph",
    "graph_path",
    default=DEFAULT_GRAPH,
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Graph file written by kg build (Turtle, N-Triples, JSON-LD or RDF/XML).",
)
engine_option = click.option(
    "--engine",
    type=click.Choice(["auto", "rdflib", "oxigraph"]),
    default="auto",
    show_default=True,
    help="Query engine; auto uses Oxigraph above 200,000 triples and rdflib below.",
)


def _fail(exc: KgError) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(getattr(exc, "exit_code", 1))


def _load(graph_path: Path, engine: str = "auto"):
    from kg.query import load

    return load(graph_path, engine=engine)


@click.command(
    epilog="""\b
Examples:
  kg query --list
  kg query partners --param school 某某职校
  kg query 'SELECT ?s ?label WHERE { ?s a kg:School ; rdfs:label ?label }' --format csv
  kg query -f my-question.rq --param year '"2019"^^xsd:integer'
  echo 'ASK { ?s kg:assists ?o }' | kg query -"""
)
@click.argument("query", required=False)
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.File("r", encoding="utf-8"),
    help="Read the SPARQL query from this file ('-' for stdin).",
)
@click.option(
    "--param",
    "params",
    nargs=2,
    multiple=True,
    metavar="NAME VALUE",
    help='Bind ?NAME to VALUE (a plain literal; <iri> or "2019"^^xsd:integer for others). '
    "Repeatable.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "nt", "jsonld"]),
    default="table",
    show_default=True,
    help="Output: table, csv, tsv, json (SPARQL 1.1 results), xml; "
    "CONSTRUCT/DESCRIBE results print Turtle unless nt, jsonld, xml (RDF/XML), csv or tsv "
    "is asked.",
)
@click.option("--list", "list_", is_flag=True, help="List the ready-made questions and exit.")
@graph_option
@engine_option
def query(query, query_file, params, fmt, list_, graph_path, engine):
    """Ask the graph a SPARQL 1.1 question, or a ready-made one by name.

    QUERY is SPARQL text, the name of a ready-made question (see --list), or '-' to read SPARQL
    from stdin. The prefixes kg:, id:, rdf:, rdfs:, owl:, skos:, prov:, dcterms: and xsd: are
    predeclared. The graph is read only, and is one default graph: updates, FROM and SERVICE
    are refused.
    """
    from kg import query as q

    try:
        if list_:
            _list_ready(q.ready_queries())
            return
        if query_file is not None and query is not None:
            raise q.QueryError("give a QUERY or -f FILE, not both - drop one")
        if query_file is not None:
            text, ready = query_file.read(), None
        elif query == "-":
            text, ready = sys.stdin.read(), None
        elif query:
            ready = q.resolve_query(query)
            text = query
        else:
            raise q.QueryError(
                "no query given - pass SPARQL text, a name from kg query --list, -f FILE or -"
            )
        bound = {name: q.parse_term(value) for name, value in params}
        if len(bound) != len(params):
            raise q.ParamError("a --param name is given twice - give each name once")
        if ready is not None:
            ready.check(bound)
            text = ready.text(bound)
        kb = _load(graph_path, engine)
        result = kb.query(text, bound)
        q.write_result(result, fmt, sys.stdout)
        if result.kind == "select" and sys.stderr.isatty():
            click.echo(f"{len(result.rows)} rows", err=True)
    except KgError as exc:
        _fail(exc)


def _list_ready(ready) -> None:
    width = max((len(r.name) for r in ready), default=0)
    for r in ready:
        click.echo(f"{r.name.ljust(width)}  {r.description}")
        for p in r.params:
            kind = "required" if p.required else "optional"
            click.echo(f"{'':{width}}    --param {p.name} ({kind}): {p.description}")


@click.command(
    epilog="""\b
Examples:
  kg stats
  kg stats --graph /tmp/out/graph.ttl --top 5 --format json"""
)
@graph_option
@click.option(
    "--top", default=10, show_default=True, type=click.IntRange(1), help="Entities per class."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for reading, json for scripts.",
)
def stats(graph_path, top, fmt):
    """Show the most connected entities, the components and entities shared by reports."""
    from kg.stats import compute_stats, stats_json, stats_text

    try:
        result = compute_stats(_load(graph_path), top=top)
    except KgError as exc:
        _fail(exc)
        return
    click.echo(stats_json(result) if fmt == "json" else stats_text(result), nl=False)


@click.command(
    epilog="""\b
Examples:
  kg export --format graphml -o network.graphml   (open it in Gephi)
  kg export --format jsonld -o graph.jsonld
  kg export --format nt > graph.nt
  kg export --format csv -o indicators.csv   (indicator values, one row each)"""
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "jsonld", "nt", "csv"]),
    required=True,
    help="graphml: the entity network for Gephi; jsonld: JSON-LD; nt: sorted N-Triples; "
    "csv: the indicator values, one row per observation.",
)
@graph_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of stdout.",
)
def export(fmt, graph_path, output):
    """Write the graph for Gephi, JSON-LD or bulk loaders, or its indicator values as CSV."""
    from kg.query import serialize_graph
    from kg.stats import graphml_text, observations_csv

    try:
        kb = _load(graph_path)
        if fmt == "graphml":
            text = graphml_text(kb)
        elif fmt == "csv":
            text = observations_csv(kb)
        elif fmt == "nt":
            text = kb.ntriples()
        else:
            text = serialize_graph(kb.graph, fmt)
    except KgError as exc:
        _fail(exc)
        return
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        click.echo(
            f"Error: {output}: cannot write ({exc.strerror}) - pick another -o path", err=True
        )
        sys.exit(1)
    click.echo(f"Wrote {output} ({fmt})", err=True)


@click.command(
    epilog="""\b
Examples:
  kg serve
  kg serve --port 8000 &  curl 'http://127.0.0.1:8000/sparql?query=ASK{?s?p?o}'
  kg serve --timeout 60 --max-rows 100000 --max-memory 4096"""
)
@graph_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=7878,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0 picks a free one).",
)
@engine_option
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0, min_open=True),
    metavar="SECONDS",
    help="Stop a query that runs longer (503), and a request that waits longer for a worker.",
)
@click.option(
    "--max-rows",
    default=10_000,
    show_default=True,
    type=click.IntRange(0),
    metavar="N",
    help="Refuse an answer of more rows or triples (500); 0: no limit.",
)
@click.option(
    "--max-body",
    default=2**20,
    show_default=True,
    type=click.IntRange(1),
    metavar="BYTES",
    help="Refuse a longer POST body (413).",
)
@click.option(
    "--max-memory",
    default=1024,
    show_default=True,
    type=click.IntRange(0),
    metavar="MB",
    help="Stop a query that allocates more on top of the loaded graph (503); 0: no limit.",
)
@click.option(
    "--workers",
    default=4,
    show_default=True,
    type=click.IntRange(1),
    metavar="N",
    help="Queries run at once, each in a process of its own; more wait for a free one.",
)
def serve(graph_path, host, port, engine, timeout, max_rows, max_body, max_memory, workers):
    """Serve the graph as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql."""
    import gc

    from kg.serve import Limits, make_server

    limits = Limits(
        timeout=timeout,
        max_body=max_body,
        max_rows=max_rows or None,
        max_memory=max_memory or None,
        workers=workers,
    )
    try:
        kb = _load(graph_path, engine)
    except KgError as exc:
        _fail(exc)
        return
    try:
        server = make_server(kb, host, port, limits)
    except KgError as exc:  # the rdflib graph, parsed before the first query
        _fail(exc)
        return
    except OSError as exc:
        click.echo(
            f"Error: cannot listen on {host}:{port} ({exc.strerror}) - pick another --port",
            err=True,
        )
        sys.exit(1)
    bound_host, bound_port = server.server_address[:2]
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"Warning: listening on {host}, reachable from other machines", err=True)
    click.echo(
        f"Serving {graph_path} ({kb.triples} triples, {kb.engine}) at "
        f"http://{bound_host}:{bound_port}/sparql - press Ctrl-C to stop",
        err=True,
    )
    rows = f"{max_rows} rows" if max_rows else "any number of rows"
    memory = f"{max_memory} MB" if max_memory else "any memory"
    click.echo(
        f"Each query: at most {timeout:g} s, {rows}, {memory}; {workers} at once", err=True
    )
    gc.freeze()  # the graph lives as long as the server: keep it out of every collection's scan
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
