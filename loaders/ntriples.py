"""RDF terms as N-Triples text: what the loaders write, so that Oxigraph's own parser does the rest.

Making a pyoxigraph term object costs microseconds; a line of text costs a fraction of that, and
Oxigraph's bulk loader parses and checks it in Rust. Every IRI written here is built by coopkg from
checked parts (slug ids, the gazetteer, the vocabularies) or passed through :class:`NamedNode`
first; every literal is escaped here.

>>> literal('say "hi"\\n', language="en")
'"say \\\\"hi\\\\"\\\\n"@en'
>>> literal("2023", datatype=iri("http://www.w3.org/2001/XMLSchema#gYear"))
'"2023"^^<http://www.w3.org/2001/XMLSchema#gYear>'
>>> term(NamedNode("https://example.org/a"))
'<https://example.org/a>'
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def iri(value: str) -> str:
    return f"<{value}>"


def literal(value: str, *, language: str | None = None, datatype: str | None = None) -> str:
    """A literal; ``datatype`` is the text of an IRI (as :func:`iri` writes it)."""
    text = f'"{value.translate(ESCAPES)}"'
    if language:
        return f"{text}@{language}"
    if datatype:
        return f"{text}^^{datatype}"
    return text


def term(node: NamedNode | Literal | BlankNode | Triple) -> str:
    """Any pyoxigraph term (Oxigraph writes it, escaped)."""
    return str(node)
