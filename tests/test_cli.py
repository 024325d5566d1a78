"""The command line: exit codes, reports, an unchanged store after a refusal, exports that parse."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from coopkg.cli import main
from coopkg.store import Store

FIXTURES = Path(__file__).parent / "fixtures"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def dump(store_path: Path) -> set[str]:
    with Store(store_path) as store:
        return {str(q) for q in store.quads()}


def test_demo_answers_the_founding_questions(tmp_path: Path) -> None:
    code, out = run("demo", "--store", str(tmp_path / "store"))
    assert code == 0
    for expected in (
        "Liaoning",
        "provider",
        "mutual sharing of cultural and museum resources",
        "53183000000",
        "CNY",
        "Liaoning Daily",
        "2023-06-20",
        "Nagchu",
    ):
        assert expected in out


def test_load_is_idempotent(tmp_path: Path, example: Path) -> None:
    store = tmp_path / "store"
    code, out = run("load", str(example), "--store", str(store))
    assert code == 0 and "loaded" in out
    before = dump(store)
    code, out = run("load", str(example), "--store", str(store))
    assert code == 0 and "unchanged" in out
    assert dump(store) == before


def test_a_broken_dataset_is_refused_and_the_store_is_unchanged(
    tmp_path: Path, example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    assert run("load", str(example), "--store", str(store))[0] == 0
    before = dump(store)
    code, out = run("load", str(FIXTURES / "datasets" / "broken"), "--store", str(store))
    assert code == 1
    assert "agreements.csv:3\n  violation: parties: 'Nagqux'" in out
    assert "events.csv:2\n  violation: start_date: '2024-02-30'" in out
    assert "mechanisms.csv:2: mechanism m1\n  violation: mechanism_type:" in out
    assert "store is unchanged" in capsys.readouterr().err
    assert dump(store) == before


def test_a_new_version_of_a_dataset_replaces_its_graph(tmp_path: Path) -> None:
    folder = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "datasets" / "minimal", folder)
    store = tmp_path / "store"
    assert run("load", str(folder), "--store", str(store))[0] == 0
    events = folder / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8").replace("First Test Expo", "Renamed Expo"),
        encoding="utf-8",
    )
    code, out = run("load", str(folder), "--store", str(store))
    assert code == 0 and "replaced" in out
    quads = dump(store)
    assert any('"Renamed Expo"@en' in q for q in quads)
    assert not any('"First Test Expo"@en' in q for q in quads)


def test_validate_exit_codes_and_json_report(example: Path) -> None:
    assert run("validate", str(example))[0] == 0
    code, out = run("validate", str(FIXTURES / "datasets" / "broken"), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["conforms"] is False
    assert {
        (p["file"], p["line"], p["field"]) for p in report["problems"] if p["severity"] == "violation"
    } == {
        ("agreements.csv", 3, "parties"),
        ("events.csv", 2, "start_date"),
        ("mechanisms.csv", 2, "mechanism_type"),
    }


def test_messages_in_chinese(example: Path) -> None:
    code, out = run("validate", str(FIXTURES / "datasets" / "broken"), "--lang", "zh")
    assert code == 1
    line = next(x for x in out.splitlines() if "mechanism_type" in x)
    assert any("\u4e00" <= c <= "\u9fff" for c in line)


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("load", str(tmp_path / "nowhere"))[0] == 2
    assert "not a folder" in capsys.readouterr().err
    assert run("query", "partner", "--store", str(tmp_path / "s"))[0] == 2
    assert "did you mean: partners" in capsys.readouterr().err
    assert run("query", "partners", "--param", "region", "--store", str(tmp_path / "s"))[0] == 2
    code = run(
        "sparql",
        "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }",
        "--store",
        str(tmp_path / "s"),
    )[0]
    assert code == 2 and "SERVICE" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        run("frobnicate")
    assert exit_.value.code == 2


def test_query_help_lists_the_parameters() -> None:
    code, out = run("query", "partners", "--help")
    assert code == 0
    assert "--param region=VALUE" in out and "example" in out
    code, out = run("queries")
    assert code == 0 and "partners" in out and "event-totals" in out


def test_query_formats(tmp_path: Path, example: Path) -> None:
    store = str(tmp_path / "store")
    run("load", str(example), "--store", store)
    code, out = run("query", "partners", "-p", "region=Nagchu", "--format", "json", "--store", store)
    bindings = json.loads(out)["results"]["bindings"]
    assert code == 0 and {b["partnerName"]["value"] for b in bindings} == {"Liaoning"}
    assert bindings[0]["partnerName"]["xml:lang"] == "en"
    code, out = run("query", "partners", "-p", "region=Nagchu", "--format", "csv", "--store", store)
    assert out.splitlines()[0].startswith("partner,partnerName,role")
    code, out = run("sparql", "ASK { ?s a <https://w3id.org/coopkg/ontology#Agreement> }", "--store", store)
    assert out.strip() == "true"


def test_export_nt_parses_and_holds_the_named_graphs_triples(tmp_path: Path, example: Path) -> None:
    store = tmp_path / "store"
    run("load", str(example), "--store", str(store))
    target = tmp_path / "dump.nt"
    assert run("export", "--format", "nt", "-o", str(target), "--store", str(store))[0] == 0
    graph = rdflib.Graph().parse(target, format="nt")
    quads = rdflib.Dataset()
    nq = tmp_path / "dump.nq"
    assert run("export", "--format", "nq", "-o", str(nq), "--store", str(store))[0] == 0
    quads.parse(nq, format="nquads")
    dataset_graph = quads.graph(rdflib.URIRef("https://w3id.org/coopkg/graph/tibet-expo-2023"))
    assert len(dataset_graph) > 100
    assert all(t in graph for t in dataset_graph)
    for fmt, rdflib_format in (("ttl", "turtle"), ("jsonld", "json-ld"), ("trig", "trig")):
        out = tmp_path / f"dump.{fmt}"
        assert run("export", "--format", fmt, "-o", str(out), "--store", str(store))[0] == 0
        parsed = rdflib.Dataset().parse(out, format=rdflib_format)
        assert len(parsed) > 0


def test_the_console_script_runs(tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "coopkg"
    for argv in ([str(command), "--version"], [sys.executable, "-m", "coopkg", "--version"]):
        result = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("coopkg ")


def test_sparql_reads_a_query_file(tmp_path: Path, example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store")
    run("load", str(example), "--store", store)
    query = tmp_path / "count.rq"
    query.write_text(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/coopkg/ontology#CooperationActivity> }",
        encoding="utf-8",
    )
    code, out = run("sparql", str(query), "--format", "csv", "--store", store)
    assert code == 0 and out.splitlines() == ["n", "6"]
    assert run("sparql", str(tmp_path / "missing.rq"), "--store", store)[0] == 2
    assert "cannot read the query file" in capsys.readouterr().err


def test_reading_commands_need_an_existing_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "missing")
    for argv in (["query", "partners", "-p", "region=Nagqu"], ["sparql", "ASK {}"], ["export"]):
        assert run(*argv, "--store", missing)[0] == 2
        assert "no store at" in capsys.readouterr().err
    assert not Path(missing).exists()


def test_provenance_names_the_file_and_line(tmp_path: Path, example: Path) -> None:
    store = str(tmp_path / "store")
    run("load", str(example), "--store", store)
    code, out = run(
        "provenance",
        "id:tibet-expo-2023/activity/mutual-sharing-of-cultural-and-museum-resources",
        "--store",
        store,
    )
    assert code == 0
    assert "from activities.csv, line 7" in out and "Liaoning Daily, released 2023-06-20" in out
    assert "in graph <https://w3id.org/coopkg/graph/tibet-expo-2023>" in out  # its name, not a version
    code, out = run(
        "provenance",
        "https://w3id.org/coopkg/id/tibet-expo-2023/outcome/expo-agreed-investment",
        "--store",
        store,
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["records"][0]["line"] == 4
    assert run("provenance", "id:nothing/here", "--store", store)[0] == 2


def test_diff_command(tmp_path: Path, example: Path) -> None:
    store = str(tmp_path / "store")
    code, out = run("diff", str(example), "--store", store, "--limit", "2")
    assert code == 0 and "tibet-expo-2023: +" in out and "more (--limit 0 shows all)" in out
    run("load", str(example), "--store", store)
    code, out = run("diff", str(example), "--store", store)
    assert "+0 triples, -0 triples" in out


def test_quarantine_loads_the_good_records_and_sets_aside_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    shutil.copytree(FIXTURES / "datasets" / "broken", folder)
    (folder / "events.csv").write_text(
        "id,name,event_type,start_date,source\n"
        "expo-1,First Test Expo,expo,2024-02-30,test-daily-2024-01-02\n"
        "expo-2,Second Test Expo,expo,2024-03-01,test-daily-2024-01-02\n",
        encoding="utf-8",
    )
    store, quarantine = str(tmp_path / "store"), tmp_path / "quarantine"
    code, out = run("load", str(folder), "--store", store, "--quarantine", str(quarantine))
    assert code == 1 and "refused and written to" in out
    # the broken event, the agreements (one names an unknown region, one points at the broken event)
    # and the mechanism without a type are set aside, in their original format
    assert (quarantine / "events.csv").read_text(encoding="utf-8").splitlines() == [
        "id,name,event_type,start_date,source",
        "expo-1,First Test Expo,expo,2024-02-30,test-daily-2024-01-02",
    ]
    assert len((quarantine / "agreements.csv").read_text(encoding="utf-8").splitlines()) == 3
    assert "mechanism_type" in (quarantine / "problems.txt").read_text(encoding="utf-8")
    quads = dump(Path(store))
    assert any('"Second Test Expo"@en' in q for q in quads)
    assert not any('"First Test Expo"@en' in q for q in quads)


def test_convert_writes_the_dataset_without_a_store(tmp_path: Path, example: Path) -> None:
    target = tmp_path / "example.nt"
    assert run("convert", str(example), "-o", str(target))[0] == 0
    graph = rdflib.Graph().parse(target, format="nt")
    mechanism = rdflib.URIRef(
        "https://w3id.org/coopkg/id/tibet-expo-2023/mechanism/liaoning-nagqu-tourism-aid"
    )
    assert (
        mechanism,
        rdflib.RDF.type,
        rdflib.URIRef("https://w3id.org/coopkg/ontology#AidMechanism"),
    ) in graph
    assert run("convert", str(FIXTURES / "datasets" / "broken"), "-o", str(tmp_path / "x.nt"))[0] == 1
