"""Named SPARQL endpoints in a configuration file, so that ``--endpoint NAME`` is enough.

The file is ``$COOPKG_CONFIG``, else ``coopkg.toml`` in the working folder, else
``~/.config/coopkg/config.toml`` (``$XDG_CONFIG_HOME``). Credentials never go in it: they come
from ``$COOPKG_ENDPOINT_USER`` and ``$COOPKG_ENDPOINT_PASSWORD``.

.. code-block:: toml

    [endpoints.institute]
    query = "https://sparql.example.org/sparql"
    update = "https://sparql.example.org/sparql-auth"
    graph-store = "https://sparql.example.org/sparql-graph-crud-auth"
    auth = "digest"      # or basic (the default)
    timeout = 120        # seconds (default 60)
    max-rows = 10000     # the server's row cap, when it does not announce it

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "coopkg.toml").write_text('[endpoints.local]\\nquery = "http://127.0.0.1:7878/query"\\n')
>>> endpoint_config("local", path=folder / "coopkg.toml").query
'http://127.0.0.1:7878/query'
>>> endpoint_config("http://127.0.0.1:8890/sparql", timeout=5).timeout
5.0
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from coopkg.endpoint import EndpointConfig
from coopkg.errors import CoopkgError

ENV_CONFIG = "COOPKG_CONFIG"

_KEYS = {
    "query": "query",
    "update": "update",
    "graph-store": "graph_store",
    "timeout": "timeout",
    "auth": "auth",
    "retries": "retries",
    "max-rows": "max_rows",
}


def config_path() -> Path | None:
    """The configuration file in use, or None when there is none."""
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG])
    local = Path("coopkg.toml")
    if local.is_file():
        return local
    home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    user = home / "coopkg" / "config.toml"
    return user if user.is_file() else None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except OSError as exc:
        raise CoopkgError(f"cannot read the configuration file {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CoopkgError(f"{path}: not valid TOML: {exc}") from exc


def endpoint_config(
    endpoint: str,
    *,
    update: str | None = None,
    graph_store: str | None = None,
    timeout: float | None = None,
    path: Path | None = None,
) -> EndpointConfig:
    """An endpoint by URL, or by its name in the configuration file; options given win."""
    options: dict[str, Any] = {}
    if "://" not in endpoint:
        path = path or config_path()
        if path is None:
            raise CoopkgError(
                f"--endpoint {endpoint}: not a URL, and there is no configuration file to name it "
                f"(${ENV_CONFIG}, ./coopkg.toml or ~/.config/coopkg/config.toml)"
            )
        endpoints = _read(path).get("endpoints", {})
        if endpoint not in endpoints:
            known = ", ".join(sorted(endpoints)) or "none"
            raise CoopkgError(f"{path}: no [endpoints.{endpoint}] section (endpoints there: {known})")
        for key, value in endpoints[endpoint].items():
            if key not in _KEYS:
                raise CoopkgError(
                    f"{path}: [endpoints.{endpoint}] {key}: unknown key; the keys are {', '.join(_KEYS)}"
                )
            options[_KEYS[key]] = value
        if "query" not in options:
            raise CoopkgError(f'{path}: [endpoints.{endpoint}] needs query = "URL"')
    else:
        options["query"] = endpoint
    for key, value in (("update", update), ("graph_store", graph_store), ("timeout", timeout)):
        if value is not None:
            options[key] = value
    if "timeout" in options:
        options["timeout"] = float(options["timeout"])
    try:
        return EndpointConfig(**options)
    except TypeError as exc:
        raise CoopkgError(f"endpoint {endpoint}: {exc}") from exc
