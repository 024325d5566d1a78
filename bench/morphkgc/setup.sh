#!/bin/sh
# Morph-KGC in its own venv, bench/.venv-morphkgc: it pins pyoxigraph < 0.4 and rdflib < 7.3, which
# coopkg's venv does not have. Idempotent: does nothing when the pinned versions are installed.
# Morph-KGC has no Oxigraph extra: pyoxigraph is a core dependency (materialize_oxigraph).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
venv="$(dirname "$here")/.venv-morphkgc"
python=${PYTHON:-python3}
if "$venv/bin/python" -m pip freeze 2>/dev/null | LC_ALL=C sort | diff -q - "$here/requirements.txt" >/dev/null; then
    echo "$venv is up to date"
    exit 0
fi
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
echo "$venv: $("$venv/bin/python" -m morph_kgc --version 2>/dev/null || echo morph-kgc) ready"
