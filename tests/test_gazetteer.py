"""Regions by any name: aliases, codes, suffixes; unknown and ambiguous names explained."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from coopkg.gazetteer import AmbiguousRegion, Gazetteer, RegionNotFound, UnknownRegion
from coopkg.reference import Reference
from coopkg.validation import shapes_graph, to_rdflib
from coopkg.vocab import COOP

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.bundled()


@pytest.mark.parametrize(
    "name",
    [
        "Nagqu",
        "Nagchu",
        "Naqu",
        "NAGQU",
        " nagqu ",
        "那曲",
        "那曲市",
        "Nagqu Prefecture",
        "540600",
        "542400",
    ],
)
def test_every_name_of_nagqu_lands_on_one_node(gaz: Gazetteer, name: str) -> None:
    assert gaz.resolve(name).value == "https://w3id.org/coopkg/id/region/cn/540600"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Liaoning", "210000"),
        ("辽宁省", "210000"),
        ("CN-LN", "210000"),
        ("Tibet", "540000"),
        ("Xizang", "540000"),
        ("Xigazê", "540200"),
        ("吉林省", "220000"),
        ("吉林市", "220200"),
    ],
)
def test_names_codes_and_diacritics(gaz: Gazetteer, name: str, code: str) -> None:
    assert gaz.resolve(name).value.endswith("/" + code)


def test_an_unknown_name_gets_suggestions(gaz: Gazetteer) -> None:
    with pytest.raises(UnknownRegion) as caught:
        gaz.resolve("Nagqux")
    assert caught.value.options == ["Nagqu (那曲市, 540600)"]


def test_an_ambiguous_name_lists_the_candidates(gaz: Gazetteer) -> None:
    with pytest.raises(AmbiguousRegion) as caught:
        gaz.resolve("Suzhou")
    assert caught.value.options == ["Suzhou (Anhui) (宿州市, 341300)", "Suzhou (Jiangsu) (苏州市, 320500)"]


def test_every_division_resolves_by_code_chinese_and_english_name(gaz: Gazetteer) -> None:
    wrong = []
    for region in gaz.regions.values():
        for name in (region.code, region.name_zh, region.name_en):
            try:
                if gaz.resolve(name) != region.iri:
                    wrong.append((name, region.describe()))
            except RegionNotFound as exc:
                wrong.append((name, str(exc)))
    assert wrong == []


def test_shared_english_names_are_told_apart(gaz: Gazetteer) -> None:
    names = {
        gaz.regions[gaz.resolve(code).value].name_en for code in ("220000", "220200", "230700", "360900")
    }
    assert names == {"Jilin", "Jilin City", "Yichun (Heilongjiang)", "Yichun (Jiangxi)"}
    assert gaz.resolve("Shanxi").value.endswith("/140000")  # 陕西's automatic pinyin does not shadow it
    assert gaz.resolve("Shaanxi").value.endswith("/610000")


@pytest.mark.parametrize(("province", "count"), [("540000", 7), ("650000", 14)])
def test_tibet_and_xinjiang_have_all_their_prefectures(gaz: Gazetteer, province: str, count: int) -> None:
    parent = gaz.resolve(province)
    assert sum(1 for r in gaz.regions.values() if r.parent == parent and r.level == "prefecture") == count


def test_retired_codes_resolve_with_their_dates(gaz: Gazetteer) -> None:
    assert gaz.resolve("542400") == gaz.resolve("540600")
    note = gaz.retired_note("542400")
    assert note is not None and "那曲地区" in note and "2017-09" in note and "Nagqu" in note
    with pytest.raises(RegionNotFound, match="no single region carries it on"):
        gaz.resolve("341400")  # 巢湖市, dissolved in 2011


def test_other_countries_are_data(tmp_path: Path) -> None:
    regions = tmp_path / "regions_jp.csv"
    regions.write_text(
        "country,code,level,name_en,name_zh,name_local,local_language,division_type,parent_code,"
        "iso_3166_2,geonames_id,wikidata,aliases,source\n"
        "JP,,country,Japan,日本,日本,ja,,,JP,,,,ISO 3166-2\n"
        "JP,JP-14,province,Kanagawa,神奈川县,神奈川県,ja,,,JP-14,,,Kanagawa Prefecture,ISO 3166-2\n",
        encoding="utf-8",
    )
    gaz = Gazetteer.bundled(extra=[regions])
    kanagawa = gaz.resolve("神奈川県")
    assert kanagawa == gaz.resolve("JP-14") == gaz.resolve("kanagawa prefecture")
    assert gaz.regions[kanagawa.value].parent == gaz.resolve("Japan")
    assert gaz.resolve("Nagchu").value.endswith("/540600")  # China's names are untouched


def test_all_provinces_and_prefectures(gaz: Gazetteer) -> None:
    levels = [r.level for r in gaz.regions.values()]
    assert (levels.count("country"), levels.count("province"), levels.count("prefecture")) == (
        1,
        34,
        333,
    )


def test_the_reference_data_conforms_to_the_shapes(reference: Reference) -> None:
    """All of it on the compiled shapes; a province and Nagqu on pySHACL, the reference engine,
    which takes minutes over the whole gazetteer (the engines agree: tests/test_shacl_sparql.py)."""
    from pyshacl import validate

    from coopkg.ingest import reference_graphs
    from coopkg.store import Store
    from coopkg.validation import validate_graphs

    store = Store()
    store.replace_graphs(reference_graphs(reference))
    assert [str(p) for p in validate_graphs(store)] == []
    quads = list(reference.quads())
    regions = {q.subject for q in quads if q.predicate == RDF_TYPE and q.object == COOP.Region}
    assert len(regions) == 368
    liaoning = reference.gazetteer.resolve("Liaoning")
    under = [q for q in quads if q.predicate == COOP.parentRegion and q.object == liaoning]
    prefectures = [q.subject.value for q in under]
    data = to_rdflib(reference.about([*prefectures, reference.gazetteer.resolve("Nagqu").value]))
    assert len(prefectures) == 14 and len(data) > 300
    conforms, _, text = validate(data, shacl_graph=shapes_graph(), inference="none", advanced=True)
    assert conforms, text
