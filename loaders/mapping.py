"""From records to RDF: each record becomes one node with a stable IRI, in the dataset's named graph.

The mapping streams: records go in one at a time and N-Triples text comes out (see
:mod:`coopkg.loaders.ntriples`), so memory does not grow with the input beyond the set of record ids.
Every node it makes says which record it was made from (``prov:wasDerivedFrom`` the file's IRI with
``#L{line}``), and :data:`FIELDS` says which field each predicate comes from: together they turn a
SHACL result about a node and a path into a file, a line and a field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pyoxigraph import Literal, NamedNode

from coopkg.errors import Problem, Severity
from coopkg.gazetteer import RegionNotFound
from coopkg.loaders.kinds import KINDS, MEASURES, Field, FieldType, Kind
from coopkg.loaders.manifest import MANIFEST, SLUG, Manifest
from coopkg.loaders.ntriples import ESCAPES as _ESCAPES
from coopkg.loaders.ntriples import iri, literal, term
from coopkg.loaders.provenance import file_entity
from coopkg.loaders.records import RdfInput, Record
from coopkg.reference import Reference
from coopkg.vocab import (
    COOP,
    DCAT,
    DCTERMS,
    FOAF,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    XSD,
    graph_iri,
    id_iri,
)

_DATE_FORMS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d", XSD.date),
    (re.compile(r"^\d{4}-\d{2}$"), "%Y-%m", XSD.gYearMonth),
    (re.compile(r"^\d{4}$"), "%Y", XSD.gYear),
)


def a(noun: str) -> str:
    """The noun with its indefinite article.

    >>> a("event"), a("agreement"), a("mechanism")
    ('an event', 'an agreement', 'a mechanism')
    """
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def slug(text: str) -> str:
    """A readable IRI segment from a name.

    >>> slug("China Tibet Tourism & Culture Expo")
    'china-tibet-tourism-culture-expo'
    """
    return re.sub(r"[\W_]+", "-", text.casefold()).strip("-")


def _fields() -> dict[str, dict[str, str]]:
    """For each class of node the mapping makes: which field each predicate comes from."""
    by_class: dict[str, dict[str, str]] = {}
    for kind in KINDS.values():
        names = by_class.setdefault(kind.rdf_class.value, {})
        for f in kind.fields:
            if f.predicate is not None:
                names.setdefault(f.predicate.value, f.name)
    by_class[COOP.ReportedOutcome.value].update(
        {COOP.agreementCount.value: "value", COOP.agreedInvestment.value: "value"}
    )
    by_class[SCHEMA.MonetaryAmount.value] = {SCHEMA.value.value: "value", SCHEMA.currency.value: "currency"}
    by_class[COOP.EventSeries.value] = {RDFS.label.value: "series"}
    by_class[DCAT.Dataset.value] = {DCTERMS.title.value: "title", DCTERMS.license.value: "licence"}
    by_class[COOP.SourceDocument.value] = {
        DCTERMS.title.value: "sources.title",
        DCTERMS.publisher.value: "sources.publisher",
        DCTERMS.issued.value: "sources.released",
    }
    return by_class


FIELDS = _fields()
"""Class IRI → predicate IRI → the field (column, key) that values of the predicate come from."""


_BATCH = 20_000  # lines of N-Triples handed on at a time
# Field types whose term depends on the value alone (and that report no problem once it maps)
_PURE = frozenset({FieldType.CONCEPT, FieldType.SOURCE, FieldType.CURRENCY, FieldType.TEXT_ZH})


@dataclass
class _Pending:
    """A reference to a record not read yet: written, or reported, once every record is read."""

    target: str
    value: str
    subject: str
    predicate: str
    reverse: bool  # the referenced record is the subject
    problem: Problem | None


@dataclass(frozen=True)
class Link:
    """A reference to a record of another dataset, ``DATASET-ID:RECORD-ID``: written as the record's
    IRI, and resolved in the store the submission goes to (see :mod:`coopkg.links`)."""

    file: str
    line: int | None
    field: str
    value: str  # as written
    kind: str  # the record kind the field refers to
    iri: str  # id_iri(DATASET-ID, kind, RECORD-ID)


@dataclass
class Mapping:
    """What a mapping saw besides its triples: the reference IRIs used, the links to other datasets'
    records, the triples written."""

    graph: NamedNode
    external: set[str] = field(default_factory=set)  # reference IRIs the submission points at
    links: list[Link] = field(default_factory=list)  # references to records of other datasets
    triples: int = 0  # as many as lines of N-Triples


_A = term(RDF.type)
_DERIVED = term(PROV.wasDerivedFrom)
_AID = term(COOP.AidMechanism)
_PARTICIPANT = term(COOP.participant)
_ESTABLISHED_BY = term(COOP.establishedBy)
_HAS_ACTIVITY = term(COOP.hasActivity)
_EVENT_SERIES = term(COOP.EventSeries)
_LABEL = term(RDFS.label)
_SOURCE = term(DCTERMS.source)
_AGREEMENT_COUNT = term(COOP.agreementCount)
_AGREED_INVESTMENT = term(COOP.agreedInvestment)
_MONETARY_AMOUNT = term(SCHEMA.MonetaryAmount)
_VALUE = term(SCHEMA.value)
_CURRENCY = term(SCHEMA.currency)


@dataclass(frozen=True)
class _Plan:
    """How a kind's records are mapped, worked out once: its class and each field's predicate."""

    cls: str
    fields: tuple[tuple[Field, str], ...]  # the fields that have a predicate, and its text
    single: tuple[str, ...]  # the fields that take one value

    @classmethod
    def of(cls, kind: Kind) -> _Plan:
        return cls(
            term(kind.rdf_class),
            tuple((f, term(f.predicate)) for f in kind.fields if f.predicate is not None),
            tuple(f.name for f in kind.fields if not f.multi),
        )


_PLANS = {name: _Plan.of(kind) for name, kind in KINDS.items()}
_XSD_INTEGER = iri(XSD.integer.value)
_XSD_DECIMAL = iri(XSD.decimal.value)
_XSD_ANYURI = iri(XSD.anyURI.value)
_XSD_DATE = iri(XSD.date.value)


class _Mapper:
    def __init__(
        self, manifest: Manifest, reference: Reference, problems: list[Problem], digest: str
    ) -> None:
        self.manifest = manifest
        self.reference = reference
        self.problems = problems
        self.digest = digest
        self.out = Mapping(graph_iri(manifest.id))
        self.graph = term(self.out.graph)
        self.lines: list[str] = []
        self.ids: dict[str, dict[str, tuple[str, int]]] = {k: {} for k in KINDS}
        self.pending: list[_Pending] = []
        self.made: set[str] = set()  # series and agents, made once
        self.files: dict[str, str] = {}
        self.sources = {s.id: term(self.iri("source", s.id)) for s in manifest.sources}
        self.language = self.valid_language(manifest.language, "language", 1) or "en"
        self.terms: dict[str, str] = {}
        self.known_terms: dict[tuple[str, str], str] = {}  # values of _PURE fields, mapped once
        self.id_base = id_iri(manifest.id).value

    # -- helpers ---------------------------------------------------------------------------
    def iri(self, kind: str, record_id: str) -> NamedNode:
        return id_iri(self.manifest.id, kind, record_id)

    def node(self, kind: str, record_id: str) -> str:
        """A record's IRI as text (ids are checked slugs)."""
        return f"<{self.id_base}/{kind}/{record_id}>"

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")

    def t(self, node: NamedNode | Literal) -> str:
        text = self.terms.get(node.value) if isinstance(node, NamedNode) else None
        if text is None:
            text = term(node)
            if isinstance(node, NamedNode):
                self.terms[node.value] = text
        return text

    def derive(self, s: str, file: str, line_no: int) -> None:
        """``s`` was made from the record at ``file``, ``line_no`` (0: the whole file)."""
        entity = self.files.get(file)
        if entity is None:
            entity = self.files[file] = file_entity(self.digest, file).value
        self.lines.append(
            f"{s} {_DERIVED} <{entity}#L{line_no}> .\n" if line_no else f"{s} {_DERIVED} <{entity}> .\n"
        )

    def problem(self, record: Record, name: str | None, value: str | None, message: str, hint: str) -> None:
        self.problems.append(Problem(record.problem_file, record.line, name, value, message, hint=hint))

    def text(self, value: str, language: str | None = None) -> str:
        return literal(value, language=language or self.language)

    def valid_language(self, tag: str | None, name: str, line_no: int | None) -> str | None:
        if not tag:
            return None
        try:
            Literal("", language=tag)
        except ValueError:
            self.problems.append(
                Problem(
                    MANIFEST, line_no, name, tag, "not a language tag", hint='use a BCP 47 tag: "en", "zh"'
                )
            )
            return None
        return tag

    def known(self, kind: str) -> str:
        ids = sorted(self.ids[kind])
        return (", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")) or "none"

    # -- terms -----------------------------------------------------------------------------
    def term(self, record: Record, f: Field, value: str, s: str) -> str | None:
        """The RDF term for one value of a field, or None after reporting (or deferring) it."""
        t = f.type
        if t is FieldType.TEXT:
            return self.text(value)
        if t is FieldType.TEXT_ZH:
            return self.text(value, "zh")
        if t is FieldType.DATE:
            for pattern, fmt, datatype in _DATE_FORMS:
                if pattern.match(value):
                    try:
                        dt.datetime.strptime(value, fmt)
                    except ValueError:
                        break
                    return literal(value, datatype=self.t(datatype))
            self.problem(record, f.name, value, "not a valid date", "write YYYY-MM-DD, YYYY-MM or YYYY")
            return None
        if t is FieldType.POSITIVE_INTEGER:
            if value.isdigit() and int(value) > 0:
                return literal(str(int(value)), datatype=_XSD_INTEGER)  # Oxigraph keeps integer subtypes so
            self.problem(record, f.name, value, "not a positive whole number", "write e.g. 5")
            return None
        if t is FieldType.CURRENCY:
            return literal(value)
        if t is FieldType.REGION:
            return self.region(record, f, value)
        if t is FieldType.PARTY:
            if value in self.ids["organization"]:
                return self.node("organization", value)
            return self.region(record, f, value, also="or the id of an organization record", party=s)
        if t is FieldType.REFERENCE:
            assert f.target
            record_id = value
            if ":" in value:
                dataset, _, record_id = value.partition(":")
                if dataset != self.manifest.id:
                    return self.link(record, f, value)
            if record_id in self.ids[f.target]:
                return self.node(f.target, record_id)
            message = f"no {f.target} with this id in the dataset"
            problem = Problem(
                record.problem_file,
                record.line,
                f.name,
                value,
                message,
                hint=f"use the id of {a(f.target)} record",
            )
            self.defer(f.target, record_id, s, term(f.predicate) if f.predicate else "", problem)
            return None
        if t is FieldType.CONCEPT:
            assert f.target
            try:
                concept = self.reference.concept(f.target, value)
            except LookupError as exc:
                self.problem(
                    record, f.name, value, str(exc.args[0]), "use a notation listed in docs/records.md"
                )
                return None
            self.out.external.add(concept.value)
            return self.t(concept)
        if t is FieldType.SOURCE:
            source = self.sources.get(value)
            if source is not None:
                return source
            known = ", ".join(s.id for s in self.manifest.sources) or "none"
            self.problem(record, f.name, value, "no source with this id in the manifest", f"known: {known}")
            return None
        raise AssertionError(f"{t} is mapped by its kind")  # pragma: no cover

    def link(self, record: Record, f: Field, value: str) -> str | None:
        """``DATASET-ID:RECORD-ID``, a record of another dataset: its IRI, noted as a :class:`Link`
        for :mod:`coopkg.links` to resolve in the store (None after reporting a malformed one)."""
        assert f.target
        dataset, _, record_id = value.partition(":")
        if not (SLUG.match(dataset) and SLUG.match(record_id)):
            self.problem(
                record,
                f.name,
                value,
                "not a record id",
                f"write the id of {a(f.target)} record of this dataset, or DATASET-ID:RECORD-ID for one "
                "of another dataset in the store",
            )
            return None
        node = id_iri(dataset, f.target, record_id)
        self.out.links.append(Link(record.problem_file, record.line, f.name, value, f.target, node.value))
        return self.t(node)

    def defer(
        self, target: str, value: str, s: str, p: str, problem: Problem | None, *, reverse: bool = False
    ) -> None:
        self.pending.append(_Pending(target, value, s, p, reverse, problem))

    def region(
        self, record: Record, f: Field, value: str, also: str = "", party: str | None = None
    ) -> str | None:
        try:
            region = self.reference.gazetteer.resolve(value)
        except RegionNotFound as exc:
            hint = "use a region's name, alias or GB/T 2260 code"
            problem = Problem(
                record.problem_file, record.line, f.name, value, str(exc), hint=f"{hint} {also}".strip()
            )
            if party is not None and f.predicate is not None and SLUG.match(value):
                self.defer(
                    "organization", value, party, self.t(f.predicate), problem
                )  # an organization later?
            else:
                self.problems.append(problem)
            return None
        note = self.reference.gazetteer.retired_note(value)
        if note:
            self.problems.append(
                Problem(
                    record.problem_file,
                    record.line,
                    f.name,
                    value,
                    note,
                    hint="use the current code",
                    severity=Severity.INFO,
                )
            )
        self.out.external.add(region.value)
        return self.t(region)

    # -- records ---------------------------------------------------------------------------
    def index(self, record: Record) -> bool:
        """Check a record's id and fields; True when it can be mapped."""
        kind = KINDS[record.kind]
        ok = True
        if not SLUG.match(record.id):
            self.problem(
                record,
                "id",
                record.id or None,
                "missing" if not record.id else "not a valid id",
                "give every record an id of lowercase letters, digits, '.', '_' and '-'",
            )
            ok = False
        elif record.id in self.ids[record.kind]:
            first = self.ids[record.kind][record.id]
            self.problem(
                record,
                "id",
                record.id,
                f"duplicate {record.kind} id (first at {first[0]}:{first[1]})",
                "give each record its own id",
            )
            ok = False
        # Other problems are reported, and the record still mapped so that all are found at once.
        values = record.values
        if not kind.field_set.issuperset(values):
            for name in values:
                if name not in kind.field_set:
                    self.problem(
                        record,
                        name,
                        None,
                        f"not a field of {a(record.kind)} record",
                        f"fields: {', '.join(kind.field_names)}",
                    )
        for name in _PLANS[record.kind].single:
            several = values.get(name)
            if several is not None and len(several) > 1:
                self.problem(record, name, " | ".join(several), "takes one value", "keep one")
        if ok:
            self.ids[record.kind][record.id] = (record.problem_file, record.line)
        return ok

    def map_record(self, record: Record) -> None:
        kind = KINDS[record.kind]
        plan = _PLANS[record.kind]
        s = self.node(record.kind, record.id)
        self.add(s, _A, plan.cls)
        self.derive(s, record.problem_file, record.line)
        get = record.values.get
        lines = self.lines
        known = self.known_terms
        for f, p in plan.fields:
            values = get(f.name)
            if not values:
                continue
            pure = f.type in _PURE
            for value in values:
                if f.type is FieldType.TEXT:
                    lines.append(f'{s} {p} "{value.translate(_ESCAPES)}"@{self.language} .\n')
                    continue
                if f.type is FieldType.SERIES:
                    self.add(s, p, self.series(record, value))
                    continue
                o = known.get((f.name, value)) if pure else None
                if o is None:
                    o = self.term(record, f, value, s)
                    if o is not None and pure:
                        known[(f.name, value)] = o
                if o is not None:
                    lines.append(f"{s} {p} {o} .\n")
        self.extra(kind, record, s)

    def extra(self, kind: Kind, record: Record, s: str) -> None:
        """What a kind states beyond one triple per value."""
        if kind.name == "mechanism":
            directed = record.get("providers") and record.get("recipients")
            if directed:
                self.add(s, _A, _AID)
            for name in ("providers", "recipients"):
                for value in record.get(name):
                    region = self.reference_region(value)
                    if region is not None:
                        self.add(s, _PARTICIPANT, region)
        elif kind.name == "agreement":
            for value in record.get("establishes"):
                self.reverse("mechanism", value, _ESTABLISHED_BY, s)
        elif kind.name == "activity":
            for value in record.get("agreement"):
                self.reverse("agreement", value, _HAS_ACTIVITY, s)
        elif kind.name == "outcome":
            self.outcome(record, s)

    def reverse(self, target: str, value: str, p: str, o: str) -> None:
        """``<record of value> p o``, now or once that record is read. Not of a record of another
        dataset: a dataset's graph does not describe other datasets' records."""
        value = value.removeprefix(f"{self.manifest.id}:")
        if value in self.ids[target]:
            self.add(self.node(target, value), p, o)
        elif SLUG.match(value):
            self.defer(target, value, o, p, None, reverse=True)

    def reference_region(self, value: str) -> str | None:
        try:
            return self.t(self.reference.gazetteer.resolve(value))
        except RegionNotFound:
            return None  # already reported for its own field

    def series(self, record: Record, name: str) -> str:
        s = self.node("event-series", slug(name))
        if s not in self.made:
            self.made.add(s)
            self.add(s, _A, _EVENT_SERIES)
            self.add(s, _LABEL, self.text(name))
            self.derive(s, record.problem_file, record.line)
            for source in record.get("source"):
                if source in self.sources:
                    self.add(s, _SOURCE, self.sources[source])
        return s

    def outcome(self, record: Record, s: str) -> None:
        measure = (record.get("measure") or [""])[0]
        value = (record.get("value") or [""])[0]
        if measure not in MEASURES:
            self.problem(
                record,
                "measure",
                measure or None,
                "missing" if not measure else "not a measure",
                f"one of {', '.join(MEASURES)}",
            )
            return
        if measure == "agreement-count":
            if value.isdigit():
                self.add(s, _AGREEMENT_COUNT, literal(str(int(value)), datatype=_XSD_INTEGER))
            elif value:
                self.problem(record, "value", value, "a count is a whole number", "write e.g. 7")
            return
        amount = s[:-1] + "/amount>"
        self.add(s, _AGREED_INVESTMENT, amount)
        self.add(amount, _A, _MONETARY_AMOUNT)
        self.derive(amount, record.problem_file, record.line)
        if value:
            try:
                finite = Decimal(value).is_finite()
            except InvalidOperation:
                finite = False
            if not finite:
                self.problem(record, "value", value, "not a number", "write e.g. 53183000000")
            else:
                self.add(amount, _VALUE, literal(value, datatype=_XSD_DECIMAL))
        for currency in record.get("currency"):
            self.add(amount, _CURRENCY, literal(currency))

    def finish(self) -> None:
        """Write the references to records read later; report those to records that never came."""
        for p in self.pending:
            if p.value in self.ids[p.target]:
                node = self.node(p.target, p.value)
                if p.reverse:
                    self.add(node, p.predicate, p.subject)
                elif p.predicate:
                    self.add(p.subject, p.predicate, node)
            elif p.problem is not None:
                problem = p.problem
                if p.target != "organization":
                    problem = dataclasses.replace(
                        problem, hint=f"{problem.hint} (known: {self.known(p.target)})"
                    )
                self.problems.append(problem)
        self.pending.clear()

    # -- the dataset -----------------------------------------------------------------------
    def dataset(self) -> None:
        m = self.manifest
        g = self.graph
        self.add(g, _A, self.t(DCAT.Dataset))
        self.add(g, _A, self.t(PROV.Entity))
        self.derive(g, MANIFEST, 1)
        if m.title:
            self.add(g, self.t(DCTERMS.title), self.text(m.title))
        if m.description:
            self.add(g, self.t(DCTERMS.description), self.text(m.description))
        if m.licence:
            try:
                self.add(g, self.t(DCTERMS.license), term(NamedNode(m.licence)))
            except ValueError:
                self.problems.append(
                    Problem(
                        MANIFEST,
                        1,
                        "licence",
                        m.licence,
                        "a licence is named by its IRI",
                        hint='e.g. licence = "https://creativecommons.org/licenses/by/4.0/"',
                    )
                )
        if m.publisher:
            self.add(g, self.t(DCTERMS.publisher), self.agent(m.publisher))
        for source in m.sources:
            s = self.sources[source.id]
            self.add(g, _SOURCE, s)
            self.derive(s, MANIFEST, source.line or 1)
            language = self.valid_language(source.language, "sources.language", source.line) or self.language
            self.add(s, _A, self.t(COOP.SourceDocument))
            if source.title:
                self.add(s, self.t(DCTERMS.title), self.text(source.title, language))
                self.add(s, _LABEL, self.text(source.title, language))
            if source.publisher:
                self.add(s, self.t(DCTERMS.publisher), self.agent(source.publisher))
            if source.released != dt.date.min:
                self.add(s, self.t(DCTERMS.issued), literal(source.released.isoformat(), datatype=_XSD_DATE))
            if source.language and language == source.language:
                self.add(s, self.t(DCTERMS.language), literal(source.language))
            if source.url:
                self.add(s, self.t(SCHEMA.url), literal(source.url, datatype=_XSD_ANYURI))

    def agent(self, name: str) -> str:
        s = self.node("agent", slug(name))
        if s not in self.made:
            self.made.add(s)
            self.add(s, _A, self.t(FOAF.Agent))
            self.add(s, self.t(FOAF.name), literal(name))
            self.derive(s, MANIFEST, 1)
        return s

    def rdf(self, rdf: RdfInput) -> None:
        """RDF passed through: its triples as they are, each subject derived from the whole file
        (RDF parsers give no line per triple)."""
        subjects: set[str] = set()
        for triple in rdf.triples:
            s = term(triple.subject)
            self.add(s, term(triple.predicate), term(triple.object))
            if isinstance(triple.subject, NamedNode) and s not in subjects:
                subjects.add(s)
                self.derive(s, rdf.file, 0)


def map_records(
    manifest: Manifest,
    records: Iterable[Record],
    reference: Reference,
    problems: list[Problem],
    *,
    digest: str,
    rdf: Iterable[RdfInput] = (),
    mapping: list[Mapping] | None = None,
) -> Iterator[str]:
    """Map a dataset's records (and RDF files) to N-Triples, a record at a time; the text comes in
    pieces of whole lines, about :data:`_BATCH` lines each.

    What cannot be mapped goes to ``problems`` (complete once the iterator is exhausted). A node's
    provenance names the load ``digest``. ``mapping``, when given, receives the :class:`Mapping`.
    """
    mapper = _Mapper(manifest, reference, problems, digest)
    if mapping is not None:
        mapping.append(mapper.out)
    lines = mapper.lines
    mapper.dataset()
    for record in records:
        if mapper.index(record):
            mapper.map_record(record)
            if len(lines) >= _BATCH:
                mapper.out.triples += len(lines)
                yield "".join(lines)
                lines.clear()
    mapper.finish()
    for file in rdf:
        mapper.rdf(file)
    mapper.out.triples += len(lines)
    yield "".join(lines)
