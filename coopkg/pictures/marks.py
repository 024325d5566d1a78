"""The marks both pictures draw: links as lines or arrows, regions as dots with their names.

Each link is one ``<g id="link-N">`` of the SVG and each region one ``<g id="region-N">``; the
titles returned here become their tooltips (English and Chinese names, the link's name and areas).

>>> from coopkg.pictures.graph import Link
>>> def link(source, target):
...     return Link("l", "mechanism", "", "provider-recipient", source, target, (), "")
>>> bends([link("a", "b"), link("a", "b"), link("b", "a"), link("a", "c")], bend=0.0)
[-0.15, 0.0, -0.15, 0.0]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from coopkg.pictures.canvas import DPI, INK, count, link_colour
from coopkg.pictures.graph import Link, Region

if TYPE_CHECKING:
    from matplotlib.axes import Axes

DETAILED = 300  # up to this many links or regions, each is an SVG group with a tooltip
HEAD = (7.0, 2.5)  # length and half width, in pixels, of an arrowhead in a crowd
FOCUS = "#c0392b"  # the region asked about
STEP = 0.15  # how much more each further link between the same two regions bends
LABEL_ALL = 40  # up to this many regions, every one is named; beyond, the most linked ones
LABEL_SOME = 15


def bends(links: Sequence[Link], *, bend: float) -> list[float]:
    """How much each link bends (matplotlib's arc3 ``rad``): links between the same two regions
    fan out around ``bend``, whichever way they point."""
    seen: Counter[tuple[str, str]] = Counter()
    total = Counter(tuple(sorted((link.source, link.target))) for link in links)
    result = []
    for link in links:
        pair = (link.source, link.target) if link.source < link.target else (link.target, link.source)
        order = seen[pair]
        seen[pair] += 1
        rad = bend + STEP * (order - (total[pair] - 1) / 2)
        # arc3 bends to the left of the way the link points: keep one side for the pair
        result.append(round(rad if pair == (link.source, link.target) else -rad, 6))
    return result


def degrees(links: Sequence[Link]) -> Counter[str]:
    """How many links each region has."""
    count: Counter[str] = Counter()
    for link in links:
        count[link.source] += 1
        count[link.target] += 1
    return count


def dot_size(degree: int, crowd: int) -> float:
    """A dot's area in points², larger with more links, smaller in a crowd."""
    base = 60.0 if crowd <= LABEL_ALL else 14.0
    return base + (8.0 if crowd <= LABEL_ALL else 3.0) * degree


def named(regions: Sequence[Region], degree: Counter[str], focus: Region | None) -> set[str]:
    """The regions whose names are written: all of few, else the most linked and the focus."""
    if len(regions) <= LABEL_ALL:
        return {r.iri for r in regions}
    ranked = sorted(regions, key=lambda r: (-degree[r.iri], r.name, r.iri))
    chosen = {r.iri for r in ranked[:LABEL_SOME]}
    if focus is not None:
        chosen.add(focus.iri)
    return chosen


def _radius(size: float) -> float:
    """A dot's radius in pixels at the canvas's resolution, plus a gap."""
    return math.sqrt(size) / 2 * DPI / 72 + 2


def _ends(
    ax: Axes, start: tuple[float, float], end: tuple[float, float], rad: float, gaps: tuple[float, float]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The ends of a link from ``start`` to ``end`` (data coordinates) moved off the two dots, along
    the arc matplotlib's arc3 draws with ``rad``; cheaper than FancyArrowPatch's own shrinking."""
    (ax0, ay0), (bx0, by0) = ax.transData.transform([start, end])
    dx, dy = bx0 - ax0, by0 - ay0
    if math.hypot(dx, dy) <= gaps[0] + gaps[1]:
        return start, end
    cx, cy = (ax0 + bx0) / 2 + rad * dy, (ay0 + by0) / 2 - rad * dx
    moved = []
    for (x, y), gap in (((ax0, ay0), gaps[0]), ((bx0, by0), gaps[1])):
        length = math.hypot(cx - x, cy - y) or 1.0
        moved.append((x + (cx - x) / length * gap, y + (cy - y) / length * gap))
    (sx, sy), (ex, ey) = ax.transData.inverted().transform(moved)
    return (float(sx), float(sy)), (float(ex), float(ey))


def draw_links(
    ax: Axes,
    links: Sequence[Link],
    spots: dict[str, tuple[float, float]],
    regions: dict[str, Region],
    *,
    colours: dict[str, str],
    sizes: dict[str, float],
    bend: float = 0.0,
) -> dict[str, str]:
    """Draw the links whose two ends have a spot; return the tooltip of each by its group id.

    Up to DETAILED links, each is an arrow (or line) of its own, with a tooltip; beyond, they are
    straight and drawn as one layer, which is many times faster to draw and to view."""
    shown = [(n, link) for n, link in enumerate(links) if link.source in spots and link.target in spots]
    if len(shown) > DETAILED:
        _draw_crowd(ax, [link for _, link in shown], spots, colours=colours, sizes=sizes)
        return {}
    from matplotlib.patches import FancyArrowPatch

    titles = {}
    rads = bends([link for _, link in shown], bend=bend)
    for (number, link), rad in zip(shown, rads, strict=True):
        start, end = _ends(
            ax,
            spots[link.source],
            spots[link.target],
            rad,
            (_radius(sizes[link.source]), _radius(sizes[link.target])),
        )
        patch = FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>,head_length=0.7,head_width=0.3" if link.directed else "-",
            mutation_scale=14,
            connectionstyle=f"arc3,rad={rad}",
            color=link_colour(link.areas, colours),
            linewidth=1.5,
            alpha=0.9,
            shrinkA=0,
            shrinkB=0,
            zorder=1,
        )
        patch.set_gid(f"link-{number}")
        ax.add_artist(patch)
        arrow = "→" if link.directed else "\u2013"  # an en dash
        source, target = regions[link.source], regions[link.target]
        areas = f"; {link.area_names}" if link.area_names else ""
        titles[f"link-{number}"] = (
            f"{source.caption()} {arrow} {target.caption()}: {link.name or link.iri} ({link.kind}{areas})"
        )
    return titles


def _draw_crowd(
    ax: Axes,
    links: Sequence[Link],
    spots: dict[str, tuple[float, float]],
    *,
    colours: dict[str, str],
    sizes: dict[str, float],
) -> None:
    """Many links as one layer of straight lines, with a small head on the aid flows."""
    from matplotlib.collections import LineCollection, PolyCollection

    segments, heads, line_colours, head_colours = [], [], [], []
    back = ax.transData.inverted()
    for link in links:
        start, end = _ends(
            ax,
            spots[link.source],
            spots[link.target],
            0.0,
            (_radius(sizes[link.source]), _radius(sizes[link.target])),
        )
        colour = link_colour(link.areas, colours)
        segments.append([start, end])
        line_colours.append(colour)
        if link.directed:
            (sx, sy), (ex, ey) = ax.transData.transform([start, end])
            length = math.hypot(ex - sx, ey - sy) or 1.0
            ux, uy = (ex - sx) / length, (ey - sy) / length
            bx, by = ex - ux * HEAD[0], ey - uy * HEAD[0]
            corners = [
                (ex, ey),
                (bx - uy * HEAD[1], by + ux * HEAD[1]),
                (bx + uy * HEAD[1], by - ux * HEAD[1]),
            ]
            heads.append([(float(x), float(y)) for x, y in back.transform(corners)])
            head_colours.append(colour)
    lines = LineCollection(segments, colors=line_colours, linewidths=0.5, alpha=0.5, zorder=1)
    lines.set_gid("links")
    ax.add_collection(lines, autolim=False)
    if heads:
        tips = PolyCollection(heads, facecolors=head_colours, edgecolors="none", alpha=0.7, zorder=1)
        tips.set_gid("aid-heads")
        ax.add_collection(tips, autolim=False)


def below(links: Sequence[Link], spots: dict[str, tuple[float, float]]) -> set[str]:
    """The regions whose partners lie mostly above them: their names go below the dot, away from
    the links that arrive.

    >>> from coopkg.pictures.graph import Link
    >>> below([Link("l", "agreement", "", "parties", "a", "b", (), "")], {"a": (0, 0), "b": (1, 1)})
    {'a'}
    """
    pull: dict[str, float] = {}
    for link in links:
        if link.source in spots and link.target in spots:
            rise = spots[link.target][1] - spots[link.source][1]
            pull[link.source] = pull.get(link.source, 0.0) + rise
            pull[link.target] = pull.get(link.target, 0.0) - rise
    return {iri for iri, rise in pull.items() if rise > 0}


def draw_regions(
    ax: Axes,
    regions: Sequence[Region],
    spots: dict[str, tuple[float, float]],
    *,
    degree: Counter[str],
    sizes: dict[str, float],
    labelled: set[str],
    under: Collection[str] = (),
    focus: Region | None = None,
) -> dict[str, str]:
    """Draw the regions that have a spot, as dots, named where chosen; return their tooltips.

    Up to DETAILED regions, each dot is a group of its own, with a tooltip; beyond, one layer."""
    placed = [(n, r) for n, r in enumerate(regions) if r.iri in spots]
    titles = {}

    def colour(region: Region) -> str:
        return FOCUS if focus is not None and region.iri == focus.iri else INK

    if len(placed) > DETAILED:
        dots = ax.scatter(
            [spots[r.iri][0] for _, r in placed],
            [spots[r.iri][1] for _, r in placed],
            s=[sizes[r.iri] for _, r in placed],
            c=[colour(r) for _, r in placed],
            edgecolors="white",
            linewidths=0.5,
            zorder=3,
        )
        dots.set_gid("regions")
    for number, region in placed if len(placed) <= DETAILED else []:
        x, y = spots[region.iri]
        dot = ax.scatter(
            [x], [y], s=sizes[region.iri], color=colour(region), edgecolors="white", linewidths=0.8, zorder=3
        )
        dot.set_gid(f"region-{number}")
        titles[f"region-{number}"] = f"{region.caption()}: {count(degree[region.iri], 'link')}"
    crowd = len(regions) > LABEL_ALL
    for _, region in placed:
        if region.iri not in labelled:
            continue
        down = region.iri in under
        gap = math.sqrt(sizes[region.iri]) / 2 + 2
        ax.annotate(
            region.name,
            spots[region.iri],
            xytext=(0, -gap if down else gap),
            textcoords="offset points",
            ha="center",
            va="top" if down else "bottom",
            fontsize=7 if crowd else 9,
            color=colour(region) if crowd else INK,
            zorder=4,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75},
        )
    return titles
