"""Dataset summaries: written with each load, and the queries that read them answer as counting did.

The queries in fixtures/naive-queries/ are the catalogue's texts from before they were rewritten for
speed: they count the mechanisms and agreements themselves (or filter every link). The rewritten
ones must give the same answers.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions

from coopkg import catalogue, summary
from coopkg.catalogue import parse_query_file
from coopkg.ingest import load
from coopkg.reference import Reference
from coopkg.store import Store
from coopkg.vocab import COOP, REGIONS_GRAPH, XSD, graph_iri, summary_graph

NAIVE = Path(__file__).parent / "fixtures" / "naive-queries"
BENCH = Path(__file__).resolve().parents[1] / "bench"
LIAONING = NamedNode("https://w3id.org/coopkg/id/region/cn/210000")
NAGQU = NamedNode("https://w3id.org/coopkg/id/region/cn/540600")
DALIAN = NamedNode("https://w3id.org/coopkg/id/region/cn/210200")
TIBET = NamedNode("https://w3id.org/coopkg/id/region/cn/540000")
EXAMPLE = graph_iri("tibet-expo-2023")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, reference: Reference, example: Path) -> Store:
    spec = importlib.util.spec_from_file_location("coopkg_bench_generate_summary", BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generator
    spec.loader.exec_module(generator)
    folder = tmp_path_factory.mktemp("generated") / "generated-600"
    generator.generate(600, folder, seed=11)
    store = Store(tmp_path_factory.mktemp("summary") / "store")
    load(example, store, reference)
    load(folder, store, reference)
    load(_signed_by_organizations(tmp_path_factory.mktemp("organizations") / "orgs"), store, reference)
    return store


def _signed_by_organizations(folder: Path) -> Path:
    """An agreement whose parties are organizations, each acting for a region."""
    minimal = Path(__file__).parent / "fixtures" / "datasets" / "minimal"
    folder.mkdir()
    manifest = (minimal / "manifest.toml").read_text(encoding="utf-8")
    (folder / "manifest.toml").write_text(manifest.replace('id = "minimal"', 'id = "orgs"'), encoding="utf-8")
    source = "test-daily-2024-01-02"
    (folder / "organizations.csv").write_text(
        "id,name,acts_for,source\n"
        f"dalian-office,Dalian Test Office,Dalian,{source}\n"
        f"lhasa-office,Lhasa Test Office,Lhasa,{source}\n",
        encoding="utf-8",
    )
    (folder / "agreements.csv").write_text(
        "id,name,parties,instrument_type,source\n"
        f"a1,Offices' agreement,dalian-office|lhasa-office,framework-agreement,{source}\n",
        encoding="utf-8",
    )
    return folder


# GROUP_CONCAT columns, by their separators: the order of the parts is left open
CONCATENATED = {"areas": ", ", "areaNames": ", "}


def _rows(store: Store, text: str, concatenated: dict[str, str] = CONCATENATED) -> Counter[tuple[str, ...]]:
    result = store.query(text)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    rows: Counter[tuple[str, ...]] = Counter()
    for row in result:
        cells = []
        for name in names:
            term = row[name]
            if term is None:
                cells.append("")
            elif name in concatenated:
                cells.append(" | ".join(sorted(p for p in term.value.split(concatenated[name]) if p)))
            else:
                cells.append(term.value)
        rows[tuple(cells)] += 1
    return rows


def test_the_example_summary_is_this_graph(store: Store) -> None:
    got = {(q.subject, q.predicate, q.object) for q in store.quads(summary_graph(EXAMPLE))}
    pairs = [s for s, p, o in got if p == COOP.pairSource]
    assert len(pairs) == 1  # Liaoning and Nagqu, through the mechanism and the agreement
    pair = pairs[0]
    two = Literal(2)
    assert {
        (pair, COOP.pairSource, LIAONING),
        (pair, COOP.pairTarget, NAGQU),
        (pair, COOP.linkCount, two),
    } <= got
    assert any(p == COOP.pairArea for s, p, o in got if s == pair)
    tallies = {o: s for s, p, o in got if p == COOP.tallyOf}
    assert set(tallies) == {LIAONING, NAGQU}
    assert (tallies[LIAONING], COOP.partnerRegion, NAGQU) in got
    assert (tallies[LIAONING], COOP.linkCount, two) in got


def test_summaries_are_not_datasets_and_regions_carry_their_closure(store: Store) -> None:
    assert summary_graph(EXAMPLE) in store.graphs()
    assert summary_graph(EXAMPLE) not in store.datasets()
    regions = set(store.quads(REGIONS_GRAPH))
    assert Quad(NAGQU, COOP.withinRegion, TIBET, REGIONS_GRAPH) in regions


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("most-connected", None),
        ("cooperation-network", None),
        ("cooperation-network", NAGQU),
        ("network-links", None),
        ("network-links", LIAONING),
        ("network-links", DALIAN),
        ("aid-from-region", LIAONING),
        ("aid-into-region", TIBET),
    ],
)
def test_rewritten_queries_answer_as_their_former_texts(
    store: Store, name: str, region: NamedNode | None
) -> None:
    query = catalogue.get(name)
    naive = parse_query_file(name, (NAIVE / f"{name}.rq").read_text(encoding="utf-8"))
    terms = {
        p.name: (region if p.type == "region" else Literal("1", datatype=XSD.integer)) for p in query.params
    }
    concatenated = {**CONCATENATED, "areas": " "} if name == "network-links" else CONCATENATED
    expected = _rows(store, naive.bind(terms), concatenated)
    assert expected  # something to compare
    assert _rows(store, query.bind(terms), concatenated) == expected


def test_a_store_without_summaries_gets_them_again(
    tmp_path: Path, reference: Reference, example: Path
) -> None:
    store = Store(tmp_path / "store")
    load(example, store, reference)
    before = set(store.quads(summary_graph(EXAMPLE)))
    store.drop(summary_graph(EXAMPLE))  # as a store written before summaries
    assert EXAMPLE in store.graphs()
    assert summary.missing(store) == [EXAMPLE]
    assert summary.refresh(store, reference) == 1
    assert set(store.quads(summary_graph(EXAMPLE))) == before
    assert summary.missing(store) == []
    assert store.drop(EXAMPLE) and summary_graph(EXAMPLE) not in store.graphs()  # together
