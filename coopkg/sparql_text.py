"""SPARQL as text, written safely: RDF terms, SHACL paths, regular expressions and SHACL-SPARQL queries.

Everything :mod:`coopkg.shacl_sparql` pastes into a query goes through here. Terms are serialized by
Oxigraph (so escaped); a query of the shapes is rewritten token by token, never by a blind text
search, so ``$PATH`` inside a string or an IRI stays as it is.

>>> from rdflib import Literal, URIRef
>>> term(Literal('say "hi"', lang="en"))
'"say \\\\"hi\\\\""@en'
>>> substitute_variable('SELECT $this WHERE { $this $PATH "$PATH" }', "PATH", "<https://e.org/p>")
'SELECT $this WHERE { $this <https://e.org/p> "$PATH" }'
>>> python_regex("^[A-Z]{3}$", "")
('^[A-Z]{3}\\\\n?$', '')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

import rdflib
from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

__all__ = [
    "Token",
    "UnsupportedSparql",
    "binding_points",
    "focus_insertion_point",
    "path",
    "path_predicates",
    "projection",
    "python_regex",
    "set_based",
    "substitute_variable",
    "term",
    "tokens",
    "words",
]


class UnsupportedSparql(ValueError):
    """Something that cannot be written as SPARQL exactly (a blank node constant, a path form, ...)."""


# -- RDF terms and paths --------------------------------------------------------------------------


def term(node: rdflib.term.Node) -> str:
    """An rdflib IRI or literal as SPARQL text, serialized (and escaped) by Oxigraph."""
    if isinstance(node, rdflib.URIRef):
        return str(NamedNode(str(node)))
    if isinstance(node, rdflib.Literal):
        if node.language:
            return str(OxLiteral(str(node), language=node.language))
        if node.datatype is not None:
            return str(OxLiteral(str(node), datatype=NamedNode(str(node.datatype))))
        return str(OxLiteral(str(node)))
    raise UnsupportedSparql(f"a blank node ({node}) cannot be written into a query")


_PATH_OPERATORS = {
    SH.zeroOrMorePath: "*",
    SH.oneOrMorePath: "+",
    SH.zeroOrOnePath: "?",
}


def path(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    """A SHACL property path (IRI, sequence, alternative, inverse, zero-or-more, ...) as a SPARQL path."""
    if isinstance(node, rdflib.URIRef):
        return term(node)
    if (node, RDF.first, None) in graph:
        return "(" + "/".join(path(graph, step) for step in Collection(graph, node)) + ")"
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(path(graph, step) for step in Collection(graph, alternatives)) + ")"
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return f"^({path(graph, inverse)})"
    for predicate, operator in _PATH_OPERATORS.items():
        inner = graph.value(node, predicate)
        if inner is not None:
            return f"({path(graph, inner)}){operator}"
    raise UnsupportedSparql(f"{node} is not a SHACL property path")


def path_predicates(graph: rdflib.Graph, node: rdflib.term.Node) -> frozenset[str] | None:
    """The predicates whose objects are the path's values, or None when values may be anything.

    >>> path_predicates(rdflib.Graph(), rdflib.URIRef("https://e.org/p"))
    frozenset({'https://e.org/p'})
    """
    if isinstance(node, rdflib.URIRef):
        return frozenset({str(node)})
    if (node, RDF.first, None) in graph:
        return path_predicates(graph, list(Collection(graph, node))[-1])
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        found: set[str] = set()
        for step in Collection(graph, alternatives):
            some = path_predicates(graph, step)
            if some is None:
                return None
            found |= some
        return frozenset(found)
    inner = graph.value(node, SH.oneOrMorePath)
    if inner is not None:
        return path_predicates(graph, inner)
    return None  # inverse paths give subjects; zero-length paths give the focus node itself


# -- regular expressions --------------------------------------------------------------------------

_META = set("\\^$.|?*+()[]{}")
_CLASS_SPECIAL = set("\\]^-[&~")
_ESCAPED_CHARS = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}
_QUANTIFIER = re.compile(r"\{(\d*)(,?)(\d*)\}")


def _literal_char(char: str, *, in_class: bool = False) -> str:
    special = _CLASS_SPECIAL if in_class else _META | {"#", "&", "-", "~"}
    if char in special:
        return "\\" + char
    if char == "\n":
        return "\\n"
    return char


def _escape(pattern: str, i: int, *, in_class: bool) -> tuple[str, int] | None:
    """A backslash escape at ``pattern[i]``: its translation and the next index, or None."""
    if i + 1 >= len(pattern):
        return None
    char = pattern[i + 1]
    if char in ("d", "D"):
        return "\\" + char, i + 2
    if char in _ESCAPED_CHARS:
        return _literal_char(_ESCAPED_CHARS[char], in_class=in_class), i + 2
    if not char.isalnum() and char.isascii():
        return _literal_char(char, in_class=in_class), i + 2
    return None  # \w, \s, \b, backreferences...: Python and Oxigraph read them differently


def _char_class(pattern: str, i: int) -> tuple[str, int] | None:
    """A character class starting at ``pattern[i] == "["``."""
    out, i = "[", i + 1
    if i < len(pattern) and pattern[i] == "^":
        out, i = out + "^", i + 1
    first = True
    while i < len(pattern):
        char = pattern[i]
        if char == "]" and not first:
            return out + "]", i + 1
        if char == "[":
            return None  # Python warns about nested sets; Oxigraph reads them as sets
        if char == "\\":
            escaped = _escape(pattern, i, in_class=True)
            if escaped is None:
                return None
            item, i = escaped
        elif char == "-" and not first and i + 1 < len(pattern) and pattern[i + 1] != "]":
            item, i = "-", i + 1
        else:
            item, i = _literal_char(char, in_class=True), i + 1
        out += item
        first = False
    return None


def _quantifier(pattern: str, i: int) -> tuple[str, int] | None:
    """``{m}``, ``{m,}``, ``{m,n}`` or ``{,n}`` at ``pattern[i]``, or None when Python reads a literal."""
    match = _QUANTIFIER.match(pattern, i)
    if match is None or not (match.group(1) or match.group(3)):
        return None
    low, comma, high = match.groups()
    return "{" + (low or "0") + comma + high + "}", match.end()


def _dollar_ends_branch(pattern: str, i: int, depth: int) -> bool:
    return depth == 0 and (i + 1 == len(pattern) or pattern[i + 1] == "|")


def _translate(pattern: str, multiline: bool) -> str | None:
    out, i, depth = "", 0, 0
    quantifiable = False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            escaped = _escape(pattern, i, in_class=False)
            if escaped is None:
                return None
            item, i = escaped
            out, quantifiable = out + item, True
        elif char == "[":
            cls = _char_class(pattern, i)
            if cls is None:
                return None
            out, i, quantifiable = out + cls[0], cls[1], True
        elif char == "(":
            if pattern.startswith("(?:", i):
                out, i = out + "(?:", i + 3
            elif pattern.startswith("(?", i):
                return None  # named groups, look-around, inline flags
            else:
                out, i = out + "(", i + 1
            depth, quantifiable = depth + 1, False
        elif char == ")":
            if depth == 0:
                return None
            out, i, depth, quantifiable = out + ")", i + 1, depth - 1, True
        elif char in "*+?" or (char == "{" and _quantifier(pattern, i) is not None):
            if not quantifiable:
                return None
            if char == "{":
                quantified = _quantifier(pattern, i)
                assert quantified is not None
                item, i = quantified
            else:
                item, i = char, i + 1
            if i < len(pattern) and pattern[i] == "?":
                item, i = item + "?", i + 1
            elif i < len(pattern) and pattern[i] in "*+":
                return None  # possessive quantifiers (Python 3.11)
            out, quantifiable = out + item, False
        elif char == "$":
            if not multiline and not _dollar_ends_branch(pattern, i, depth):
                return None
            out, i, quantifiable = out + ("$" if multiline else "\\n?$"), i + 1, False
        elif char in "^|":
            out, i, quantifiable = out + char, i + 1, False
        elif char == ".":
            out, i, quantifiable = out + ".", i + 1, True
        else:
            out, i, quantifiable = out + _literal_char(char), i + 1, True
    return out if depth == 0 else None


def python_regex(pattern: str, flags: str) -> tuple[str, str] | None:
    """A Python regular expression (as pySHACL runs ``sh:pattern``) as an Oxigraph REGEX pattern and flags.

    None when the two engines could read the pattern differently (``\\w``, ``\\s``, look-around, ...).
    Python's ``$`` also matches before a final newline, so a trailing ``$`` becomes ``\\n?$``.

    >>> python_regex("^[0-9]{6}$", "i")
    ('^[0-9]{6}\\\\n?$', 'i')
    >>> python_regex(r"^\\w+$", "") is None
    True
    """
    flags = flags.lower()
    kept = "".join(flag for flag in "im" if flag in flags)
    translated = _translate(pattern, "m" in kept)
    return None if translated is None else (translated, kept)


# -- SPARQL tokens ---------------------------------------------------------------------------------

_VARNAME = (
    "A-Za-z0-9_\u00b7\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u203f-\u2040\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<comment>\#[^\n]*)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][VARNAME]+)
    |(?P<word>[^\s{}()<>"'#?$,;.*^|/=!&+\[\]]+)
    |(?P<punct>.)""".replace("VARNAME", _VARNAME),
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """One token of a SPARQL text: its kind (ws, comment, string, iri, var, word, punct) and place."""

    kind: str
    text: str
    start: int

    @property
    def name(self) -> str:
        """A variable's name without ``?`` or ``$``; a word in upper case."""
        return self.text[1:] if self.kind == "var" else self.text.upper()


def tokens(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL text, comments and strings kept whole.

    >>> [t.text for t in tokens('SELECT ?x { ?x <a> "}" }') if t.kind != "ws"]
    ['SELECT', '?x', '{', '?x', '<a>', '"}"', '}']
    """
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        yield Token(kind, match.group(), match.start())


def words(text: str) -> set[str]:
    """The upper-cased keywords and names of a SPARQL text, outside strings, IRIs and comments."""
    return {t.name for t in tokens(text) if t.kind == "word"}


def query_form(text: str) -> str:
    """The form of a query (SELECT, CONSTRUCT, ASK or DESCRIBE), read from its code only.

    SPARQLWrapper guesses it from the text, comments included, so a comment that says "add" or
    "drop" made it send a SELECT as an update.

    >>> query_form("# this adds nothing; drop it\\nPREFIX a: <http://a/#drop>\\nSELECT * { ?s ?p ?o }")
    'SELECT'
    """
    for token in _code(text):
        if token.kind == "word" and token.name in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
            return token.name
    raise UnsupportedSparql("the text is not a SELECT, CONSTRUCT, ASK or DESCRIBE query")


def substitute_variable(text: str, name: str, replacement: str) -> str:
    """Replace the variable ``$name`` / ``?name`` by a text (a term or a path), token by token."""
    parts = []
    for token in tokens(text):
        parts.append(replacement if token.kind == "var" and token.name == name else token.text)
    return "".join(parts)


def _code(text: str) -> list[Token]:
    return [t for t in tokens(text) if t.kind not in ("ws", "comment")]


def _select_index(code: list[Token]) -> int:
    for i, token in enumerate(code):
        if token.kind == "word" and token.name == "SELECT":
            return i
    raise UnsupportedSparql("the query is not a SELECT query")


def _where_index(code: list[Token], start: int) -> int:
    depth = 0
    for i in range(start, len(code)):
        token = code[i]
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.text == "{" and depth == 0:
            return i
    raise UnsupportedSparql("the query has no WHERE clause")


def focus_insertion_point(text: str) -> int:
    """The offset just after the ``{`` that opens the query's WHERE clause.

    >>> text = 'PREFIX a: <x:> SELECT ?v WHERE { ?v a:p "{" }'
    >>> text[:focus_insertion_point(text)]
    'PREFIX a: <x:> SELECT ?v WHERE {'
    """
    code = _code(text)
    brace = code[_where_index(code, _select_index(code))]
    return brace.start + 1


def binding_points(text: str, name: str = "this") -> list[int]:
    """The offsets just after the ``{`` that opens the WHERE clause of the query and of each subquery
    that mentions ``?name``: where ``VALUES ?name { … }`` binds it everywhere, as SHACL-SPARQL's
    pre-binding does (a subquery does not see a variable bound outside it).

    >>> text = "SELECT $this ?v WHERE { $this <p> ?v { SELECT $this WHERE { $this <q> ?w } LIMIT 1 } }"
    >>> [text[:at] for at in binding_points(text)][-1]
    'SELECT $this ?v WHERE { $this <p> ?v { SELECT $this WHERE {'
    >>> len(binding_points("SELECT $this WHERE { $this <p> ?v { SELECT ?v WHERE { ?v <q> ?w } LIMIT 1 } }"))
    1
    """
    code = _code(text)
    points = []
    for i, token in enumerate(code):
        if token.kind == "word" and token.name == "SELECT":
            where = _where_index(code, i)
            inner = code[i : _closing(code, where)]
            if i == _select_index(code) or any(t.kind == "var" and t.name == name for t in inner):
                points.append(code[where].start + 1)
    return points


def projection(text: str) -> tuple[set[str], bool, int]:
    """The projected variables, whether the query selects ``*``, and where a variable can be added.

    >>> text = "SELECT DISTINCT $this (?v AS ?value) WHERE { $this ?p ?v }"
    >>> variables, star, at = projection(text)
    >>> sorted(variables), star, text[:at]
    (['this', 'value'], False, 'SELECT DISTINCT')
    """
    code = _code(text)
    select = _select_index(code)
    where = _where_index(code, select)
    found: set[str] = set()
    star = False
    depth = 0
    after = select
    for i in range(select + 1, where):
        token = code[i]
        if i == select + 1 and token.name in ("DISTINCT", "REDUCED"):
            after = i
        elif token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.text == "*" and depth == 0:
            star = True
        elif token.kind == "var" and (depth == 0 or code[i - 1].name == "AS"):
            found.add(token.name)
    insert = code[after].start + len(code[after].text)
    return found, star, insert


_AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})


def _closing(code: list[Token], opening: int) -> int:
    """The index of the ``}`` that closes the ``{`` at ``code[opening]``."""
    depth = 0
    for i in range(opening, len(code)):
        if code[i].text == "{":
            depth += 1
        elif code[i].text == "}":
            depth -= 1
            if depth == 0:
                return i
    raise UnsupportedSparql("a { is never closed")


def set_based(text: str, name: str = "this") -> bool:
    """Whether a query gives, for each value of ``$name``, the solutions it gives with ``$name``
    pre-bound to that value (as SHACL-SPARQL binds ``$this``), when it is run once with ``?name``
    free; so a constraint can be checked for all focus nodes in one query.

    It does when ``?name`` is bound in every solution (it appears in a triple pattern of the
    WHERE clause itself, not only in an OPTIONAL, UNION, MINUS, FILTER or BIND), aggregates are
    grouped by ``?name`` (one group never mixes two values), and there is no LIMIT or OFFSET; and
    every subquery that mentions ``?name`` projects it and is set-based in the same way. Nothing
    may bind ``?name`` with AS.

    >>> set_based("SELECT $this (COUNT(?d) AS ?n) WHERE { $this <d> ?d } GROUP BY $this HAVING(?n > 5)")
    True
    >>> set_based("SELECT (COUNT(?d) AS ?n) WHERE { $this <d> ?d } HAVING(?n > 5)")  # one group
    False
    >>> set_based("SELECT $this WHERE { OPTIONAL { $this <d> ?d } } GROUP BY $this")
    False
    >>> set_based("SELECT $this ?n WHERE { $this <d> ?d { SELECT ?d (COUNT(*) AS ?n) "
    ...           "WHERE { ?d <e> ?e } GROUP BY ?d } }")
    True
    >>> set_based("SELECT $this ?n WHERE { { SELECT $this (COUNT(*) AS ?n) "
    ...           "WHERE { $this <e> ?e } GROUP BY $this } FILTER(?n > 1) }")
    True
    >>> set_based("SELECT $this ?n WHERE { $this <d> ?d { SELECT $this (COUNT(*) AS ?n) "
    ...           "WHERE { $this <e> ?e } } }")  # the subquery counts all nodes' ?e
    False
    """
    code = _code(text)
    if any(t.name == "AS" and n.kind == "var" and n.name == name for t, n in pairwise(code)):
        return False
    ok, bound = _set_based(code, _select_index(code), len(code), name, top=True)
    return ok and bound


def _set_based(
    code: list[Token], select: int, stop: int, name: str, *, top: bool = False
) -> tuple[bool, bool]:
    """Whether the (sub)query at ``code[select:stop]`` is set-based in ``?name`` (see
    :func:`set_based`), and whether it binds ``?name`` in every solution. A subquery must project
    ``?name``; the query itself need not (the focus nodes are projected when it is run)."""
    where = _where_index(code, select)
    end = _closing(code, where)
    mentions = any(t.kind == "var" and t.name == name for t in code[select:stop])
    if not mentions:
        return True, False
    bound, aggregates = False, False
    depth, parens, i = 0, 0, where + 1
    while i < end:
        token = code[i]
        if token.text == "{" and code[i + 1].name == "SELECT":  # a subquery
            closing = _closing(code, i)
            ok, binds = _set_based(code, i + 1, closing, name)
            if not ok:
                return False, False
            required = depth == 0 and code[i - 1].name not in (
                "OPTIONAL",
                "MINUS",
                "UNION",
                "GRAPH",
                "EXISTS",
            )
            bound = bound or (binds and required and code[closing + 1].name != "UNION")
            i = closing + 1
            continue
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif token.text == "(":
            parens += 1
        elif token.text == ")":
            parens -= 1
        elif token.kind == "var" and token.name == name and depth == 0 and parens == 0:
            bound = True
        i += 1
    projected, star, _ = projection("".join(f" {t.text}" for t in code[select:stop]))
    modifiers = code[end + 1 : stop]
    if any(t.name in ("LIMIT", "OFFSET") for t in modifiers if t.kind == "word"):
        return False, False
    grouped = any(t.name == "GROUP" and n.name == "BY" for t, n in pairwise(modifiers))
    aggregates = grouped or any(
        t.kind == "word" and t.name in _AGGREGATES | {"HAVING"} for t in [*code[select:where], *modifiers]
    )
    ok = (
        bound
        and (top or star or name in projected)
        and (not aggregates or (grouped and _groups_by(modifiers, name)))
    )
    return ok, bound


def _groups_by(tail: list[Token], name: str) -> bool:
    """Whether the GROUP BY of a query's tail lists the variable ``?name`` itself."""
    start = next(i for i, (t, n) in enumerate(pairwise(tail)) if t.name == "GROUP" and n.name == "BY") + 2
    parens = 0
    for token in tail[start:]:
        if token.kind == "word" and token.name in ("HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"):
            return False
        if token.text == "(":
            parens += 1
        elif token.text == ")":
            parens -= 1
        elif token.kind == "var" and token.name == name and parens == 0:
            return True
    return False
