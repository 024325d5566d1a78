"""Generate ontology/classifications.ttl from the sector reference data in coopkg/refdata/.

The output mirrors the external classifications that aid and policy data use, as SKOS concept
schemes, and maps coopkg's cooperation areas to them:

- OECD DAC CRS (``sectors_dac_crs_purpose.csv``, ``sectors_dac_crs_category.csv``, from the IATI
  codelists): ``https://w3id.org/coopkg/vocab/dac-crs/{code}``; a 5-digit purpose code is
  skos:broader its 3-digit category, and both are in one scheme.
- COFOG 1999 (``sectors_cofog_1999.csv``): ``https://w3id.org/coopkg/vocab/cofog/{code}``;
  skos:broader by code prefix (08.2.0 → 08.2 → 08).
- EuroVoc (``sectors_eurovoc.csv``, selected descriptors only): their official IRIs
  ``http://eurovoc.europa.eu/{id}``, in the EuroVoc scheme ``http://eurovoc.europa.eu/100141``.
- The mappings (``sectors_crosswalk.csv``) from ``https://w3id.org/coopkg/vocab/area/{notation}``
  to those concepts, as skos:exactMatch or skos:closeMatch (see :func:`match_kind`).

Usage (from anywhere; paths are relative to this file's repository)::

    .venv/bin/python tools/build_classifications.py           # (re)write the Turtle file
    .venv/bin/python tools/build_classifications.py --check   # exit 1 with a diff if it is stale

Anything the files do not agree on (an unknown area key, a code missing from its classification,
a crosswalk label that differs from the classification's) stops the build with a message.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.namespace import SKOS

ROOT = Path(__file__).resolve().parents[1]
REFDATA = ROOT / "coopkg" / "refdata"
VOCABULARIES = ROOT / "ontology" / "vocabularies.ttl"
OUTPUT = ROOT / "ontology" / "classifications.ttl"

VOCAB = "https://w3id.org/coopkg/vocab/"
AREA_SCHEME = VOCAB + "area"
DAC_SCHEME = VOCAB + "dac-crs"
COFOG_SCHEME = VOCAB + "cofog"
EUROVOC = "http://eurovoc.europa.eu/"
EUROVOC_SCHEME = EUROVOC + "100141"

PURPOSE_FILE = "sectors_dac_crs_purpose.csv"
CATEGORY_FILE = "sectors_dac_crs_category.csv"
COFOG_FILE = "sectors_cofog_1999.csv"
EUROVOC_FILE = "sectors_eurovoc.csv"
CROSSWALK_FILE = "sectors_crosswalk.csv"

# The crosswalk's area keys that are not the area's notation with "_" written as "-".
AREA_KEYS = {
    "marketing_promotion_brand": "marketing-promotion",
    "media_broadcasting_publishing": "media",
    "subnational_govt_cooperation": "subnational-government-cooperation",
    "development_aid_general": "development-aid",
}

# EuroVoc descriptors the crosswalk names that are not among the selected descriptors of
# sectors_eurovoc.csv. Only mirrored descriptors are mapped, so these mappings are left out (and
# listed in the output's header); any other id missing from sectors_eurovoc.csv stops the build.
EUROVOC_NOT_SELECTED = {
    "2479": "health policy",
    "5673": "economic infrastructure",
    "668": "education",
}

# Pairs whose labels agree but whose meanings do not: closeMatch, with the reason.
CLOSE_DESPITE_LABEL = {
    ("development-aid", EUROVOC + "3077"): (
        "EuroVoc's development aid is aid to developing countries; coopkg's is support between "
        "regions of one country (the crosswalk notes the same for COFOG 01.2)"
    ),
}

MATCH_RULE = """\
skos:exactMatch where the two concepts have the same English name: the area's skos:prefLabel
or one of its English skos:altLabels equals the external concept's English label once both are
lower-cased, "&" is read as "and", COFOG's "(CS)" / "(IS)" suffix (collective / individual
services) is dropped, and the order of the words and the word "and" are ignored (so "sport and
recreation" = DAC 16065 "Recreation and sport", "tourism" = COFOG 04.7.3 "Tourism (CS)").
skos:closeMatch for every other pair of the crosswalk: a broader, narrower or overlapping
concept, good for finding data but not interchangeable."""


class BuildError(Exception):
    """The reference files do not fit together; the message says where."""


@dataclass
class Concept:
    """One concept of a mirrored classification."""

    iri: str
    notation: str
    scheme: str
    labels: list[tuple[str, str]]  # (text, language), in the source's order of languages
    definition: str = ""
    scope_note: str = ""
    broader: str = ""
    deprecated: bool = False

    def english(self) -> str:
        return next(text for text, lang in self.labels if lang == "en")


@dataclass
class Area:
    """A coopkg cooperation area and its mappings."""

    notation: str
    labels: list[str]  # English prefLabel first, then English altLabels
    key: str = ""
    note: str = ""
    matches: dict[str, list[Concept]] = field(default_factory=lambda: {"exact": [], "close": []})

    @property
    def iri(self) -> str:
        return f"{AREA_SCHEME}/{self.notation}"


# --- reading -------------------------------------------------------------------------------------


def _rows(folder: Path, name: str, columns: Iterable[str]) -> list[dict[str, str]]:
    path = folder / name
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = set(columns) - set(reader.fieldnames or [])
            if missing:
                raise BuildError(f"{path}: missing columns {sorted(missing)}")
            rows = [{k: (v or "").strip() for k, v in row.items()} for row in reader]
    except OSError as exc:
        raise BuildError(f"cannot read {path}: {exc}") from exc
    return rows


def _labels(row: dict[str, str], langs: Sequence[str]) -> list[tuple[str, str]]:
    return [(row[f"name_{lang}"], lang) for lang in langs if row.get(f"name_{lang}")]


def _unique(concepts: list[Concept], name: str) -> dict[str, Concept]:
    found: dict[str, Concept] = {}
    for c in concepts:
        if c.notation in found:
            raise BuildError(f"{name}: code {c.notation} appears twice")
        if not c.notation:
            raise BuildError(f"{name}: a row has no code")
        if not any(lang == "en" for _, lang in c.labels):
            raise BuildError(f"{name}: code {c.notation} has no English name")
        found[c.notation] = c
    return found


def read_dac(folder: Path) -> dict[str, Concept]:
    """DAC CRS 3-digit categories and 5-digit purpose codes, by code."""
    columns = ("code", "name_en", "name_fr", "status", "description_en")
    categories = [
        Concept(
            iri=f"{DAC_SCHEME}/{r['code']}",
            notation=r["code"],
            scheme=DAC_SCHEME,
            labels=_labels(r, ("en", "fr")),
            definition=r["description_en"],
            deprecated=r["status"] == "withdrawn",
        )
        for r in _rows(folder, CATEGORY_FILE, columns)
    ]
    purposes = [
        Concept(
            iri=f"{DAC_SCHEME}/{r['code']}",
            notation=r["code"],
            scheme=DAC_SCHEME,
            labels=_labels(r, ("en", "fr")),
            definition=r["description_en"],
            broader=f"{DAC_SCHEME}/{r['category']}",
            deprecated=r["status"] == "withdrawn",
        )
        for r in _rows(folder, PURPOSE_FILE, (*columns, "category"))
    ]
    for c in categories:
        if not re.fullmatch(r"\d{3}", c.notation):
            raise BuildError(f"{CATEGORY_FILE}: {c.notation!r} is not a 3-digit category")
    for c in purposes:
        if not re.fullmatch(r"\d{5}", c.notation) or not c.broader.endswith("/" + c.notation[:3]):
            raise BuildError(f"{PURPOSE_FILE}: {c.notation!r} is not a 5-digit code of its category")
    found = _unique(categories + purposes, "DAC CRS")
    for c in purposes:
        if c.notation[:3] not in found:
            raise BuildError(f"{PURPOSE_FILE}: the category of {c.notation} is not in {CATEGORY_FILE}")
    return found


def read_cofog(folder: Path) -> dict[str, Concept]:
    """COFOG 1999 divisions, groups and classes, by code."""
    rows = _rows(
        folder, COFOG_FILE, ("code", "level", "name_en", "name_fr", "name_es", "explanatory_note_en")
    )
    concepts = []
    for r in rows:
        code = r["code"]
        if not re.fullmatch(r"\d\d(\.\d){0,2}", code) or r["level"] != str(code.count(".") + 1):
            raise BuildError(f"{COFOG_FILE}: {code!r} is not a COFOG code of level {r['level']}")
        concepts.append(
            Concept(
                iri=f"{COFOG_SCHEME}/{code}",
                notation=code,
                scheme=COFOG_SCHEME,
                labels=_labels(r, ("en", "fr", "es")),
                scope_note=r["explanatory_note_en"],
                broader=f"{COFOG_SCHEME}/{code.rsplit('.', 1)[0]}" if "." in code else "",
            )
        )
    found = _unique(concepts, "COFOG")
    for c in concepts:
        if c.broader and c.broader.rsplit("/", 1)[1] not in found:
            raise BuildError(f"{COFOG_FILE}: the parent of {c.notation} is not in the file")
    return found


def read_eurovoc(folder: Path) -> dict[str, Concept]:
    """The selected EuroVoc descriptors, by id."""
    concepts = []
    for r in _rows(folder, EUROVOC_FILE, ("id", "uri", "label")):
        if not r["id"].isdigit() or r["uri"] != EUROVOC + r["id"]:
            raise BuildError(f"{EUROVOC_FILE}: descriptor {r['id']!r} does not have the IRI {EUROVOC}{{id}}")
        concepts.append(Concept(r["uri"], r["id"], EUROVOC_SCHEME, [(r["label"], "en")]))
    return _unique(concepts, "EuroVoc")


def read_areas(vocabularies: Path) -> dict[str, Area]:
    """coopkg's cooperation areas (notation and English names) from vocabularies.ttl."""
    graph = rdflib.Graph().parse(vocabularies, format="turtle")
    areas = {}
    for concept in graph.subjects(SKOS.inScheme, rdflib.URIRef(AREA_SCHEME)):
        notation = str(graph.value(concept, SKOS.notation))
        if str(concept) != f"{AREA_SCHEME}/{notation}":
            raise BuildError(f"{vocabularies}: {concept} does not end in its notation {notation!r}")
        english = [
            str(o)
            for p in (SKOS.prefLabel, SKOS.altLabel)
            for o in sorted(graph.objects(concept, p), key=str)
            if isinstance(o, rdflib.Literal) and (o.language or "").lower().split("-")[0] == "en"
        ]
        areas[notation] = Area(notation, english)
    if not areas:
        raise BuildError(f"{vocabularies}: no cooperation areas (skos:inScheme <{AREA_SCHEME}>)")
    return areas


# --- the mapping rule ----------------------------------------------------------------------------


def _words(label: str) -> list[str]:
    text = re.sub(r"\s*\((?:CS|IS)\)\s*$", "", label).lower().replace("&", " and ")
    return sorted(w for w in re.findall(r"[^\W_]+", text) if w != "and")


def match_kind(area: Area, concept: Concept) -> str:
    """``exact`` when the two have the same English name (see MATCH_RULE), else ``close``."""
    if (area.notation, concept.iri) in CLOSE_DESPITE_LABEL:
        return "close"
    target = _words(concept.english())
    return "exact" if any(_words(label) == target for label in area.labels) else "close"


def area_notation(key: str, known: Iterable[str]) -> str:
    """The notation of the area a crosswalk key names; an unknown key is an error."""
    notation = AREA_KEYS.get(key, key.replace("_", "-"))
    names = sorted(known)
    if notation not in names:
        raise BuildError(
            f"{CROSSWALK_FILE}: area {key!r} (read as {notation!r}) is not a cooperation area of "
            f"vocabularies.ttl ({', '.join(names)}); add it to AREA_KEYS in {Path(__file__).name}"
        )
    return notation


def _column(prefix: str) -> str:
    return "eurovoc_ids" if prefix == "eurovoc" else f"{prefix}_codes"


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";")] if value.strip() else []


def map_areas(
    folder: Path, areas: dict[str, Area], schemes: Sequence[tuple[str, str, dict[str, Concept]]]
) -> list[str]:
    """Fill in the areas' matches from the crosswalk; returns the EuroVoc mappings left out."""
    left_out = []
    columns = [c for _, prefix, _ in schemes for c in (_column(prefix), f"{prefix}_labels")]
    for row in _rows(folder, CROSSWALK_FILE, ("area", "note", *columns)):
        area = areas[area_notation(row["area"], areas)]
        if area.key:
            raise BuildError(f"{CROSSWALK_FILE}: area {area.notation!r} has two rows")
        area.key, area.note = row["area"], row["note"]
        for name, prefix, concepts in schemes:
            codes, labels = _split(row[_column(prefix)]), _split(row[f"{prefix}_labels"])
            if len(codes) != len(labels):
                raise BuildError(
                    f"{CROSSWALK_FILE}: {row['area']}: {len(codes)} {name} codes, {len(labels)} labels"
                )
            for code, label in zip(codes, labels, strict=True):
                if code not in concepts:
                    if prefix == "eurovoc" and EUROVOC_NOT_SELECTED.get(code) == label:
                        left_out.append(f"{area.notation} → EuroVoc {code} {label!r}")
                        continue
                    raise BuildError(
                        f"{CROSSWALK_FILE}: {row['area']}: {name} code {code} is not in its file"
                    )
                concept = concepts[code]
                if concept.english() != label:
                    raise BuildError(
                        f"{CROSSWALK_FILE}: {row['area']}: {name} {code} is {concept.english()!r}, "
                        f"not {label!r}"
                    )
                area.matches[match_kind(area, concept)].append(concept)
    missing = sorted(a.notation for a in areas.values() if not a.key)
    if missing:
        raise BuildError(f"{CROSSWALK_FILE}: no row for the cooperation areas {', '.join(missing)}")
    selected = next(concepts for _, prefix, concepts in schemes if prefix == "eurovoc")
    for code in EUROVOC_NOT_SELECTED:
        if code in selected:
            raise BuildError(f"EuroVoc {code} is now in {EUROVOC_FILE}: remove it from EUROVOC_NOT_SELECTED")
    return left_out


# --- writing -------------------------------------------------------------------------------------


def _text(value: str, lang: str | None = None) -> str:
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def _iri(value: str) -> str:
    if re.search(r'[\s<>"{}|^`\\]', value):
        raise BuildError(f"not an IRI: {value!r}")
    return f"<{value}>"


def _statement(subject: str, pairs: Sequence[tuple[str, Sequence[str]]]) -> str:
    """One subject's triples; ``a`` goes on the subject's line, every other predicate on its own."""
    parts = [(p, objects) for p, objects in pairs if objects]
    lines = []
    for i, (predicate, objects) in enumerate(parts):
        end = " ." if i == len(parts) - 1 else " ;"
        lines.append(f"    {predicate} " + " ,\n        ".join(objects) + end)
    if parts and parts[0][0] == "a":
        return _iri(subject) + " " + "\n".join(lines).lstrip() + "\n"
    return _iri(subject) + "\n" + "\n".join(lines) + "\n"


def _scheme(iri: str, pairs: Sequence[tuple[str, Sequence[str]]], tops: Sequence[Concept]) -> str:
    return _statement(
        iri, [("a", ["skos:ConceptScheme"]), *pairs, ("skos:hasTopConcept", [_iri(c.iri) for c in tops])]
    )


def _concept(c: Concept, top: bool) -> str:
    return _statement(
        c.iri,
        [
            ("a", ["skos:Concept"]),
            ("skos:notation", [_text(c.notation)]),
            ("skos:prefLabel", [_text(text, lang) for text, lang in c.labels]),
            ("skos:definition", [_text(c.definition, "en")] if c.definition else []),
            ("skos:scopeNote", [_text(c.scope_note, "en")] if c.scope_note else []),
            ("skos:broader", [_iri(c.broader)] if c.broader else []),
            ("skos:inScheme", [_iri(c.scheme)]),
            ("skos:topConceptOf", [_iri(c.scheme)] if top else []),
            ("owl:deprecated", ["true"] if c.deprecated else []),
        ],
    )


def _section(title: str) -> str:
    rule = "# " + "-" * 93
    return f"\n{rule}\n# {title}\n{rule}\n\n"


def _comment(text: str, indent: str = "") -> list[str]:
    return [f"#{indent} {line}".rstrip() for line in text.splitlines()]


def _by_code(concepts: dict[str, Concept]) -> list[Concept]:
    """By code as text: a category or a division comes right before the codes under it."""
    return [concepts[k] for k in sorted(concepts)]


def render(
    dac: dict[str, Concept],
    cofog: dict[str, Concept],
    eurovoc: dict[str, Concept],
    areas: dict[str, Area],
    left_out: Sequence[str],
) -> str:
    """The Turtle text: a header comment, the three schemes, then the mappings."""
    mapped = sorted(areas.values(), key=lambda a: a.notation)
    n_exact = sum(len(a.matches["exact"]) for a in mapped)
    n_close = sum(len(a.matches["close"]) for a in mapped)
    overrides = [f"{a} ↔ {iri}: {why}" for (a, iri), why in sorted(CLOSE_DESPITE_LABEL.items())]
    header = [
        "# coopkg: the classifications that aid and policy data use, and coopkg's cooperation areas",
        "# mapped to them (SKOS).",
        "#",
        "# GENERATED by tools/build_classifications.py from coopkg/refdata/sectors_*.csv: do not edit by",
        "# hand; change the CSV files or the script and run it again (--check tells whether this file is",
        "# up to date). The mirrored concepts are plain skos:Concepts, not coop: concept classes.",
        "#",
        f"# - OECD DAC CRS: {sum(1 for c in dac.values() if not c.broader)} sector categories (3-digit) and "
        f"{sum(1 for c in dac.values() if c.broader)} purpose codes (5-digit),",
        f"#   <{DAC_SCHEME}/{{code}}>; a purpose code is skos:broader its category. Names en, fr;",
        "#   withdrawn codes are owl:deprecated. Source: IATI Standard codelists Sector and SectorCategory",
        '#   (2023-02), CC BY 4.0, credit "IATI Standard".',
        f"# - COFOG 1999: {len(cofog)} divisions, groups and classes, <{COFOG_SCHEME}/{{code}}>;",
        "#   skos:broader by code prefix (08.2.0 → 08.2 → 08). Names en, fr, es; the explanatory notes are",
        "#   skos:scopeNote. Source: UN Statistics Division, via the datasets/cofog data package,",
        "#   ODC-PDDL-1.0.",
        f"# - EuroVoc: {len(eurovoc)} selected descriptors, with their official IRIs <{EUROVOC}{{id}}>, in",
        f"#   <{EUROVOC_SCHEME}>. EuroVoc © European Union, reuse authorised with attribution.",
        f"# - Mappings of the {len(mapped)} cooperation areas: {n_exact} skos:exactMatch and {n_close} "
        "skos:closeMatch, from",
        "#   sectors_crosswalk.csv, whose area keys are the areas' notations with _ for -, except:",
        *[f"#   {key} → {notation}" for key, notation in sorted(AREA_KEYS.items())],
        "#",
        "# The rule for exactMatch and closeMatch:",
        *_comment(MATCH_RULE, "  "),
        "# Exceptions, closeMatch although the names agree:",
        *[line for o in overrides for line in _wrap(f"#   {o}", "#     ")],
        "# Crosswalk mappings left out because the EuroVoc descriptor is not in sectors_eurovoc.csv:",
        *[f"#   {x}" for x in left_out],
    ]
    prefixes = [
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix owl:     <http://www.w3.org/2002/07/owl#> .",
        "@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .",
    ]
    out = ["\n".join(header) + "\n\n" + "\n".join(prefixes) + "\n"]

    out.append(_section("OECD DAC CRS purpose codes and sector categories (dac-crs)"))
    out.append(
        _scheme(
            DAC_SCHEME,
            [
                ("skos:prefLabel", [_text("OECD DAC CRS purpose codes", "en")]),
                ("dcterms:title", [_text("OECD DAC CRS purpose codes and sector categories", "en")]),
                (
                    "skos:definition",
                    [
                        _text(
                            "The OECD Development Assistance Committee's Creditor Reporting System "
                            "classification of the sector that aid is meant for: 3-digit sector "
                            "categories and the 5-digit purpose codes under them, as published in "
                            "the IATI Standard's codelists.",
                            "en",
                        )
                    ],
                ),
                (
                    "dcterms:source",
                    [
                        _iri("https://iatistandard.org/en/iati-standard/203/codelists/sector/"),
                        _iri("https://iatistandard.org/en/iati-standard/203/codelists/sectorcategory/"),
                    ],
                ),
                ("dcterms:license", [_iri("https://creativecommons.org/licenses/by/4.0/")]),
                (
                    "dcterms:rights",
                    [
                        _text(
                            "IATI Standard codelists Sector and SectorCategory (2023-02), CC BY 4.0. "
                            "Credit: IATI Standard.",
                            "en",
                        )
                    ],
                ),
            ],
            [c for c in _by_code(dac) if not c.broader],
        )
    )
    out += ["\n" + _concept(c, not c.broader) for c in _by_code(dac)]

    out.append(_section("COFOG 1999: Classification of the Functions of Government (cofog)"))
    out.append(
        _scheme(
            COFOG_SCHEME,
            [
                ("skos:prefLabel", [_text("COFOG 1999", "en")]),
                (
                    "dcterms:title",
                    [_text("Classification of the Functions of Government (COFOG 1999)", "en")],
                ),
                (
                    "skos:definition",
                    [
                        _text(
                            "The United Nations classification of the purposes of government "
                            "expenditure: 10 divisions, their groups and their classes.",
                            "en",
                        )
                    ],
                ),
                ("dcterms:source", [_iri("https://github.com/datasets/cofog")]),
                ("dcterms:license", [_iri("https://opendatacommons.org/licenses/pddl/1-0/")]),
                (
                    "dcterms:rights",
                    [
                        _text(
                            "UN Statistics Division, as packaged by the datasets/cofog data package, "
                            "ODC-PDDL-1.0.",
                            "en",
                        )
                    ],
                ),
            ],
            [c for c in _by_code(cofog) if not c.broader],
        )
    )
    out += ["\n" + _concept(c, not c.broader) for c in _by_code(cofog)]

    out.append(_section("EuroVoc: the selected descriptors"))
    out.append(
        _statement(
            EUROVOC_SCHEME,
            [
                ("a", ["skos:ConceptScheme"]),
                ("skos:prefLabel", [_text("EuroVoc", "en")]),
                ("dcterms:title", [_text("EuroVoc, the EU's multilingual thesaurus", "en")]),
                ("dcterms:source", [_iri("https://op.europa.eu/en/web/eu-vocabularies/eurovoc")]),
                (
                    "dcterms:rights",
                    [_text("EuroVoc © European Union, reuse authorised with attribution.", "en")],
                ),
            ],
        )
    )
    out += [
        "\n" + _concept(c, False)
        for c in sorted(eurovoc.values(), key=lambda c: (len(c.notation), c.notation))
    ]

    out.append(_section("coopkg cooperation areas → DAC CRS, COFOG and EuroVoc"))
    blocks = []
    for a in mapped:
        note = f"# {a.notation} (crosswalk: {a.key})" + (f": {a.note}" if a.note else "")
        blocks.append(
            "\n".join(_wrap(note))
            + "\n"
            + _statement(
                a.iri,
                [
                    ("skos:exactMatch", [_iri(c.iri) for c in _in_order(a.matches["exact"])]),
                    ("skos:closeMatch", [_iri(c.iri) for c in _in_order(a.matches["close"])]),
                ],
            )
        )
    out.append("\n".join(blocks))
    return "".join(out)


def _code_order(c: Concept) -> tuple[int, int, str]:
    """DAC CRS, then COFOG, then EuroVoc; by code within each (EuroVoc ids as numbers)."""
    scheme = [DAC_SCHEME, COFOG_SCHEME, EUROVOC_SCHEME].index(c.scheme)
    return scheme, len(c.notation) if c.scheme == EUROVOC_SCHEME else 0, c.notation


def _in_order(concepts: Iterable[Concept]) -> list[Concept]:
    return sorted({c.iri: c for c in concepts}.values(), key=_code_order)


def _wrap(comment: str, indent: str = "#   ", width: int = 100) -> list[str]:
    """A comment as lines of at most ``width`` characters (a longer word gets a line of its own)."""
    lines: list[str] = []
    for word in comment.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word if not lines else indent + word)
    return lines


def build(refdata: Path = REFDATA, vocabularies: Path = VOCABULARIES) -> str:
    """The text of classifications.ttl, freshly generated from the reference files."""
    dac, cofog, eurovoc = read_dac(refdata), read_cofog(refdata), read_eurovoc(refdata)
    areas = read_areas(vocabularies)
    schemes = [("DAC CRS", "dac_crs", dac), ("COFOG", "cofog", cofog), ("EuroVoc", "eurovoc", eurovoc)]
    left_out = map_areas(refdata, areas, schemes)
    for a in areas.values():
        for name, prefix, _ in schemes[:2]:
            iri = DAC_SCHEME if prefix == "dac_crs" else COFOG_SCHEME
            if not any(c.scheme == iri for kind in a.matches.values() for c in kind):
                raise BuildError(f"{CROSSWALK_FILE}: area {a.key!r} has no {name} code")
    return render(dac, cofog, eurovoc, areas, left_out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 with a diff if the file is stale")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    args = parser.parse_args(argv)
    try:
        text = build()
        rdflib.Graph().parse(data=text, format="turtle")  # never write a file that does not parse
    except BuildError as exc:
        print(f"build_classifications: error: {exc}", file=sys.stderr)
        return 2
    output: Path = args.output
    if args.check:
        current = output.read_text(encoding="utf-8") if output.is_file() else ""
        if current == text:
            print(f"{output} is up to date")
            return 0
        sys.stdout.writelines(
            difflib.unified_diff(
                current.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"{output} (committed)",
                tofile=f"{output} (generated)",
            )
        )
        print(f"{output} is out of date: run tools/build_classifications.py", file=sys.stderr)
        return 1
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
