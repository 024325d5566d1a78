"""Offline HTML documentation of coopkg's ontology and SKOS vocabularies, in the spirit of pyLODE.

:func:`render` turns an ontology graph into one self-contained HTML5 page: the ontology's metadata,
a table of contents, every class and property of the ontology's namespace, and every SKOS concept
scheme with its concepts as a table. The page has inline CSS, no JavaScript and fetches nothing when
opened: external IRIs are plain links. Every term has an ``id`` (its local name; ``scheme-notation``
for a concept), every reference to something on the page links to it, all text is escaped, and the
same graph always gives the same page. :func:`bundled_graph` reads the ontology coopkg ships.

>>> graph = Graph().parse(format="turtle", data='''
... @prefix coop: <https://w3id.org/coopkg/ontology#> .
... @prefix owl: <http://www.w3.org/2002/07/owl#> .
... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... coop:Region a owl:Class ; rdfs:label "region"@en , "行政区域"@zh .
... coop:parentRegion a owl:ObjectProperty ; rdfs:domain coop:Region ; rdfs:range coop:Region .
... ''')
>>> page = render(graph, title="Tiny <ontology>")
>>> page.startswith("<!DOCTYPE html>"), "<title>Tiny &lt;ontology&gt;</title>" in page
(True, True)
>>> '<section class="term" id="Region">' in page, '<a href="#parentRegion">parentRegion</a>' in page
(True, True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from coopkg import __version__, resources
from coopkg.vocab import COOP, PREFIXES

VANN = Namespace("http://purl.org/vocab/vann/")

#: The sections of terms: (section id, heading, the rdf:type that puts a term there).
TERM_SECTIONS = (
    ("classes", "Classes", OWL.Class),
    ("object-properties", "Object properties", OWL.ObjectProperty),
    ("datatype-properties", "Datatype properties", OWL.DatatypeProperty),
    ("annotation-properties", "Annotation properties", OWL.AnnotationProperty),
)
_NOTES = ((SKOS.definition, "Definition"), (RDFS.comment, "Comment"), (SKOS.scopeNote, "Scope note"))
_CHARACTERISTICS = {
    OWL.FunctionalProperty: "functional",
    OWL.InverseFunctionalProperty: "inverse functional",
    OWL.TransitiveProperty: "transitive",
    OWL.SymmetricProperty: "symmetric",
    OWL.AsymmetricProperty: "asymmetric",
    OWL.ReflexiveProperty: "reflexive",
    OWL.IrreflexiveProperty: "irreflexive",
}
_MAPPINGS = (
    (SKOS.exactMatch, "exact match"),
    (SKOS.closeMatch, "close match"),
    (SKOS.broadMatch, "broad match"),
    (SKOS.narrowMatch, "narrow match"),
    (SKOS.relatedMatch, "related match"),
)
_QUANTIFIERS = ((OWL.someValuesFrom, "some"), (OWL.allValuesFrom, "only"), (OWL.hasValue, "value"))
_CARDINALITIES = (
    (OWL.minQualifiedCardinality, "min"),
    (OWL.maxQualifiedCardinality, "max"),
    (OWL.qualifiedCardinality, "exactly"),
    (OWL.minCardinality, "min"),
    (OWL.maxCardinality, "max"),
    (OWL.cardinality, "exactly"),
)
_MAX_DEPTH = 12  # class expressions nested deeper than this are cut short (and cycles end)

_CSS = """
:root{color-scheme:light dark;--fg:#1d232a;--muted:#5b6570;--line:#d5dbe1;--accent:#1f5f9e;
--bg:#fff;--code:#eef1f4;--hi:#fff6cc}
@media (prefers-color-scheme:dark){:root{--fg:#e3e7eb;--muted:#9aa5b1;--line:#3a434d;
--accent:#8dbdf0;--bg:#15191d;--code:#252c33;--hi:#3b3520}}
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",
"PingFang SC","Microsoft YaHei",sans-serif;color:var(--fg);background:var(--bg);max-width:74rem;
margin:0 auto;padding:1rem 1.5rem 4rem}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;
background:var(--code);padding:0 .25em;border-radius:3px}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid var(--line);padding-bottom:.2rem;margin-top:2.5rem}
h3 code,h1+p{color:var(--muted);font-weight:normal}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}
th,td{border-top:1px solid var(--line);padding:.3rem .55rem;text-align:left;vertical-align:top}
table.meta th{width:11rem;color:var(--muted);font-weight:600}
table.concepts thead th{background:var(--code)}
section.term,section.scheme{margin:1.6rem 0;padding-left:1rem;border-left:3px solid var(--line)}
:target{background:var(--hi)}
.kw{color:var(--muted);font-style:italic}
.alt{color:var(--muted);font-size:.9em}
td p{margin:0 0 .3rem}
nav ol{columns:2 18rem;padding-left:1.4rem}nav ol ol{columns:auto;font-size:.92em}
footer{margin-top:3rem;color:var(--muted);font-size:.9em}
"""


# --- reading ---------------------------------------------------------------------------------------


def bundled_graph() -> Graph:
    """The ontology and SKOS vocabularies coopkg ships, parsed into one graph.

    >>> (URIRef(COOP.Region.value), RDF.type, OWL.Class) in bundled_graph()
    True
    """
    graph = Graph()
    for file in resources.ontology_files():
        graph.parse(data=file.read_text(encoding="utf-8"), format="turtle")
    return graph


# --- what the page shows ---------------------------------------------------------------------------


@dataclass
class _Page:
    """The graph being documented, the ids of what the page shows, and the prefixes it abbreviates."""

    graph: Graph
    namespace: str
    ontology: URIRef | None
    terms: dict[str, list[URIRef]]  # section id -> the terms it documents
    schemes: list[tuple[URIRef, list[URIRef]]]  # each concept scheme with its concepts
    anchors: dict[Node, str] = field(default_factory=dict)  # what the page documents -> its id
    concept_ids: dict[tuple[URIRef, URIRef], str] = field(default_factory=dict)  # (scheme, concept)
    prefixes: list[tuple[str, str]] = field(default_factory=list)  # (prefix, namespace)
    used_prefixes: set[str] = field(default_factory=set)
    documented_terms: set[Node] = field(default_factory=set)  # referred to by their local name
    home_scheme: dict[Node, URIRef] = field(default_factory=dict)  # concept -> its (first) scheme


def _local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``.

    >>> _local_name("https://w3id.org/coopkg/ontology#Region"), _local_name("https://x.org/a/b")
    ('Region', 'b')
    """
    return re.split(r"[#/]", iri)[-1]


def _one(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    """One value of ``subject predicate``, the same one on every run (the least, as text)."""
    return min(graph.objects(subject, predicate), key=_sort_key, default=None)


def _sort_key(node: Node) -> tuple[int, str]:
    """Orders IRIs before literals before blank nodes (by text; blank nodes are rendered later)."""
    rank = 0 if isinstance(node, URIRef) else 1 if isinstance(node, Literal) else 2
    return rank, str(node) if rank < 2 else ""


def _uris(nodes: Iterable[Node]) -> list[URIRef]:
    return sorted({n for n in nodes if isinstance(n, URIRef)}, key=lambda n: (str(n).casefold(), str(n)))


def _ontology(graph: Graph) -> URIRef | None:
    found = _uris(graph.subjects(RDF.type, OWL.Ontology))
    return found[0] if found else None


def _namespace(graph: Graph, ontology: URIRef | None) -> str:
    """The namespace of the documented terms: the ontology's preferred one, else coopkg's."""
    declared = _one(graph, ontology, VANN.preferredNamespaceUri) if ontology is not None else None
    return str(declared) if declared is not None else COOP.base


def _terms(graph: Graph, namespace: str, kind: URIRef) -> list[URIRef]:
    found = [t for t in graph.subjects(RDF.type, kind) if str(t).startswith(namespace)]
    return sorted(
        (t for t in _uris(found) if _local_name(str(t))), key=lambda t: (_local_name(t).casefold(), t)
    )


def _notation(graph: Graph, concept: URIRef) -> str:
    notation = _one(graph, concept, SKOS.notation)
    return str(notation) if isinstance(notation, Literal) else _local_name(str(concept))


def _schemes(graph: Graph) -> list[tuple[URIRef, list[URIRef]]]:
    """Every concept scheme with its concepts (by skos:inScheme or as top concepts), by notation."""
    result = []
    for scheme in _uris(graph.subjects(RDF.type, SKOS.ConceptScheme)):
        members = [
            *graph.subjects(SKOS.inScheme, scheme),
            *graph.subjects(SKOS.topConceptOf, scheme),
            *graph.objects(scheme, SKOS.hasTopConcept),
        ]
        concepts = sorted(_uris(members), key=lambda c: (_notation(graph, c), str(c)))
        result.append((scheme, concepts))
    return result


def _prefixes(graph: Graph) -> list[tuple[str, str]]:
    """coopkg's prefixes, then the graph's own, longest namespace first (so the best one wins)."""
    chosen: dict[str, str] = {}
    for prefix, base in [*PREFIXES.items(), *sorted((p, str(b)) for p, b in graph.namespaces())]:
        if prefix and prefix not in chosen and base not in chosen.values():
            chosen[prefix] = base
    return sorted(chosen.items(), key=lambda item: (-len(item[1]), item[0]))


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "x"


def _claim(taken: set[str], wanted: str) -> str:
    """A unique id for ``wanted``: the slug itself, or the slug with ``-2``, ``-3``… if it is taken."""
    base = candidate = _slug(wanted)
    n = 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _plan(graph: Graph) -> _Page:
    """Decide what the page documents and the id of each: terms first, then schemes and concepts."""
    ontology = _ontology(graph)
    namespace = _namespace(graph, ontology)
    page = _Page(
        graph=graph,
        namespace=namespace,
        ontology=ontology,
        terms={key: _terms(graph, namespace, kind) for key, _, kind in TERM_SECTIONS},
        schemes=_schemes(graph),
        prefixes=_prefixes(graph),
    )
    for key, terms in page.terms.items():  # a term of two kinds is shown in the first only
        page.terms[key] = [t for t in terms if t not in page.documented_terms]
        page.documented_terms.update(terms)
    # The ontology's own vocabularies (whose concepts are typed with its classes) come first.
    page.schemes.sort(key=lambda item: not any(_typed_by(graph, c, page.documented_terms) for c in item[1]))
    taken: set[str] = set()
    for terms in page.terms.values():
        for term in terms:
            page.anchors[term] = _claim(taken, _local_name(term))
    for scheme, concepts in page.schemes:
        scheme_slug = _local_name(str(scheme)) or "scheme"
        page.anchors[scheme] = _claim(taken, scheme_slug)
        for concept in concepts:
            anchor = _claim(taken, f"{scheme_slug}-{_notation(graph, concept)}")
            page.concept_ids[scheme, concept] = anchor
            page.anchors.setdefault(concept, anchor)
            page.home_scheme.setdefault(concept, scheme)
    for key in ("overview", "namespaces", "concept-schemes", *page.terms):
        page.anchors[_section(key)] = _claim(taken, key)
    if ontology is not None:
        page.anchors.setdefault(ontology, page.anchors[_section("overview")])
    return page


def _typed_by(graph: Graph, node: Node, classes: set[Node]) -> bool:
    return any(t in classes for t in graph.objects(node, RDF.type))


def _section(key: str) -> URIRef:
    return URIRef(f"urn:coopkg:section:{key}")


# --- text and references ---------------------------------------------------------------------------


def _lang_rank(lang: str) -> tuple[int, str]:
    base = lang.lower().split("-")[0]
    return (0 if base == "en" else 1 if base == "zh" else 2 if lang else 3), lang


def _texts(graph: Graph, subject: Node, predicate: URIRef) -> list[tuple[str, str]]:
    """``(language, text)`` of every literal value: English, then Chinese, then others, untagged last."""
    found = {(o.language or "", str(o)) for o in graph.objects(subject, predicate) if isinstance(o, Literal)}
    return sorted(found, key=lambda item: (_lang_rank(item[0]), item[1]))


def _text(graph: Graph, subject: Node, predicates: Iterable[URIRef], lang: str) -> str | None:
    """The first text in ``lang`` (``zh`` matches ``zh-Hans`` too) of the first predicate having one."""
    for predicate in predicates:
        for language, text in _texts(graph, subject, predicate):
            if language.lower().split("-")[0] == lang:
                return text
    return None


def _label_predicate(graph: Graph, node: Node) -> URIRef:
    return RDFS.label if (node, RDFS.label, None) in graph else SKOS.prefLabel


def _curie(page: _Page, iri: str) -> str:
    """``prefix:local`` for an IRI in a known namespace (recording the prefix as used), else the IRI."""
    for prefix, base in page.prefixes:
        local = iri[len(base) :]
        if iri.startswith(base) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", local):
            page.used_prefixes.add(prefix)
            return f"{prefix}:{local}"
    return iri


def _external(page: _Page, iri: str, text: str | None = None) -> str:
    """A plain link to an IRI off the page; IRIs that are not http(s) are shown, never linked."""
    shown = f"<code>{escape(text or _curie(page, iri))}</code>"
    if re.match(r"https?://", iri):
        return f'<a href="{escape(iri)}">{shown}</a>'
    return shown


def _link_text(page: _Page, node: URIRef) -> str:
    """How a reference to something on the page reads: a term's local name, a concept's label."""
    if node in page.documented_terms:
        return _local_name(node)
    labels = (SKOS.prefLabel, RDFS.label, DCTERMS.title)
    return _text(page.graph, node, labels, "en") or _local_name(node) or str(node)


def _ref(page: _Page, node: Node) -> str:
    """A reference as HTML: a link within the page, a plain external link, an expression or a text."""
    if isinstance(node, URIRef):
        anchor = page.anchors.get(node)
        if anchor is not None:
            return f'<a href="#{escape(anchor)}">{escape(_link_text(page, node))}</a>'
        return _external(page, str(node))
    if isinstance(node, Literal):
        lang = f' lang="{escape(node.language)}"' if node.language else ""
        return f"<span{lang}>{escape(str(node))}</span>"
    return _expression(page, node)


def _refs(page: _Page, nodes: Iterable[Node], separator: str = ", ") -> str:
    """References to several nodes, sorted (IRIs by IRI, literals by text, expressions as rendered)."""
    rendered = {(_sort_key(n), _ref(page, n)) for n in nodes}
    return separator.join(html for _, html in sorted(rendered, key=lambda item: (item[0], item[1])))


# --- OWL class expressions, in Manchester syntax ---------------------------------------------------


def _kw(word: str) -> str:
    return f'<span class="kw">{word}</span>'


def _operand(page: _Page, node: Node, depth: int) -> str:
    """A part of a larger expression: bracketed when it is itself an expression."""
    inner = _expression(page, node, depth + 1)
    return f"({inner})" if isinstance(node, BNode) else inner


def _expression(page: _Page, node: Node, depth: int = 0) -> str:
    """An OWL class (or property) expression, readably: ``A and (p min 1 B)``, ``A or B``, ``not A``."""
    graph = page.graph
    if not isinstance(node, BNode):
        return _ref(page, node)
    if depth > _MAX_DEPTH:
        return _kw("…")
    for predicate, word in ((OWL.intersectionOf, "and"), (OWL.unionOf, "or")):
        members = _one(graph, node, predicate)
        if members is not None:
            return f" {_kw(word)} ".join(_operand(page, m, depth) for m in graph.items(members))
    complement = _one(graph, node, OWL.complementOf)
    if complement is not None:
        return f"{_kw('not')} {_operand(page, complement, depth)}"
    one_of = _one(graph, node, OWL.oneOf)
    if one_of is not None:
        return "{" + ", ".join(_ref(page, m) for m in graph.items(one_of)) + "}"
    prop = _one(graph, node, OWL.onProperty)
    if prop is not None:
        return _restriction(page, node, prop, depth)
    inverse = _one(graph, node, OWL.inverseOf)
    if inverse is not None:
        return f"{_kw('inverse')} {_operand(page, inverse, depth)}"
    return _kw("anonymous class")


def _restriction(page: _Page, node: BNode, prop: Node, depth: int) -> str:
    graph, head = page.graph, _operand(page, prop, depth)
    for predicate, word in _QUANTIFIERS:
        filler = _one(graph, node, predicate)
        if filler is not None:
            return f"{head} {_kw(word)} {_operand(page, filler, depth)}"
    for predicate, word in _CARDINALITIES:
        number = _one(graph, node, predicate)
        if number is not None:
            qualifier = _one(graph, node, OWL.onClass) or _one(graph, node, OWL.onDataRange)
            tail = f" {_operand(page, qualifier, depth)}" if qualifier is not None else ""
            return f"{head} {_kw(word)} {escape(str(number))}{tail}"
    if _one(graph, node, OWL.hasSelf) is not None:
        return f"{head} {_kw('Self')}"
    return f"{head} {_kw('restriction')}"


# --- HTML building blocks --------------------------------------------------------------------------


def _row(header: str, value: str, lang: str = "") -> str:
    """One row of a metadata table, or nothing when there is no value."""
    if not value:
        return ""
    attr = f' lang="{escape(lang)}"' if lang else ""
    return f"<tr><th>{escape(header)}</th><td{attr}>{value}</td></tr>\n"


def _text_rows(page: _Page, node: Node, predicate: URIRef, name: str) -> str:
    """One row per language of a text property: ``Label (en)``, ``Label (zh)``…"""
    by_lang: dict[str, list[str]] = {}
    for lang, text in _texts(page.graph, node, predicate):
        by_lang.setdefault(lang, []).append(escape(text))
    return "".join(
        _row(f"{name} ({lang})" if lang else name, "<br>".join(texts), lang)
        for lang, texts in by_lang.items()
    )


def _common_rows(page: _Page, term: URIRef, section_type: URIRef) -> str:
    """IRI, other types, labels, definitions and notes: the rows every term has."""
    graph = page.graph
    others = [t for t in graph.objects(term, RDF.type) if t != section_type and t not in _CHARACTERISTICS]
    rows = _row("IRI", _external(page, str(term), str(term))) + _row("Also a", _refs(page, others))
    rows += _text_rows(page, term, _label_predicate(graph, term), "Label")
    for predicate, name in _NOTES:
        rows += _text_rows(page, term, predicate, name)
    rows += _row("Deprecated", "yes" if _deprecated(graph, term) else "")
    return rows + _row("See also", _refs(page, graph.objects(term, RDFS.seeAlso)))


def _deprecated(graph: Graph, node: Node) -> bool:
    return any(isinstance(o, Literal) and o.value is True for o in graph.objects(node, OWL.deprecated))


def _heading(page: _Page, node: URIRef, level: int, code: str = "") -> str:
    """A heading: the English label, the Chinese one beside it, then e.g. the term's CURIE."""
    graph, labels = page.graph, (RDFS.label, SKOS.prefLabel)
    english = _text(graph, node, labels, "en") or _local_name(node) or str(node)
    chinese = _text(graph, node, labels, "zh")
    parts = [escape(english)]
    if chinese:
        parts.append(f'<span lang="zh">{escape(chinese)}</span>')
    if code:
        parts.append(f"<code>{escape(code)}</code>")
    return f"<h{level}>{' · '.join(parts)}</h{level}>\n"


def _term_section(page: _Page, term: URIRef, rows: str) -> str:
    return (
        f'<section class="term" id="{escape(page.anchors[term])}">\n'
        f"{_heading(page, term, 3, _curie(page, str(term)))}"
        f'<table class="meta">\n{rows}</table>\n</section>\n'
    )


# --- sections ------------------------------------------------------------------------------------


def _named_members(graph: Graph, node: Node) -> set[Node]:
    """The node itself, or the named classes of the union or intersection it is."""
    if not isinstance(node, BNode):
        return {node}
    members: set[Node] = set()
    for predicate in (OWL.unionOf, OWL.intersectionOf):
        for collection in graph.objects(node, predicate):
            members.update(m for m in graph.items(collection) if not isinstance(m, BNode))
    return members


def _properties_with(graph: Graph, predicate: URIRef, cls: URIRef) -> list[Node]:
    """The properties whose domain (or range) is ``cls`` or a union that includes it."""
    return [p for p, target in graph.subject_objects(predicate) if cls in _named_members(graph, target)]


def _disjoint(graph: Graph, node: Node, pairwise: URIRef, group: URIRef) -> list[Node]:
    """What ``node`` is disjoint with: pairwise axioms either way, and the other members of groups."""
    found = [*graph.objects(node, pairwise), *graph.subjects(pairwise, node)]
    for axiom in graph.subjects(RDF.type, group):
        for members in graph.objects(axiom, OWL.members):
            listed = list(graph.items(members))
            if node in listed:
                found += [m for m in listed if m != node]
    return found


def _chains(page: _Page, prop: URIRef) -> str:
    """The property's chain axioms, one per line: ``(inverse participant) o participant``."""
    chains = {
        f" {_kw('o')} ".join(_operand(page, step, 0) for step in page.graph.items(chain))
        for chain in page.graph.objects(prop, OWL.propertyChainAxiom)
    }
    return "<br>".join(sorted(chains))


def _class_rows(page: _Page, cls: URIRef) -> str:
    graph = page.graph
    schemes = [s for s, concepts in page.schemes if any((c, RDF.type, cls) in graph for c in concepts)]
    equivalents = [*graph.objects(cls, OWL.equivalentClass), *graph.subjects(OWL.equivalentClass, cls)]
    subclasses = [s for s in graph.subjects(RDFS.subClassOf, cls) if isinstance(s, URIRef)]
    return (
        _common_rows(page, cls, OWL.Class)
        + _row("Superclasses", _refs(page, graph.objects(cls, RDFS.subClassOf), "<br>"))
        + _row("Equivalent to", _refs(page, equivalents, "<br>"))
        + _row("Disjoint with", _refs(page, _disjoint(graph, cls, OWL.disjointWith, OWL.AllDisjointClasses)))
        + _row("Subclasses", _refs(page, subclasses))
        + _row("In domain of", _refs(page, _properties_with(graph, RDFS.domain, cls)))
        + _row("In range of", _refs(page, _properties_with(graph, RDFS.range, cls)))
        + _row("Concepts in", _refs(page, schemes))
    )


def _property_rows(page: _Page, prop: URIRef, section_type: URIRef) -> str:
    graph = page.graph
    characteristics = sorted(name for t, name in _CHARACTERISTICS.items() if (prop, RDF.type, t) in graph)
    inverses = [*graph.objects(prop, OWL.inverseOf), *graph.subjects(OWL.inverseOf, prop)]
    disjoint = _disjoint(graph, prop, OWL.propertyDisjointWith, OWL.AllDisjointProperties)
    return (
        _common_rows(page, prop, section_type)
        + _row("Characteristics", escape(", ".join(characteristics)))
        + _row("Domain", _refs(page, graph.objects(prop, RDFS.domain), "<br>"))
        + _row("Range", _refs(page, graph.objects(prop, RDFS.range), "<br>"))
        + _row("Inverse of", _refs(page, inverses))
        + _row("Sub-property of", _refs(page, graph.objects(prop, RDFS.subPropertyOf)))
        + _row("Super-property of", _refs(page, graph.subjects(RDFS.subPropertyOf, prop)))
        + _row("Equivalent to", _refs(page, graph.objects(prop, OWL.equivalentProperty)))
        + _row("Property chains", _chains(page, prop))
        + _row("Disjoint with", _refs(page, disjoint))
    )


def _overview(page: _Page) -> str:
    graph, ontology = page.graph, page.ontology
    body = f'<section id="{page.anchors[_section("overview")]}">\n<h2>Overview</h2>\n'
    if ontology is None:
        return body + "<p>The graph declares no <code>owl:Ontology</code>.</p>\n</section>\n"
    for lang, text in _texts(graph, ontology, DCTERMS.description):
        body += f'<p lang="{escape(lang)}">{escape(text)}</p>\n' if lang else f"<p>{escape(text)}</p>\n"
    rows = _row("IRI", _external(page, str(ontology), str(ontology)))
    version_iri = _one(graph, ontology, OWL.versionIRI)
    if isinstance(version_iri, URIRef):
        rows += _row("Version IRI", _external(page, str(version_iri), str(version_iri)))
    rows += _row("Version", _refs(page, graph.objects(ontology, OWL.versionInfo)))
    rows += _text_rows(page, ontology, DCTERMS.title, "Title")
    for predicate, name in ((DCTERMS.license, "Licence"), (DCTERMS.creator, "Creator")):
        rows += _row(name, _refs(page, graph.objects(ontology, predicate)))
    rows += _row("Publisher", _refs(page, graph.objects(ontology, DCTERMS.publisher)))
    prefix = _one(graph, ontology, VANN.preferredNamespacePrefix)
    rows += _row(
        "Namespace", f"{escape(str(prefix)) + ': ' if prefix else ''}<code>{escape(page.namespace)}</code>"
    )
    return body + f'<table class="meta">\n{rows}</table>\n</section>\n'


def _term_sections(page: _Page) -> str:
    out = ""
    for key, heading, kind in TERM_SECTIONS:
        terms = page.terms[key]
        if not terms:
            continue
        out += f'<section id="{page.anchors[_section(key)]}">\n<h2>{escape(heading)}</h2>\n'
        for term in terms:
            rows = _class_rows(page, term) if kind == OWL.Class else _property_rows(page, term, kind)
            out += _term_section(page, term, rows)
        out += "</section>\n"
    return out


def _concept_row(page: _Page, scheme: URIRef, concept: URIRef) -> str:
    graph = page.graph
    notation = _external(page, str(concept), _notation(graph, concept))
    cells = [notation + ('<br><span class="alt">deprecated</span>' if _deprecated(graph, concept) else "")]
    for lang in ("en", "zh"):
        label = escape(_text(graph, concept, (SKOS.prefLabel, RDFS.label), lang) or "")
        alt = [
            escape(t)
            for language, t in _texts(graph, concept, SKOS.altLabel)
            if language.split("-")[0] == lang
        ]
        if alt:
            label += f'<br><span class="alt">also: {"; ".join(alt)}</span>'
        cells.append(f'<td lang="{lang}">{label}</td>')
    notes = _paragraphs(graph, concept, SKOS.definition, "")
    notes += _paragraphs(graph, concept, SKOS.scopeNote, ' class="alt"')
    cells.append(f"<td>{notes}</td>")
    cells.append(f"<td>{_refs(page, graph.objects(concept, SKOS.broader))}</td>")
    mappings = [
        f"{escape(name)}: {', '.join(sorted({_mapping(page, n) for n in graph.objects(concept, predicate)}))}"
        for predicate, name in _MAPPINGS
        if (concept, predicate, None) in graph
    ]
    cells.append(f"<td>{'<br>'.join(mappings)}</td>")
    anchor = escape(page.concept_ids[scheme, concept])
    return f'<tr id="{anchor}"><td>{cells[0]}</td>{"".join(cells[1:])}</tr>\n'


def _paragraphs(graph: Graph, node: Node, predicate: URIRef, attrs: str) -> str:
    """The English, Chinese and untagged texts of a property as paragraphs (all texts if none is)."""
    texts = _texts(graph, node, predicate)
    preferred = [(lang, t) for lang, t in texts if lang.lower().split("-")[0] in ("en", "zh", "")]
    return "".join(
        f'<p{attrs} lang="{escape(lang)}">{escape(text)}</p>' if lang else f"<p{attrs}>{escape(text)}</p>"
        for lang, text in preferred or texts
    )


def _mapping(page: _Page, node: Node) -> str:
    """A mapped concept, with the scheme it belongs to when that is on the page."""
    scheme = page.home_scheme.get(node)
    where = f' <span class="alt">({escape(_link_text(page, scheme))})</span>' if scheme is not None else ""
    return _ref(page, node) + where


def _scheme_section(page: _Page, scheme: URIRef, concepts: list[URIRef]) -> str:
    graph = page.graph
    typed = {t for c in concepts for t in graph.objects(c, RDF.type) if t != SKOS.Concept}
    rows = _row("IRI", _external(page, str(scheme), str(scheme)))
    rows += _text_rows(page, scheme, DCTERMS.title, "Title")
    for predicate, name in _NOTES:
        rows += _text_rows(page, scheme, predicate, name)
    rows += _row("Source", _refs(page, graph.objects(scheme, DCTERMS.source), "<br>"))
    rows += _row("Licence", _refs(page, graph.objects(scheme, DCTERMS.license)))
    rows += _text_rows(page, scheme, DCTERMS.rights, "Rights")
    rows += _row("Concepts are", _refs(page, typed)) + _row("Concepts", str(len(concepts)))
    header = "".join(
        f"<th>{h}</th>" for h in ("Notation", "Label (en)", "Label (zh)", "Definition", "Broader", "Mappings")
    )
    table = f'<table class="concepts">\n<thead><tr>{header}</tr></thead>\n<tbody>\n'
    table += "".join(_concept_row(page, scheme, c) for c in concepts) + "</tbody>\n</table>\n"
    return (
        f'<section class="scheme" id="{escape(page.anchors[scheme])}">\n{_heading(page, scheme, 3)}'
        f'<table class="meta">\n{rows}</table>\n{table}</section>\n'
    )


def _scheme_sections(page: _Page) -> str:
    if not page.schemes:
        return ""
    body = "".join(_scheme_section(page, scheme, concepts) for scheme, concepts in page.schemes)
    anchor = page.anchors[_section("concept-schemes")]
    return f'<section id="{anchor}">\n<h2>Concept schemes</h2>\n{body}</section>\n'


def _namespaces(page: _Page) -> str:
    """The prefixes the page used, with their namespaces (rendered last, placed after the overview)."""
    own = [p for p, base in page.prefixes if base == page.namespace]
    used = sorted(page.used_prefixes | set(own[:1]))
    rows = "".join(
        f"<tr><td><code>{escape(p)}</code></td><td><code>{escape(dict(page.prefixes)[p])}</code></td></tr>\n"
        for p in used
    )
    return (
        f'<section id="{page.anchors[_section("namespaces")]}">\n<h2>Namespaces</h2>\n'
        f'<table class="meta">\n<thead><tr><th>Prefix</th><th>Namespace</th></tr></thead>\n{rows}</table>\n'
        "</section>\n"
    )


def _contents(page: _Page) -> str:
    """The table of contents: the sections, each with the terms or schemes it holds."""

    def item(key: str, heading: str, nodes: list[URIRef]) -> str:
        inner = "".join(f"<li>{_ref(page, n)}</li>" for n in nodes)
        nested = f"<ol>{inner}</ol>" if inner else ""
        return f'<li><a href="#{page.anchors[_section(key)]}">{escape(heading)}</a>{nested}</li>\n'

    items = item("overview", "Overview", []) + item("namespaces", "Namespaces", [])
    items += "".join(
        item(key, heading, page.terms[key]) for key, heading, _ in TERM_SECTIONS if page.terms[key]
    )
    if page.schemes:
        items += item("concept-schemes", "Concept schemes", [s for s, _ in page.schemes])
    return f'<nav id="contents">\n<h2>Contents</h2>\n<ol>\n{items}</ol>\n</nav>\n'


def _page_title(page: _Page, title: str | None) -> str:
    if title is not None:
        return title
    if page.ontology is not None:
        found = _text(page.graph, page.ontology, (DCTERMS.title, RDFS.label), "en")
        if found:
            return found
    return "Ontology documentation"


def render(graph: Graph, *, title: str | None = None) -> str:
    """One self-contained HTML5 page documenting the ontology and concept schemes of ``graph``.

    ``title`` replaces the ontology's English ``dcterms:title`` as the page's title.
    """
    page = _plan(graph)
    heading = _page_title(page, title)
    subtitle = _text(graph, page.ontology, (DCTERMS.title,), "zh") if page.ontology is not None else None
    overview, sections, contents = (
        _overview(page),
        _term_sections(page) + _scheme_sections(page),
        _contents(page),
    )
    main = overview + _namespaces(page) + sections  # namespaces last: it lists the prefixes used above
    sub = f'<p lang="zh">{escape(subtitle)}</p>\n' if subtitle else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="coopkg {escape(__version__)}">\n'
        f"<title>{escape(heading)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>{escape(heading)}</h1>\n{sub}</header>\n{contents}<main>\n{main}</main>\n"
        f"<footer>Generated by coopkg {escape(__version__)} from the ontology graph.</footer>\n"
        "</body>\n</html>\n"
    )


def write_site(folder: Path) -> list[Path]:
    """Write ``index.html`` and the ontology's Turtle files into ``folder``; the files written.

    >>> import tempfile
    >>> [p.name for p in write_site(Path(tempfile.mkdtemp()))][:2]
    ['index.html', 'classifications.ttl']
    """
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "index.html"
    page.write_text(render(bundled_graph()), encoding="utf-8")
    written = [page]
    for file in resources.ontology_files():
        target = folder / file.name
        target.write_bytes(file.read_bytes())
        written.append(target)
    return written
