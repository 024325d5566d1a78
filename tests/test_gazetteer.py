"""Regions by any name: aliases, codes, suffixes; unknown and ambiguous names explained."""

from __future__ import annotations

import pytest
import rdflib

from coopkg.gazetteer import AmbiguousRegion, Gazetteer, UnknownRegion
from coopkg.reference import Reference
from coopkg.validation import shapes_graph, to_rdflib
from coopkg.vocab import COOP


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
        gaz.resolve("Jilin")
    assert caught.value.options == ["Jilin (吉林市, 220200)", "Jilin (吉林省, 220000)"]


def test_all_provinces_and_prefectures(gaz: Gazetteer) -> None:
    levels = [r.level for r in gaz.regions.values()]
    assert (levels.count("country"), levels.count("province"), levels.count("prefecture")) == (
        1,
        34,
        333,
    )


def test_the_reference_data_conforms_to_the_shapes(reference: Reference) -> None:
    from pyshacl import validate

    data = to_rdflib(reference.quads())
    conforms, _, text = validate(data, shacl_graph=shapes_graph(), inference="none", advanced=True)
    assert conforms, text
    regions = set(data.subjects(rdflib.RDF.type, rdflib.URIRef(COOP.Region.value)))
    assert len(regions) == 368
