"""From records to RDF: each record becomes one node with a stable IRI, in the dataset's named graph.

The mapping remembers which record and which field each triple came from, so a SHACL result about a
node and a path can be reported as a file, a line and a field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pyoxigraph import Literal, NamedNode, Quad

from coopkg.errors import Problem, Severity
from coopkg.gazetteer import RegionNotFound
from coopkg.loaders.kinds import KINDS, MEASURES, Field, FieldType, Kind
from coopkg.loaders.manifest import MANIFEST, SLUG, Manifest
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


@dataclass
class Origin:
    """Where a node came from: its record, and the field each of its predicates came from."""

    record: Record
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Mapped:
    """The RDF of a submission, and where each node came from."""

    graph: NamedNode
    quads: list[Quad] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)
    external: set[str] = field(default_factory=set)  # reference IRIs the submission points at


class _Mapper:
    def __init__(self, manifest: Manifest, reference: Reference, problems: list[Problem]) -> None:
        self.manifest = manifest
        self.reference = reference
        self.problems = problems
        self.out = Mapped(graph_iri(manifest.id))
        self.ids: dict[str, dict[str, Record]] = {k: {} for k in KINDS}

    # -- helpers ---------------------------------------------------------------------------
    def iri(self, kind: str, record_id: str) -> NamedNode:
        return id_iri(self.manifest.id, kind, record_id)

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.out.quads.append(Quad(s, p, o, self.out.graph))

    def problem(self, record: Record, name: str | None, value: str | None, message: str, hint: str) -> None:
        self.problems.append(Problem(record.problem_file, record.line, name, value, message, hint=hint))

    def text(self, value: str, language: str | None = None) -> Literal:
        return Literal(value, language=language or self.manifest.language)

    # -- terms -----------------------------------------------------------------------------
    def term(self, record: Record, f: Field, value: str) -> NamedNode | Literal | None:
        """The RDF term for one value of a field, or None after reporting a problem."""
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
                    return Literal(value, datatype=datatype)
            self.problem(record, f.name, value, "not a valid date", "write YYYY-MM-DD, YYYY-MM or YYYY")
            return None
        if t is FieldType.POSITIVE_INTEGER:
            if value.isdigit() and int(value) > 0:
                return Literal(str(int(value)), datatype=XSD.integer)  # Oxigraph stores integer subtypes so
            self.problem(record, f.name, value, "not a positive whole number", "write e.g. 5")
            return None
        if t is FieldType.CURRENCY:
            return Literal(value)
        if t is FieldType.REGION:
            return self.region(record, f, value)
        if t is FieldType.PARTY:
            org = self.ids["organization"].get(value)
            if org is not None:
                return self.iri("organization", value)
            return self.region(record, f, value, also="or the id of an organization record")
        if t is FieldType.REFERENCE:
            assert f.target
            if value in self.ids[f.target]:
                return self.iri(f.target, value)
            known = ", ".join(sorted(self.ids[f.target])) or "none"
            self.problem(
                record,
                f.name,
                value,
                f"no {f.target} with this id in the dataset",
                f"use the id of {a(f.target)} record (known: {known})",
            )
            return None
        if t is FieldType.CONCEPT:
            assert f.target
            try:
                iri = self.reference.concept(f.target, value)
            except LookupError as exc:
                self.problem(
                    record,
                    f.name,
                    value,
                    str(exc.args[0]),
                    "use a notation listed in docs/records.md",
                )
                return None
            self.out.external.add(iri.value)
            return iri
        if t is FieldType.SOURCE:
            if self.manifest.source(value):
                return self.iri("source", value)
            known = ", ".join(s.id for s in self.manifest.sources) or "none"
            self.problem(record, f.name, value, "no source with this id in the manifest", f"known: {known}")
            return None
        raise AssertionError(f"{t} is mapped by its kind")  # pragma: no cover

    def region(self, record: Record, f: Field, value: str, also: str = "") -> NamedNode | None:
        try:
            iri = self.reference.gazetteer.resolve(value)
        except RegionNotFound as exc:
            hint = "use a region's name, alias or GB/T 2260 code"
            self.problem(record, f.name, value, str(exc), f"{hint} {also}".strip())
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
        self.out.external.add(iri.value)
        return iri

    # -- records ---------------------------------------------------------------------------
    def index(self, records: list[Record]) -> list[Record]:
        """Check ids and fields; keep the records that can be mapped."""
        kept = []
        for record in records:
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
                    f"duplicate {record.kind} id (first at {first.problem_file}:{first.line})",
                    "give each record its own id",
                )
                ok = False
            # Other problems are reported, and the record still mapped so that all are found at once.
            for name in record.values:
                if name not in kind.field_names:
                    self.problem(
                        record,
                        name,
                        None,
                        f"not a field of {a(record.kind)} record",
                        f"fields: {', '.join(kind.field_names)}",
                    )
            for f in kind.fields:
                values = record.get(f.name)
                if len(values) > 1 and not f.multi:
                    self.problem(record, f.name, " | ".join(values), "takes one value", "keep one")
            if ok:
                self.ids[record.kind][record.id] = record
                kept.append(record)
        return kept

    def map_record(self, record: Record) -> None:
        kind = KINDS[record.kind]
        s = self.iri(record.kind, record.id)
        origin = Origin(record)
        self.out.origins[s.value] = origin
        self.add(s, RDF.type, kind.rdf_class)
        for f in kind.fields:
            if f.predicate is None:
                continue
            origin.fields.setdefault(f.predicate.value, f.name)
            for value in record.get(f.name):
                if f.type is FieldType.SERIES:
                    self.add(s, f.predicate, self.series(record, value))
                    continue
                term = self.term(record, f, value)
                if term is not None:
                    self.add(s, f.predicate, term)
        self.extra(kind, record, s, origin)

    def extra(self, kind: Kind, record: Record, s: NamedNode, origin: Origin) -> None:
        """What a kind states beyond one triple per value."""
        if kind.name == "mechanism":
            directed = record.get("providers") and record.get("recipients")
            if directed:
                self.add(s, RDF.type, COOP.AidMechanism)
            for name in ("providers", "recipients"):
                for value in record.get(name):
                    term = self.reference_region(value)
                    if term is not None:
                        self.add(s, COOP.participant, term)
        elif kind.name == "agreement":
            for value in record.get("establishes"):
                if value in self.ids["mechanism"]:
                    self.add(self.iri("mechanism", value), COOP.establishedBy, s)
        elif kind.name == "activity":
            for value in record.get("agreement"):
                if value in self.ids["agreement"]:
                    self.add(self.iri("agreement", value), COOP.hasActivity, s)
        elif kind.name == "outcome":
            self.outcome(record, s, origin)

    def reference_region(self, value: str) -> NamedNode | None:
        try:
            return self.reference.gazetteer.resolve(value)
        except RegionNotFound:
            return None  # already reported for its own field

    def series(self, record: Record, name: str) -> NamedNode:
        iri = self.iri("event-series", slug(name))
        if iri.value not in self.out.origins:
            self.out.origins[iri.value] = Origin(record, {RDFS.label.value: "series"})
            self.add(iri, RDF.type, COOP.EventSeries)
            self.add(iri, RDFS.label, self.text(name))
            for source in record.get("source"):
                if self.manifest.source(source):
                    self.add(iri, DCTERMS.source, self.iri("source", source))
        return iri

    def outcome(self, record: Record, s: NamedNode, origin: Origin) -> None:
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
            origin.fields[COOP.agreementCount.value] = "value"
            if value.isdigit():
                self.add(s, COOP.agreementCount, Literal(str(int(value)), datatype=XSD.integer))
            elif value:
                self.problem(record, "value", value, "a count is a whole number", "write e.g. 7")
            return
        amount = NamedNode(s.value + "/amount")
        origin.fields[COOP.agreedInvestment.value] = "value"
        self.out.origins[amount.value] = Origin(
            record, {SCHEMA.value.value: "value", SCHEMA.currency.value: "currency"}
        )
        self.add(s, COOP.agreedInvestment, amount)
        self.add(amount, RDF.type, SCHEMA.MonetaryAmount)
        if value:
            try:
                Decimal(value)
            except InvalidOperation:
                self.problem(record, "value", value, "not a number", "write e.g. 53183000000")
            else:
                self.add(amount, SCHEMA.value, Literal(value, datatype=XSD.decimal))
        for currency in record.get("currency"):
            self.add(amount, SCHEMA.currency, Literal(currency))

    # -- the dataset -----------------------------------------------------------------------
    def dataset(self) -> None:
        m = self.manifest
        g = self.out.graph
        manifest_record = Record("dataset", MANIFEST, 1, {})
        self.out.origins[g.value] = Origin(
            manifest_record,
            {DCTERMS.title.value: "title", DCTERMS.license.value: "licence"},
        )
        self.add(g, RDF.type, DCAT.Dataset)
        self.add(g, RDF.type, PROV.Entity)
        if m.title:
            self.add(g, DCTERMS.title, self.text(m.title))
        if m.description:
            self.add(g, DCTERMS.description, self.text(m.description))
        if m.licence:
            try:
                self.add(g, DCTERMS.license, NamedNode(m.licence))
            except ValueError:
                self.problem(
                    manifest_record,
                    "licence",
                    m.licence,
                    "a licence is named by its IRI",
                    'e.g. licence = "https://creativecommons.org/licenses/by/4.0/"',
                )
        if m.publisher:
            self.add(g, DCTERMS.publisher, self.agent(m.publisher))
        for source in m.sources:
            s = self.iri("source", source.id)
            self.add(g, DCTERMS.source, s)
            record = Record("source", MANIFEST, source.line or 1, {})
            self.out.origins[s.value] = Origin(
                record,
                {
                    DCTERMS.title.value: "sources.title",
                    DCTERMS.publisher.value: "sources.publisher",
                    DCTERMS.issued.value: "sources.released",
                },
            )
            language = source.language or m.language
            self.add(s, RDF.type, COOP.SourceDocument)
            if source.title:
                self.add(s, DCTERMS.title, self.text(source.title, language))
                self.add(s, RDFS.label, self.text(source.title, language))
            if source.publisher:
                self.add(s, DCTERMS.publisher, self.agent(source.publisher))
            if source.released != dt.date.min:
                self.add(s, DCTERMS.issued, Literal(source.released.isoformat(), datatype=XSD.date))
            if source.language:
                self.add(s, DCTERMS.language, Literal(source.language))
            if source.url:
                self.add(s, SCHEMA.url, Literal(source.url, datatype=XSD.anyURI))

    def agent(self, name: str) -> NamedNode:
        iri = self.iri("agent", slug(name))
        if iri.value not in self.out.origins:
            self.out.origins[iri.value] = Origin(Record("dataset", MANIFEST, 1, {}))
            self.add(iri, RDF.type, FOAF.Agent)
            self.add(iri, FOAF.name, Literal(name))
        return iri


def map_records(
    manifest: Manifest, records: list[Record], reference: Reference, problems: list[Problem]
) -> Mapped:
    """Map a dataset's records to RDF; what cannot be mapped goes to ``problems``."""
    mapper = _Mapper(manifest, reference, problems)
    mapper.dataset()
    for record in mapper.index(records):
        mapper.map_record(record)
    return mapper.out


def add_rdf(mapped: Mapped, rdf: RdfInput) -> None:
    """RDF passed through: its triples go into the dataset's graph as they are, each subject
    remembered as coming from the file (RDF parsers give no line per triple)."""
    file_record = Record("rdf", rdf.file, 0, {})
    for triple in rdf.triples:
        mapped.quads.append(Quad(triple.subject, triple.predicate, triple.object, mapped.graph))
        if isinstance(triple.subject, NamedNode):
            mapped.origins.setdefault(triple.subject.value, Origin(file_record))
