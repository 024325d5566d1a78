"""The offline HTML documentation of the ontology (coopkg.ontology_docs).

The page is parsed with the standard library's HTML parser into a small tree. Each check is a helper
that returns what is wrong (an empty list when all is well), so a failing test names every missing
term or broken link; the ``test_helper_*`` tests feed the helpers broken pages to show they can fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from coopkg import resources
from coopkg.ontology_docs import bundled_graph, render

COOP = Namespace("https://w3id.org/coopkg/ontology#")
ONTOLOGY_FILE = "coopkg.ttl"
VOCABULARY_FILE = "vocabularies.ttl"
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


# --- a small HTML tree -----------------------------------------------------------------------------


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def iter(self) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def by_id(root: Element) -> dict[str, Element]:
    """The first element with each id."""
    found: dict[str, Element] = {}
    for element in root.iter():
        if "id" in element.attrs:
            found.setdefault(element.attrs["id"], element)
    return found


# --- what the page must show -----------------------------------------------------------------------


def _graph(name: str) -> Graph:
    files = {f.name: f for f in resources.ontology_files()}
    return Graph().parse(data=files[name].read_text(encoding="utf-8"), format="turtle")


def _text(graph: Graph, node: URIRef, predicate: URIRef, lang: str) -> str | None:
    return next(
        (str(o) for o in graph.objects(node, predicate) if isinstance(o, Literal) and o.language == lang),
        None,
    )


def ontology_terms(graph: Graph) -> dict[str, list[str]]:
    """Each coop: class and property as ``{local name: [English label, Chinese label]}``."""
    terms = {s for t in TERM_TYPES for s in graph.subjects(RDF.type, t) if str(s).startswith(str(COOP))}
    return {
        str(t)[len(COOP) :]: [
            _text(graph, URIRef(t), RDFS.label, lang) or f"<no @{lang} label>" for lang in ("en", "zh")
        ]
        for t in sorted(terms)
    }


def concept_schemes(graph: Graph) -> dict[str, dict[str, list[str]]]:
    """Each scheme's id with its concepts as ``{concept id: [notation, prefLabel @en, prefLabel @zh]}``."""
    schemes: dict[str, dict[str, list[str]]] = {}
    for scheme in sorted(graph.subjects(RDF.type, SKOS.ConceptScheme)):
        slug = str(scheme).rsplit("/", 1)[-1]
        concepts = schemes.setdefault(slug, {})
        for concept in graph.subjects(SKOS.inScheme, scheme):
            notation = str(graph.value(concept, SKOS.notation))
            labels = [_text(graph, URIRef(concept), SKOS.prefLabel, lang) or "" for lang in ("en", "zh")]
            concepts[f"{slug}-{notation}"] = [notation, *labels]
    return schemes


# --- checks: each returns the list of problems ------------------------------------------------------


def missing_items(root: Element, expected: dict[str, list[str]]) -> list[str]:
    """Ids with no element, and texts (labels) not shown inside the element with that id."""
    ids = by_id(root)
    problems = []
    for anchor, texts in expected.items():
        element = ids.get(anchor)
        if element is None:
            problems.append(f"no element with id {anchor!r}")
            continue
        shown = element.text()
        problems += [f"#{anchor} does not show {text!r}" for text in texts if text not in shown]
    return problems


def missing_schemes(root: Element, schemes: dict[str, dict[str, list[str]]]) -> list[str]:
    """Schemes without an element, and concepts not shown (with notation and labels) inside it."""
    ids = by_id(root)
    problems = []
    for slug, concepts in schemes.items():
        if slug not in ids:
            problems.append(f"no element with id {slug!r}")
            continue
        problems += [f"{slug}: {p}" for p in missing_items(ids[slug], concepts)]
    return problems


def broken_links(root: Element) -> list[str]:
    """``href="#x"`` with no element whose id is x."""
    ids = by_id(root)
    return sorted(
        {
            e.attrs["href"]
            for e in root.iter()
            if e.attrs.get("href", "").startswith("#") and e.attrs["href"][1:] not in ids
        }
    )


def duplicate_ids(root: Element) -> list[str]:
    seen: list[str] = [e.attrs["id"] for e in root.iter() if "id" in e.attrs]
    return sorted({i for i in seen if seen.count(i) > 1})


def remote_resources(root: Element) -> list[str]:
    """Anything a browser would fetch when the page is opened: scripts, styles, images, frames…"""
    remote = ("http://", "https://", "//")
    problems = [
        f"<{e.tag} {attr}={e.attrs[attr]!r}>"
        for e in root.iter()
        for attr in ("src", "srcset", "data", "poster")
        if e.attrs.get(attr, "").strip().startswith(remote)
    ]
    problems += [
        f"<link href={e.attrs['href']!r}>"
        for e in root.iter()
        if e.tag == "link" and e.attrs.get("href", "").strip().startswith(remote)
    ]
    problems += [
        f"<{e.tag}> element" for e in root.iter() if e.tag in ("script", "iframe", "object", "embed")
    ]
    styles = [e.text() for e in root.iter() if e.tag == "style"] + [
        e.attrs["style"] for e in root.iter() if "style" in e.attrs
    ]
    problems += [f"CSS fetches: {css[:60]!r}" for css in styles if "url(" in css or "@import" in css]
    return problems


# --- the tests -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page() -> str:
    return render(bundled_graph())


@pytest.fixture(scope="module")
def tree(page: str) -> Element:
    return parse(page)


def test_every_class_and_property_has_its_id_and_labels(tree: Element) -> None:
    expected = ontology_terms(_graph(ONTOLOGY_FILE))
    assert len(expected) >= 40, "the ontology file should declare the coop: terms"
    assert missing_items(tree, expected) == []


def test_every_concept_scheme_is_shown_with_all_its_concepts(tree: Element) -> None:
    schemes = concept_schemes(_graph(VOCABULARY_FILE))
    assert {"area", "mechanism-type", "instrument-type", "event-type", "level", "division-type"} <= set(
        schemes
    )
    assert all(schemes.values()), "every scheme of vocabularies.ttl has concepts"
    assert missing_schemes(tree, schemes) == []


def test_internal_links_resolve_and_ids_are_unique(tree: Element) -> None:
    assert broken_links(tree) == []
    assert duplicate_ids(tree) == []
    internal = [e for e in tree.iter() if e.attrs.get("href", "").startswith("#")]
    assert len(internal) > 200, "terms refer to each other by links within the page"


def test_nothing_is_fetched_when_the_page_is_opened(tree: Element) -> None:
    assert remote_resources(tree) == []


def test_the_page_is_one_html5_document(page: str, tree: Element) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert [e.tag for e in tree.children if isinstance(e, Element)] == ["html"]
    titles = [e.text() for e in tree.iter() if e.tag == "title"]
    assert titles == ["coopkg: an ontology of inter-regional cooperation"]
    assert "contents" in by_id(tree), "a table of contents"


def test_the_overview_shows_the_ontology_metadata(tree: Element) -> None:
    overview = by_id(tree)["overview"].text()
    for text in (
        "https://w3id.org/coopkg/ontology",
        "https://w3id.org/coopkg/ontology/0.1.0",
        "https://creativecommons.org/licenses/by/4.0/",
        "Classes and properties for describing cooperation between regions",
        "用于描述区域间合作的类与属性",
    ):
        assert text in overview


def test_axioms_are_readable(tree: Element) -> None:
    ids = by_id(tree)
    aid = " ".join(ids["AidMechanism"].text().split())
    assert "CooperationMechanism and (provider min 1 Region) and (recipient min 1 Region)" in aid
    assert "transitive" in ids["withinRegion"].text()
    assert "establishedBy" in ids["establishes"].text(), "inverse shown on both properties"
    assert "cooperationArea" in ids["CooperationActivity"].text(), "a union domain counts"
    links = {e.attrs.get("href") for e in ids["parentRegion"].iter()}
    assert {"#Region", "#withinRegion"} <= links


def test_rendering_is_deterministic(page: str) -> None:
    assert render(bundled_graph()) == page


TINY = """
@prefix coop: <https://w3id.org/coopkg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
coop:Thing a owl:Class ; rdfs:label "<b>bold</b> & \\"quoted\\""@en ;
    rdfs:seeAlso <javascript:alert(1)> .
"""


def test_text_is_escaped_and_only_web_iris_are_links() -> None:
    page = render(Graph().parse(data=TINY, format="turtle"), title="<script>x</script>")
    assert "<b>" not in page and "<script>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;" in page
    assert 'href="javascript' not in page
    tree = parse(page)
    assert missing_items(tree, {"Thing": ['<b>bold</b> & "quoted"']}) == []
    assert broken_links(tree) == [] and remote_resources(tree) == []


# --- the checks can fail ---------------------------------------------------------------------------

BROKEN = """<!DOCTYPE html><html><head><script src="https://cdn.example/x.js"></script>
<link rel="stylesheet" href="https://cdn.example/x.css"><style>@import "x.css";</style></head>
<body><section id="Region">region</section><section id="Region"></section>
<img src="http://example.org/logo.png"><a href="#Nowhere">x</a><a href="#Region">ok</a></body></html>"""


def test_helper_finds_missing_ids_and_labels() -> None:
    tree = parse(BROKEN)
    assert missing_items(tree, {"Region": ["region", "行政区域"], "Event": []}) == [
        "#Region does not show '行政区域'",
        "no element with id 'Event'",
    ]
    assert missing_schemes(tree, {"area": {}}) == ["no element with id 'area'"]


def test_helper_finds_broken_links_and_duplicate_ids() -> None:
    tree = parse(BROKEN)
    assert broken_links(tree) == ["#Nowhere"]
    assert duplicate_ids(tree) == ["Region"]


def test_helper_finds_remote_resources() -> None:
    problems = remote_resources(parse(BROKEN))
    assert len(problems) == 5, problems  # script src, img src, link href, the script, @import


def test_the_docs_command_writes_the_page_and_the_turtle(tmp_path: Path) -> None:
    import io

    from coopkg.cli import main

    assert main(["docs", "-o", str(tmp_path / "site")], out=io.StringIO()) == 0
    written = {p.name for p in (tmp_path / "site").iterdir()}
    assert {"index.html", "coopkg.ttl", "vocabularies.ttl"} <= written
    assert 'id="Region"' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
