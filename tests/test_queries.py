"""The catalogue answers the founding example's questions; parameters cannot inject SPARQL."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad
from rdflib.plugins.sparql.parser import parseQuery

from coopkg import catalogue
from coopkg.errors import CoopkgError
from coopkg.querying import Table, ask, bind
from coopkg.reference import Reference
from coopkg.sparql_safety import check_query
from coopkg.store import Store

EXPO = "5th China Tibet Tourism and Culture International Expo"
QUERIES = catalogue.catalogue()


def values(table: Table, column: str) -> list[str | None]:
    return [None if row[column] is None else row[column].value for row in table.records()]  # type: ignore[union-attr]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_has_a_header_and_runs_on_the_example(
    name: str, example_store: Store, reference: Reference
) -> None:
    query = QUERIES[name]
    assert query.title and query.description and query.examples
    assert query.params, "every catalogue query takes a parameter"
    words = shlex.split(query.examples[0])
    raw = dict(words[i + 1].split("=", 1) for i, word in enumerate(words) if word in ("--param", "-p"))
    text = bind(query, raw, example_store, reference)
    parseQuery(text)  # standard SPARQL 1.1, as rdflib reads it too
    check_query(text)
    assert len(ask(example_store, reference, name, raw)) > 0, "the example call answers"


@pytest.mark.parametrize("name", ["Nagqu", "Nagchu", "Naqu", "那曲市", "540600"])
def test_liaoning_has_the_tourism_aid_mechanism_with_nagqu(
    name: str, example_store: Store, reference: Reference
) -> None:
    table = ask(example_store, reference, "partners", {"region": name})
    rows = [r for r in table.records() if r["role"].value == "provider"]  # type: ignore[union-attr]
    assert [(r["partnerName"].value, r["linkType"].value, r["areas"].value) for r in rows] == [  # type: ignore[union-attr]
        ("Liaoning", "aid", "tourism")
    ]


def test_the_six_lines_of_work_in_order(example_store: Store, reference: Reference) -> None:
    table = ask(example_store, reference, "lines-of-work", {"region": "Naqu"})
    assert values(table, "sequence") == ["1", "2", "3", "4", "5", "6"]
    assert values(table, "activityName") == [
        "mutual construction of cooperation mechanism",
        "mutual creation of brand image",
        "mutual integration of cultural and tourism activities",
        "mutual promotion of marketing promotion",
        "mutual performance of culture and art",
        "mutual sharing of cultural and museum resources",
    ]


def test_the_expo_totals(example_store: Store, reference: Reference) -> None:
    table = ask(example_store, reference, "event-totals", {"event": EXPO})
    got = {
        (
            r["eventName"].value,
            r["instrumentType"].value if r["instrumentType"] else None,  # type: ignore[union-attr]
            r["value"].value,
            r["currency"].value if r["currency"] else None,
        )  # type: ignore[union-attr]
        for r in table.records()
    }
    assert got == {
        (EXPO, "strategic cooperation agreement", "7", None),
        (EXPO, "project investment contract", "60", None),
        (EXPO, None, "53183000000", "CNY"),
        (
            "Tibet Tourism Marketing Promotion Conference",
            "tourism industry cooperation agreement",
            "6",
            None,
        ),
        (
            "Tibet Tourism Marketing Promotion Conference",
            "cultural industry cooperation agreement",
            "1",
            None,
        ),
    }


def test_agreements_of_the_expo_include_its_sub_events(example_store: Store, reference: Reference) -> None:
    table = ask(example_store, reference, "event-agreements", {"event": EXPO})
    assert values(table, "signedAtName") == ["Tibet Tourism Marketing Promotion Conference"]
    assert [sorted(str(v).split(", ")) for v in values(table, "parties")] == [["Liaoning", "Nagqu"]]


def test_the_source_and_its_release_date(example_store: Store, reference: Reference) -> None:
    table = ask(example_store, reference, "mechanism-sources", {"mechanism": "liaoning-nagqu-tourism-aid"})
    assert [(r["publisher"].value, r["released"].value) for r in table.records()] == [  # type: ignore[union-attr]
        ("Liaoning Daily", "2023-06-20")
    ]


def test_aid_into_a_province_includes_its_prefectures(example_store: Store, reference: Reference) -> None:
    assert values(ask(example_store, reference, "aid-into-region", {"region": "Tibet"}), "providerName") == [
        "Liaoning"
    ]
    assert len(ask(example_store, reference, "aid-into-region", {"region": "Liaoning"})) == 0
    assert values(ask(example_store, reference, "aid-from-region", {"region": "CN-LN"}), "recipientName") == [
        "Nagqu"
    ]


INJECTIONS = [
    '" } } ; DROP ALL ; #',
    "> } SERVICE <http://example.org/> { ?s ?p ?o } #",
    "\\u0022 } UNION { ?s ?p ?o } #",
    "tourism' } #",
]


@pytest.mark.parametrize("attack", INJECTIONS)
def test_text_is_bound_as_a_literal_never_as_query_text(attack: str) -> None:
    query = catalogue.parse_query_file(
        "probe",
        "# title: t\n# description: d\n# param: q (text): x\nSELECT ?q WHERE { BIND(1 AS ?one) }\n",
    )
    text = query.bind({"q": Literal(attack)})
    parsed = parseQuery(text)  # still one well-formed query …
    check_query(text)  # … with no SERVICE in it
    store = Store()
    rows = list(store.query(text))  # type: ignore[arg-type]
    assert [r["q"].value for r in rows] == [attack]  # … that hands the text back unchanged
    assert parsed is not None


@pytest.mark.parametrize("attack", INJECTIONS)
@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("partners", "region"),
        ("mechanisms-by-area", "area"),
        ("event-totals", "event"),
        ("mechanism-sources", "mechanism"),
    ],
)
def test_every_parameter_type_resolves_to_a_term_or_refuses(
    attack: str, query: str, param: str, example_store: Store, reference: Reference
) -> None:
    try:
        text = bind(catalogue.get(query), {param: attack}, example_store, reference)
    except CoopkgError:
        return  # refused: no such region, area, event or mechanism
    # resolved leniently (e.g. "tourism' } #" is the area tourism): bound as that term's IRI
    assert attack not in text
    assert "VALUES (?" + param + ") { (<https://w3id.org/coopkg/" in text


def test_an_iri_parameter_cannot_break_out() -> None:
    with pytest.raises(ValueError):
        NamedNode("http://example.org/> } ; DROP ALL ; <x")


def test_unknown_query_and_parameter_names(example_store: Store, reference: Reference) -> None:
    with pytest.raises(CoopkgError, match="did you mean: partners"):
        ask(example_store, reference, "partner", {})
    with pytest.raises(CoopkgError, match="no parameter 'area'"):
        ask(example_store, reference, "partners", {"area": "x"})
    with pytest.raises(CoopkgError, match="needs --param region"):
        ask(example_store, reference, "partners", {})


def test_service_is_refused_even_when_escaped() -> None:
    with pytest.raises(CoopkgError, match="SERVICE"):
        check_query("SELECT * WHERE { SERV\\u0049CE <http://example.org/s> { ?s ?p ?o } }")


def test_totals_against_the_agreements_listed(example_store: Store, reference: Reference) -> None:
    table = ask(example_store, reference, "totals-vs-listed", {"event": EXPO})
    rows = {
        r["instrumentType"].value: (int(r["reported"].value), int(r["listed"].value), r["status"].value)  # type: ignore[union-attr]
        for r in table.records()
    }
    # the source reports 7 strategic agreements and 60 investment contracts at the expo, 6 tourism
    # and 1 cultural industry agreements at its conference, and names none of them one by one
    assert rows["strategic cooperation agreement"] == (7, 0, "some listed")
    assert rows["tourism industry cooperation agreement"] == (6, 0, "some listed")
    assert len(rows) == 4


def test_most_connected_regions(example_store: Store, reference: Reference) -> None:
    table = ask(example_store, reference, "most-connected", {"min": "1"})
    assert sorted(values(table, "regionName")) == ["Liaoning", "Nagqu"]
    assert list(ask(example_store, reference, "most-connected", {"min": "2"}).records()) == []


def test_regions_without_cooperation_in_an_area(example_store: Store, reference: Reference) -> None:
    table = ask(
        example_store, reference, "regions-without-cooperation", {"province": "Tibet", "area": "tourism"}
    )
    names = values(table, "regionName")
    assert "Nagqu" not in names and "Lhasa" in names and len(names) == 6  # Tibet has 7 prefectures
    other = ask(
        example_store, reference, "regions-without-cooperation", {"province": "Tibet", "area": "trade"}
    )
    assert "Nagqu" in values(other, "regionName")


def test_investment_totals(example_store: Store, reference: Reference) -> None:
    table = ask(example_store, reference, "investment-totals", {"currency": "CNY"})
    [row] = table.records()
    assert (row["eventName"].value, row["year"].value, row["total"].value) == (EXPO, "2023", "53183000000")  # type: ignore[union-attr]
    assert list(ask(example_store, reference, "investment-totals", {"currency": "USD"}).records()) == []


def test_a_region_timeline(example_store: Store, reference: Reference) -> None:
    for name in ("Nagqu", "Liaoning"):
        table = ask(example_store, reference, "region-timeline", {"region": name})
        kinds = values(table, "kind")
        assert sorted(kinds) == ["agreement", "mechanism"]
        assert all(d is not None for d in values(table, "date"))


def test_links_between_two_regions(tmp_path: Path, example: Path, reference: Reference) -> None:
    from coopkg import summary
    from coopkg.ingest import load
    from coopkg.vocab import COOP, RDF, graph_iri

    store = Store()
    load(example, store, reference)
    direct = ask(store, reference, "links-between", {"region": "Liaoning", "other": "Nagchu"})
    assert set(values(direct, "hops")) == {"1"}
    assert (
        list(ask(store, reference, "links-between", {"region": "Liaoning", "other": "Lhasa"}).records()) == []
    )
    link = NamedNode(
        "https://example.org/nagqu-lhasa"
    )  # a link of Nagqu with Lhasa: Liaoning reaches Lhasa in two
    g = graph_iri("tibet-expo-2023")
    store.add(
        [
            Quad(link, RDF.type, COOP.CooperationMechanism, g),
            Quad(link, COOP.participant, reference.gazetteer.resolve("Nagqu"), g),
            Quad(link, COOP.participant, reference.gazetteer.resolve("Lhasa"), g),
        ]
    )
    summary.refresh(store, reference, [g])  # written outside a load: its summary by hand
    chain = ask(store, reference, "links-between", {"region": "Liaoning", "other": "Lhasa"})
    assert set(values(chain, "hops")) == {"2"} and set(values(chain, "viaName")) == {"Nagqu"}


def test_where_a_statement_comes_from(example_store: Store, reference: Reference) -> None:
    node = "https://w3id.org/coopkg/id/tibet-expo-2023/mechanism/liaoning-nagqu-tourism-aid"
    table = ask(example_store, reference, "statement-source", {"node": node})
    records = [r for r in values(table, "record") if r]
    assert records and all(r.endswith("/file/mechanisms.csv#L2") for r in records)
    assert "Liaoning Daily" in values(table, "publisher")
    assert "2023-06-20" in values(table, "released")


def test_agreements_by_area(example_store: Store, reference: Reference) -> None:
    every = ask(example_store, reference, "agreements-by-area", {})
    assert [(r["areaName"].value, r["agreements"].value) for r in every.records()] == [("tourism", "1")]  # type: ignore[union-attr]
    assert [
        r["agreements"].value
        for r in ask(example_store, reference, "agreements-by-area", {"within": "Tibet"}).records()
    ] == ["1"]  # type: ignore[union-attr]
    assert list(ask(example_store, reference, "agreements-by-area", {"within": "Jilin"}).records()) == []


def test_rows_as_python_values_and_a_dataframe(
    example_store: Store, reference: Reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = ask(example_store, reference, "event-totals", {"event": EXPO})
    counts = sorted(r["value"] for r in table.values() if r["measure"] == "agreement count")
    assert counts == [1, 6, 7, 60]
    frame = table.to_dataframe()
    assert list(frame.columns) == table.variables and len(frame) == len(table)
    assert sorted(frame.loc[frame["measure"] == "agreement count", "value"]) == [1, 6, 7, 60]
    import builtins

    real_import = builtins.__import__

    def no_pandas(name: str, *args: object, **kwargs: object) -> object:
        if name == "pandas":
            raise ImportError("no pandas here")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(CoopkgError, match="pip install pandas"):
        table.to_dataframe()
