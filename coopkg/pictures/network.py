"""The cooperation network: regions as dots, mechanisms and agreements as lines between them.

An aid mechanism is an arrow from its provider to its recipient; other mechanisms and agreements
are lines (the data give them no direction). Each link has the colour of its cooperation area
(dark grey for several, light grey for none); links between the same two regions fan out.

>>> from coopkg import resources
>>> from coopkg.ingest import load
>>> from coopkg.reference import Reference
>>> from coopkg.store import Store
>>> store, reference = Store(), Reference.bundled()
>>> _ = load(resources.example_path("tibet-expo-2023"), store, reference)
>>> svg = network(store, reference=reference)
>>> svg.count(b'<g id="link-'), svg.count(b'<g id="region-')
(2, 2)
>>> network(store, region="Nagchu", format="png", reference=reference)[:8]
b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

from collections import Counter

from coopkg.backend import Backend
from coopkg.pictures.canvas import (
    INK,
    NO_AREA,
    SEVERAL_AREAS,
    area_colours,
    caption,
    check_format,
    count,
    figure,
    legend,
    save,
)
from coopkg.pictures.graph import Graph, Link, area_names, fetch
from coopkg.pictures.layout import positions
from coopkg.pictures.marks import below, degrees, dot_size, draw_links, draw_regions, named
from coopkg.reference import Reference
from coopkg.store import Store

MARGIN = 1.15  # the layout fills [-1, 1]²; room for the names around it


def network(
    place: Store | Backend,
    *,
    region: str | None = None,
    format: str = "svg",
    reference: Reference | None = None,
) -> bytes:
    """The cooperation network of the store (or of one region, named any way or by IRI) as SVG or
    PNG bytes."""
    check_format(format)
    reference = reference or Reference.bundled()
    graph = fetch(place, reference, region=region)
    return draw(graph, format=format, reference=reference)


def _weights(links: list[Link]) -> dict[tuple[str, str], float]:
    weights: Counter[tuple[str, str]] = Counter()
    for link in links:
        a, b = sorted((link.source, link.target))
        weights[(a, b)] += 1
    return {pair: float(count) for pair, count in weights.items()}


def draw(graph: Graph, *, format: str, reference: Reference) -> bytes:
    """The picture of a graph already fetched."""
    regions = list(graph.regions.values())
    degree = degrees(graph.links)
    sizes = {r.iri: dot_size(degree[r.iri], len(regions)) for r in regions}
    spots = positions([r.iri for r in regions], _weights(graph.links))
    colours = area_colours(reference.notations("area"))
    names = area_names(reference)
    title = "Cooperation network" + (f" of {graph.focus.name}" if graph.focus else "")
    flows = sum(link.directed for link in graph.links)
    subtitle = (
        f"{count(len(regions), 'region')}, {count(len(graph.links), 'link')} (mechanisms and "
        f"agreements), {count(flows, 'aid flow')} from provider to recipient; colour: cooperation area"
    )
    with figure("coopkg-network") as fig:
        ax = fig.add_axes((0.02, 0.06, 0.71, 0.84))
        ax.set_axis_off()
        ax.set_xlim(-MARGIN, MARGIN)
        ax.set_ylim(-MARGIN, MARGIN)
        titles = draw_links(ax, graph.links, spots, graph.regions, colours=colours, sizes=sizes)
        titles |= draw_regions(
            ax,
            regions,
            spots,
            degree=degree,
            sizes=sizes,
            labelled=named(regions, degree, graph.focus),
            under=below(graph.links, spots),
            focus=graph.focus,
        )
        if not graph.links:
            where = f" of {graph.focus.name}" if graph.focus else " in the store"
            ax.text(0, 0, f"no mechanisms or agreements{where}", ha="center", va="center", color=INK)
        caption(fig, title, subtitle)
        legend(fig, _legend_entries(graph.links, colours, names), heading="links")
        return save(fig, format, title=title, titles=titles)


def _legend_entries(
    links: list[Link], colours: dict[str, str], names: dict[str, str]
) -> list[tuple[str, str, str]]:
    entries = []
    if any(link.directed for link in links):
        entries.append(("aid: provider → recipient", INK, "arrow"))
    if any(not link.directed for link in links):
        entries.append(("shared mechanism or agreement", INK, "line"))
    entries += area_entries(links, colours, names)
    return entries


def area_entries(
    links: list[Link], colours: dict[str, str], names: dict[str, str]
) -> list[tuple[str, str, str]]:
    """Legend entries for the areas the links have, in the order of their notations."""
    single = sorted({link.areas[0] for link in links if len(link.areas) == 1})
    entries = [(names.get(n, n), colours.get(n, NO_AREA), "line") for n in single]
    if any(len(link.areas) > 1 for link in links):
        entries.append(("several areas", SEVERAL_AREAS, "line"))
    if any(not link.areas for link in links):
        entries.append(("no area given", NO_AREA, "line"))
    return entries
