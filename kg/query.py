"""Ask the graph: SPARQL 1.1 over an exported graph, through rdflib or, for big graphs, Oxigraph.

rdflib is the reference engine and reads any graph kg writes; Oxigraph (pyoxigraph, Rust) answers
the same questions many times faster once a graph passes `OXIGRAPH_THRESHOLD` triples. The two
must give the same answers, so parameters follow one rule: a parameter is a variable that the
query SELECTs and that a top-level triple pattern binds. There rdflib's `initBindings`
(pre-binding) and Oxigraph's `substitutions` (SEP-0007) mean the same thing, and values never
enter the query text.

Ready-made questions live in `kg/queries/<name>.rq`: the first line is `# description`, then
`# @param name required|optional description` lines. A line of the query ending in
`#@if name` is kept only when that parameter is given, one ending in `#@unless name` only when
it is not; this is how a question takes an optional filter without a FILTER the two engines
would read differently.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result
from rdflib.term import Identifier, Node
from rdflib.util import from_n3

from kg.errors import GraphError, KgError
from kg.export.store import STORE_NAME
from kg.oxigraph import from_ox, to_ox, to_quads
from kg.vocab import PREFIXES

__all__ = [
    "ENGINES",
    "GRAPH_FORMATS",
    "OXIGRAPH_THRESHOLD",
    "PREFIXES",
    "RESULT_FORMATS",
    "KnowledgeBase",
    "Param",
    "ParamError",
    "QueryError",
    "QueryResult",
    "QuerySyntaxError",
    "ReadyQuery",
    "check_read_only_local",
    "is_update",
    "keywords",
    "load",
    "parse_term",
    "ready_queries",
    "ready_query",
    "resolve_query",
    "serialize_graph",
    "write_result",
]

#: Above this many triples `load(engine="auto")` answers through Oxigraph.
OXIGRAPH_THRESHOLD = 200_000

ENGINES = ("auto", "rdflib", "oxigraph")


#: Formats for SELECT / ASK results, and for CONSTRUCT / DESCRIBE results.
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "nt", "jsonld", "xml", "table", "csv", "tsv", "json")

_RDF_FORMATS = {  # file suffix -> Oxigraph format
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}

_UPDATE = re.compile(
    r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE
)
_PROLOGUE = re.compile(
    r"^\s*(?:#[^\n]*\n|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>|\s+)*", re.IGNORECASE
)
_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_OX_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)
# What in a query is not a keyword: comments, strings, IRIs, variables and prefixed names.
_NOT_KEYWORDS = re.compile(
    r"""#[^\n]*|'{3}.*?'{3}|"{3}.*?"{3}|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*\""""
    r"""|<[^<>"{}|^`\\\s]*>|[?$]\w+|[\w.-]*:[\w.:%-]*""",
    re.DOTALL,
)
_LITERAL_PARAM = re.compile(
    r'^"(?:[^"\\]|\\.)*"'
    r'(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:<[^<>"\s]*>|[A-Za-z][\w.-]*:[\w.-]*))?$',
    re.DOTALL,
)


class QueryError(KgError):
    """A query or its parameters cannot be used as given: a usage error (exit code 2)."""

    exit_code = 2


class QuerySyntaxError(QueryError):
    def __init__(self, line: int, column: int, detail: str) -> None:
        self.line = line
        self.column = column
        self.detail = detail
        super().__init__(
            f"query syntax error at line {line}, column {column}: {detail} - fix the query"
        )


class ParamError(QueryError):
    pass


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class QueryResult:
    """One engine-neutral answer: rows of rdflib terms, a boolean, or a graph."""

    kind: str  # "select" | "ask" | "graph"
    vars: tuple[str, ...] = ()
    rows: tuple[tuple[Identifier | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = field(default=None, compare=False)

    def __len__(self) -> int:
        if self.kind == "graph":
            return len(self.graph) if self.graph is not None else 0
        return len(self.rows) if self.kind == "select" else 1

    def records(self) -> list[dict[str, str]]:
        """Rows as {var: lexical value}, unbound ones left out: handy for callers and tests."""
        return [{v: str(t) for v, t in zip(self.vars, row) if t is not None} for row in self.rows]


# --------------------------------------------------------------------------- terms


def parse_term(value: str) -> Identifier:
    """A --param value: a plain literal, unless written `<iri>`, `"lex"^^xsd:type` or `"lex"@lang`."""
    if not value.startswith(("<", '"')):
        return Literal(value)
    # from_n3 reads '"2019' as "" and '"a" junk' as "a": check the form first
    term = None if value.startswith('"') and not _LITERAL_PARAM.match(value) else _from_n3(value)
    if not isinstance(term, (URIRef, Literal)) or (
        isinstance(term, URIRef) and not value.endswith(">")
    ):
        raise ParamError(
            f'parameter value {value!r} is not an <iri> or a "literal" - '
            'write <https://...>, "2019"^^xsd:integer or plain text'
        )
    return term


def _from_n3(value: str) -> Node | str | None:
    try:
        return from_n3(value, nsm=_namespace_manager())
    except Exception:  # noqa: BLE001 - from_n3 raises bare exceptions of many kinds
        return None


def _namespace_manager():
    g = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri)
    return g.namespace_manager


def _to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    try:
        return to_ox(term)
    except TypeError:
        raise ParamError(f"cannot bind {term!r} - bind an <iri> or a literal") from None


# --------------------------------------------------------------------------- the graph


def is_update(text: str) -> bool:
    """Whether `text` is a SPARQL Update request, which kg refuses: graphs are read-only here."""
    prologue = _PROLOGUE.match(text)
    rest = text[prologue.end() :] if prologue else text
    return bool(_UPDATE.match(rest))


def keywords(text: str) -> set[str]:
    """The bare words of a query in upper case, outside strings, IRIs, comments and names.

    A regular scan rather than a parse: both engines must refuse the same queries before either
    parses them, and FROM, GRAPH and SERVICE are SPARQL keywords that nothing else can spell.
    """
    return {w.upper() for w in re.findall(r"[A-Za-z_]\w*", _NOT_KEYWORDS.sub(" ", text))}


def check_read_only_local(text: str) -> None:
    """Refuse what would leave the one graph kg serves: updates, FROM clauses, SERVICE calls.

    A kg graph is one default graph. rdflib ignores FROM over a plain graph while Oxigraph
    reads it as an empty named graph, and both engines fetch SERVICE endpoints over the network:
    refusing them keeps the two engines' answers equal and kg off the network.
    """
    if is_update(text):
        raise QueryError("SPARQL Update is not allowed - kg query only reads the graph")
    words = keywords(text)
    if "FROM" in words:
        raise QueryError(
            "FROM and FROM NAMED are not supported: a kg graph is one default graph - "
            "drop them, and choose the graph file with --graph"
        )
    if "SERVICE" in words:
        raise QueryError(
            "SERVICE (federated query) is not allowed: kg only queries the local graph - "
            "drop the SERVICE block"
        )


class KnowledgeBase:
    """An exported graph, loaded once and asked many questions."""

    def __init__(self, path: Path, store: ox.Store, engine: str, triples: int | None = None) -> None:
        self.path = path
        self.store = store
        self.engine = engine
        # counting a store on disk reads all of it (0.4 s for a million triples): once is enough
        self.triples = len(store) if triples is None else triples

    @cached_property
    def graph(self) -> Graph:
        """The rdflib graph, made on first use (stats, exports and the rdflib engine need it)
        from the store, which holds what the file held: the file is parsed once, by Oxigraph,
        or not at all when kg build's store is used."""
        g = Graph(bind_namespaces="none")
        for prefix, iri in PREFIXES.items():
            g.bind(prefix, iri)
        terms: dict[object, Identifier | None] = {}

        def term(node: object) -> Identifier | None:
            if node not in terms:
                terms[node] = from_ox(node)
            return terms[node]

        for quad in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            g.add((term(quad.subject), term(quad.predicate), term(quad.object)))  # type: ignore[arg-type]
        return g

    def ntriples(self) -> str:
        """The whole graph as sorted N-Triples, written by Oxigraph (no rdflib parse needed)."""
        dataset = ox.Dataset(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        # Blank nodes (the ontology's lists) get new ids at every parse; RDFC-1.0 fixes them.
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        text = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS) or b""
        lines = text.decode("utf-8").splitlines()
        return "\n".join(sorted(line for line in lines if line.strip())) + "\n"

    def query(
        self,
        text: str,
        params: Mapping[str, Identifier] | None = None,
        engine: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query; `params` bind variables (see the module docstring)."""
        params = dict(params or {})
        check_read_only_local(text)
        for name in params:
            if not _VAR_NAME.match(name):
                raise ParamError(
                    f"--param {name!r} is not a variable name - use letters, digits, _"
                )
            if not re.search(rf"[?$]{re.escape(name)}\b", text):
                raise ParamError(
                    f"--param {name}: the query has no variable ?{name} - check the name"
                )
        engine = engine or self.engine
        if "GRAPH" in keywords(text):
            # rdflib fails on GRAPH over a plain graph; Oxigraph answers it (a kg graph has no
            # named graphs, so GRAPH patterns match nothing, as SPARQL says they should).
            engine = "oxigraph"
        if engine == "oxigraph":
            return self._query_oxigraph(text, params)
        return self._query_rdflib(text, params)

    def _query_rdflib(self, text: str, params: dict[str, Identifier]) -> QueryResult:
        try:
            prepared = prepareQuery(text, initNs=PREFIXES)
        except Exception as exc:  # noqa: BLE001 - ParseException, or bare Exception for prefixes
            raise _rdflib_syntax_error(text, exc) from None
        algebra = prepared.algebra
        if algebra.name == "SelectQuery" and params:
            projected = {str(v) for v in algebra.get("PV")}
            for name in params:
                if name not in projected:
                    raise _not_projected(name)
        result = self.graph.query(
            prepared, initBindings={Variable(k): v for k, v in params.items()}
        )
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return QueryResult("graph", graph=_sorted_graph(result.graph or ()))
        names = tuple(str(v) for v in result.vars or ())
        rows = tuple(tuple(row.get(Variable(v)) for v in names) for row in result.bindings)
        return QueryResult("select", vars=names, rows=rows)

    def _query_oxigraph(self, text: str, params: dict[str, Identifier]) -> QueryResult:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): _to_ox(v) for k, v in params.items()
        }
        try:
            result = self.store.query(text, prefixes=PREFIXES, substitutions=substitutions)
        except SyntaxError as exc:
            unknown = _unknown_prefix(text)
            if unknown is not None:
                raise unknown from None
            match = _OX_POSITION.match(str(exc))
            if match:
                line, column, detail = match.groups()
                raise QuerySyntaxError(int(line), int(column), _short(detail)) from None
            raise QuerySyntaxError(1, 1, _short(str(exc))) from None
        except RuntimeError as exc:
            found = re.search(r"variable \?(\w+) in its SELECT projection", str(exc))
            if found:
                raise _not_projected(found.group(1)) from None
            raise
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            triples = (
                (from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in result
            )
            return QueryResult("graph", graph=_sorted_graph(triples))
        variables = result.variables
        names = tuple(v.value for v in variables)
        rows = tuple(tuple(from_ox(sol[v]) for v in variables) for sol in result)
        return QueryResult("select", vars=names, rows=rows)


def load(
    path: str | Path, engine: str = "auto", threshold: int = OXIGRAPH_THRESHOLD
) -> KnowledgeBase:
    """Read a graph file. Oxigraph always parses it (fast) so that its size picks the engine."""
    path = Path(path)
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r} - use one of {', '.join(ENGINES)}")
    if not path.is_file():
        raise GraphError(
            f"{path}: no graph file here - run kg build first (it writes exports/graph.ttl) "
            "or pass --graph"
        )
    formats = _RDF_FORMATS.get(path.suffix.lower())
    if formats is None:
        raise GraphError(
            f"{path}: unknown graph format {path.suffix or '(no suffix)'} - "
            f"use one of {', '.join(sorted(_RDF_FORMATS))}"
        )
    ox_format = formats
    store = _built_store(path)
    if store is None:
        store = ox.Store()
        try:
            store.bulk_load(path=str(path), format=ox_format)
        except SyntaxError as exc:
            raise GraphError(
                f"{path}: not a valid graph ({_short(str(exc))}) - rebuild it with kg build"
            ) from None
    triples = len(store)
    if engine == "auto":
        engine = "oxigraph" if triples > threshold else "rdflib"
    return KnowledgeBase(path, store, engine, triples)


def _built_store(path: Path) -> ox.Store | None:
    """The Oxigraph store kg build wrote beside `path`, unless the graph file is newer (edited
    since) or the store cannot be opened; then the graph file is parsed instead."""
    folder = path.parent / STORE_NAME
    try:
        if path.name != "graph.ttl" or folder.stat().st_mtime < path.stat().st_mtime:
            return None
        return ox.Store.read_only(str(folder))
    except OSError:
        return None


def _new_graph() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri)
    return g


def _sorted_graph(triples: Iterable[tuple[Any, Any, Any]]) -> Graph:
    """A result graph filled in sorted order: serializers that follow the store's order (RDF/XML)
    then write the same bytes every time, whatever order the engine produced."""
    g = _new_graph()
    for triple in _sorted_triples(triples):
        g.add(triple)
    return g


def _sorted_triples(triples: Iterable[tuple[Any, Any, Any]]) -> list[tuple[Any, Any, Any]]:
    return sorted(triples, key=lambda t: tuple(x.n3() for x in t))


def _not_projected(name: str) -> ParamError:
    return ParamError(
        f"--param {name}: the query does not SELECT ?{name} - add ?{name} to the SELECT clause"
    )


def _rdflib_syntax_error(text: str, exc: Exception) -> QuerySyntaxError:
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "col", None)
    if line is not None and column is not None:
        detail = getattr(exc, "msg", None) or str(exc)
        return QuerySyntaxError(int(line), int(column), _short(detail))
    prefix = re.search(r"Unknown namespace prefix : (\S+)", str(exc))
    if prefix:
        at = re.search(rf"(?<![\w<]){re.escape(prefix.group(1))}:", text)
        offset = at.start() if at else 0
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return QuerySyntaxError(
            line, column, f"unknown prefix {prefix.group(1)}: (declare it with PREFIX)"
        )
    return QuerySyntaxError(1, 1, _short(str(exc)))


def _unknown_prefix(text: str) -> QuerySyntaxError | None:
    """The error for an undeclared prefix, which Oxigraph reports as a puzzling "expected ..."."""
    try:
        prepareQuery(text, initNs=PREFIXES)
    except Exception as exc:  # noqa: BLE001 - ParseException, or bare Exception for prefixes
        if "Unknown namespace prefix" in str(exc):
            return _rdflib_syntax_error(text, exc)
    return None


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- ready-made


@dataclass(frozen=True)
class Param:
    name: str
    required: bool
    description: str


@dataclass(frozen=True)
class ReadyQuery:
    """A question kept as kg/queries/<name>.rq."""

    name: str
    description: str
    params: tuple[Param, ...]
    template: str

    def text(self, given: Iterable[str] = ()) -> str:
        """The query for the parameters given: `#@if` / `#@unless` lines kept or dropped."""
        given = set(given)
        lines = []
        for line in self.template.splitlines():
            cond = re.search(r"#@(if|unless)\s+(\w+)\s*$", line)
            if cond:
                keep = (cond.group(2) in given) == (cond.group(1) == "if")
                if not keep:
                    continue
                line = line[: cond.start()].rstrip()
            lines.append(line)
        return "\n".join(lines) + "\n"

    def check(self, given: Iterable[str]) -> None:
        given = set(given)
        known = {p.name for p in self.params}
        for name in sorted(given - known):
            choices = ", ".join(sorted(known)) or "none"
            raise ParamError(f"{self.name} takes no parameter {name!r} - its parameters: {choices}")
        for p in self.params:
            if p.required and p.name not in given:
                raise ParamError(
                    f"{self.name} needs --param {p.name} NAME - e.g. "
                    f"kg query {self.name} --param {p.name} …"
                )


def _parse_ready(name: str, text: str) -> ReadyQuery:
    lines = text.splitlines()
    if not lines or not lines[0].startswith("# "):
        raise KgError(f"kg/queries/{name}.rq: no '# description' first line - add one")
    params = []
    for line in lines[1:]:
        m = re.match(r"#\s*@param\s+(\w+)\s+(required|optional)\s+(.*)$", line)
        if m:
            params.append(Param(m.group(1), m.group(2) == "required", m.group(3).strip()))
    return ReadyQuery(name, lines[0][2:].strip(), tuple(params), text)


def ready_queries() -> tuple[ReadyQuery, ...]:
    """Every ready-made question, sorted by name."""
    folder = resources.files("kg") / "queries"
    found = [
        _parse_ready(entry.name[: -len(".rq")], entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    ]
    return tuple(sorted(found, key=lambda q: q.name))


def ready_query(name: str) -> ReadyQuery:
    for q in ready_queries():
        if q.name == name:
            return q
    raise QueryError(f"no ready-made question named {name!r} - kg query --list shows them")


def resolve_query(text: str) -> ReadyQuery | None:
    """The ready-made question `text` names, or None when `text` is SPARQL itself."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", text.strip()) and not is_update(text):
        return ready_query(text.strip())
    return None


# --------------------------------------------------------------------------- output


def write_result(result: QueryResult, fmt: str, out: TextIO) -> None:
    """Write a result in one of RESULT_FORMATS (or GRAPH_FORMATS for graph results)."""
    if result.kind == "graph":
        graph = result.graph
        assert graph is not None  # a graph result always holds its graph
        if fmt in ("table", "turtle"):
            out.write(serialize_graph(graph, "turtle"))
        elif fmt in ("nt", "xml"):
            out.write(serialize_graph(graph, fmt))
        elif fmt in ("json", "jsonld"):
            out.write(serialize_graph(graph, "jsonld"))
        elif fmt in ("csv", "tsv"):
            triples = _sorted_triples(graph)
            write_result(
                QueryResult("select", ("subject", "predicate", "object"), tuple(triples)),
                fmt,
                out,
            )
        else:
            raise QueryError(f"unknown format {fmt!r} - use one of {', '.join(GRAPH_FORMATS)}")
        return
    if fmt not in RESULT_FORMATS:
        raise QueryError(
            f"--format {fmt} is for CONSTRUCT/DESCRIBE results - "
            f"use one of {', '.join(RESULT_FORMATS)}"
        )
    if result.kind == "ask":
        if fmt in ("json", "xml"):
            out.write(_result_text(result, fmt))
        else:
            out.write("true\n" if result.boolean else "false\n")
        return
    if fmt == "table":
        out.write(format_table(result.vars, result.rows))
    elif fmt == "tsv":
        out.write(_tsv(result))
    else:
        out.write(_result_text(result, fmt))


def _result_text(result: QueryResult, fmt: str) -> str:
    """csv, json, xml: rdflib's serializers follow the SPARQL 1.1 result formats."""
    raw = _rdflib_result(result).serialize(format=fmt)
    assert raw is not None  # with no destination, serialize returns the bytes
    text = raw.decode("utf-8")
    if fmt == "json":  # the head first, as the specification and every reader expect to see it
        data = json.loads(text)
        text = json.dumps({"head": data.pop("head", {}), **data}, ensure_ascii=False)
    return text if text.endswith("\n") else text + "\n"


def _rdflib_result(result: QueryResult) -> Result:
    r = Result("ASK" if result.kind == "ask" else "SELECT")
    if result.kind == "ask":
        r.askAnswer = result.boolean
        return r
    r.vars = [Variable(v) for v in result.vars]
    r.bindings = [
        {Variable(v): t for v, t in zip(result.vars, row) if t is not None} for row in result.rows
    ]
    return r


def _tsv(result: QueryResult) -> str:
    # SPARQL 1.1 TSV (terms in N-Triples form); rdflib ships a TSV parser but no serializer.
    lines = ["\t".join("?" + v for v in result.vars)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else _nt_term(t) for t in row))
    return "\n".join(lines) + "\n"


def _nt_term(term: Identifier) -> str:
    if isinstance(term, Literal) and term.datatype is not None and term.language is None:
        # N-Triples form, not rdflib's Turtle shortcuts (2019 instead of "2019"^^xsd:integer)
        return f"{Literal(str(term)).n3()}^^<{term.datatype}>"
    return term.n3()


def compact(term: Identifier | None) -> str:
    """How a table shows a term: IRIs shortened by PREFIXES, literals as their text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        for prefix, ns in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns) :]}"
        return f"<{iri}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def format_table(names: Iterable[str], rows: Iterable[Iterable[Identifier | None]]) -> str:
    """An aligned text table; wide (CJK) characters count as two columns."""
    from wcwidth import wcswidth

    def width(s: str) -> int:
        w = wcswidth(s)
        return w if w >= 0 else len(s)

    header = list(names)
    cells = [[" ".join(compact(t).split()) for t in row] for row in rows]
    widths = [width(h) for h in header]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], width(c))

    def line(values: list[str]) -> str:
        padded = [v + " " * (widths[i] - width(v)) for i, v in enumerate(values)]
        return "  ".join(padded).rstrip()

    out = io.StringIO()
    out.write(line(header) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write(line(row) + "\n")
    return out.getvalue()


def serialize_graph(graph: Graph, fmt: str) -> str:
    """A graph as text in a stable order: turtle (longturtle), nt (sorted lines), jsonld, xml."""
    graph = _stable_graph(graph)
    if fmt == "turtle":
        return graph.serialize(format="longturtle")
    if fmt == "nt":
        lines = graph.serialize(format="nt").splitlines()
        return "\n".join(sorted(line for line in lines if line.strip())) + "\n"
    if fmt == "jsonld":
        context = {p: ns for p, ns in PREFIXES.items()}
        text = graph.serialize(format="json-ld", context=context, sort_keys=True, indent=2)
        # rdflib writes nodes in set order, which changes from run to run: sort them here.
        return (
            json.dumps(_sorted_json(json.loads(text)), ensure_ascii=False, indent=2, sort_keys=True)
            + "\n"
        )
    if fmt == "xml":
        # Oxigraph writes RDF/XML in the order given and loses nothing; rdflib's writers declare
        # namespaces in set order and the pretty one drops statements about list nodes.
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in to_quads(_sorted_triples(graph))]
        xml = ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES) or b""
        return xml.decode("utf-8")
    raise QueryError(f"unknown graph format {fmt!r} - use turtle, nt, jsonld or xml")


def _stable_graph(graph: Graph) -> Graph:
    """The graph with canonical blank-node ids, which are new at every parse otherwise.

    Only the triples that hold a blank node decide its canonical id, so only they go through
    rdflib's canonicalisation: on a graph of 200,000 triples that is milliseconds, not seconds.
    """
    with_bnodes = [t for t in graph if any(isinstance(x, BNode) for x in t)]
    if not with_bnodes:
        return graph
    from rdflib.compare import to_canonical_graph

    part = Graph()
    for triple in with_bnodes:
        part.add(triple)
    stable = _new_graph()
    for triple in graph:
        if not any(isinstance(x, BNode) for x in triple):
            stable.add(triple)
    for triple in to_canonical_graph(part):
        stable.add(triple)
    return stable


def _sorted_json(value: Any, key: str = "") -> Any:
    """JSON-LD with every array sorted, except @list arrays, whose order is data."""
    if isinstance(value, dict):
        return {k: _sorted_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value
