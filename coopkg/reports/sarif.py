"""The SARIF 2.1.0 report, for code hosts, editors and CI systems that show findings beside the files.

Each problem is a result at its file and line; the rule is the SHACL shape that found it (its local
name), or ``loader`` for what the loader found. A sheet of a workbook is named in the message, as
SARIF locates files, not sheets.

>>> from coopkg.errors import Problem
>>> import json
>>> log = json.loads(render([Problem("events.csv", 4, "start_date", "x", "not a valid date")]))
>>> log["version"], log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
('2.1.0', {'startLine': 4})
"""

from __future__ import annotations

import json
import re
from typing import Any

from coopkg import __version__
from coopkg.errors import Problem, Severity
from coopkg.reports.text import ordered

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_SHEET = re.compile(r"^(?P<file>.+)\[(?P<sheet>[^\]]+)\]$")


def rule_id(problem: Problem) -> str:
    """The shape's local name (``AgreementShape-party``), or ``loader``."""
    if problem.source == "loader":
        return "loader"
    return re.split(r"[#/]", problem.source)[-1] or problem.source


def _result(p: Problem) -> dict[str, Any]:
    sheet = _SHEET.match(p.file)
    uri = sheet.group("file") if sheet else p.file
    text = p.format(severity=False)
    location: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": "DATASET"}}
    if p.line:
        location["region"] = {"startLine": p.line}
    properties = {k: v for k, v in (("field", p.field), ("value", p.value), ("hint", p.hint)) if v}
    if sheet:
        properties["sheet"] = sheet.group("sheet")
    if p.focus:
        properties["focusNode"] = p.focus
    return {
        "ruleId": rule_id(p),
        "level": _LEVELS[p.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": location}],
        "properties": properties,
    }


def render(problems: list[Problem]) -> str:
    found = ordered(problems)
    rules = sorted({rule_id(p): p.source for p in found}.items())
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "coopkg",
                        "version": __version__,
                        "informationUri": "https://w3id.org/coopkg",
                        "rules": [
                            {"id": rule, **({"helpUri": source} if source.startswith("http") else {})}
                            for rule, source in rules
                        ],
                    }
                },
                "originalUriBaseIds": {"DATASET": {"description": {"text": "the dataset folder"}}},
                "results": [_result(p) for p in found],
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=1)
