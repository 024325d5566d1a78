"""Documents of records with a ``kind``: JSON (an array), JSON Lines (one object a line) and YAML (a list).

Each record's line is where its object starts:

>>> text = "- kind: event\\n  id: expo-1\\n  start_date: 2024-01-01\\n- kind: event\\n  id: expo-2\\n"
>>> [(r.line, r.values) for r in read_yaml(text, "events.yaml", [])]
[(1, {'id': ['expo-1'], 'start_date': ['2024-01-01']}), (4, {'id': ['expo-2']})]

YAML is read with PyYAML's safe loader only; anchors and aliases (``&a``, ``*a``), which can make a
small file expand without bound, are refused:

>>> problems = []
>>> read_yaml("- &a {kind: event, id: e1}\\n- *a\\n", "events.yaml", problems)
[]
>>> print(problems[0])
events.yaml:2: anchors and aliases (&name, *name) are not accepted in record files (write each record out)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from coopkg.errors import Problem
from coopkg.loaders.rows import Record, record_from_object

__all__ = ["read_json", "read_jsonl", "read_yaml"]


def _empty(name: str) -> Problem:
    return Problem(name, 1, None, None, "empty file", hint="add records, or remove the file")


def read_json(text: str, name: str, problems: list[Problem]) -> Iterator[Record]:
    """A JSON array of objects; each record's line is where its object starts."""
    if not text.strip():
        problems.append(_empty(name))
        return
    decoder = json.JSONDecoder()
    pos = len(text) - len(text.lstrip())
    if not text.startswith("[", pos):
        problems.append(Problem(name, 1, None, None, "a JSON record file holds an array of objects"))
        return
    pos += 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return
        line = text.count("\n", 0, pos) + 1
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, exc.lineno, None, None, f"not valid JSON: {exc.msg}"))
            return
        except RecursionError:
            problems.append(Problem(name, line, None, None, "not valid JSON: nested too deeply"))
            return
        record = record_from_object(obj, name, line, problems, what="a JSON object")
        if record:
            yield record


def read_jsonl(text: str, name: str, problems: list[Problem]) -> Iterator[Record]:
    """JSON Lines: one object a line; blank lines are skipped."""
    if not text.strip():
        problems.append(_empty(name))
        return
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, number, None, None, f"not valid JSON: {exc.msg}"))
            continue
        except RecursionError:
            problems.append(Problem(name, number, None, None, "not valid JSON: nested too deeply"))
            continue
        record = record_from_object(obj, name, number, problems, what="a JSON object")
        if record:
            yield record


def _yaml() -> Any:
    import yaml  # type: ignore[import-untyped, unused-ignore]

    return yaml


def _alias(node: Any, yaml: Any) -> Any:
    """The first node met twice in a composed YAML document (an alias of an anchored node), if any."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            return current
        seen.add(id(current))
        if isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
        elif isinstance(current, yaml.MappingNode):
            for key, value in reversed(current.value):
                stack.extend((value, key))
    return None


def read_yaml(text: str, name: str, problems: list[Problem]) -> list[Record]:
    """A YAML list of objects, read with the safe loader; each record's line is where its item starts."""
    yaml = _yaml()
    if not text.strip():
        problems.append(_empty(name))
        return []
    loader = yaml.SafeLoader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            problems.append(Problem(name, line, None, None, f"not valid YAML: {exc.problem or exc}"))
            return []
        except yaml.YAMLError as exc:
            problems.append(Problem(name, None, None, None, f"not valid YAML: {exc}"))
            return []
        except RecursionError:
            problems.append(Problem(name, None, None, None, "not valid YAML: nested too deeply"))
            return []
        if root is None:
            problems.append(_empty(name))
            return []
        alias = _alias(root, yaml)
        if alias is not None:
            # the alias itself has no node of its own: report the line of the second occurrence
            problems.append(
                Problem(
                    name,
                    _alias_line(text, yaml) or alias.start_mark.line + 1,
                    None,
                    None,
                    "anchors and aliases (&name, *name) are not accepted in record files",
                    hint="write each record out",
                )
            )
            return []
        if not isinstance(root, yaml.SequenceNode):
            problems.append(
                Problem(
                    name,
                    root.start_mark.line + 1,
                    None,
                    None,
                    "a YAML record file holds a list of objects",
                    hint="start each record with '- kind: …'",
                )
            )
            return []
        records: list[Record] = []
        for item in root.value:
            line = item.start_mark.line + 1
            try:
                obj = loader.construct_object(item, deep=True)
            except yaml.YAMLError as exc:
                problems.append(Problem(name, line, None, None, f"not valid YAML: {exc}"))
                continue
            record = record_from_object(obj, name, line, problems, what="a YAML mapping (key: value)")
            if record:
                records.append(record)
        return records
    finally:
        loader.dispose()


def _alias_line(text: str, yaml: Any) -> int | None:
    """The line of the first alias (``*name``) of a YAML text."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                return int(event.start_mark.line) + 1
    except yaml.YAMLError:
        return None
    return None
