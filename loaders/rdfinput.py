"""RDF files passed through into a dataset's graph: Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML.

Parsed by pyoxigraph only, never by rdflib (whose JSON-LD parser fetches remote contexts). Nothing
is fetched: a JSON-LD file that refers to a context by IRI is refused, and RDF/XML that declares a
DOCTYPE or entities is refused before it is parsed (a few hundred bytes of nested entities can ask
for gigabytes). A dataset is one graph, so named graphs (in N-Quads, TriG or JSON-LD) are refused.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "extra.ttl").write_text(
...     "@prefix ex: <https://example.org/> .\\nex:a ex:b ex:c .\\n", encoding="utf-8")
>>> [(i.file, i.format, len(i.triples)) for i in read_rdf(folder, [])]
[('extra.ttl', 'Turtle', 1)]
>>> _ = (folder / "broken.nt").write_text("<https://example.org/a> <https://example.org/b> .\\n")
>>> problems = []
>>> _ = read_rdf(folder, problems)
>>> print(problems[0])  # doctest: +ELLIPSIS
broken.nt:1: not valid N-Triples: ... (column ...)
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import DefaultGraph, RdfFormat, Triple, parse

from coopkg.errors import Problem, Severity

__all__ = ["RDF_FORMATS", "RdfInput", "rdf_files", "read_rdf"]

RDF_FORMATS: dict[str, RdfFormat] = {
    ".ttl": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".jsonld": RdfFormat.JSON_LD,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
    ".xml": RdfFormat.RDF_XML,
}
"""The RDF files of a dataset folder, by suffix, and how they are parsed."""


@dataclass
class RdfInput:
    """One RDF file of a dataset: its name in the folder, its format's name and its triples."""

    file: str
    format: str
    triples: list[Triple] = field(default_factory=list)


def rdf_files(folder: Path) -> list[Path]:
    """The RDF files of a dataset folder, in a stable order."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in RDF_FORMATS)


def read_rdf(folder: Path, problems: list[Problem]) -> list[RdfInput]:
    """The triples of every RDF file of a dataset folder; a file with a problem gives none."""
    inputs = []
    for path in rdf_files(folder):
        name = path.relative_to(folder).as_posix()
        found = read_rdf_file(path, name, problems)
        if found is not None:
            inputs.append(found)
    return inputs


def read_rdf_file(path: Path, name: str, problems: list[Problem]) -> RdfInput | None:
    """The triples of one RDF file, or ``None`` (and the problem) when it cannot be taken."""
    rdf_format = RDF_FORMATS[path.suffix.lower()]
    data = path.read_bytes()
    if not data.strip():
        problems.append(Problem(name, 1, None, None, "empty file", hint="add triples, or remove the file"))
        return None
    if rdf_format == RdfFormat.RDF_XML:
        refused = _unsafe_xml(data, name)
        if refused:
            problems.append(refused)
            return None
    if rdf_format == RdfFormat.JSON_LD:
        refused = _remote_context(data, name)
        if refused:
            problems.append(refused)
            return None
    triples: list[Triple] = []
    try:
        for quad in parse(data, format=rdf_format, rename_blank_nodes=True):
            if not isinstance(quad.graph_name, DefaultGraph):
                problems.append(
                    Problem(
                        name,
                        None,
                        None,
                        str(quad.graph_name),
                        "a named graph: a dataset is one graph",
                        hint="put the triples in the default graph (Turtle or N-Triples hold one graph)",
                    )
                )
                return None
            triples.append(quad.triple)
    except SyntaxError as exc:
        problems.append(_syntax_problem(exc, data, name, rdf_format))
        return None
    if not triples:
        problems.append(
            Problem(name, None, None, None, "holds no triples", severity=Severity.WARNING, hint="remove it")
        )
    return RdfInput(name, rdf_format.name, triples)


_POSITION = re.compile(r"^Parser error (?:at|between) line \d+ (?:column|between columns) \d+[^:]*: ")


def _syntax_problem(exc: SyntaxError, data: bytes, name: str, rdf_format: RdfFormat) -> Problem:
    message = str(exc.msg or exc)
    if "LoadDocumentCallback" in message or "remote context" in message.lower():
        return _remote_context_problem(name, None)
    line = exc.lineno
    text = _POSITION.sub("", message)
    if exc.offset:
        text += f" (column {exc.offset})"
    if line is None and rdf_format == RdfFormat.RDF_XML:
        line = _xml_error_line(data)
    return Problem(name, line, None, None, f"not valid {rdf_format.name}: {text}")


def _xml_error_line(data: bytes) -> int | None:
    """The line of an XML well-formedness error, from expat (run only on text without a DOCTYPE)."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        return int(exc.lineno)
    return None


_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _unsafe_xml(data: bytes, name: str) -> Problem | None:
    """Why RDF/XML is refused before parsing: a DOCTYPE or entity declaration, or not UTF-8.

    The check is on the bytes, so the text must be in an ASCII-based encoding: UTF-16 and the like,
    in which a declaration would not be seen, are refused.
    """
    body = data.removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in body[:1024] or not body.lstrip().startswith(b"<"):
        return Problem(
            name,
            1,
            None,
            None,
            "not RDF/XML in UTF-8",
            hint="save the file as UTF-8 XML",
        )
    found = _DECLARATION.search(body)
    if found:
        return Problem(
            name,
            data.count(b"\n", 0, found.start() + len(data) - len(body)) + 1,
            None,
            None,
            f"RDF/XML with a {found.group(1).decode().upper()} declaration is refused: entities can "
            "make a small file expand without bound, or read other files",
            hint="remove the DOCTYPE and write the entities' text out",
        )
    return None


def _contexts(value: object) -> Iterator[object]:
    """Every ``@context`` value (and ``@import``) in a JSON-LD document, without recursion."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key, item in current.items():
                if key == "@context":
                    yield item
                if key == "@import":
                    yield item
                stack.append(item)
        elif isinstance(current, list):
            stack.extend(current)


def _remote_context_problem(name: str, context: str | None) -> Problem:
    return Problem(
        name,
        None,
        "@context",
        context,
        "JSON-LD that refers to a context by IRI is refused: coopkg never fetches anything",
        hint="write the context's terms into the file, as an @context object",
    )


def _remote_context(data: bytes, name: str) -> Problem | None:
    """Why a JSON-LD file is refused: a context given by IRI (remote, or relative to the file)."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return None  # pyoxigraph reports the syntax error with its line
    for context in _contexts(document):
        items = context if isinstance(context, list) else [context]
        for item in items:
            if isinstance(item, str):
                return _remote_context_problem(name, item)
    return None
