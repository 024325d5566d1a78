"""The HTML pages of ``coopkg serve``: the home page, a page per resource, the query catalogue and
a query's answer. Every text from the graph is escaped; a page needs no script, and fetches
nothing but the server's own pictures (its style is inline).

Nodes are shown by their English and Chinese names and linked to their pages on the server; IRIs
outside coopkg link out, and only over http(s):

>>> names = {"https://w3id.org/coopkg/id/region/cn/210000": {"en": "Liaoning", "zh": "辽宁省"}}
>>> node("https://w3id.org/coopkg/id/region/cn/210000", names)
'<a href="/id/region/cn/210000">Liaoning <span lang="zh">辽宁省</span></a>'
>>> node("javascript:alert(1)", {})
'<span class="iri">javascript:alert(1)</span>'
>>> from pyoxigraph import Literal
>>> value(Literal("<b>1</b>", language="en"), {})
'<span lang="en">&lt;b&gt;1&lt;/b&gt;</span> <small class="tag">@en</small>'
>>> "<script" in error_page(404, "no <script> here")
False
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from coopkg.catalogue import CatalogueQuery, Param
from coopkg.lineage import Lineage, SourceOrigin
from coopkg.linked_data import LANGUAGES, Description, local_path
from coopkg.table import Cell, Table
from coopkg.vocab import BASE, PREFIXES, RDF, XSD

Names = dict[str, dict[str, str]]  # IRI -> language ("" for none) -> name

SITE = "coopkg"
PARTNERS_SHOWN = 100  # rows of a region's partners on its page
STYLE = """
body{font:15px/1.5 system-ui,"Noto Sans","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;
 margin:0;color:#222;background:#fbfbfa}
header{background:#1f3a4d;padding:.6em 1.2em}header a{color:#fff;margin-right:1.4em;text-decoration:none}
header a.site{font-weight:700}main{max-width:72em;margin:0 auto;padding:.5em 1.2em 3em}
h1{margin:.6em 0 .1em;font-size:1.7em}h1 [lang=zh]{color:#555;margin-left:.4em}
h2{margin-top:1.6em;font-size:1.2em;border-bottom:2px solid #1f3a4d33}
a{color:#1a5c8c}a.external::after{content:"\\2009\\2197";font-size:.8em}
.iri{font-family:ui-monospace,monospace;font-size:.9em;color:#555;word-break:break-all}
p.meta{margin:.2em 0;color:#444}small.tag{color:#888;font-size:.75em}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;vertical-align:top;padding:.35em .6em;border-bottom:1px solid #e3e3e3}
table.statements th{width:15em;font-weight:600}thead th{background:#eef2f5}
ul.values{margin:0;padding:0;list-style:none}
figure{margin:1em 0}figure img{max-width:min(100%,800px);height:auto;border:1px solid #ddd;background:#fff}
a [lang=zh]{white-space:nowrap}
figcaption{color:#555;font-size:.9em}
form.query{background:#fff;border:1px solid #ddd;padding:.6em 1em;margin:.5em 0}
form.query label{display:block;margin:.3em 0}form.query input{font:inherit;padding:.15em .3em;min-width:16em}
form.query small{color:#666}button{font:inherit;padding:.2em 1em}
.error{background:#fdecea;border:1px solid #d9534f;padding:.6em 1em;white-space:pre-wrap}
pre{background:#f3f3f3;padding:.6em;overflow-x:auto;font-size:.85em}
"""

# Where pages may get things from: themselves only (the pictures), forms sent back to the server.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)

_EXAMPLE = re.compile(r"\be\.g\.\s+(.+?)\s*$")


def esc(text: str) -> str:
    """Text made safe for HTML content and quoted attributes."""
    return escape(text, quote=True)


# -- terms ------------------------------------------------------------------------------------------
def compact(iri: str) -> str:
    """A short form of an IRI: ``coop:Region``, ``id/region/cn/210000``, else the IRI.

    >>> compact("https://w3id.org/coopkg/ontology#Region"), compact("https://w3id.org/coopkg/id/x/y")
    ('coop:Region', 'id/x/y')
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    if iri.startswith(BASE) and len(iri) > len(BASE):
        return iri[len(BASE) :]
    return iri


def name_of(iri: str, names: Names) -> str:
    """A node's name for a heading or a link: English, else Chinese, else none, else its short IRI."""
    known = names.get(iri, {})
    for language in (*LANGUAGES, ""):
        if known.get(language):
            return known[language]
    return next(iter(known.values()), None) or compact(iri)


def node(iri: str, names: Names) -> str:
    """A link to a node: its page on the server, or the IRI itself outside coopkg (http(s) only)."""
    text = name_of(iri, names)
    chinese = names.get(iri, {}).get("zh")
    inner = esc(text) + (f' <span lang="zh">{esc(chinese)}</span>' if chinese and chinese != text else "")
    href = local_path(iri)
    if href is not None:
        return f'<a href="{esc(href)}">{inner}</a>'
    if iri.startswith(("https://", "http://")):
        return f'<a class="external" href="{esc(iri)}" rel="noopener noreferrer nofollow">{inner}</a>'
    return f'<span class="iri">{inner}</span>'


def value(term: Cell, names: Names, *, tags: bool = True) -> str:
    """Any RDF term (or nothing) as HTML; ``tags``: with its language or datatype."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return node(term.value, names)
    if isinstance(term, BlankNode):
        return f'<span class="iri">_:{esc(term.value)}</span>'
    if isinstance(term, Triple):
        return f'<span class="iri">{esc(str(term))}</span>'
    if term.language:
        tag = esc(term.language)
        shown = f' <small class="tag">@{tag}</small>' if tags else ""
        return f'<span lang="{tag}">{esc(term.value)}</span>{shown}'
    if term.datatype in (XSD.string, RDF.langString) or not tags:
        return esc(term.value)
    return f'{esc(term.value)} <small class="tag">{esc(compact(term.datatype.value))}</small>'


def _sort_values(terms: Iterable[Cell], names: Names) -> list[Cell]:
    """Values in a steady order: names by language (English, Chinese, others), nodes by name."""

    def key(term: Cell) -> tuple[int, str]:
        if isinstance(term, Literal):
            rank = LANGUAGES.index(term.language) if term.language in LANGUAGES else len(LANGUAGES)
            return rank, term.value
        if isinstance(term, NamedNode):
            return len(LANGUAGES) + 1, name_of(term.value, names).lower()
        return len(LANGUAGES) + 2, str(term)

    return sorted(terms, key=key)


# -- the frame ------------------------------------------------------------------------------------
def document(title: str, body: str, *, alternates: Sequence[tuple[str, str, str]] = ()) -> str:
    """A whole page; ``alternates`` are (href, media type, title) of other formats of it."""
    links = "".join(
        f'<link rel="alternate" href="{esc(href)}" type="{esc(media)}" title="{esc(label)}">'
        for href, media, label in alternates
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(title)} · {SITE}</title><link rel="icon" href="data:,">{links}'
        f"<style>{STYLE}</style></head>\n<body><header>"
        f'<a class="site" href="/">{SITE}</a><a href="/queries">Query catalogue</a>'
        '<a href="/ontology">Ontology</a><a href="/sparql">SPARQL endpoint</a>'
        f"</header>\n<main>\n{body}\n</main></body></html>\n"
    )


def error_page(status: int, message: str) -> str:
    """A page that says what went wrong and what to do, never a traceback."""
    headings = {400: "The request cannot be answered", 404: "Not found", 406: "Not acceptable"}
    heading = headings.get(status, "The server could not answer")
    body = f'<h1>{esc(heading)}</h1>\n<p class="error" role="alert">{esc(message)}</p>'
    return document(heading, body)


# -- the home page --------------------------------------------------------------------------------
def home_page(datasets: Sequence[tuple[str, str, str]], regions: Table, names: Names, *, shown: int) -> str:
    """The datasets (IRI, title, description), the most connected regions, and where to go next."""
    items = "".join(
        f"<li>{node(iri, {iri: {'en': title}} if title else {})}"
        + (f"<br><small>{esc(text)}</small>" if text else "")
        + "</li>"
        for iri, title, text in datasets
    )
    parts = [
        "<h1>A knowledge graph of inter-regional cooperation</h1>",
        '<p class="meta">Regions that cooperate through mechanisms and agreements, the events they '
        "were signed at, and the sources that state them. Every resource has a page here, and "
        'Turtle and JSON-LD for machines; ask questions with the <a href="/queries">query '
        "catalogue</a> or the SPARQL endpoint (<code>/sparql</code>).</p>",
        f"<h2>Datasets</h2>\n<ul>{items}</ul>"
        if items
        else "<h2>Datasets</h2>\n<p>The store holds none.</p>",
    ]
    if len(regions):
        parts.append("<h2>Most connected regions</h2>")
        parts.append(results_table(regions, names, columns=("region", "partners", "links"), limit=shown))
    return document("Home", "\n".join(parts))


# -- a resource -----------------------------------------------------------------------------------
def resource_page(
    about: Description,
    *,
    lineage: Lineage | None,
    link_sources: Sequence[SourceOrigin] = (),
    partners: Table | None = None,
    picture: str | None = None,
) -> str:
    """A resource's page: its names, statements (links to their pages), the statements that link
    to it, its sources, and for a region its partners with a picture of its network."""
    names = about.names
    here = local_path(about.iri) or "/"
    english, chinese = about.label(about.iri, language="en"), about.label(about.iri, language="zh")
    title = english or name_of(about.iri, names)
    heading = esc(title) + (f' <span lang="zh">{esc(chinese)}</span>' if chinese and chinese != title else "")
    kinds = ", ".join(node(t.value, names) for t in about.types) or "resource"
    formats = (
        f'<a href="{esc(here)}?format=ttl">Turtle</a> · <a href="{esc(here)}?format=jsonld">JSON-LD</a> · '
        f'<a href="{esc(here)}?format=nt">N-Triples</a>'
    )
    parts = [
        f"<h1>{heading}</h1>",
        f'<p class="meta">{kinds} · <span class="iri">{esc(about.iri)}</span></p>',
        f'<p class="meta">For machines: {formats}</p>',
    ]
    if partners is not None:
        parts.append("<h2>Cooperation partners</h2>")
        if picture is not None:
            parts.append(
                f'<figure><a href="{esc(picture)}"><img src="{esc(picture)}" width="1000" height="750" '
                f'alt="Cooperation network of {esc(title)}"></a><figcaption>The regions it shares a '
                "mechanism or an agreement with (arrows: aid from provider to recipient). Open the "
                "picture for names in English and Chinese.</figcaption></figure>"
            )
        if len(partners):
            columns = ("partner", "role", "link", "linkType", "areas")
            parts.append(results_table(partners, names, columns=columns, limit=PARTNERS_SHOWN))
            if len(partners) > PARTNERS_SHOWN:
                code = about.iri.rstrip("/").rsplit("/", 1)[-1]
                everything = f"/queries/partners?region={quote(code)}"
                parts.append(f'<p class="meta"><a href="{esc(everything)}">All its partners</a></p>')
        else:
            parts.append("<p>No mechanism or agreement links it to another region.</p>")
    parts.append("<h2>Statements</h2>")
    parts.append(_statements(about))
    if about.incoming:
        parts.append("<h2>Linked from</h2>")
        parts.append(_incoming(about))
    parts.append("<h2>Sources</h2>")
    parts.append(_sources(lineage, link_sources, names))
    if about.graphs:
        held = ", ".join(f'<span class="iri">{esc(g.value)}</span>' for g in about.graphs)
        parts.append(f'<p class="meta">Stated in the named graphs: {held}</p>')
    alternates = [
        (f"{here}?format=ttl", "text/turtle", "Turtle"),
        (f"{here}?format=jsonld", "application/ld+json", "JSON-LD"),
    ]
    return document(title, "\n".join(parts), alternates=alternates)


def _statements(about: Description) -> str:
    rows: dict[str, dict[NamedNode, list[Cell]]] = {}  # subject -> predicate -> objects
    for triple in about.statements:
        subject = triple.subject.value if isinstance(triple.subject, NamedNode) else str(triple.subject)
        rows.setdefault(subject, {}).setdefault(triple.predicate, []).append(triple.object)
    blocks = []
    for subject, predicates in rows.items():
        lines = []
        for predicate, objects in predicates.items():
            values = "".join(f"<li>{value(o, about.names)}</li>" for o in _sort_values(objects, about.names))
            label = node(predicate.value, about.names)
            lines.append(f'<tr><th>{label}</th><td><ul class="values">{values}</ul></td></tr>')
        table = f'<table class="statements">{"".join(lines)}</table>'
        if subject != about.iri:  # a #term of a namespace document, or a blank node
            anchor = subject.rsplit("#", 1)[1] if subject.startswith(about.iri + "#") else None
            ident = f' id="{esc(anchor)}"' if anchor else ""
            label = node(subject, about.names) if not subject.startswith("_:") else esc(subject)
            table = f"<h3{ident}>{label}</h3>\n{table}"
        blocks.append(table)
    return "\n".join(blocks) or "<p>Nothing is said of it, only linked to it.</p>"


def _incoming(about: Description) -> str:
    lines = []
    for group in about.incoming:
        subjects = "".join(
            f"<li>{value(s, about.names)}</li>" for s in _sort_values(group.subjects, about.names)
        )
        more = group.total - len(group.subjects)
        if more > 0:
            subjects += f"<li><small>… and {more:,} more (ask the SPARQL endpoint for all)</small></li>"
        lines.append(
            f'<tr><td><ul class="values">{subjects}</ul></td><th>{node(group.predicate.value, about.names)}'
            " <small>this</small></th></tr>"
        )
    return f'<table class="statements incoming">{"".join(lines)}</table>'


def _source(source: SourceOrigin, names: Names) -> str:
    title = source.title or name_of(source.iri, names)
    facts = ", ".join(esc(x) for x in (source.publisher, source.released) if x)
    return f"<li>{node(source.iri, {source.iri: {'en': title}})}" + (f", {facts}" if facts else "") + "</li>"


def _sources(lineage: Lineage | None, link_sources: Sequence[SourceOrigin], names: Names) -> str:
    parts = []
    if lineage is not None and lineage.sources:
        parts.append("<p>Stated by:</p><ul>" + "".join(_source(s, names) for s in lineage.sources) + "</ul>")
    if lineage is not None and lineage.records:
        records = "".join(
            f"<li>{esc(r.file)}"
            + (f", line {r.line}" if r.line else " (the whole file)")
            + (f"; loaded {esc(r.loaded)}" if r.loaded else "")
            + (f" by {esc(r.software)}" if r.software else "")
            + "</li>"
            for r in lineage.records
        )
        parts.append(f"<p>Made from the input record:</p><ul>{records}</ul>")
    if link_sources:
        parts.append(
            "<p>Its mechanisms and agreements are stated by:</p><ul>"
            + "".join(_source(s, names) for s in link_sources)
            + "</ul>"
        )
    return "\n".join(parts) or "<p>No source is recorded for it (reference data, or coopkg's own terms).</p>"


# -- queries --------------------------------------------------------------------------------------
def results_table(table: Table, names: Names, *, columns: Sequence[str] | None = None, limit: int) -> str:
    """A query's rows as an HTML table (the first ``limit``), nodes linked to their pages."""
    shown = [c for c in (columns or table.variables) if c in table.variables]
    head = "".join(f"<th>{esc(c)}</th>" for c in shown)
    rows = "".join(
        "<tr>" + "".join(f"<td>{value(record[c], names, tags=False)}</td>" for c in shown) + "</tr>"
        for record in list(table.records())[:limit]
    )
    note = ""
    if len(table) > limit:
        note = f'<p class="meta">The first {limit:,} rows of {len(table):,}.</p>'
    return f'<table class="results"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{note}'


def _placeholder(param: Param) -> str:
    found = _EXAMPLE.search(param.description)
    return found.group(1).rstrip(".") if found else (param.default or "")


def query_form(query: CatalogueQuery, given: dict[str, str] | None = None) -> str:
    """A form that runs a catalogue query on this server (GET, so that the answer has an address)."""
    given = given or {}
    fields = []
    for param in query.params:
        need = param.default is None and not param.optional
        kind = "number" if param.type == "integer" else "text"
        fields.append(
            f"<label>{esc(param.name)} <small>({esc(param.type)}"
            + (f", default {esc(param.default)}" if param.default is not None else "")
            + (", optional" if param.optional else "")
            + f')</small><br><input type="{kind}" name="{esc(param.name)}" '
            f'value="{esc(given.get(param.name, ""))}" placeholder="{esc(_placeholder(param))}"'
            + (" required" if need else "")
            + f"> <small>{esc(param.description)}</small></label>"
        )
    return (
        f'<form class="query" method="get" action="/queries/{esc(query.name)}">'
        + "".join(fields)
        + f'<button type="submit">Run {esc(query.name)}</button></form>'
    )


def catalogue_page(queries: Sequence[CatalogueQuery]) -> str:
    """Every query of the catalogue: its title, description and a form to run it."""
    items = [
        "<h1>Query catalogue</h1>",
        '<p class="meta">Named questions the graph answers. Regions can be named any way sources '
        "name them (Nagqu, Nagchu, Naqu, 那曲市 or 540600).</p>",
    ]
    for query in queries:
        items.append(
            f'<section id="{esc(query.name)}">'
            f'<h2><a href="/queries/{esc(query.name)}">{esc(query.title)}</a> '
            f'<small class="tag">{esc(query.name)}</small></h2><p>{esc(query.description)}</p>'
            f"{query_form(query)}</section>"
        )
    return document("Query catalogue", "\n".join(items))


def query_page(
    query: CatalogueQuery,
    given: dict[str, str],
    *,
    table: Table | None = None,
    names: Names | None = None,
    error: str | None = None,
    sparql: str | None = None,
    limit: int,
) -> str:
    """A catalogue query with its form, and its answer (or why there is none)."""
    parts = [
        f'<h1>{esc(query.title)} <small class="tag">{esc(query.name)}</small></h1>',
        f"<p>{esc(query.description)}</p>",
        query_form(query, given),
    ]
    if error is not None:
        parts.append(f'<p class="error" role="alert">{esc(error)}</p>')
    elif table is not None:
        count = f"{len(table):,} row" + ("" if len(table) == 1 else "s")
        parts.append(f"<h2>Answer: {count}</h2>")
        parts.append(results_table(table, names or {}, limit=limit) if len(table) else "<p>No rows.</p>")
    else:
        parts.append('<p class="meta">Fill in the parameters and run the query.</p>')
    if sparql is not None:
        parts.append(
            "<details><summary>The SPARQL query, parameters bound</summary>"
            f"<pre>{esc(sparql)}</pre></details>"
        )
    parts.append('<p class="meta"><a href="/queries">All queries</a></p>')
    return document(query.title, "\n".join(parts))
