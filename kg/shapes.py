"""The SHACL Core constraints of ontology/shapes.ttl, checked in time linear in the graph.

`kg build` validates every graph it writes. pySHACL walks rdflib's generic graph API for
each focus node and each constraint, and on a build of 1,000 reports that costs minutes,
more than extracting the reports. The shapes kg ships use a small part of SHACL Core, so
this module indexes the graph once (subject → predicate → objects) and checks each of
those components with dictionary lookups. It gives the same violations as pySHACL - a
test compares the two on graphs broken in every way the shapes forbid - and refuses
shapes that use anything else (`UnsupportedShapes`), so a new component in shapes.ttl
cannot be silently ignored: `kg.validate` then falls back to pySHACL.

No library fits: pySHACL is the only maintained SHACL engine for rdflib, and pyoxigraph
has none.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

__all__ = ["ShapeResult", "UnsupportedShapes", "check_core"]

#: Every predicate of the SHACL vocabulary this checker understands on a shape.
_UNDERSTOOD = frozenset(
    {
        RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.property, SH.path, SH.message,
        SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minLength,
        SH.minInclusive, SH.pattern, SH["in"], SH.hasValue, SH["or"], SH.lessThanOrEquals,
        SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
        SH.sparql,  # run by kg.validate, once over the whole graph
    }
)


class UnsupportedShapes(Exception):
    """The shapes use a part of SHACL this checker does not implement."""


@dataclass(frozen=True)
class ShapeResult:
    """One violation as pySHACL's report states it: focus, result path, value, message."""

    focus: Node
    path: Node | None
    value: Node | None
    message: str


@dataclass
class _Index:
    """The graph as dictionaries: one pass over the triples, then lookups only."""

    objects: dict[Node, dict[Node, list[Node]]] = field(default_factory=lambda: defaultdict(dict))
    subjects_of: dict[Node, set[Node]] = field(default_factory=lambda: defaultdict(set))
    of_type: dict[Node, set[Node]] = field(default_factory=lambda: defaultdict(set))
    supers: dict[Node, set[Node]] = field(default_factory=dict)
    inverses: dict[Node, dict[Node, list[Node]]] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: Graph) -> _Index:
        index = cls()
        for s, p, o in graph:
            index.objects[s].setdefault(p, []).append(o)
            index.subjects_of[p].add(s)
            if p == RDF.type:
                index.of_type[o].add(s)
        parents: dict[Node, set[Node]] = defaultdict(set)
        for child in index.subjects_of.get(RDFS.subClassOf, ()):
            parents[child].update(index.values(child, RDFS.subClassOf))
        for start in list(parents):
            seen, stack = set(), [start]
            while stack:  # SHACL instances: rdf:type/rdfs:subClassOf* in the data graph
                for parent in parents.get(stack.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        stack.append(parent)
            index.supers[start] = seen
        return index

    def values(self, node: Node, predicate: Node) -> list[Node]:
        by_predicate = self.objects.get(node)
        return by_predicate.get(predicate, []) if by_predicate else []

    def is_instance(self, node: Node, cls: Node) -> bool:
        return any(t == cls or cls in self.supers.get(t, ()) for t in self.values(node, RDF.type))

    def instances(self, cls: Node) -> set[Node]:
        classes = {cls} | {c for c, up in self.supers.items() if cls in up}
        return set().union(*(self.of_type.get(c, set()) for c in classes))

    def subjects(self, node: Node, predicate: Node) -> list[Node]:
        """The subjects that point to `node` with `predicate` (an inverse path)."""
        if predicate not in self.inverses:
            found: dict[Node, list[Node]] = defaultdict(list)
            for subject in self.subjects_of.get(predicate, ()):
                for obj in self.values(subject, predicate):
                    found[obj].append(subject)
            self.inverses[predicate] = found
        return self.inverses[predicate].get(node, [])


# A constraint: (index, focus, value nodes) -> the offending values; None stands for a
# violation about the set of values as a whole (a count), which has no sh:value.
_Check = Callable[[_Index, Node, list[Node]], Iterable[Node | None]]
# The constraint components and their checks: (index, focus, values, parameter) -> offending.
_Component = Callable[..., list[Node | None]]


@dataclass
class _Shape:
    node: Node
    message: str
    path: Node | None = None
    inverse: bool = False
    checks: list[_Check] = field(default_factory=list)
    properties: list[_Shape] = field(default_factory=list)

    def value_nodes(self, index: _Index, focus: Node) -> list[Node]:
        if self.path is None:
            return [focus]
        if self.inverse:
            return index.subjects(focus, self.path)
        return index.values(focus, self.path)

    def results(self, index: _Index, focus: Node) -> Iterator[ShapeResult]:
        values = self.value_nodes(index, focus)
        result_path = None if self.path is None or self.inverse else self.path
        for check in self.checks:
            for value in check(index, focus, values):
                yield ShapeResult(focus, result_path, value, self.message)
        for shape in self.properties:
            for value in values:
                yield from shape.results(index, value)

    def conforms(self, index: _Index, focus: Node) -> bool:
        return next(self.results(index, focus), None) is None


class _Reader:
    """Turns the shapes graph into `_Shape`s, refusing what it does not understand."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes

    def one(self, node: Node, predicate: URIRef) -> Node | None:
        values = list(self.shapes.objects(node, predicate))
        if len(values) > 1:
            raise UnsupportedShapes(f"{node} has more than one {predicate}")
        return values[0] if values else None

    def number(self, node: Node, predicate: URIRef) -> int:
        value = self.one(node, predicate)
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            raise UnsupportedShapes(f"{node} {predicate} is not an integer")
        return int(value.toPython())

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    def shape(self, node: Node, inherited_message: str = "") -> _Shape:
        unknown = {p for p in self.shapes.predicates(node, None)} - _UNDERSTOOD
        if unknown:
            raise UnsupportedShapes(f"{node} uses {', '.join(sorted(str(p) for p in unknown))}")
        if self.one(node, RDF.type) not in (None, SH.NodeShape, SH.PropertyShape):
            raise UnsupportedShapes(f"{node} is neither a node nor a property shape")
        messages = sorted(str(m) for m in self.shapes.objects(node, SH.message))
        shape = _Shape(node, "; ".join(messages) or inherited_message)
        path = self.one(node, SH.path)
        if path is not None:
            inverse_of = self.one(path, SH.inversePath) if isinstance(path, BNode) else None
            if isinstance(path, URIRef):
                shape.path = path
            elif isinstance(inverse_of, URIRef) and set(self.shapes.predicates(path, None)) == {SH.inversePath}:
                shape.path, shape.inverse = inverse_of, True
            else:
                raise UnsupportedShapes(f"{node}: only IRI paths and sh:inversePath of one are checked")
        shape.checks = list(self._checks(node))
        shape.properties = [self.shape(p, inherited_message) for p in self.shapes.objects(node, SH.property)]
        if shape.checks and not shape.message:
            # pySHACL would write a message of its own; ours must say the same, so refuse
            raise UnsupportedShapes(f"{node} has constraints but no sh:message")
        return shape

    def sub_shape(self, node: Node) -> _Shape:
        """A shape inside sh:or or sh:qualifiedValueShape: only whether a node conforms to it
        counts, and the outer shape reports the violation with its own message."""
        return self.shape(node, inherited_message="(nested)")

    def _checks(self, node: Node) -> Iterator[_Check]:
        for component, check in _COMPONENTS.items():
            for parameter in self.shapes.objects(node, component):
                yield functools.partial(check, parameter=self._parameter(node, component, parameter))
        qualified = self.one(node, SH.qualifiedValueShape)
        if qualified is not None:
            least, most = (
                self.number(node, p) if self.one(node, p) is not None else None
                for p in (SH.qualifiedMinCount, SH.qualifiedMaxCount)
            )
            yield functools.partial(_qualified, parameter=(self.sub_shape(qualified), least, most))

    def _parameter(self, node: Node, component: URIRef, value: Node) -> object:
        """The value of a constraint parameter in the form its check takes."""
        if component in (SH.minCount, SH.maxCount, SH.minLength):
            return self.number(node, component)
        if component == SH.nodeKind and value != SH.IRI:
            raise UnsupportedShapes(f"{node}: sh:nodeKind {value}")
        if component == SH.pattern:  # sh:flags is not understood: a shape with it is refused
            return re.compile(str(value))
        if component == SH["in"]:
            return frozenset(self.items(value))
        if component == SH["or"]:
            return [self.sub_shape(item) for item in self.items(value)]
        return value


def check_core(graph: Graph, shapes: Graph) -> set[ShapeResult]:
    """Every violation of the core constraints of the node shapes in `shapes` (sh:sparql
    constraints are left to the caller)."""
    reader = _Reader(shapes)
    roots = set(shapes.subjects(RDF.type, SH.NodeShape))
    for target in (SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf):
        roots.update(shapes.subjects(target, None))
    shaped = [(reader.shape(node), node) for node in sorted(roots, key=str)]
    index = _Index.of(graph)
    found: set[ShapeResult] = set()
    for shape, node in shaped:
        focus_nodes: set[Node] = set()
        for cls in shapes.objects(node, SH.targetClass):
            focus_nodes |= index.instances(cls)
        for predicate in shapes.objects(node, SH.targetSubjectsOf):
            focus_nodes |= index.subjects_of.get(predicate, set())
        for focus in focus_nodes:
            found.update(shape.results(index, focus))
    return found


def _class(index: _Index, focus: Node, values: list[Node], parameter: Node) -> list[Node | None]:
    return [v for v in values if not index.is_instance(v, parameter)]


def _datatype(index: _Index, focus: Node, values: list[Node], parameter: Node) -> list[Node | None]:
    return [v for v in values if not _has_datatype(v, parameter)]


def _node_kind(index: _Index, focus: Node, values: list[Node], parameter: Node) -> list[Node | None]:
    return [v for v in values if not isinstance(v, URIRef)]  # sh:IRI, the only kind read


def _min_count(index: _Index, focus: Node, values: list[Node], parameter: int) -> list[Node | None]:
    return [None] if len(values) < parameter else []


def _max_count(index: _Index, focus: Node, values: list[Node], parameter: int) -> list[Node | None]:
    return [None] if len(values) > parameter else []


def _min_length(index: _Index, focus: Node, values: list[Node], parameter: int) -> list[Node | None]:
    return [v for v in values if isinstance(v, BNode) or len(str(v)) < parameter]


def _min_inclusive(index: _Index, focus: Node, values: list[Node], parameter: Node) -> list[Node | None]:
    return [v for v in values if not _less_or_equal(parameter, v)]


def _pattern(index: _Index, focus: Node, values: list[Node], parameter: re.Pattern[str]) -> list[Node | None]:
    return [v for v in values if isinstance(v, BNode) or not parameter.search(str(v))]


def _in(index: _Index, focus: Node, values: list[Node], parameter: frozenset[Node]) -> list[Node | None]:
    return [v for v in values if v not in parameter]


def _has_value(index: _Index, focus: Node, values: list[Node], parameter: Node) -> list[Node | None]:
    return [] if parameter in values else [None]


def _less_than_or_equals(index: _Index, focus: Node, values: list[Node], parameter: Node) -> list[Node | None]:
    return [v for v in values for w in index.values(focus, parameter) if not _less_or_equal(v, w)]


def _or(index: _Index, focus: Node, values: list[Node], parameter: list[_Shape]) -> list[Node | None]:
    return [v for v in values if not any(option.conforms(index, v) for option in parameter)]


def _qualified(
    index: _Index, focus: Node, values: list[Node], parameter: tuple[_Shape, int | None, int | None]
) -> list[Node | None]:
    shape, least, most = parameter
    count = sum(1 for v in values if shape.conforms(index, v))
    return [None] * ((least is not None and count < least) + (most is not None and count > most))


_COMPONENTS: dict[URIRef, _Component] = {
    SH["class"]: _class,
    SH.datatype: _datatype,
    SH.nodeKind: _node_kind,
    SH.minCount: _min_count,
    SH.maxCount: _max_count,
    SH.minLength: _min_length,
    SH.minInclusive: _min_inclusive,
    SH.pattern: _pattern,
    SH["in"]: _in,
    SH.hasValue: _has_value,
    SH.lessThanOrEquals: _less_than_or_equals,
    SH["or"]: _or,
}


def _has_datatype(value: Node, datatype: Node) -> bool:
    if not isinstance(value, Literal) or getattr(value, "ill_typed", False):
        return False
    if datatype == XSD.string:  # a plain literal is an xsd:string; one with a language is not
        return value.datatype in (None, XSD.string) and not value.language
    return value.datatype == datatype


def _comparable(value: Node) -> tuple[int, int | float | Decimal | str] | None:
    """A key that orders literals as SPARQL does, numbers with numbers and strings with
    strings; None for what cannot be ordered."""
    if not isinstance(value, Literal) or getattr(value, "ill_typed", False):
        return None
    python = value.toPython()
    if isinstance(python, bool):
        return None
    if isinstance(python, int | float | Decimal):
        return (0, python)
    if _has_datatype(value, XSD.string):
        return (1, str(value))
    return None


def _less_or_equal(low: Node, high: Node) -> bool:
    """low <= high for two literals of one kind; False when they cannot be compared."""
    a, b = _comparable(low), _comparable(high)
    return a is not None and b is not None and a[0] == b[0] and a[1] <= b[1]  # type: ignore[operator]
