"""The cooperation areas' mappings to DAC CRS, COFOG and EuroVoc (ontology/classifications.ttl), the
catalogue query that follows them (queries/mechanisms-by-code.rq) and their generator
(tools/build_classifications.py)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from coopkg.querying import Table, ask
from coopkg.reference import Reference
from coopkg.store import Store

MECHANISM = "https://w3id.org/coopkg/id/tibet-expo-2023/mechanism/liaoning-nagqu-tourism-aid"


def by_code(store: Store, reference: Reference, scheme: str, code: str) -> Table:
    return ask(store, reference, "mechanisms-by-code", {"scheme": scheme, "code": code})


def rows(table: Table) -> list[dict[str, str | None]]:
    return [{k: None if v is None else v.value for k, v in r.items()} for r in table.records()]


# --- the query -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "code"),
    [
        ("cofog", "08.2"),  # culture, museums, performing arts (activities) → 08.2 / 08.2.0
        ("cofog", "04.7.3"),  # tourism (mechanism, agreement, activity), marketing (activity)
        ("cofog", "04"),  # a division: everything under it
        ("dac-crs", "33210"),
        ("dac-crs", "332"),  # a category: its purpose codes
        ("eurovoc", "4470"),
        ("COFOG", "08.2"),  # the scheme's name in any case
    ],
)
def test_the_example_mechanism_is_found_by_code(
    scheme: str, code: str, example_store: Store, reference: Reference
) -> None:
    found = rows(by_code(example_store, reference, scheme, code))
    assert MECHANISM in {r["mechanism"] for r in found}
    assert all(
        r["name"] == "Liaoning\u2013Nagqu cooperation mechanism for tourism aid to Tibet" for r in found
    )


@pytest.mark.parametrize(
    ("scheme", "code"),
    [("cofog", "09"), ("cofog", "08.2.1"), ("dac-crs", "111"), ("eurovoc", "668"), ("unknown", "08.2")],
)
def test_codes_the_example_does_not_map_to_find_nothing(
    scheme: str, code: str, example_store: Store, reference: Reference
) -> None:
    found = rows(by_code(example_store, reference, scheme, code))
    assert MECHANISM not in {r["mechanism"] for r in found}


def test_rows_say_how_the_area_was_reached_and_how_it_matches(
    example_store: Store, reference: Reference
) -> None:
    found = rows(by_code(example_store, reference, "cofog", "04.7.3"))
    got = {(r["areaName"], r["via"], r["notation"], r["conceptName"], r["match"]) for r in found}
    assert got == {
        ("tourism", "mechanism", "04.7.3", "Tourism (CS)", "exact"),
        ("tourism", "agreement", "04.7.3", "Tourism (CS)", "exact"),
        ("tourism", "activity", "04.7.3", "Tourism (CS)", "exact"),
        ("marketing and promotion", "activity", "04.7.3", "Tourism (CS)", "close"),
    }
    narrower = rows(by_code(example_store, reference, "cofog", "08.2"))
    assert {(r["areaName"], r["notation"], r["match"]) for r in narrower} == {
        ("culture", "08.2", "close"),
        ("culture", "08.2.0", "close"),
        ("museums and cultural heritage", "08.2.0", "close"),
        ("performing arts and cultural exchange", "08.2.0", "close"),
    }
    assert {r["via"] for r in narrower} == {"activity"}


# --- the generator -------------------------------------------------------------------------------


def test_crosswalk_keys_become_area_notations(generator: ModuleType) -> None:
    known = ["development-aid", "marketing-promotion", "media", "sport-recreation"]
    assert generator.area_notation("marketing_promotion_brand", known) == "marketing-promotion"
    assert generator.area_notation("media_broadcasting_publishing", known) == "media"
    assert generator.area_notation("development_aid_general", known) == "development-aid"
    assert generator.area_notation("sport_recreation", known) == "sport-recreation"
    with pytest.raises(generator.BuildError, match=r"'space_tourism'.*not a cooperation area"):
        generator.area_notation("space_tourism", known)


def test_exact_when_the_names_agree(generator: ModuleType) -> None:
    area, concept = generator.Area, generator.Concept

    def kind(notation: str, labels: list[str], iri: str, label: str) -> str:
        return str(generator.match_kind(area(notation, labels), concept(iri, "x", "s", [(label, "en")])))

    assert kind("sport-recreation", ["sport and recreation"], "d/16065", "Recreation and sport") == "exact"
    assert kind("tourism", ["tourism"], "c/04.7.3", "Tourism (CS)") == "exact"
    assert kind("tourism", ["tourism"], "d/33210", "Tourism policy and administrative management") == "close"
    assert kind("a", ["place branding", "marketing"], "e/13", "Marketing") == "exact"  # an altLabel
    dev = "http://eurovoc.europa.eu/3077"
    assert kind("development-aid", ["development aid"], dev, "development aid") == "close"  # the exception


def test_check_mode_reports_a_stale_file(
    generator: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "classifications.ttl"
    assert generator.main(["--check", "--output", str(target)]) == 1  # missing
    assert generator.main(["--output", str(target)]) == 0
    assert generator.main(["--check", "--output", str(target)]) == 0
    target.write_text(target.read_text(encoding="utf-8").replace("Tourism (CS)", "Tourism"), encoding="utf-8")
    capsys.readouterr()
    assert generator.main(["--check", "--output", str(target)]) == 1
    diff = capsys.readouterr().out
    assert '-    skos:prefLabel "Tourism"@en ,' in diff
    assert '+    skos:prefLabel "Tourism (CS)"@en ,' in diff


def test_an_unknown_code_stops_the_build(generator: ModuleType, tmp_path: Path) -> None:
    refdata = Path(generator.REFDATA)
    for f in refdata.glob("sectors_*.csv"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    crosswalk = tmp_path / "sectors_crosswalk.csv"
    crosswalk.write_text(crosswalk.read_text(encoding="utf-8").replace("04.7.3", "04.7.9"), encoding="utf-8")
    with pytest.raises(generator.BuildError, match=r"COFOG code 04\.7\.9 is not in its file"):
        generator.build(refdata=tmp_path)
