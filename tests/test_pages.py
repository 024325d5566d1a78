"""coopkg serve's pages: resources as linked data (HTML, Turtle, JSON-LD by content negotiation),
the query catalogue, and the pages in headless Chromium.

The browser is Debian's chromium (tools/install-chromium.sh, run by ``make test``), driven by
Playwright (the dev extra) with ``executable_path``; a missing browser fails the test with what to
install. The browser test saves its screenshots in its tmp dir and copies them to out/screenshots/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions, RdfFormat, Triple, parse

from coopkg.ingest import load
from coopkg.linked_data import LABELS
from coopkg.reference import Reference
from coopkg.responses import Response
from coopkg.site import PageRequest, Site
from coopkg.store import Store, graph_iri
from coopkg.vocab import COOP, RDF, RDFS

BASE = "https://w3id.org/coopkg/"
LIAONING = BASE + "id/region/cn/210000"
MECHANISM = BASE + "id/tibet-expo-2023/mechanism/liaoning-nagqu-tourism-aid"
BROWSER = "Mozilla/5.0 text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "out" / "screenshots"


@pytest.fixture(scope="module")
def site(example_store: Store) -> Site:
    return Site(example_store, max_rows=100)


def ask(site: Site, path: str, accept: str = BROWSER, **params: str) -> Response:
    return site.respond(PageRequest(path, {k: [v] for k, v in params.items()}, accept))


def own_triples(store: Store, iri: str) -> set[Triple]:
    """The triples whose subject is ``iri`` and the names of the nodes they link to, from the store."""
    node = NamedNode(iri)
    result = store.query(f"SELECT DISTINCT ?p ?o WHERE {{ {node} ?p ?o }}")
    assert isinstance(result, QuerySolutions)
    triples = {Triple(node, row["p"], row["o"]) for row in result}  # type: ignore[arg-type]
    names = " ".join(str(p) for p in LABELS)
    result = store.query(
        f"SELECT DISTINCT ?n ?p ?l WHERE {{ {node} ?q ?n . FILTER(isIRI(?n) && ?n != {node}) "
        f"VALUES ?p {{ {names} }} ?n ?p ?l }}"
    )
    assert isinstance(result, QuerySolutions)
    return triples | {Triple(row["n"], row["p"], row["l"]) for row in result}  # type: ignore[arg-type]


def parsed(response: Response, fmt: RdfFormat) -> set[Triple]:
    return {quad.triple for quad in parse(response.body, format=fmt)}


# -- machines: content negotiation ----------------------------------------------------------------
@pytest.mark.parametrize("iri", [LIAONING, MECHANISM])
def test_turtle_is_the_resource_and_the_names_of_what_it_links_to(
    site: Site, example_store: Store, iri: str
) -> None:
    response = ask(site, iri.removeprefix(BASE[:-1]), "text/turtle")
    assert response.status == 200 and response.content_type.startswith("text/turtle")
    graph = parsed(response, RdfFormat.TURTLE)
    assert graph == own_triples(example_store, iri)
    assert Triple(NamedNode(iri), RDF.type, COOP.Region if iri == LIAONING else COOP.AidMechanism) in graph


def test_json_ld_parses_back_to_the_same_graph_without_fetching_a_context(site: Site) -> None:
    turtle = ask(site, "/id/region/cn/210000", "text/turtle")
    jsonld = ask(site, "/id/region/cn/210000", "application/ld+json")
    assert jsonld.status == 200 and jsonld.content_type == "application/ld+json"
    assert jsonld.body.startswith(b'{"@context": {"coop": ')  # inline: nothing to fetch
    assert parsed(jsonld, RdfFormat.JSON_LD) == parsed(turtle, RdfFormat.TURTLE)
    names = parsed(jsonld, RdfFormat.JSON_LD)
    node = NamedNode(LIAONING)
    assert {Triple(node, RDFS.label, Literal("Liaoning", language="en")),
            Triple(node, RDFS.label, Literal("辽宁省", language="zh"))} <= names  # fmt: skip


def test_the_format_parameter_wins_over_the_accept_header(site: Site) -> None:
    for fmt, media, rdf_format in (
        ("ttl", "text/turtle", RdfFormat.TURTLE),
        ("nt", "application/n-triples", RdfFormat.N_TRIPLES),
        ("jsonld", "application/ld+json", RdfFormat.JSON_LD),
    ):
        response = ask(site, "/id/region/cn/210000", BROWSER, format=fmt)
        assert response.status == 200 and response.content_type.startswith(media)
        assert Triple(NamedNode(LIAONING), RDF.type, COOP.Region) in parsed(response, rdf_format)
        assert response.headers["Vary"] == "Accept"


def test_an_iri_the_graph_does_not_have_is_404(site: Site) -> None:
    page = ask(site, "/id/region/cn/999999")
    assert page.status == 404 and page.content_type.startswith("text/html")
    assert f"{BASE}id/region/cn/999999" in page.body.decode() and "Traceback" not in page.body.decode()
    text = ask(site, "/id/region/cn/999999", "text/turtle")
    assert text.status == 404 and text.content_type.startswith("text/plain")
    assert ask(site, "/store/catalogue").status == 404  # the store's bookkeeping is never served
    assert ask(site, "/id/%FF").status == 404


def test_an_unsupported_type_is_406(site: Site) -> None:
    refused = ask(site, "/id/region/cn/210000", "image/png, application/rdf+xml")
    assert refused.status == 406 and b"text/turtle" in refused.body
    refused = ask(site, "/id/region/cn/210000", BROWSER, format="rdfxml")
    assert refused.status == 406 and b"jsonld" in refused.body


def test_the_ontology_serves_its_terms(site: Site) -> None:
    page = ask(site, "/ontology").body.decode()
    assert 'id="Region"' in page  # /ontology#Region lands on the term
    graph = parsed(ask(site, "/ontology", "text/turtle"), RdfFormat.TURTLE)
    assert any(t.subject == COOP.Region and t.predicate == RDFS.label for t in graph)


# -- people: pages --------------------------------------------------------------------------------
def test_a_region_page_has_names_relations_partners_and_sources(site: Site) -> None:
    response = ask(site, "/id/region/cn/210000")
    page = response.body.decode()
    assert response.status == 200 and response.content_type == "text/html; charset=utf-8"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"] and "<script" not in page
    assert re.search(r"<h1>Liaoning <span lang=\"zh\">辽宁省</span></h1>", page)
    assert '<a href="/id/region/cn/540600">Nagqu <span lang="zh">那曲市</span></a>' in page  # a partner
    assert f'href="{MECHANISM.removeprefix(BASE[:-1])}"' in page  # a relation, linked
    assert 'src="/id/region/cn/210000?picture=network"' in page
    assert "Liaoning Daily" in page  # the source of its mechanism and agreement
    assert 'href="/ontology#Region"' in page


def test_a_mechanism_page_names_its_source_and_record(site: Site) -> None:
    page = ask(site, MECHANISM.removeprefix(BASE[:-1])).body.decode()
    assert "Stated by:" in page and "Liaoning Daily" in page
    assert "mechanisms.csv, line 2" in page


def test_the_network_picture_of_a_region(site: Site) -> None:
    picture = ask(site, "/id/region/cn/210000", picture="network")
    assert picture.status == 200 and picture.content_type == "image/svg+xml"
    assert b">Nagqu</text>" in picture.body
    assert ask(site, MECHANISM.removeprefix(BASE[:-1]), picture="network").status == 404
    assert ask(site, "/id/region/cn/210000", picture="sunset").status == 404


def test_text_from_the_graph_is_escaped(reference: Reference) -> None:
    store, g = Store(), graph_iri("hostile")
    node = NamedNode(BASE + "id/hostile/x")
    store.replace_graphs(
        {
            g: [
                Quad(node, RDFS.label, Literal("<script>alert(1)</script>", language="en"), g),
                Quad(node, RDFS.seeAlso, NamedNode("javascript:alert(1)"), g),
            ]
        }
    )
    page = Site(store, reference=reference).respond(PageRequest("/id/hostile/x")).body.decode()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page


def test_the_catalogue_has_a_form_per_query(site: Site) -> None:
    from coopkg.catalogue import catalogue

    page = ask(site, "/queries").body.decode()
    for name in catalogue():
        assert f'<form class="query" method="get" action="/queries/{name}">' in page
    assert '<input type="text" name="region" value="" placeholder="Nagchu" required>' in page


def test_a_catalogue_query_runs_with_its_parameters(site: Site) -> None:
    response = ask(site, "/queries/partners", region="Nagchu")
    page = response.body.decode()
    assert response.status == 200 and "Answer: 2 rows" in page
    assert '<a href="/id/region/cn/210000">Liaoning <span lang="zh">辽宁省</span></a>' in page
    assert "VALUES (?region) { (&lt;https://w3id.org/coopkg/id/region/cn/540600&gt;) }" in page


def test_query_errors_are_messages_on_the_page(site: Site) -> None:
    unknown = ask(site, "/queries/partners", region="Atlantis")
    assert unknown.status == 400 and "unknown region &#x27;Atlantis&#x27;" in unknown.body.decode()
    missing = ask(site, "/queries/partners", region="")
    assert missing.status == 400 and "give a value for region" in missing.body.decode()
    assert ask(site, "/queries/partners").status == 200  # the form, not yet run
    extra = ask(site, "/queries/partners", region="Nagchu", colour="red")
    assert extra.status == 400 and "no parameter &#x27;colour&#x27;" in extra.body.decode()
    misspelled = ask(site, "/queries/partner")
    assert misspelled.status == 404 and "did you mean: partners" in misspelled.body.decode()
    for response in (unknown, missing, extra, misspelled):
        assert "Traceback" not in response.body.decode()


def test_the_home_page_lists_datasets_and_regions(site: Site) -> None:
    page = ask(site, "/").body.decode()
    assert 'href="/graph/tibet-expo-2023"' in page
    assert '<a href="/id/region/cn/210000">Liaoning <span lang="zh">辽宁省</span></a>' in page
    assert 'href="/queries"' in page


# -- over HTTP: `coopkg serve` ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
    reference: Reference,
    example: Path,
    serve_command: Callable[[Path], AbstractContextManager[tuple[subprocess.Popen[str], str]]],
) -> Iterator[str]:
    """`coopkg serve` on a free port over a store with the bundled example: its root URL."""
    path = tmp_path_factory.mktemp("pages") / "store"
    with Store(path) as store:
        load(example, store, reference)
    with serve_command(path) as (_, url):
        yield url.removesuffix("/sparql")


def fetch(
    url: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_pages_over_http_keep_the_host_check_and_stay_read_only(served: str) -> None:
    status, headers, body = fetch(served + "/id/region/cn/210000", {"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle") and b"coop:Region" in body
    status, _, _ = fetch(served + "/id/region/cn/210000", {"Host": "attacker.example"})
    assert status == 403
    status, headers, body = fetch(served + "/id/region/cn/210000", {"Accept": "text/html"}, method="HEAD")
    assert status == 200 and body == b"" and headers["Content-Type"].startswith("text/html")
    status, _, body = fetch(served + "/id/region/cn/210000", method="PUT")
    assert status == 405 and b"read-only" in body
    status, headers, body = fetch(served + "/")  # no Accept: the service description, as before
    assert status == 200 and headers["Content-Type"].startswith("text/plain") and b"/queries" in body
    status, _, body = fetch(served + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))
    assert status == 200 and b"true" in body


# -- in the browser ---------------------------------------------------------------------------------
def _links(page: Page) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href], img[src]", "els => els.map(e => e.href || e.src)")
    return hrefs


def _check_links(page: Page, root: str) -> int:
    """Every link of the page to this server answers 200; links elsewhere are not followed."""
    local = sorted({href.split("#", 1)[0] for href in _links(page) if href.startswith(root + "/")})
    foreign = [href for href in _links(page) if not href.startswith(root + "/")]
    assert all(href.startswith(("https://", "http://")) for href in foreign), foreign
    broken = []
    for href in local:
        status, _, _ = fetch(href, {"Accept": BROWSER})
        if status != 200:
            broken.append((href, status))
    assert not broken
    return len(local)


def test_the_pages_in_headless_chromium(served: str, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run tools/install-chromium.sh (make test does)", pytrace=False)
    shots: list[Path] = []
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))

            def shoot(name: str) -> None:
                shots.append(tmp_path / f"{name}.png")
                page.screenshot(path=str(shots[-1]), full_page=True)

            page.goto(served + "/")
            assert page.title() == "Home · coopkg"
            shoot("home")
            assert _check_links(page, served) >= 5

            page.get_by_role("link", name="Liaoning 辽宁省", exact=True).first.click()
            page.wait_for_url(served + "/id/region/cn/210000")
            assert page.locator("h1").inner_text() == "Liaoning 辽宁省"
            assert page.locator("h1 [lang=zh]").inner_text() == "辽宁省"
            picture = page.locator("figure img")
            picture.scroll_into_view_if_needed()
            page.wait_for_load_state("load")
            assert picture.evaluate("img => img.complete && img.naturalWidth") > 0
            assert page.get_by_role("link", name="Nagqu 那曲市", exact=True).count() >= 1
            shoot("region-liaoning")
            assert _check_links(page, served) >= 20

            page.goto(served + "/queries")
            shoot("catalogue")
            form = page.locator("#partners form")
            form.locator("input[name=region]").fill("Liaoning")
            form.locator("button").click()
            page.wait_for_url(re.compile(r"/queries/partners\?region=Liaoning$"))
            rows = page.locator("table.results tbody tr")
            assert rows.count() == 2 and "Nagqu" in rows.first.inner_text()
            shoot("query-partners-liaoning")
        finally:
            browser.close()
    assert not problems
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for shot in shots:
        assert shot.stat().st_size > 10_000
        shutil.copy2(shot, SCREENSHOTS / shot.name)
