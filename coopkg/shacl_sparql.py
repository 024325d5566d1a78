"""SHACL validation compiled to SPARQL and run by Oxigraph: the results of pySHACL, at Oxigraph's speed.

:func:`compile_shapes` reads a shapes graph once and turns every constraint into a SPARQL SELECT query
that returns the focus nodes (and values) that violate it; :func:`validate_store` and
:func:`validate_quads` run those queries. The results are the ones pySHACL gives with
``inference="none", advanced=True, allow_warnings=True`` (as :mod:`coopkg.validation` runs it),
with the data's literals in Oxigraph's canonical form (``"01"^^xsd:integer`` reads ``"1"``).

What SPARQL cannot decide exactly is decided in Python, on as few terms as possible: whether a
literal that Oxigraph finds ill-typed is ill-typed for rdflib too (``" 12"^^xsd:integer`` is not),
how it compares with ``sh:minInclusive``, and ``sh:pattern`` expressions that Python and Oxigraph
read differently. A constraint the compiler does not know is refused (:class:`UnsupportedShape`),
never skipped.

>>> from pyoxigraph import RdfFormat, parse
>>> from coopkg.validation import shapes_graph
>>> compiled = compile_shapes(shapes_graph())
>>> data = '''@prefix foaf: <http://xmlns.com/foaf/0.1/> .
... <https://w3id.org/coopkg/id/x/agent/a> a foaf:Agent .'''
>>> [result] = validate_quads(parse(data, format=RdfFormat.TURTLE), compiled)
>>> print(result.focus, result.path, result.source_shape.n3())
https://w3id.org/coopkg/id/x/agent/a http://xmlns.com/foaf/0.1/name <https://w3id.org/coopkg/shapes#Agent-name>
>>> result.message("zh")[:8]
'发布者必须有名称'
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Protocol, cast

import rdflib
from pyoxigraph import BlankNode, NamedNode, Quad, QuerySolution, QuerySolutions, Variable
from pyoxigraph import Literal as OxLiteral
from pyshacl.rdfutil.compare import compare_literal
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from coopkg import sparql_text
from coopkg.errors import CoopkgError
from coopkg.sparql_text import UnsupportedSparql
from coopkg.store import Store

__all__ = [
    "Compiled",
    "Result",
    "UnsupportedShape",
    "compile_shapes",
    "to_oxigraph",
    "to_rdflib",
    "validate_quads",
    "validate_store",
]


class Solutions(Protocol):
    """A query's solutions: its variables, and its rows when iterated."""

    @property
    def variables(self) -> list[Variable]: ...

    def __iter__(self) -> Iterator[QuerySolution]: ...


Query = Callable[[str], Solutions]


@dataclass(frozen=True)
class _Read:
    """Solutions read whole in the thread that ran the query: pyoxigraph's ``QuerySolutions`` may
    only be dropped in the thread that made it (elsewhere it is leaked, with a RuntimeError)."""

    variables: list[Variable]
    rows: list[QuerySolution]

    def __iter__(self) -> Iterator[QuerySolution]:
        return iter(self.rows)


def _read_with(query: Query) -> Callable[[str], _Read]:
    def read(text: str) -> _Read:
        solutions = query(text)
        try:
            return _Read(list(solutions.variables), list(solutions))
        finally:
            del solutions  # here, even when reading failed and a traceback keeps this frame

    return read


OxTerm = NamedNode | BlankNode | OxLiteral
_Sources = frozenset[str] | None  # where a value node comes from: objects of these predicates, or anywhere


class UnsupportedShape(CoopkgError):
    """The shapes use a constraint, target or form the compiler cannot run exactly."""


@dataclass(frozen=True)
class Result:
    """One validation result, as pySHACL reports it (``sh:ValidationResult``).

    ``focus`` and ``value`` are data terms; ``path``, ``source_shape`` and ``severity`` are nodes of
    the shapes graph (``path`` may be bound by a SHACL-SPARQL query instead). ``messages`` maps a
    language tag ("" when untagged) to the message in that language.
    """

    focus: Node
    path: Node | None
    value: Node | None
    source_shape: Node
    severity: rdflib.URIRef
    component: rdflib.URIRef
    messages: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    def key(self) -> tuple[str, str | None, str | None, str, str]:
        """(focus, path, value, source shape, severity) as strings, to compare results as sets."""
        return (
            str(self.focus),
            None if self.path is None else str(self.path),
            None if self.value is None else str(self.value),
            str(self.source_shape),
            str(self.severity),
        )

    def message(self, language: str = "en") -> str:
        """The message in ``language``, else the untagged or English one, else any."""
        for choice in (language, "", "en"):
            if choice in self.messages:
                return self.messages[choice]
        return next(iter(self.messages.values()), "does not conform")


# -- reading the shapes graph -----------------------------------------------------------------------

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_SHAPE_VALUED = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
_VALUE_COMPONENTS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
}
_FOCUS_COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.qualifiedValueShape: SH.QualifiedMinCountConstraintComponent,  # or QualifiedMaxCount...
}
_STRUCTURE = {SH.property, SH.sparql}
# sh: properties of a shape that are not constraints of their own.
_NOT_CONSTRAINTS = {
    *_TARGETS,
    SH.path,
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.deactivated,
    SH.flags,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
}
_KNOWN = {*_VALUE_COMPONENTS, *_FOCUS_COMPONENTS, *_STRUCTURE, *_NOT_CONSTRAINTS}
_ALLOWED_SEVERITIES = {SH.Warning, SH.Info}  # what allow_warnings=True lets conform


@dataclass(frozen=True)
class _Shape:
    node: Node
    path: Node | None
    severity: rdflib.URIRef
    messages: tuple[rdflib.Literal, ...]
    deactivated: bool


def _read_shape(graph: rdflib.Graph, node: Node) -> _Shape:
    paths = list(graph.objects(node, SH.path))
    if len(paths) > 1:
        raise UnsupportedShape(f"shape {node} has more than one sh:path")
    severity = graph.value(node, SH.severity) or SH.Violation
    messages = tuple(m for m in graph.objects(node, SH.message) if isinstance(m, rdflib.Literal))
    deactivated = graph.value(node, SH.deactivated)
    return _Shape(
        node,
        paths[0] if paths else None,
        rdflib.URIRef(str(severity)),
        tuple(sorted(messages, key=str)),
        bool(isinstance(deactivated, rdflib.Literal) and deactivated.value is True),
    )


def _shape_nodes(graph: rdflib.Graph) -> set[Node]:
    """Every node pySHACL takes for a shape: declared, targeting, or the value of a shape parameter."""
    found: set[Node] = set(graph.subjects(RDF.type, SH.NodeShape))
    found |= set(graph.subjects(RDF.type, SH.PropertyShape))
    for predicate in (*_TARGETS, SH.property, SH.node):
        found |= set(graph.subjects(predicate, None))
    for predicate in _SHAPE_VALUED:
        found |= set(graph.objects(None, predicate))
    for predicate in _SHAPE_LISTS:
        for head in graph.objects(None, predicate):
            found |= set(Collection(graph, head))
    return found


def _check_known(graph: rdflib.Graph, shapes: Iterable[Node]) -> None:
    """Refuse what the compiler does not know, rather than let it pass silently."""
    if (None, RDF.type, SH.ConstraintComponent) in graph:
        raise UnsupportedShape("custom constraint components (sh:ConstraintComponent) are not supported")
    for shape in shapes:
        for predicate in set(graph.predicates(shape, None)):
            if str(predicate).startswith(str(SH)) and predicate not in _KNOWN:
                raise UnsupportedShape(
                    f"shape {shape} uses {predicate.n3(graph.namespace_manager)}, "
                    "which the SPARQL compiler does not support"
                )


def _implicit_class(graph: rdflib.Graph, node: Node) -> bool:
    classes = {RDFS.Class, *graph.subjects(RDFS.subClassOf, RDFS.Class)}
    return any(t in classes for t in graph.objects(node, RDF.type))


# -- Python decisions, for the few terms SPARQL cannot decide like pySHACL -----------------------------


def to_rdflib(term: OxTerm) -> Node:
    """An Oxigraph term as the rdflib term pySHACL would see after an N-Triples round trip.

    >>> to_rdflib(OxLiteral("5", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))).value
    5
    """
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=term.datatype.value)


_PYTHON_TYPES: dict[str, type | tuple[type, ...]] = {
    str(XSD.string): (str, bytes),
    str(RDF.langString): (str, bytes),
    str(XSD.integer): int,
    str(XSD.float): float,
    str(XSD.decimal): Decimal,
    str(XSD.boolean): bool,
    str(XSD.date): date,
    str(XSD.time): time,
    str(XSD.dateTime): datetime,
}


def _datatype_ok(node: Node, datatype: rdflib.URIRef) -> bool:
    """pySHACL's sh:datatype test of one value (DatatypeConstraintComponent)."""
    if not isinstance(node, rdflib.Literal):
        return False
    if node.datatype == datatype:
        if node.ill_typed is True:
            return False
        return isinstance(node.value, _PYTHON_TYPES.get(str(datatype), object))
    if datatype == RDFS.Literal:
        return True
    if node.datatype is None and node.language is None and datatype == XSD.string:
        return isinstance(node.value, str | bytes)
    return datatype == RDF.langString and bool(node.language)


def _range_ok(node: Node, bound: rdflib.Literal, operator: str) -> bool:
    """pySHACL's sh:minInclusive (...) test of one value (the value range components)."""
    if not isinstance(node, rdflib.Literal):
        return False
    bound_is_string = isinstance(bound.value, str)
    if bound_is_string != isinstance(node.value, str):
        return False
    try:
        order = _compare_literal(node, bound)
    except (TypeError, NotImplementedError):
        return False
    return bool({">": order > 0, ">=": order >= 0, "<": order < 0, "<=": order <= 0}[operator])


_compare_literal = cast(Callable[[rdflib.Literal, rdflib.Literal], int], compare_literal)


def _pattern_string(node: Node) -> str:
    """The string pySHACL matches sh:pattern against (StringBasedConstraintBase.value_node_to_string)."""
    plain = isinstance(node, rdflib.Literal) and node.datatype in (None, RDF.langString, XSD.string)
    if plain and isinstance(node, rdflib.Literal) and node.value is not None:
        return str(node.value)
    return str(node)


@dataclass(frozen=True)
class _PyTest:
    """A value test SPARQL decides only for some terms: the rest (``undecided``) are asked in Python."""

    marker: str
    undecided: str  # SPARQL expression over ?v: the terms Python must decide
    accepts: Callable[[Node], bool]
    sources: _Sources  # the predicates whose objects may be tested (None: any term)

    def candidates_query(self) -> str:
        where = "{ ?s ?p ?v } UNION { ?v ?p ?o }"
        if self.sources is not None:
            values = " ".join(sparql_text.term(rdflib.URIRef(p)) for p in sorted(self.sources))
            where = f"VALUES ?p {{ {values} }} ?s ?p ?v ."
        return f"SELECT DISTINCT ?v WHERE {{ {where} FILTER({self.undecided}) }}"


# -- the compiled form -----------------------------------------------------------------------------


def _messages(
    literals: Iterable[rdflib.Literal], bindings: Mapping[str, Node] | None = None
) -> dict[str, str]:
    """Messages by language; ``{?var}`` and ``{$var}`` replaced by the query's bindings."""
    found: dict[str, str] = {}
    for literal in literals:
        text = str(literal)
        for name, value in (bindings or {}).items():
            text = text.replace("{?" + name + "}", str(value)).replace("{$" + name + "}", str(value))
        found.setdefault(literal.language or "", text)
    return found


@dataclass(frozen=True)
class _Check:
    """One SELECT query whose rows (?this, and ?value when ``value`` is "row") are results."""

    text: str
    shape: _Shape
    component: rdflib.URIRef
    value: str  # "row": the results have the value ?value; "none": they have none
    generic: str = ""

    def results(self, rows: Solutions) -> Iterator[Result]:
        messages = _messages(self.shape.messages) or {"": self.generic}
        for row in rows:
            focus = to_rdflib(row["this"])
            value = _optional(row["value"]) if self.value == "row" else None
            yield Result(
                focus,
                self.shape.path,
                value,
                self.shape.node,
                self.shape.severity,
                self.component,
                messages,
            )


def _optional(term: OxTerm | None) -> Node | None:
    return None if term is None else to_rdflib(term)


@dataclass(frozen=True)
class _SparqlCheck:
    """A SHACL-SPARQL constraint: its query with the focus nodes joined in (or one query per focus)."""

    text: str
    shape: _Shape
    constraint: Node
    messages: tuple[rdflib.Literal, ...]
    projects_this: bool
    focus_query: str | None = None  # when set, the query runs once per focus node (VALUES ?this)
    insert_at: tuple[int, ...] = ()  # where VALUES ?this goes: the WHERE of the query and of subqueries

    def queries(self, query: Query) -> Iterator[tuple[str, OxTerm | None]]:
        if self.focus_query is None:
            yield self.text, None
            return
        for row in query(self.focus_query):
            focus = row["this"]
            if isinstance(focus, BlankNode):
                raise CoopkgError(f"cannot run the SPARQL constraint {self.constraint} on a blank node")
            values = f" VALUES ?this {{ {focus} }} "
            text = self.text
            for at in sorted(self.insert_at, reverse=True):
                text = text[:at] + values + text[at:]
            yield text, focus

    def results(self, query: Query) -> Iterator[Result]:
        for text, focus in self.queries(query):
            rows = query(text)
            names = [v.value for v in rows.variables]
            for row in rows:
                result = self._result(row, names, focus)
                if result is not None:
                    yield result

    def _result(self, row: QuerySolution, names: list[str], focus: OxTerm | None) -> Result | None:
        bound = {n: to_rdflib(row[n]) for n in names if row[n] is not None}
        this = to_rdflib(focus) if focus is not None else bound.get("this")
        if this is None:
            return None
        node_value = None if self.shape.path is not None else this
        if "failure" in bound:
            path, value = self.shape.path, node_value
        elif self.projects_this or "path" in bound or "value" in bound:
            path, value = bound.get("path", self.shape.path), bound.get("value", node_value)
        else:
            return None  # pySHACL makes no result of a row without ?this, ?path or ?value
        bindings = {**bound, "this": this}
        if path is not None:
            bindings["path"] = path
        if value is not None:
            bindings["value"] = value
        return Result(
            this,
            path,
            value,
            self.shape.node,
            self.shape.severity,
            SH.SPARQLConstraintComponent,
            _messages(self.messages, bindings) or {"": f"SPARQL constraint {self.constraint} not met"},
        )


@dataclass(frozen=True)
class Compiled:
    """Shapes compiled to SPARQL: compile once (:func:`compile_shapes`), run on many stores."""

    checks: tuple[_Check, ...]
    sparql_checks: tuple[_SparqlCheck, ...]
    tests: tuple[_PyTest, ...]
    target_nodes: tuple[OxTerm, ...] = ()

    def __len__(self) -> int:
        """The number of queries a run needs (besides the Python decisions)."""
        return len(self.checks) + len(self.sparql_checks)

    def run(self, query: Query, *, workers: int = 1) -> list[Result]:
        """Run every query with ``query`` (a SPARQL SELECT text to its solutions), ``workers`` at a
        time (Oxigraph evaluates queries without holding Python's lock, so threads use every core)."""
        classes: dict[str, str] = {}
        read = _read_with(query)

        def filled(text: str) -> _Read:
            return read(_fill_classes(text, read, classes))

        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            undecided = list(pool.map(lambda test: self._undecided_failures(test, filled), self.tests))
            decided = {test.marker: terms for test, terms in zip(self.tests, undecided, strict=True)}
            batches = [
                *pool.map(lambda check: list(check.results(filled(_fill(check.text, decided)))), self.checks),
                *pool.map(lambda check: list(check.results(filled)), self.sparql_checks),
            ]
        found: dict[tuple[object, ...], Result] = {}
        for batch in batches:
            for result in batch:
                found.setdefault((*result.key(), str(result.component)), result)
        return sorted(found.values(), key=lambda r: tuple(s or "" for s in r.key()))

    def _undecided_failures(self, test: _PyTest, query: Query) -> str:
        terms: list[OxTerm] = [row["v"] for row in query(test.candidates_query())]
        if test.sources is None:
            terms += list(self.target_nodes)
        return ", ".join(sorted({str(t) for t in terms if not test.accepts(to_rdflib(t))}))


def _fill(text: str, decided: Mapping[str, str]) -> str:
    for marker, terms in decided.items():
        if marker in text:
            text = text.replace(marker, terms)
    return text


# -- the compiler ------------------------------------------------------------------------------------

Focus = Callable[[str], str]  # a variable -> a graph pattern that binds it to each focus node
_Count = tuple[int | None, int | None, Callable[[str], str] | None]  # at least, at most, which count
RDF_TYPE = sparql_text.term(RDF.type)
SUBCLASS_OF = sparql_text.term(RDFS.subClassOf)
XSD_STRING = sparql_text.term(XSD.string)
_RANGES = {SH.minExclusive: ">", SH.minInclusive: ">=", SH.maxExclusive: "<", SH.maxInclusive: "<="}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
# Literals of these datatypes that Oxigraph reads as valid are valid for rdflib and pySHACL too.
_NUMERIC = "isNumeric({v})"
_SURELY_VALID = {
    str(XSD.integer): _NUMERIC,
    str(XSD.decimal): _NUMERIC,
    str(XSD.double): _NUMERIC,
    str(XSD.float): _NUMERIC,
    str(XSD.boolean): "COALESCE(sameTerm(" + sparql_text.term(XSD.boolean) + "({v}), {v}), false)",
    str(XSD.date): "COALESCE(YEAR({v}) >= 1 && YEAR({v}) <= 9999, false)",
}
_QUALIFIED_MIN = SH.QualifiedMinCountConstraintComponent
_QUALIFIED_MAX = SH.QualifiedMaxCountConstraintComponent
_SHORT_CHAIN = 2  # counts up to this many are tested with EXISTS; larger ones with GROUP BY


def _rdflib_checks(datatype: rdflib.URIRef) -> bool:
    """Whether rdflib (so pySHACL) can find a literal of this datatype ill-typed or of the wrong kind."""
    if datatype in (XSD.string, RDF.langString):
        return False
    return str(datatype) in _PYTHON_TYPES or rdflib.term.XSDToPython.get(str(datatype)) is not None


def _int(value: Node, what: str) -> int:
    if not (isinstance(value, rdflib.Literal) and isinstance(value.value, int)):
        raise UnsupportedShape(f"{what} must be an integer, not {value}")
    return int(value.value)


def _local(iri: Node) -> str:
    return str(iri).rsplit("#", 1)[-1]


def _any(parts: Iterable[str]) -> str:
    kept = [p for p in parts if p != "false"]
    return " || ".join(f"({p})" for p in kept) if kept else "false"


_SUBCLASSES = re.compile(r"SUBCLASSESOF(<[^>]*>)END")


def _instance_of(v: str, cls: str) -> str:
    """``v rdf:type/rdfs:subClassOf* cls``, written as a join with the class and its subclasses (the
    run fills them in from the data graph, :func:`_fill_classes`): the same answers, found much
    faster than by following the path from every node."""
    c = f"?_class{uuid.uuid4().hex[:12]}"
    return f"VALUES {c} {{ SUBCLASSESOF{cls}END }} {v} {RDF_TYPE} {c} ."


def _fill_classes(text: str, query: Query, known: dict[str, str]) -> str:
    """Put each class's subclasses (itself included) in place of its marker."""

    def closure(match: re.Match[str]) -> str:
        cls = match.group(1)
        if cls not in known:
            rows = query(f"SELECT DISTINCT ?c WHERE {{ ?c {SUBCLASS_OF}* {cls} }}")
            found = {str(row["c"]) for row in rows if isinstance(row["c"], NamedNode)}
            known[cls] = " ".join(sorted(found | {cls}))
        return known[cls]

    return _SUBCLASSES.sub(closure, text)


def _target(kind: str, term: str, v: str) -> str:
    """The pattern of one target: instances of a class (and subclasses), a node, subjects or objects."""
    if kind == "class":
        return _instance_of(v, term)
    if kind == "node":
        return f"VALUES {v} {{ {term} }}"
    if kind == "subjects":
        return f"{v} {term} [] ."
    return f"[] {term} {v} ."


_PER_FOCUS_WORDS = {"GROUP", "HAVING", "LIMIT", "OFFSET", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE"}


def _per_focus(text: str) -> bool:
    """Whether a SHACL-SPARQL query must run once per focus node (aggregates, limits, subqueries):
    joining all the focus nodes in at once would group or cut across them, or a subquery would not
    see ``$this``. Not when it is set-based all the same (:func:`coopkg.sparql_text.set_based`: an
    aggregate grouped by ``$this``, a subquery without it), which is much faster on many nodes."""
    found = [t.name for t in sparql_text.tokens(text) if t.kind == "word"]
    maybe = _PER_FOCUS_WORDS.intersection(found) or "GROUP_CONCAT" in found or found.count("SELECT") > 1
    return bool(maybe) and not sparql_text.set_based(text)


def _head(focus: Focus) -> str:
    """The focus nodes as ?this. Not a DISTINCT subquery: that costs more than the rare duplicate
    (a node of two subclasses of the target class), which the outer DISTINCT removes."""
    return focus("?this")


@dataclass
class _TestEntry:
    marker: str
    undecided: Callable[[str], str]
    accepts: Callable[[Node], bool]
    sources: _Sources


class _Compiler:
    """Reads the shapes graph and writes the queries (see :func:`compile_shapes`)."""

    def __init__(self, graph: rdflib.Graph, *, allow_warnings: bool) -> None:
        self.graph = graph
        self.allow_warnings = allow_warnings
        self.checks: list[_Check] = []
        self.sparql_checks: list[_SparqlCheck] = []
        self._shapes: dict[Node, _Shape] = {}
        self._tests: dict[tuple[str, ...], _TestEntry] = {}
        self._marker = "UNDECIDED" + uuid.uuid4().hex
        self._counter = 0
        self._stack: list[Node] = []

    # -- helpers ----------------------------------------------------------------------------------
    def shape(self, node: Node) -> _Shape:
        if node not in self._shapes:
            self._shapes[node] = _read_shape(self.graph, node)
        return self._shapes[node]

    def var(self, stem: str = "v") -> str:
        self._counter += 1
        return f"?_{stem}{self._counter}"

    def counts(self, severity: Node) -> bool:
        """Whether a result of this severity makes a node not conform (pySHACL's allow_warnings)."""
        return not (self.allow_warnings and severity in _ALLOWED_SEVERITIES)

    def path(self, shape: _Shape) -> str:
        assert shape.path is not None
        return sparql_text.path(self.graph, shape.path)

    def sources(self, shape: _Shape) -> frozenset[str] | None:
        return None if shape.path is None else sparql_text.path_predicates(self.graph, shape.path)

    def items(self, head: Node) -> list[Node]:
        return list(Collection(self.graph, head))

    def enter(self, node: Node) -> None:
        if node in self._stack:
            raise UnsupportedShape(f"shape {node} refers to itself; recursive shapes are not supported")
        self._stack.append(node)

    def test(
        self,
        key: tuple[str, ...],
        undecided: Callable[[str], str],
        accepts: Callable[[Node], bool],
        sources: _Sources,
    ) -> str:
        """Register a value test for Python to decide; its marker stands for the failing terms."""
        entry = self._tests.get(key)
        if entry is None:
            entry = _TestEntry(f"{self._marker}_{len(self._tests)}_", undecided, accepts, sources)
            self._tests[key] = entry
        elif entry.sources is None or sources is None:
            entry.sources = None
        else:
            entry.sources = entry.sources | sources
        return entry.marker

    # -- the whole graph --------------------------------------------------------------------------
    def compile(self) -> Compiled:
        shapes = _shape_nodes(self.graph)
        _check_known(self.graph, shapes)
        target_nodes: list[OxTerm] = []
        for node in sorted(shapes, key=str):
            focus = self.targets(node)
            if focus is not None:
                self.evaluate(self.shape(node), focus)
            for target in self.graph.objects(node, SH.targetNode):
                target_nodes.append(to_oxigraph(target))
        tests = tuple(
            _PyTest(e.marker, e.undecided("?v"), e.accepts, e.sources) for e in self._tests.values()
        )
        return Compiled(tuple(self.checks), tuple(self.sparql_checks), tests, tuple(target_nodes))

    def targets(self, node: Node) -> Focus | None:
        """The pattern of a shape's focus nodes (targets, subclasses followed as pySHACL does)."""
        if (node, SH.target, None) in self.graph:
            raise UnsupportedShape(f"shape {node} uses sh:target (SHACL-AF targets are not supported)")
        parts: list[tuple[str, str]] = []
        classes = list(self.graph.objects(node, SH.targetClass))
        if _implicit_class(self.graph, node):
            classes.append(node)
        parts += [("class", sparql_text.term(c)) for c in classes]
        parts += [("node", sparql_text.term(n)) for n in self.graph.objects(node, SH.targetNode)]
        parts += [("subjects", sparql_text.term(p)) for p in self.graph.objects(node, SH.targetSubjectsOf)]
        parts += [("objects", sparql_text.term(p)) for p in self.graph.objects(node, SH.targetObjectsOf)]
        if not parts:
            return None
        return lambda v: " UNION ".join(f"{{ {_target(kind, text, v)} }}" for kind, text in parts)

    def values_of(self, shape: _Shape, focus: Focus) -> Focus:
        """The value nodes of a shape at its focus nodes, as the focus nodes of a nested shape."""
        if shape.path is None:
            return focus
        path = self.path(shape)

        def pattern(v: str) -> str:
            parent = self.var("f")
            return f"{focus(parent)} {parent} {path} {v} ."

        return pattern

    # -- top-level evaluation: one query per constraint ---------------------------------------------
    def evaluate(self, shape: _Shape, focus: Focus) -> None:
        """The queries of a shape at its focus nodes, and of the shapes whose results it reports."""
        if shape.deactivated:
            return
        self.enter(shape.node)
        for parameter, value in self.constraints(shape):
            self.add_check(shape, focus, parameter, value)
        for nested in self.graph.objects(shape.node, SH.property):
            self.evaluate(self.shape(nested), self.values_of(shape, focus))
        for nested in self.graph.objects(shape.node, SH.node):  # their results are sh:detail results
            self.evaluate(self.shape(nested), self.values_of(shape, focus))
        for constraint in self.graph.objects(shape.node, SH.sparql):
            self.add_sparql_check(shape, focus, constraint)
        self._stack.pop()

    def constraints(self, shape: _Shape) -> list[tuple[rdflib.URIRef, Node]]:
        found = []
        for parameter in (*_VALUE_COMPONENTS, *_FOCUS_COMPONENTS):
            values = sorted(self.graph.objects(shape.node, parameter), key=str)
            if parameter in (SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount) and len(values) > 1:
                raise UnsupportedShape(f"shape {shape.node} has more than one {_local(parameter)}")
            if parameter == SH.qualifiedValueShape and shape.path is None:
                continue  # pySHACL ignores it on node shapes
            found += [(parameter, value) for value in values]
        return found

    def add_check(self, shape: _Shape, focus: Focus, parameter: rdflib.URIRef, value: Node) -> None:
        component = {**_VALUE_COMPONENTS, **_FOCUS_COMPONENTS}[parameter]
        generic = f"{_local(component)}: {_local(parameter)} {value}"
        if parameter in _VALUE_COMPONENTS:
            ok = self.ok(shape, parameter, value, "?value", self.sources(shape))
            if shape.path is None:
                body = f"BIND(?this AS ?value) FILTER(!({ok}))"
            else:
                body = f"?this {self.path(shape)} ?value . FILTER(!({ok}))"
            text = f"SELECT DISTINCT ?this ?value WHERE {{ {_head(focus)} {body} }}"
            self.checks.append(_Check(text, shape, component, "row", generic))
            return
        count = self.count_bounds(shape, parameter, value)
        if count is not None and parameter == SH.qualifiedValueShape:
            low, high, condition = count
            if low is not None:
                self.add_count_check(shape, focus, (low, None, condition), _QUALIFIED_MIN)
            if high is not None:
                self.add_count_check(shape, focus, (None, high, condition), _QUALIFIED_MAX)
        elif count is not None:
            self.add_count_check(shape, focus, count, component)
        else:
            query = self.focus_query(shape, parameter, value, focus)
            if query is not None:
                self.checks.append(_Check(query, shape, component, "none", generic))

    def add_count_check(self, shape: _Shape, focus: Focus, count: _Count, component: rdflib.URIRef) -> None:
        """A cardinality (sh:minCount, sh:maxCount, qualified counts): with EXISTS, or GROUP BY if large."""
        low, high, condition = count
        generic = f"{_local(component)}: at least {low or 0}, at most {high}"
        if max(low or 0, -1 if high is None else high + 1) > _SHORT_CHAIN:
            v = self.var("a")
            having = [f"COUNT(DISTINCT {v}) < {low}"] if low is not None else []
            having += [f"COUNT(DISTINCT {v}) > {high}"] if high is not None else []
            cond = f" FILTER({condition(v)})" if condition else ""
            optional = f"OPTIONAL {{ ?this {self.path(shape)} {v} .{cond} }}"
            group = f"GROUP BY ?this HAVING({' || '.join(having)})"
            text = f"SELECT ?this WHERE {{ {_head(focus)} {optional} }} {group}"
        else:
            fails = self.count_fails(shape, count, "?this")
            if fails == "false":
                return
            text = f"SELECT DISTINCT ?this WHERE {{ {_head(focus)} FILTER({fails}) }}"
        self.checks.append(_Check(text, shape, component, "none", generic))

    def focus_query(self, shape: _Shape, parameter: rdflib.URIRef, value: Node, focus: Focus) -> str | None:
        """The query of sh:hasValue or sh:uniqueLang (one row per duplicated language)."""
        head = _head(focus)
        if parameter == SH.uniqueLang:
            if not self.unique_lang(shape, value):
                return None
            a, b = self.var("a"), self.var("b")
            return (
                f"SELECT DISTINCT ?this ?_lang WHERE {{ {head} {self.same_lang(shape, '?this', a, b)} "
                f"BIND(LCASE(lang({a})) AS ?_lang) }}"
            )
        fails = self.focus_fails(shape, parameter, value, "?this")
        return f"SELECT DISTINCT ?this WHERE {{ {head} FILTER({fails}) }}"

    def add_sparql_check(self, shape: _Shape, focus: Focus, constraint: Node) -> None:
        """A SHACL-SPARQL constraint: $PATH written in, the focus nodes joined at the top of WHERE."""
        deactivated = self.graph.value(constraint, SH.deactivated)
        if isinstance(deactivated, rdflib.Literal) and deactivated.value is True:
            return
        text = self.sparql_text(shape, constraint)
        projected, star, insert = sparql_text.projection(text)
        projects_this = star or "this" in projected
        if not (projects_this or projected & {"path", "value", "failure"}):
            return  # pySHACL makes no result of rows without ?this, ?path, ?value or ?failure
        own = (m for m in self.graph.objects(constraint, SH.message) if isinstance(m, rdflib.Literal))
        messages = (*sorted(own, key=str), *shape.messages)
        if _per_focus(text):
            # $this is bound in every (sub)query that mentions it, as pySHACL pre-binds it
            focus_query = f"SELECT DISTINCT ?this WHERE {{ {focus('?this')} }}"
            points = tuple(sparql_text.binding_points(text))
            self.sparql_checks.append(
                _SparqlCheck(text, shape, constraint, messages, projects_this, focus_query, points)
            )
            return
        if not projects_this:
            text = text[:insert] + " ?this" + text[insert:]
        at = sparql_text.focus_insertion_point(text)
        text = f"{text[:at]} {{ SELECT DISTINCT ?this WHERE {{ {focus('?this')} }} }} {text[at:]}"
        self.sparql_checks.append(_SparqlCheck(text, shape, constraint, messages, projects_this))

    def sparql_text(self, shape: _Shape, constraint: Node) -> str:
        selects = list(self.graph.objects(constraint, SH.select))
        if len(selects) != 1 or not isinstance(selects[0], rdflib.Literal):
            raise UnsupportedShape(f"SPARQL constraint {constraint} needs exactly one sh:select")
        text = str(selects[0])
        if sparql_text.words(text) & {"MINUS", "VALUES", "SERVICE"}:
            raise UnsupportedShape(f"SPARQL constraint {constraint} uses MINUS, VALUES or SERVICE")
        variables = {t.name for t in sparql_text.tokens(text) if t.kind == "var"}
        if "shapesGraph" in variables:
            raise UnsupportedShape(f"SPARQL constraint {constraint} uses $shapesGraph")
        if "currentShape" in variables:
            text = sparql_text.substitute_variable(text, "currentShape", sparql_text.term(shape.node))
        if "PATH" in variables:
            if shape.path is None:
                raise UnsupportedShape(f"SPARQL constraint {constraint} uses $PATH on a node shape")
            text = sparql_text.substitute_variable(text, "PATH", self.path(shape))
        prefixes = "".join(
            f"PREFIX {name}: {sparql_text.term(rdflib.URIRef(iri))}\n"
            for name, iri in sorted(self.prefixes(constraint).items())
        )
        return prefixes + text

    def prefixes(self, constraint: Node) -> dict[str, str]:
        """The prefixes of sh:prefixes / sh:declare, found where pySHACL finds them."""
        graph = self.graph
        named = set(graph.objects(graph.identifier, SH.declare))
        ontologies = set(graph.subjects(RDF.type, OWL.Ontology))
        everywhere = named | {d for o in ontologies for d in graph.objects(o, SH.declare)}
        found = {}
        for holder in graph.objects(constraint, SH.prefixes):
            own = set(graph.objects(holder, SH.declare))
            declarations = own | named if own and holder in ontologies else everywhere | own
            for declaration in declarations:
                prefix = graph.value(declaration, SH.prefix)
                namespace = graph.value(declaration, SH.namespace)
                if prefix is None or namespace is None:
                    raise UnsupportedShape(f"{declaration} needs sh:prefix and sh:namespace")
                found[str(prefix)] = str(namespace)
        return found

    # -- failure of one constraint at one node, as a SPARQL expression --------------------------------
    def fails(self, shape: _Shape, parameter: rdflib.URIRef, value: Node, x: str, src: _Sources) -> str:
        """True when the constraint has a result at the focus node ``x`` (never a SPARQL error)."""
        if parameter not in _VALUE_COMPONENTS:
            return self.focus_fails(shape, parameter, value, x)
        if shape.path is None:
            return f"!({self.ok(shape, parameter, value, x, src)})"
        v = self.var()
        ok = self.ok(shape, parameter, value, v, self.sources(shape))
        return f"EXISTS {{ {x} {self.path(shape)} {v} . FILTER(!({ok})) }}"

    def focus_fails(self, shape: _Shape, parameter: rdflib.URIRef, value: Node, x: str) -> str:
        if parameter == SH.hasValue:
            if shape.path is None:
                return f"!sameTerm({x}, {sparql_text.term(value)})"
            return f"!EXISTS {{ {x} {self.path(shape)} {sparql_text.term(value)} }}"
        if parameter == SH.uniqueLang:
            if not self.unique_lang(shape, value):
                return "false"
            return f"EXISTS {{ {self.same_lang(shape, x, self.var('a'), self.var('b'))} }}"
        count = self.count_bounds(shape, parameter, value)
        assert count is not None, parameter
        return self.count_fails(shape, count, x)

    def count_fails(self, shape: _Shape, count: _Count, x: str) -> str:
        low, high, condition = count
        parts = []
        if low is not None and low > 0:
            parts.append(f"!({self.at_least(shape, x, low, condition)})")
        if high is not None:
            parts.append(self.at_least(shape, x, high + 1, condition))
        return _any(parts)

    def count_bounds(self, shape: _Shape, parameter: rdflib.URIRef, value: Node) -> _Count | None:
        """(at least, at most, which values count) of sh:minCount, sh:maxCount and qualified counts."""
        if parameter in (SH.minCount, SH.maxCount):
            if shape.path is None:
                raise UnsupportedShape(f"{_local(parameter)} on the node shape {shape.node}")
            number = _int(value, _local(parameter))
            return (number, None, None) if parameter == SH.minCount else (None, number, None)
        if parameter != SH.qualifiedValueShape:
            return None
        low = self.graph.value(shape.node, SH.qualifiedMinCount)
        high = self.graph.value(shape.node, SH.qualifiedMaxCount)
        if low is None and high is None:
            raise UnsupportedShape(f"{shape.node}: sh:qualifiedValueShape needs a qualified count")
        return (
            None if low is None else _int(low, "sh:qualifiedMinCount"),
            None if high is None else _int(high, "sh:qualifiedMaxCount"),
            self.qualified_condition(shape, value),
        )

    def qualified_condition(self, shape: _Shape, value: Node) -> Callable[[str], str]:
        """Which value nodes a qualified count counts: conforming, and to no sibling when disjoint."""
        sources = self.sources(shape)
        disjoint = self.graph.value(shape.node, SH.qualifiedValueShapesDisjoint)
        siblings: set[Node] = set()
        if isinstance(disjoint, rdflib.Literal) and disjoint.value is True:
            for parent in self.graph.subjects(SH.property, shape.node):
                for other in self.graph.objects(parent, SH.property):
                    siblings |= set(self.graph.objects(other, SH.qualifiedValueShape))
            siblings.discard(value)

        def condition(v: str) -> str:
            conforms = self.conforms(value, v, sources)
            others = _any(self.conforms(s, v, sources) for s in sorted(siblings, key=str))
            return conforms if others == "false" else f"({conforms}) && !({others})"

        return condition

    def at_least(self, shape: _Shape, x: str, n: int, condition: Callable[[str], str] | None) -> str:
        """At least ``n`` distinct value nodes (that meet ``condition``) at ``x``."""
        if n <= 0:
            return "true"
        if n > _SHORT_CHAIN + 1:
            raise UnsupportedShape(f"{shape.node}: counts above {_SHORT_CHAIN + 1} only at the top level")
        found = [self.var("a") for _ in range(n)]
        path = self.path(shape)
        conditions = [condition(v) for v in found] if condition else []
        conditions += [f"!sameTerm({a}, {b})" for i, a in enumerate(found) for b in found[i + 1 :]]
        triples = " ".join(f"{x} {path} {v} ." for v in found)
        where = f" FILTER({' && '.join(f'({c})' for c in conditions)})" if conditions else ""
        return f"EXISTS {{ {triples}{where} }}"

    def unique_lang(self, shape: _Shape, value: Node) -> bool:
        if shape.path is None:
            raise UnsupportedShape(f"sh:uniqueLang on the node shape {shape.node}")
        if not (isinstance(value, rdflib.Literal) and isinstance(value.value, bool)):
            raise UnsupportedShape(f"{shape.node}: sh:uniqueLang must be a boolean")
        return value.value

    def same_lang(self, shape: _Shape, x: str, a: str, b: str) -> str:
        path = self.path(shape)
        return (
            f"{x} {path} {a} . {x} {path} {b} . FILTER(isLiteral({a}) && isLiteral({b}) && "
            f'lang({a}) != "" && !sameTerm({a}, {b}) && LCASE(lang({a})) = LCASE(lang({b})))'
        )

    # -- conformance to other shapes (sh:node, sh:or, sh:not, qualified counts) -----------------------
    def reports(self, node: Node, x: str, src: _Sources, *, counting: bool) -> str:
        """True when validating ``x`` against a shape gives a result (of a severity that counts)."""
        shape = self.shape(node)
        if shape.deactivated:
            return "false"
        if (node, SH.sparql, None) in self.graph:
            raise UnsupportedShape(f"shape {node} has sh:sparql and is used by another shape's constraint")
        self.enter(node)
        parts = []
        if not counting or self.counts(shape.severity):
            parts += [self.fails(shape, p, value, x, src) for p, value in self.constraints(shape)]
        for nested in self.graph.objects(node, SH.property):
            if shape.path is None:
                parts.append(self.reports(nested, x, src, counting=counting))
                continue
            v = self.var()
            inner = self.reports(nested, v, self.sources(shape), counting=counting)
            if inner != "false":
                parts.append(f"EXISTS {{ {x} {self.path(shape)} {v} . FILTER({inner}) }}")
        self._stack.pop()
        return _any(parts)

    def conforms(self, node: Node, x: str, src: _Sources) -> str:
        """pySHACL's conformance of ``x`` to a shape: results of allowed severities do not count."""
        shape = self.shape(node)
        if shape.deactivated or not self.counts(shape.severity):
            return "true"
        return f"!({self.reports(node, x, src, counting=True)})"

    # -- one value node against one constraint -------------------------------------------------------
    def ok(self, shape: _Shape, parameter: rdflib.URIRef, value: Node, v: str, src: _Sources) -> str:
        """True when the value node ``v`` meets the constraint (never a SPARQL error)."""
        if parameter == SH["class"]:
            return f"EXISTS {{ {_instance_of(v, sparql_text.term(value))} }}"
        if parameter == SH.datatype:
            return self.datatype_ok(value, v, src)
        if parameter == SH.nodeKind:
            if not isinstance(value, rdflib.URIRef) or value not in _NODE_KINDS:
                raise UnsupportedShape(f"{shape.node}: unknown sh:nodeKind {value}")
            return _NODE_KINDS[value].format(v=v)
        if parameter in _RANGES:
            return self.range_ok(_RANGES[parameter], value, v, src)
        if parameter in (SH.minLength, SH.maxLength):
            n = _int(value, _local(parameter))
            if parameter == SH.minLength and n == 0:
                return "true"
            operator = ">=" if parameter == SH.minLength else "<="
            return f"(!isBlank({v}) && STRLEN(STR({v})) {operator} {n})"
        if parameter == SH.pattern:
            return self.pattern_ok(shape, value, v, src)
        if parameter == SH.languageIn:
            return self.language_in(value, v)
        if parameter == SH["in"]:
            return _any(f"sameTerm({v}, {sparql_text.term(item)})" for item in self.items(value))
        return self.shape_ok(shape, parameter, value, v, src)

    def shape_ok(self, shape: _Shape, parameter: rdflib.URIRef, value: Node, v: str, src: _Sources) -> str:
        if parameter == SH["not"]:
            return f"!({self.conforms(value, v, src)})"
        if parameter == SH.node:
            if self.shape(value).path is not None:
                raise UnsupportedShape(f"{shape.node}: sh:node {value} is a property shape")
            return f"!({self.reports(value, v, src, counting=False)})"
        members = [self.conforms(member, v, src) for member in self.items(value)]
        if parameter == SH["and"]:
            return " && ".join(f"({m})" for m in members) or "true"
        if parameter == SH["or"]:
            return _any(members)
        assert parameter == SH.xone, parameter
        return "(" + " + ".join(f"IF({m}, 1, 0)" for m in members) + ") = 1" if members else "false"

    def datatype_ok(self, datatype: Node, v: str, src: _Sources) -> str:
        if not isinstance(datatype, rdflib.URIRef) or datatype == RDFS.Datatype:
            raise UnsupportedShape(f"sh:datatype {datatype} is not supported")
        if datatype == RDF.langString:
            return f'(isLiteral({v}) && lang({v}) != "")'
        if datatype == RDFS.Literal:
            return f"isLiteral({v})"
        same = "(isLiteral({v}) && datatype({v}) = " + sparql_text.term(datatype) + ")"
        if not _rdflib_checks(datatype):
            return same.format(v=v)
        surely = _SURELY_VALID.get(str(datatype), "false")
        marker = self.test(
            ("datatype", str(datatype)),
            lambda w: f"{same.format(v=w)} && !({surely.format(v=w)})",
            lambda node: _datatype_ok(node, datatype),
            src,
        )
        return f"({same.format(v=v)} && ({surely.format(v=v)} || !COALESCE({v} IN ({marker}), false)))"

    def range_ok(self, operator: str, bound: Node, v: str, src: _Sources) -> str:
        if not isinstance(bound, rdflib.Literal):
            raise UnsupportedShape(f"a value range bound must be a literal, not {bound}")
        value = bound.value
        # SPARQL compares like rdflib except for literals Oxigraph finds ill-typed (" 12"^^xsd:integer)
        # and across kinds of values: those are decided in Python.
        simple = "(!isLiteral({v}) || isNumeric({v}) || datatype({v}) = " + XSD_STRING
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            decided = simple + ' || lang({v}) != "")'
        elif isinstance(value, str) and not bound.language:
            decided = simple + ")"
        else:
            decided = "!isLiteral({v})"
        marker = self.test(
            ("range", operator, bound.n3()),
            lambda w: f"isLiteral({w}) && !COALESCE({decided.format(v=w)}, false)",
            lambda node: _range_ok(node, bound, operator),
            src,
        )
        compare = f"COALESCE({v} {operator} {sparql_text.term(bound)}, false)"
        fallback = f"!COALESCE({v} IN ({marker}), false)"
        return f"IF(COALESCE({decided.format(v=v)}, false), {compare}, {fallback})"

    def pattern_ok(self, shape: _Shape, pattern: Node, v: str, src: _Sources) -> str:
        flags = str(next(iter(self.graph.objects(shape.node, SH.flags)), ""))
        translated = sparql_text.python_regex(str(pattern), flags)
        if translated is not None:
            regex, kept = translated
            literal_pattern = sparql_text.term(rdflib.Literal(regex))
            literal_flags = sparql_text.term(rdflib.Literal(kept))
            return f"(!isBlank({v}) && COALESCE(REGEX(STR({v}), {literal_pattern}, {literal_flags}), false))"
        compiled = re.compile(
            str(pattern), (re.I if "i" in flags.lower() else 0) | (re.M if "m" in flags.lower() else 0)
        )

        def accepts(node: Node) -> bool:
            return not isinstance(node, rdflib.BNode) and compiled.search(_pattern_string(node)) is not None

        marker = self.test(("pattern", str(pattern), flags), lambda w: f"!isBlank({w})", accepts, src)
        return f"(!isBlank({v}) && !COALESCE({v} IN ({marker}), false))"

    def language_in(self, languages: Node, v: str) -> str:
        wanted = {str(item).lower() for item in self.items(languages)}
        tagged = f'isLiteral({v}) && lang({v}) != ""'
        if "*" in wanted:
            return f"({tagged})"
        listed = ", ".join(sparql_text.term(rdflib.Literal(w)) for w in sorted(wanted))
        first = f'LCASE(STRBEFORE(CONCAT(lang({v}), "-"), "-"))'
        return f"({tagged} && (LCASE(lang({v})) IN ({listed}) || {first} IN ({listed})))"


def to_oxigraph(node: Node) -> OxTerm:
    """An rdflib term as an Oxigraph term (the inverse of :func:`to_rdflib`)."""
    if isinstance(node, rdflib.URIRef):
        return NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return BlankNode(str(node))
    if isinstance(node, rdflib.Literal):
        if node.language:
            return OxLiteral(str(node), language=node.language)
        if node.datatype is not None:
            return OxLiteral(str(node), datatype=NamedNode(str(node.datatype)))
        return OxLiteral(str(node))
    raise UnsupportedShape(f"{node} is not an RDF term")


# -- the API ------------------------------------------------------------------------------------------


def compile_shapes(shapes: rdflib.Graph, *, allow_warnings: bool = True) -> Compiled:
    """Compile a shapes graph (as :func:`coopkg.validation.shapes_graph` gives) into SPARQL queries.

    ``allow_warnings`` is pySHACL's option: a node conforms to a shape used by ``sh:or``, ``sh:not``
    or a qualified count when the only results are warnings (coopkg validates this way).
    Raises :class:`UnsupportedShape` for a constraint component, target or path the compiler does
    not know.
    """
    try:
        return _Compiler(shapes, allow_warnings=allow_warnings).compile()
    except UnsupportedSparql as exc:
        raise UnsupportedShape(str(exc)) from exc


def validate_store(
    store: Store, shapes: rdflib.Graph | Compiled, *, graphs: list[NamedNode] | None = None
) -> list[Result]:
    """Validate the union of a store's graphs (or the ``graphs`` given, as one default graph)."""
    compiled = shapes if isinstance(shapes, Compiled) else compile_shapes(shapes)

    def query(text: str) -> QuerySolutions:
        solutions = store.query(text, graphs=graphs)
        assert isinstance(solutions, QuerySolutions)
        return solutions

    return compiled.run(query, workers=os.cpu_count() or 1)


def validate_quads(quads: Iterable[Quad], shapes: rdflib.Graph | Compiled) -> list[Result]:
    """Validate quads (graph names ignored) after loading them into an in-memory Oxigraph store."""
    store = Store()
    store.add(quads)
    return validate_store(store, shapes)
