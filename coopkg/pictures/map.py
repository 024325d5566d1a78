"""The map of aid flows: regions at their places, an arrow from each provider to each recipient.

Grey dots behind are every Chinese division the reference data place (for orientation, in place
of borders, which coopkg does not ship). The axes are longitude and latitude, scaled so that a
degree of longitude is as long as it is at the map's middle latitude. Regions without a point
(other countries' divisions) are named under the map.

>>> from coopkg import resources
>>> from coopkg.ingest import load
>>> from coopkg.reference import Reference
>>> from coopkg.store import Store
>>> store, reference = Store(), Reference.bundled()
>>> _ = load(resources.example_path("tibet-expo-2023"), store, reference)
>>> svg = map(store, reference=reference)
>>> svg.count(b'<g id="link-'), b">Liaoning</text>" in svg, b">Nagqu</text>" in svg
(1, True, True)
"""

from __future__ import annotations

import math

from coopkg.backend import Backend
from coopkg.pictures.canvas import (
    FAINT,
    INK,
    area_colours,
    caption,
    check_format,
    count,
    figure,
    legend,
    save,
)
from coopkg.pictures.graph import Graph, area_names, fetch
from coopkg.pictures.marks import below, degrees, dot_size, draw_links, draw_regions, named
from coopkg.pictures.network import area_entries
from coopkg.pictures.places import CREDIT, points
from coopkg.reference import Reference
from coopkg.store import Store

BEND = 0.2  # flows bend, so that flows both ways between two regions do not overlap


def map(
    place: Store | Backend,
    *,
    region: str | None = None,
    format: str = "svg",
    reference: Reference | None = None,
) -> bytes:
    """The map of the store's aid flows (or of those from or to one region) as SVG or PNG bytes."""
    check_format(format)
    reference = reference or Reference.bundled()
    graph = fetch(place, reference, region=region)
    return draw(graph, format=format, reference=reference)


def _degree_label(value: float, east: str, west: str) -> str:
    return f"{abs(value):g}°{east if value >= 0 else west}"


def draw(graph: Graph, *, format: str, reference: Reference) -> bytes:
    """The map of a graph already fetched: only its aid flows are drawn."""
    flows = [link for link in graph.links if link.directed]
    ends = {iri for link in flows for iri in (link.source, link.target)}
    if graph.focus is not None:
        ends.add(graph.focus.iri)
    regions = [r for iri, r in graph.regions.items() if iri in ends]
    if graph.focus is not None and graph.focus.iri not in graph.regions:
        regions.append(graph.focus)
    everywhere = points()
    spots = {r.iri: everywhere[r.iri] for r in regions if r.iri in everywhere}
    unplaced = sorted(r.name for r in regions if r.iri not in everywhere)
    degree = degrees(flows)
    sizes = {r.iri: dot_size(degree[r.iri], len(regions)) for r in regions}
    colours = area_colours(reference.notations("area"))
    longitudes = [x for x, _ in [*everywhere.values(), *spots.values()]]
    latitudes = [y for _, y in [*everywhere.values(), *spots.values()]]
    title = "Aid flows" + (f" of {graph.focus.name}" if graph.focus else "")
    subtitle = (
        f"{count(len(flows), 'aid flow')} (mechanisms, from provider to recipient) between "
        f"{count(len(regions), 'region')}; colour: cooperation area"
    )
    note = CREDIT
    if unplaced:
        shown = ", ".join(unplaced[:8]) + (f" and {len(unplaced) - 8} more" if len(unplaced) > 8 else "")
        note = f"Not on the map (no point known): {shown}. " + note
    with figure("coopkg-map") as fig:
        ax = fig.add_axes((0.07, 0.09, 0.66, 0.8))
        ax.set_xlim(min(longitudes) - 2, max(longitudes) + 2)
        ax.set_ylim(min(latitudes) - 2, max(latitudes) + 2)
        middle = (min(latitudes) + max(latitudes)) / 2
        ax.set_aspect(1 / math.cos(math.radians(middle)), adjustable="box")
        ax.grid(color="#eeeeee", linewidth=0.6, zorder=0)
        ax.tick_params(colors="#777777", labelsize=7, length=0)
        ax.xaxis.set_major_formatter(lambda value, _: _degree_label(value, "E", "W"))
        ax.yaxis.set_major_formatter(lambda value, _: _degree_label(value, "N", "S"))
        backdrop = ax.scatter(
            [x for x, _ in everywhere.values()],
            [y for _, y in everywhere.values()],
            s=4,
            color=FAINT,
            linewidths=0,
            zorder=0.5,
        )
        backdrop.set_gid("divisions")
        titles = draw_links(ax, flows, spots, graph.regions, colours=colours, sizes=sizes, bend=BEND)
        titles |= draw_regions(
            ax,
            regions,
            spots,
            degree=degree,
            sizes=sizes,
            labelled=named(regions, degree, graph.focus),
            under=below(flows, spots),
            focus=graph.focus,
        )
        if not flows:
            where = f" from or to {graph.focus.name}" if graph.focus else " in the store"
            ax.text(0.5, 0.5, f"no aid flows{where}", transform=ax.transAxes, ha="center", color=INK)
        caption(fig, title, subtitle, note)
        entries = [("aid: provider → recipient", INK, "arrow")] if flows else []
        entries += area_entries(flows, colours, area_names(reference))
        entries.append(("a division of China", FAINT, "dot"))
        legend(fig, entries, heading="aid flows")
        return save(fig, format, title=title, titles=titles)
