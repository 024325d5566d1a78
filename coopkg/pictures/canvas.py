"""Drawing with matplotlib, without pyplot and without changing matplotlib's global settings.

matplotlib is imported only when a picture is drawn (it is the optional extra ``coopkg[plot]``);
every picture is a :class:`~matplotlib.figure.Figure` of a fixed size on the Agg canvas, drawn
inside :func:`matplotlib.rc_context` with coopkg's style, so that the same graph gives the same
bytes: a fixed SVG hash salt, no dates or version numbers in the metadata, fonts that ship with
matplotlib (DejaVu Sans). SVG text stays text (``svg.fonttype: none``), so that labels can be
searched and read aloud, and every link and region is a ``<g>`` with an id and a ``<title>``.

>>> check_format("gif")
Traceback (most recent call last):
...
coopkg.errors.CoopkgError: unknown picture format 'gif': use svg or png
>>> area_colours(["culture", "tourism"])["tourism"]
'#ff7f0e'
"""

from __future__ import annotations

import contextlib
import io
import re
import textwrap
from collections.abc import Iterator, Sequence
from html import escape
from typing import TYPE_CHECKING, Any, Literal

from coopkg.errors import CoopkgError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = ("svg", "png")
WIDTH, HEIGHT, DPI = 10.0, 7.5, 100  # inches, dots per inch: PNGs of 1000 x 750 pixels

# matplotlib's "tab10" colours without its grey, then darker ones of "tab20b" and "tab20c": strong
# colours for the cooperation areas, in the order of their notations
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
    "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#e6550d", "#31a354",
)  # fmt: skip
SEVERAL_AREAS, NO_AREA = "#222222", "#999999"
INK, FAINT = "#333333", "#d0d0d0"

_DOCTYPE = re.compile(r"<!DOCTYPE svg[^>]*>\n?")
_GROUP = re.compile(r'<g id="((?:link|region)-[0-9]+)">')


def count(number: int, noun: str) -> str:
    """``1 region``, ``2 regions``."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def check_format(format: str) -> None:
    if format not in FORMATS:
        raise CoopkgError(f"unknown picture format {format!r}: use {' or '.join(FORMATS)}")


def area_colours(notations: Sequence[str]) -> dict[str, str]:
    """A colour for each cooperation area, by its place among the notations given (sorted)."""
    return {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(sorted(notations))}


def link_colour(areas: Sequence[str], colours: dict[str, str]) -> str:
    if len(areas) == 1:
        return colours.get(areas[0], NO_AREA)
    return SEVERAL_AREAS if areas else NO_AREA


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError as exc:
        raise CoopkgError(
            "pictures need matplotlib, which is not installed: pip install 'coopkg[plot]'"
        ) from exc
    return matplotlib


def style(salt: str) -> dict[str, object]:
    """The matplotlib settings of every picture; ``salt`` keeps ids apart between kinds of picture."""
    return {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "svg.fonttype": "none",
        "svg.hashsalt": salt,
        "svg.id": salt,
        "path.simplify": True,
        "axes.edgecolor": FAINT,
    }


@contextlib.contextmanager
def figure(salt: str) -> Iterator[Figure]:
    """A new figure on the Agg canvas, with coopkg's style in force until the block ends."""
    matplotlib = _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(style(salt)):
        fig = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, facecolor="white")
        FigureCanvasAgg(fig)
        yield fig


def save(fig: Figure, format: str, *, title: str, titles: dict[str, str]) -> bytes:
    """The figure as SVG or PNG bytes; ``titles`` become the ``<title>`` of the SVG groups by id."""
    buffer = io.BytesIO()
    if format == "png":
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None, "Title": title})
        return buffer.getvalue()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Title": title})
    text = _DOCTYPE.sub("", buffer.getvalue().decode("utf-8"), count=1)

    def titled(match: re.Match[str]) -> str:
        name = titles.get(match.group(1))
        return match.group(0) + (f"\n   <title>{escape(name, quote=False)}</title>" if name else "")

    return _GROUP.sub(titled, text).encode("utf-8")


def legend(fig: Figure, entries: list[tuple[str, str, str]], *, heading: str) -> None:
    """A legend at the right of the figure: (label, colour, kind) with kind "line", "arrow" or "dot"."""
    from matplotlib.lines import Line2D

    handles = []
    for label, colour, kind in entries:
        marker = {"arrow": ">", "dot": "o"}.get(kind, "")
        line: Literal["", "-"] = "" if kind == "dot" else "-"
        handles.append(
            Line2D(
                [],
                [],
                color=colour,
                marker=marker,
                linestyle=line,
                markersize=6,
                lw=1.6,
                label="\n".join(textwrap.wrap(label, 30)),
            )
        )
    if handles:
        fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.745, 0.9),
            frameon=False,
            title=heading,
            alignment="left",
            fontsize=8,
            title_fontsize=9,
        )


def caption(fig: Figure, title: str, subtitle: str, note: str = "") -> None:
    fig.text(0.02, 0.965, title, fontsize=13, color=INK, va="top", fontweight="bold")
    fig.text(0.02, 0.925, subtitle, fontsize=9, color=INK, va="top")
    if note:
        fig.text(0.02, 0.015, note, fontsize=7, color="#666666", va="bottom", wrap=True)
