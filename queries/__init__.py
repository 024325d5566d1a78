"""The query catalogue: named SPARQL queries with a header (package data).

Each ``NAME.rq`` starts with comment lines: ``# title:``, ``# description:``, one ``# param:`` per
parameter (``name (type[, optional | , default VALUE]): text``) and ``# example:``, a call that
answers on the bundled example. Parameters are bound by a ``VALUES`` block put at the start of the
``WHERE`` clause (:meth:`coopkg.catalogue.CatalogueQuery.bind`), never written into the text.

The same text runs on the embedded store, on ``oxigraph serve``, on Virtuoso 7 and, in the
benchmark, on rdflib; ``tests/test_endpoints.py`` checks that the answers agree. What that takes:

- Start from the bound parameter with plain patterns or paths (``?link coop:party ?region``), so
  that the store follows links from it; a ``UNION``'s branches and a group inside an ``OPTIONAL``
  are evaluated over the whole graph by Oxigraph 0.5. One pattern or path per ``OPTIONAL``.
- No ``*`` or ``+`` path from a bound end: Virtuoso 7 follows it only to length zero. Write the
  hops out, or follow a closure the store keeps (``coop:withinRegion``).
- ``GROUP_CONCAT(DISTINCT COALESCE(?x, ""); …)`` over an ``OPTIONAL`` variable: over a group where
  it is never bound, Oxigraph gives no value, Virtuoso an empty string and rdflib an error.
- No ``SERVICE``, no ``FROM`` of anything but the store's graphs.

A query rewritten for speed keeps its former text in ``tests/fixtures/naive-queries/``, and
``tests/test_summary.py`` checks that both give the same rows.
"""
