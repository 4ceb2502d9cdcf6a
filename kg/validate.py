"""Check a built graph against the SHACL shapes of ontology/shapes.ttl.

The SPARQL constraints run once over the whole graph in Oxigraph. The core constraints are
checked by pySHACL for `kg validate`, the reference for graphs from anywhere, and by kg.shapes,
linear in the graph, for the graphs `kg build` writes. Either way the result is sorted
one-line `Violation`s that a user (and a test) can read, with IRIs written as kg:/id: names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, NamespaceManager
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.errors import GraphError
from kg.oxigraph import from_ox, to_store
from kg.shapes import ShapeResult, UnsupportedShapes, check_core
from kg.vocab import ID, KG

__all__ = ["ONTOLOGY_DIR", "SHAPES", "Violation", "read_graph", "validate"]

#: The ontology folder sits next to the package, at the root of the repository.
ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"

#: How violations write IRIs; none of these namespaces is inside another.
_PREFIXES = {
    "kg": KG._NS,
    "id": ID,
    "rdf": RDF._NS,
    "rdfs": RDFS._NS,
    "owl": OWL._NS,
    "skos": SKOS._NS,
    "prov": PROV._NS,
    "dcterms": DCTERMS._NS,
    "xsd": XSD._NS,
}

#: Datatypes shown without quotes, as Turtle would write them.
_BARE = frozenset({XSD.integer, XSD.decimal, XSD.double, XSD.boolean})


@dataclass(frozen=True, order=True)
class Violation:
    """One way a graph breaks the shapes; fields are short names (``id:school/3fa2…``)."""

    focus: str  # the node that breaks the shape
    path: str  # the property concerned, "" when the shape is about the node itself
    message: str  # what the shape requires
    value: str = ""  # the offending value, when it is not the focus node itself

    def __str__(self) -> str:
        where = f"{self.focus} {self.path}" if self.path else self.focus
        value = f" (value: {self.value})" if self.value else ""
        return f"{where}: {self.message}{value}"


def read_graph(path: str | Path) -> Graph:
    """Parse a Turtle file, turning parser errors into a `GraphError` the CLI can print."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as error:
        raise GraphError(
            f"{path} is not valid Turtle: {_syntax_reason(error)}"
            " - fix that line or build the graph again with kg build"
        ) from None
    except UnicodeDecodeError:
        raise GraphError(
            f"{path} is not valid Turtle: it is not UTF-8 - re-save it as UTF-8"
        ) from None
    except FileNotFoundError:
        raise GraphError(f"{path} does not exist - run kg build first") from None
    except IsADirectoryError:
        raise GraphError(f"{path} is a folder - give the graph.ttl inside it") from None
    if len(graph) == 0:
        raise GraphError(f"{path} holds no triples - build the graph with kg build")
    return graph


def validate(graph: Graph, *, engine: str = "pyshacl", store: ox.Store | None = None) -> list[Violation]:
    """Every violation of the kg shapes in `graph`, sorted; an empty list if it conforms.

    `engine="core"` checks the core constraints with kg.shapes, in time linear in the graph,
    for `kg build`; it falls back to pySHACL if the shapes use what kg.shapes does not read.
    `store` holds the same graph in Oxigraph, when the caller has it already.
    """
    shapes = Graph().parse(SHAPES, format="turtle")
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in _PREFIXES.items():
        names.bind(prefix, namespace)
    whole_graph = set(_sparql_constraints(graph, shapes, names, store))  # first: it removes them
    if engine == "core":
        try:
            results = check_core(graph, shapes)
        except UnsupportedShapes:
            pass
        else:
            return sorted(whole_graph | {_core_violation(r, names) for r in results})
    # Imported here: pySHACL is only needed by this command, not by every `kg` invocation.
    from pyshacl import validate as shacl_validate

    _conforms, report, _text = shacl_validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
    )
    if isinstance(report, Graph):
        violations = {
            _violation(report, result, names)
            for result in report.subjects(SH.resultSeverity, SH.Violation)
        }
        return sorted(violations | whole_graph)
    # pySHACL could not use the shapes: a bug in shapes.ttl, not in the user's graph.
    raise RuntimeError(f"{SHAPES}: {report}")


def _sparql_constraints(
    graph: Graph, shapes: Graph, names: NamespaceManager, store: ox.Store | None = None
) -> Iterator[Violation]:
    """The SPARQL constraints of the shapes, each run once over the whole graph by Oxigraph;
    they are then taken out of `shapes`.

    pySHACL runs a constraint's query once per focus node, through rdflib: 18,000 queries
    on a build of 100 reports, growing faster than the graph. With `$this` left free, one
    query finds every focus node that breaks it, and those in the shape's targets are the
    same results SHACL defines; Oxigraph answers it in a tenth of a second where rdflib
    takes ten.
    """
    constraints = list(shapes.subject_objects(SH.sparql))
    if constraints and store is None:
        store = to_store(graph)
    for shape, constraint in constraints:
        targets: set[Node] = set()
        for cls in shapes.objects(shape, SH.targetClass):
            targets.update(graph.subjects(RDF.type, cls))
        for predicate in shapes.objects(shape, SH.targetSubjectsOf):
            targets.update(graph.subjects(predicate, None, unique=True))
        message = str(shapes.value(constraint, SH.message) or "breaks a kg shape")
        text = str(shapes.value(constraint, SH.select)).replace("$this", "?this")
        solutions = store.query(text)  # type: ignore[union-attr]
        assert isinstance(solutions, ox.QuerySolutions), "a SHACL constraint is a SELECT"
        selected = {variable.value for variable in solutions.variables}
        for row in solutions:
            focus = from_ox(row["this"])
            if focus not in targets:
                continue
            path = from_ox(row["path"]) if "path" in selected else None
            value = from_ox(row["value"]) if "value" in selected else None
            yield Violation(
                focus=_name(focus, names),
                path=_name(path, names) if isinstance(path, URIRef) else "",
                message=message,
                value="" if value is None or value == focus else _name(value, names),
            )
        shapes.remove((shape, SH.sparql, constraint))


def _violation(report: Graph, result: Node, names: NamespaceManager) -> Violation:
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    messages = sorted(str(message) for message in report.objects(result, SH.resultMessage))
    return Violation(
        focus=_name(focus, names),
        path=_name(path, names) if isinstance(path, URIRef) else "",
        message="; ".join(messages) or "breaks a kg shape",
        value="" if value is None or value == focus else _name(value, names),
    )


def _core_violation(result: ShapeResult, names: NamespaceManager) -> Violation:
    return Violation(
        focus=_name(result.focus, names),
        path=_name(result.path, names) if isinstance(result.path, URIRef) else "",
        message=result.message,
        value="" if result.value is None or result.value == result.focus else _name(result.value, names),
    )


def _name(node: Node | None, names: NamespaceManager) -> str:
    """A short name to read, not Turtle: ``id:school/3fa2b19c0d4e`` (a slash is no Turtle)."""
    if isinstance(node, URIRef):
        for prefix, namespace in _PREFIXES.items():
            if node.startswith(namespace) and len(node) > len(namespace):
                return f"{prefix}:{node[len(namespace) :]}"
        return node.n3()
    if isinstance(node, Literal) and node.datatype in _BARE:
        return str(node)
    return "" if node is None else node.n3(names)


def _syntax_reason(error: BadSyntax) -> str:
    """rdflib's message spans several lines and quotes raw bytes: keep line number and why."""
    match = re.search(r"at line (\d+).*?Bad syntax \((.*?)\) at \^", str(error), re.DOTALL)
    if match is None:
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"line {match.group(1)}: {match.group(2)}"
