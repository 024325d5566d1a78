"""Pictures of the graph, as SVG or PNG bytes: the cooperation network and the map of aid flows.

``network`` draws regions as dots and mechanisms and agreements as lines (arrows from provider to
recipient for aid), coloured by cooperation area; ``map`` draws the aid flows between regions at
their places. Both read the store (or any backend) through the catalogue query ``network-links``,
take a region by any name, code or IRI, and need matplotlib (``pip install 'coopkg[plot]'``),
imported only when a picture is drawn. The same graph gives the same bytes.

>>> from coopkg import resources
>>> from coopkg.ingest import load
>>> from coopkg.reference import Reference
>>> from coopkg.store import Store
>>> store, reference = Store(), Reference.bundled()
>>> _ = load(resources.example_path("tibet-expo-2023"), store, reference)
>>> network(store, reference=reference).startswith(b"<?xml")
True
>>> map(store, region="Liaoning", format="png", reference=reference)[:4]
b'\\x89PNG'

In a notebook: ``IPython.display.SVG(network(store))``, ``IPython.display.Image(map(store,
format="png"))``.
"""

from __future__ import annotations

from coopkg.pictures.canvas import FORMATS
from coopkg.pictures.map import map
from coopkg.pictures.network import network

__all__ = ["FORMATS", "map", "network"]
