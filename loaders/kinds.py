"""Record kinds and their fields, defined once: the loaders, the docs and the reports all read this.

>>> KINDS["agreement"].field("parties").predicate.value
'https://w3id.org/coopkg/ontology#party'
>>> kind_for_file_stem("agreements")
'agreement'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from enum import StrEnum

from pyoxigraph import NamedNode

from coopkg.vocab import COOP, DCTERMS, PREFIXES, RDFS, SCHEMA

#: Separator of several values in one CSV cell (several parties, several areas).
MULTI_SEPARATOR = "|"

#: What every record's ``id`` is, beside its kind's fields.
ID_DESCRIPTION = "Unique among this dataset's records of this kind."


class FieldType(StrEnum):
    """How a cell's text becomes an RDF term."""

    TEXT = "text"  # a literal in the dataset's language
    TEXT_ZH = "text@zh"  # a literal in Chinese
    DATE = "date"  # YYYY-MM-DD, YYYY-MM or YYYY
    POSITIVE_INTEGER = "positive integer"
    DECIMAL = "decimal"
    CURRENCY = "currency"  # ISO 4217 code, e.g. CNY
    REGION = "region"  # a region's name, alias or code, resolved by the gazetteer
    PARTY = "party"  # an organization id of this dataset, or a region
    REFERENCE = "reference"  # the id of another record of this dataset, or DATASET-ID:RECORD-ID
    CONCEPT = "concept"  # the notation of a concept of a coopkg vocabulary
    SOURCE = "source"  # the id of a source listed in the manifest
    SERIES = "series"  # the name of an event series
    MEASURE = "measure"  # what an outcome measures


@dataclass(frozen=True)
class Field:
    """One column of a CSV file, one key of a JSON object."""

    name: str
    type: FieldType
    predicate: NamedNode | None
    description: str
    required: bool = False
    multi: bool = False
    target: str | None = None  # the record kind of a reference, the scheme of a concept

    def describe_type(self) -> str:
        text = self.type.value
        if self.target:
            text += f" ({self.target})"
        if self.multi:
            text += f", several separated by {MULTI_SEPARATOR}"
        return text


@dataclass(frozen=True)
class Kind:
    """A kind of record: its fields and the class of the node each record becomes."""

    name: str
    rdf_class: NamedNode
    description: str
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @functools.cached_property
    def field_set(self) -> frozenset[str]:
        """The names of the fields, ``id`` included, for quick membership tests."""
        return frozenset(self.field_names)

    @property
    def field_names(self) -> list[str]:
        return ["id", *(f.name for f in self.fields)]


def _name(what: str) -> tuple[Field, Field]:
    return (
        Field("name", FieldType.TEXT, RDFS.label, f"The {what}'s name.", required=True),
        Field("name_zh", FieldType.TEXT_ZH, RDFS.label, f"The {what}'s name in Chinese."),
    )


_SOURCE = Field(
    "source",
    FieldType.SOURCE,
    DCTERMS.source,
    "The id of the manifest source(s) stating this record.",
    required=True,
    multi=True,
)

_AREAS = Field(
    "areas",
    FieldType.CONCEPT,
    COOP.cooperationArea,
    "Cooperation areas, by notation (tourism, culture, …).",
    multi=True,
    target="area",
)

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "organization",
            COOP.Organization,
            "A government body or other organization acting for a territory.",
            (
                *_name("organization"),
                Field(
                    "acts_for",
                    FieldType.REGION,
                    COOP.actsFor,
                    "The region it acts for.",
                    required=True,
                ),
                _SOURCE,
            ),
        ),
        Kind(
            "programme",
            COOP.Programme,
            "A standing programme of a region or organization, e.g. Tourist Aid to Tibet.",
            (
                *_name("programme"),
                Field(
                    "run_by",
                    FieldType.PARTY,
                    COOP.runBy,
                    "The region or organization (id) running it.",
                    required=True,
                ),
                _SOURCE,
            ),
        ),
        Kind(
            "event",
            COOP.Event,
            "An expo, conference, press conference or meeting; may be part of a larger event.",
            (
                *_name("event"),
                Field(
                    "event_type",
                    FieldType.CONCEPT,
                    COOP.eventType,
                    "expo, press-conference, promotion-conference, forum or meeting.",
                    target="event-type",
                ),
                Field("series", FieldType.SERIES, COOP.eventSeries, "The series' name."),
                Field(
                    "edition",
                    FieldType.POSITIVE_INTEGER,
                    COOP.edition,
                    "The edition's number within the series.",
                ),
                Field(
                    "part_of",
                    FieldType.REFERENCE,
                    SCHEMA.superEvent,
                    "The id of the event this one is held at.",
                    target="event",
                ),
                Field("start_date", FieldType.DATE, SCHEMA.startDate, "When it starts."),
                Field("end_date", FieldType.DATE, SCHEMA.endDate, "When it ends."),
                Field("location", FieldType.REGION, SCHEMA.location, "The region it is held in."),
                _SOURCE,
            ),
        ),
        Kind(
            "agreement",
            COOP.Agreement,
            "A signed agreement or contract between two or more parties.",
            (
                Field("name", FieldType.TEXT, RDFS.label, "A title for the agreement.", required=True),
                Field("name_zh", FieldType.TEXT_ZH, RDFS.label, "Its title in Chinese."),
                Field(
                    "parties",
                    FieldType.PARTY,
                    COOP.party,
                    "The signatories: regions, or organization ids of this dataset.",
                    required=True,
                    multi=True,
                ),
                Field(
                    "instrument_type",
                    FieldType.CONCEPT,
                    COOP.instrumentType,
                    "cooperation-agreement, strategic-cooperation-agreement, …",
                    required=True,
                    target="instrument-type",
                ),
                Field(
                    "signed_at",
                    FieldType.REFERENCE,
                    COOP.signedAt,
                    "The id of the event it was signed at.",
                    target="event",
                ),
                Field("signed_on", FieldType.DATE, COOP.signedOn, "When it was signed."),
                Field(
                    "establishes",
                    FieldType.REFERENCE,
                    COOP.establishes,
                    "The id of the mechanism it sets up.",
                    target="mechanism",
                ),
                _AREAS,
                _SOURCE,
            ),
        ),
        Kind(
            "mechanism",
            COOP.CooperationMechanism,
            "A standing cooperation mechanism between regions; directed when it is aid.",
            (
                *_name("mechanism"),
                Field(
                    "mechanism_type",
                    FieldType.CONCEPT,
                    COOP.mechanismType,
                    "aid, counterpart-aid, twinning or framework-cooperation.",
                    required=True,
                    target="mechanism-type",
                ),
                Field(
                    "providers",
                    FieldType.REGION,
                    COOP.provider,
                    "Regions giving aid.",
                    multi=True,
                ),
                Field(
                    "recipients",
                    FieldType.REGION,
                    COOP.recipient,
                    "Regions receiving aid.",
                    multi=True,
                ),
                Field(
                    "participants",
                    FieldType.REGION,
                    COOP.participant,
                    "Regions taking part, when the mechanism is not directed.",
                    multi=True,
                ),
                replace(_AREAS, required=True),
                Field(
                    "aims",
                    FieldType.TEXT,
                    COOP.aim,
                    "What it aims at, as the source says it.",
                    multi=True,
                ),
                Field(
                    "programme",
                    FieldType.REFERENCE,
                    COOP.partOfProgramme,
                    "The id of the programme it furthers.",
                    target="programme",
                ),
                Field(
                    "organizations",
                    FieldType.REFERENCE,
                    COOP.involvedOrganization,
                    "Ids of organizations involved.",
                    multi=True,
                    target="organization",
                ),
                _SOURCE,
            ),
        ),
        Kind(
            "activity",
            COOP.CooperationActivity,
            "One line of work of an agreement.",
            (
                *_name("activity"),
                Field(
                    "agreement",
                    FieldType.REFERENCE,
                    COOP.activityOf,
                    "The id of the agreement.",
                    required=True,
                    target="agreement",
                ),
                Field(
                    "sequence",
                    FieldType.POSITIVE_INTEGER,
                    COOP.sequence,
                    "Its place in the source's list.",
                ),
                _AREAS,
                _SOURCE,
            ),
        ),
        Kind(
            "outcome",
            COOP.ReportedOutcome,
            "An aggregate an event reported: a count of agreements of a type, or agreed investment.",
            (
                *_name("outcome"),
                Field(
                    "event",
                    FieldType.REFERENCE,
                    COOP.outcomeOf,
                    "The id of the event whose outcome it is.",
                    required=True,
                    target="event",
                ),
                Field(
                    "announced_at",
                    FieldType.REFERENCE,
                    COOP.announcedAt,
                    "The id of the event where it was announced.",
                    target="event",
                ),
                Field(
                    "measure",
                    FieldType.MEASURE,
                    None,
                    "agreement-count or agreed-investment.",
                    required=True,
                ),
                Field(
                    "instrument_type",
                    FieldType.CONCEPT,
                    COOP.instrumentType,
                    "For agreement-count: the type of agreement counted.",
                    target="instrument-type",
                ),
                Field(
                    "value",
                    FieldType.DECIMAL,
                    None,
                    "The count, or the amount in units of the currency.",
                    required=True,
                ),
                Field(
                    "currency",
                    FieldType.CURRENCY,
                    SCHEMA.currency,
                    "For agreed-investment: ISO 4217 code.",
                ),
                _SOURCE,
            ),
        ),
    )
}


def _order() -> dict[str, int]:
    """Kinds in an order where a record comes after the records it names (references point back)."""
    done: list[str] = []

    def visit(kind: str, seen: frozenset[str]) -> None:
        if kind in done or kind in seen:
            return
        for f in KINDS[kind].fields:
            if f.type is FieldType.REFERENCE and f.target in KINDS and f.target != kind:
                visit(f.target, seen | {kind})
            elif f.type is FieldType.PARTY and kind != "organization":
                visit("organization", seen | {kind})
        done.append(kind)

    for kind in KINDS:
        visit(kind, frozenset())
    return {kind: i for i, kind in enumerate(done)}


MAP_ORDER = _order()
"""Each kind's place in an order where records come after the records they name: files are read,
and records mapped, in this order, so that most references point back."""


MEASURES = ("agreement-count", "agreed-investment")


def plural(kind: str) -> str:
    """The name a file of records of a kind goes by.

    >>> plural("agreement"), plural("activity")
    ('agreements', 'activities')
    """
    return kind[:-1] + "ies" if kind.endswith("y") else kind + "s"


def kind_for_file_stem(stem: str) -> str | None:
    """The record kind a CSV file holds, from its name: ``agreements.csv`` holds agreements."""
    for name in KINDS:
        if stem in (name, plural(name)):
            return name
    return None


def fields_markdown() -> str:
    """The field tables of docs/records.md, generated from :data:`KINDS`."""
    lines: list[str] = []
    for kind in KINDS.values():
        stem = plural(kind.name)
        lines += [
            f"### `{kind.name}` (`{stem}.csv`)",
            "",
            f"{kind.description} Each record becomes a `{_curie(kind.rdf_class)}`.",
            "",
            "| field | required | type | RDF | meaning |",
            "|---|---|---|---|---|",
            f"| `id` | yes | id | the node's IRI | {ID_DESCRIPTION} |",
        ]
        for f in kind.fields:
            rdf = f"`{_curie(f.predicate)}`" if f.predicate else "see below"
            required = "yes" if f.required else ""
            kind_text = f.describe_type().replace("|", "`\\|`")
            lines.append(f"| `{f.name}` | {required} | {kind_text} | {rdf} | {f.description} |")
        lines.append("")
    return "\n".join(lines)


def _curie(iri: NamedNode) -> str:
    for prefix, base in PREFIXES.items():
        if iri.value.startswith(base):
            return f"{prefix}:{iri.value[len(base) :]}"
    return f"<{iri.value}>"
