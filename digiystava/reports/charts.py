"""Outcome charts: digital skills before and after the course, rendered to PNG, SVG or a PDF's pixels.

Charts are built as ``matplotlib.figure.Figure`` objects and never through pyplot, whose
global figure registry leaks memory in a server and is not thread-safe. matplotlib is
imported inside the functions so that importing this module stays cheap.

Figures are 16 cm wide, the width they take in an A4 report, so a point in the chart is
a point on paper. Every series differs in lightness and hatching as well as hue, so the
charts survive black-and-white printing and colour-vision deficiencies.

``ChartCache`` keeps rendered charts, keyed by everything that shapes them, so a report
asked for twice is not drawn twice.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from pdf_templates.chart_raster import ChartRaster

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "CHART_BUILDERS",
    "ChartCache",
    "before_after_bars",
    "change_across_groups",
    "chart_cache",
    "level_distribution",
    "render_png",
    "render_raster",
    "render_svg",
]

WIDTH_IN = 16 / 2.54
TITLE_PT = 13.0
LABEL_PT = 10.0
TICK_PT = 9.5
VALUE_PT = 9.0
INK = "#000000"
MISSING = "–"  # "no answers" is not the same as level 0, so it is never drawn as a zero bar
_WRAP = 34  # characters per line of a skill label; the longest skill takes two lines
_TITLE_WRAP = 62

# Savefig and rcParams are process-wide state: one render at a time keeps the SVG
# settings of one request out of another's PNG.
_RENDER_LOCK = threading.RLock()


# --- Shared look -------------------------------------------------------------------------
def _palette() -> tuple[str, str, tuple[str, ...], str]:
    from pdf_templates.styles import CHART_AFTER, CHART_BEFORE, CHART_GRID, LEVEL_COLOURS

    return CHART_BEFORE, CHART_AFTER, LEVEL_COLOURS, CHART_GRID


def _figure(body_in: float, title: str, legend_rows: int) -> tuple[Figure, float]:
    """A figure whose top strip holds the title and legend; returns it and the legend's top.

    The strip is kept out of the constrained layout (its ``rect``), because a figure
    legend placed "outside" by that layout collides with the title.
    """
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    title_lines = textwrap.wrap(title, _TITLE_WRAP) or [""]
    title_in = 0.1 + 0.25 * len(title_lines)
    header_in = title_in + 0.27 * legend_rows + 0.12
    height = body_in + header_in
    layout = ConstrainedLayoutEngine(rect=(0, 0, 1, 1 - header_in / height), w_pad=0.04, h_pad=0.04)
    fig = Figure(figsize=(WIDTH_IN, height), dpi=100, layout=layout, facecolor="white")
    fig.text(
        0.005,
        1 - 0.06 / height,
        "\n".join(title_lines),
        ha="left",
        va="top",
        fontsize=TITLE_PT,
        fontweight="bold",
        color=INK,
        linespacing=1.25,
    )
    return fig, 1 - title_in / height


def _style_axes(ax: Axes, grid: str, *, axis: Literal["both", "x", "y"] = "x") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=TICK_PT, colors=INK, length=3)
    ax.grid(axis=axis, color=grid, linewidth=0.7)
    ax.set_axisbelow(True)


def _wrap(label: str, width: int = _WRAP) -> str:
    """Wrap a label into as few lines as ``width`` allows, the lines as even as possible."""
    lines = textwrap.wrap(label, width, break_on_hyphens=False)
    if len(lines) > 1:
        for narrower in range(len(label) // len(lines), width):
            balanced = textwrap.wrap(label, narrower, break_on_hyphens=False)
            if len(balanced) == len(lines):
                return "\n".join(balanced)
    return "\n".join(lines) or label


def _fmt(value: float, decimal: str) -> str:
    return f"{value:.1f}".replace(".", decimal)


def _check_lengths(**series: Sequence[Any]) -> int:
    lengths = {name: len(values) for name, values in series.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"series lengths differ: {lengths}")
    return next(iter(lengths.values()))


def _is_dark(colour: str) -> bool:
    from matplotlib.colors import to_rgb

    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.18


def _legend(fig: Figure, top: float, handles: list[Any], ncols: int) -> None:
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, top),
        borderaxespad=0.0,
        ncols=ncols,
        frameon=False,
        fontsize=LABEL_PT,
        handlelength=1.6,
        handleheight=1.1,
        columnspacing=1.4,
    )


# --- Charts --------------------------------------------------------------------------------
def before_after_bars(
    labels: list[str],
    before: list[float | None],
    after: list[float | None],
    *,
    title: str,
    before_label: str,
    after_label: str,
    axis_label: str,
    max_value: float = 4,
    decimal: str = ",",
) -> Figure:
    """Mean level per skill before and after the course, as grouped horizontal bars.

    Skills read top to bottom in the given order; each bar carries its value, and a
    missing value (nobody answered) is shown as "–". The "before" bars are hatched.
    ``decimal`` is the decimal separator of the report's language.
    """
    from matplotlib.patches import Patch

    n = _check_lengths(labels=labels, before=before, after=after)
    c_before, c_after, _, grid = _palette()
    fig, legend_top = _figure(0.55 + 0.5 * max(n, 1), title, legend_rows=1)
    ax = fig.add_subplot()
    _style_axes(ax, grid)
    bar = 0.4
    span = max_value * 1.12  # room for the value printed past the longest bar
    for offset, values, colour, hatch, edge in (
        (-bar / 2, before, c_before, "///", "#5A3C00"),
        (bar / 2, after, c_after, None, c_after),
    ):
        for i, value in enumerate(values):
            y = i + offset
            if value is None:
                ax.text(span * 0.01, y, MISSING, va="center", ha="left", fontsize=VALUE_PT, color=INK)
                continue
            ax.barh(y, value, height=bar * 0.92, color=colour, hatch=hatch, edgecolor=edge, linewidth=0.6)
            ax.text(value + span * 0.012, y, _fmt(value, decimal), va="center", ha="left", fontsize=VALUE_PT, color=INK)
    ax.set_yticks(range(n), [_wrap(label) for label in labels], fontsize=LABEL_PT)
    ax.set_ylim(n - 0.5, -0.5)  # first skill on top
    ax.set_xlim(0, span)
    ax.set_xticks(range(int(max_value) + 1))
    ax.set_xlabel(axis_label, fontsize=LABEL_PT, color=INK)
    ax.tick_params(axis="y", length=0)
    _legend(
        fig,
        legend_top,
        [
            Patch(facecolor=c_before, edgecolor="#5A3C00", hatch="///", label=before_label),
            Patch(facecolor=c_after, edgecolor=c_after, label=after_label),
        ],
        ncols=2,
    )
    return fig


def level_distribution(
    labels: list[str],
    before: list[list[int]],
    after: list[list[int]],
    level_labels: list[str],
    *,
    title: str,
    before_label: str,
    after_label: str,
    axis_label: str = "%",
) -> Figure:
    """Share of answers at each level per skill, before and after, as diverging bars.

    ``before[i]`` and ``after[i]`` are the counts of answers at levels 0..4 for skill
    ``i``. Levels 0-1 ("cannot do it alone yet") extend left of zero, levels 2-4 right,
    so the bars move right as skills grow. Shares of 8 % or more are printed inside.
    """
    from matplotlib.patches import Patch

    n = _check_lengths(labels=labels, before=before, after=after)
    levels = len(level_labels)
    _, _, level_colours, grid = _palette()
    if levels != len(level_colours):
        raise ValueError(f"expected {len(level_colours)} level labels, got {levels}")
    # Rows per skill: its name, the "before" bar, the "after" bar, then a gap.
    row, name_gap, skill_gap = 1.0, 1.05, 0.35
    step = name_gap + 2 * row + skill_gap
    ncols = 3 if max(map(len, level_labels)) > 14 else levels
    fig, legend_top = _figure(0.55 + 0.168 * step * max(n, 1), title, legend_rows=-(-levels // ncols))
    ax = fig.add_subplot()
    _style_axes(ax, grid)
    ticks: list[float] = []
    tick_labels: list[str] = []
    # NOTE: each level's segments in one call, drawn in the same order within a row (rows never touch): one
    # artist per level instead of one per segment draws the same chart in a fraction of the time.
    segments: dict[int, list[tuple[float, float, float]]] = {level: [] for level in (1, 0, *range(2, levels))}
    for i, label in enumerate(labels):
        top = i * step
        # The white box keeps gridlines and the zero line from striking through the name.
        ax.text(
            -100,
            top,
            label,
            va="center",
            ha="left",
            fontsize=LABEL_PT,
            fontweight="bold",
            color=INK,
            zorder=4,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
        )
        for j, (counts, phase) in enumerate(((before[i], before_label), (after[i], after_label))):
            y = top + name_gap + j * row
            ticks.append(y)
            tick_labels.append(phase)
            if len(counts) != levels:
                raise ValueError(f"skill {label!r}: expected {levels} counts, got {len(counts)}")
            total = sum(counts)
            if not total:
                ax.text(1.5, y, MISSING, va="center", ha="left", fontsize=VALUE_PT, color=INK)
                continue
            shares = [100 * c / total for c in counts]
            # Left of zero the level nearest "can do it alone" sits next to the axis.
            left = 0.0
            for level in (1, 0):
                _segment(ax, segments[level], y, left - shares[level], shares[level], level_colours[level])
                left -= shares[level]
            right = 0.0
            for level in range(2, levels):
                _segment(ax, segments[level], y, right, shares[level], level_colours[level])
                right += shares[level]
    for level, bars in segments.items():
        if bars:
            ys, starts, widths = zip(*bars)
            ax.barh(
                ys, widths, left=starts, height=row * 0.82, color=level_colours[level], edgecolor="white", linewidth=0.6
            )
    ax.axvline(0, color=INK, linewidth=1.2)
    ax.spines["left"].set_visible(False)  # the zero line is the reference here
    ax.set_xlim(-100, 100)
    ax.set_xticks([-100, -75, -50, -25, 0, 25, 50, 75, 100], ["100", "75", "50", "25", "0", "25", "50", "75", "100"])
    ax.set_xlabel(axis_label, fontsize=LABEL_PT, color=INK)
    ax.set_yticks(ticks, tick_labels, fontsize=TICK_PT)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(n * step - skill_gap, -name_gap * 0.6)
    _legend(
        fig,
        legend_top,
        [
            Patch(facecolor=colour, edgecolor=INK, linewidth=0.4, label=text)
            for colour, text in zip(level_colours, level_labels)
        ],
        ncols=ncols,
    )
    return fig


def _segment(
    ax: Axes, bars: list[tuple[float, float, float]], y: float, start: float, width: float, colour: str
) -> None:
    """One level's share of a bar: noted in ``bars`` (drawn per level), its value printed inside when there is room."""
    if width <= 0:
        return
    bars.append((y, start, width))
    if width >= 8:
        ax.text(
            start + width / 2,
            y,
            f"{width:.0f}",
            va="center",
            ha="center",
            fontsize=VALUE_PT - 0.5,
            color="white" if _is_dark(colour) else INK,
        )


def change_across_groups(
    group_labels: list[str],
    before_means: list[float | None],
    after_means: list[float | None],
    *,
    title: str,
    before_label: str,
    after_label: str,
    axis_label: str,
    max_value: float = 4,
    decimal: str = ",",
) -> Figure:
    """Mean level before and after per cohort or term, as a dumbbell chart.

    A line joins each group's two means; the values sit outside the ends, the lower one
    on the left. A missing mean is shown as "–" at the axis.
    """
    from matplotlib.lines import Line2D

    n = _check_lengths(group_labels=group_labels, before=before_means, after=after_means)
    c_before, c_after, _, grid = _palette()
    fig, legend_top = _figure(0.6 + 0.42 * max(n, 1), title, legend_rows=1)
    ax = fig.add_subplot()
    _style_axes(ax, grid)
    pad = max_value * 0.025
    markers = {
        "before": ("o", 85, c_before, "#5A3C00"),
        "after": ("D", 70, c_after, c_after),
    }  # shape, size, fill, edge
    for i, (b, a) in enumerate(zip(before_means, after_means)):
        if b is not None and a is not None:
            ax.plot([b, a], [i, i], color="#6B6B6B", linewidth=2.4, zorder=2, solid_capstyle="butt")
        points = [(v, k) for v, k in ((b, "before"), (a, "after")) if v is not None]
        if not points:
            ax.text(pad, i, MISSING, va="center", ha="left", fontsize=VALUE_PT, color=INK)
            continue
        for value, kind in points:
            marker, size, fill, edge = markers[kind]
            ax.scatter([value], [i], zorder=3, marker=marker, s=size, color=fill, edgecolors=edge, linewidths=1.0)
        if b is not None and a is not None and a != b:
            for value, on_left in ((min(a, b), True), (max(a, b), False)):
                ax.text(
                    value + (-1 if on_left else 1) * pad * 2.2,
                    i,
                    _fmt(value, decimal),
                    va="center",
                    ha="right" if on_left else "left",
                    fontsize=VALUE_PT,
                    color=INK,
                )
        else:  # one mean, or two equal ones drawn on top of each other
            ax.text(
                points[0][0] + pad * 2.2,
                i,
                _fmt(points[0][0], decimal),
                va="center",
                ha="left",
                fontsize=VALUE_PT,
                color=INK,
            )
        if len(points) == 1:
            ax.text(pad, i, MISSING, va="center", ha="left", fontsize=VALUE_PT, color=INK)
    ax.set_yticks(range(n), [_wrap(label) for label in group_labels], fontsize=LABEL_PT)
    ax.set_ylim(n - 0.4, -0.6)
    ax.set_xlim(-max_value * 0.1, max_value * 1.1)
    ax.set_xticks(range(int(max_value) + 1))
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(axis_label, fontsize=LABEL_PT, color=INK)
    _legend(
        fig,
        legend_top,
        [
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=9,
                markerfacecolor=c_before,
                markeredgecolor="#5A3C00",
                label=before_label,
            ),
            Line2D(
                [],
                [],
                linestyle="none",
                marker="D",
                markersize=8,
                markerfacecolor=c_after,
                markeredgecolor=c_after,
                label=after_label,
            ),
        ],
        ncols=2,
    )
    return fig


CHART_BUILDERS: dict[str, Callable[..., Figure]] = {
    "before_after_bars": before_after_bars,
    "level_distribution": level_distribution,
    "change_across_groups": change_across_groups,
}


# --- Rendering ---------------------------------------------------------------------------
def render_png(fig: Figure, dpi: int = 150) -> bytes:
    """PNG bytes of ``fig`` on white; the figure is cleared afterwards to free its memory."""
    buffer = io.BytesIO()
    try:
        with _RENDER_LOCK:
            fig.savefig(buffer, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    finally:
        fig.clear()
    return buffer.getvalue()


def render_raster(fig: Figure, dpi: int = 150) -> ChartRaster:
    """The pixels of ``fig`` on white, as a PDF places them; the figure is cleared afterwards.

    The same drawing as ``render_png`` without the PNG a PDF would decode again.
    """
    buffer = io.BytesIO()
    # Agg draws int(width x dpi) pixels a row (its renderer's size, as savefig's own).
    width = int(fig.get_size_inches()[0] * dpi)
    try:
        with _RENDER_LOCK:
            fig.savefig(buffer, format="rgba", dpi=dpi, facecolor="white")
    finally:
        fig.clear()
    return ChartRaster.from_rgba(buffer.getvalue(), width)


_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_TITLE = re.compile(r"\s*<title>.*?</title>", re.S)
_COMMENT = re.compile(r"\s*<!--.*?-->", re.S)
_ROOT_SIZE = re.compile(r'(<svg\b[^>]*?)\s(?:width|height)="[^"]*"')
_ID = re.compile(r'\bid="([^"]+)"')
_STYLE_ELEMENT = re.compile(r"\s*<defs>\s*<style[^>]*>.*?</style>\s*</defs>|\s*<style[^>]*>.*?</style>", re.S)
_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
_FONT_SHORTHAND = re.compile(
    r"^(?:(?P<style>italic|oblique)\s+)?(?:(?P<weight>bold|normal|\d00)\s+)?"
    r"(?P<size>[\d.]+px)\s+(?P<family>.+)$"
)


def render_svg(fig: Figure) -> str:
    """SVG markup of ``fig`` for inlining in HTML; the figure is cleared afterwards.

    Text stays text (selectable, read by screen readers, sharp at any zoom). The XML
    prolog, metadata, titles and comments are removed, the fixed size gives way to the
    viewBox so the chart scales with its container, and ids get a prefix unique to the
    chart so that several charts can share a page.
    """
    import matplotlib

    buffer = io.StringIO()
    try:
        with _RENDER_LOCK, matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "digiystava"}):
            fig.savefig(buffer, format="svg", facecolor="white", metadata={"Date": None})
    finally:
        fig.clear()
    svg = _PROLOG.sub("", buffer.getvalue())
    svg = _METADATA.sub("", svg)
    svg = _TITLE.sub("", svg)
    svg = _COMMENT.sub("", svg)
    svg = _ROOT_SIZE.sub(r"\1", svg, count=1)
    svg = _ROOT_SIZE.sub(r"\1", svg, count=1)
    svg = _styles_to_attributes(svg)
    return _prefix_ids(svg).strip()


def _styles_to_attributes(svg: str) -> str:
    """Turn CSS in the SVG into presentation attributes.

    The app's Content-Security-Policy (``style-src 'self'``) blocks inline ``<style>``
    elements and ``style`` attributes, which would leave an inlined chart black and
    unstyled; SVG presentation attributes are markup, not CSS, and are not blocked.
    """
    match = _STYLE_ELEMENT.search(svg)
    if match:
        # matplotlib's only rule, "*{stroke-linejoin: round; stroke-linecap: butt}",
        # becomes attributes on the root that every element inherits.
        svg = svg[: match.start()] + svg[match.end() :]
        svg = svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)

    def attributes(m: re.Match[str]) -> str:
        pairs: list[tuple[str, str]] = []
        for declaration in m.group(1).split(";"):
            name, _, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if not name or not value:
                continue
            font = _FONT_SHORTHAND.match(value) if name == "font" else None
            if font:
                pairs += [(f"font-{k}", v) for k, v in font.groupdict().items() if v]
            elif name != "font":
                pairs.append((name, value))
        return "".join(f' {name}="{value.replace(chr(34), "&quot;")}"' for name, value in pairs)

    return _STYLE_ATTR.sub(attributes, svg)


def _prefix_ids(svg: str) -> str:
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    prefix = "chart-" + hashlib.sha1(svg.encode("utf-8")).hexdigest()[:10]

    def rename(match: re.Match[str]) -> str:
        name = match.group(2)
        return f"{match.group(1)}{prefix}-{name}{match.group(3)}" if name in ids else match.group(0)

    return re.sub(r'(\bid="|url\(#|href="#)([^")]+)([")])', rename, svg)


# --- Cache ---------------------------------------------------------------------------------
def _jsonable(value: object) -> object:
    if isinstance(value, (Decimal, Fraction)):
        return float(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return value.tolist()
    raise TypeError(f"cannot use {type(value).__name__} in a chart cache key")


class ChartCache:
    """Rendered charts kept in memory, least recently used dropped first.

    ``cache.png("before_after_bars", dpi=150, labels=..., before=..., ...)`` builds the
    chart with the builder registered for that kind, renders and stores it, and returns
    the stored bytes on every later call with equal inputs. The key is a SHA-256 of the
    kind, all inputs (as canonical JSON), the format and the dpi, so any change of data,
    wording or language draws a new chart. Safe to share between threads; two threads
    that miss the same key at once may both draw it, and one result is kept.
    """

    def __init__(self, maxsize: int = 256, builders: Mapping[str, Callable[..., Figure]] | None = None) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        self.builders = dict(CHART_BUILDERS if builders is None else builders)
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[str, bytes | str | ChartRaster] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(kind: str, inputs: Mapping[str, Any], fmt: str, dpi: int | None = None) -> str:
        """The stable cache key of one rendered chart."""
        canonical = json.dumps(
            [kind, inputs, fmt, dpi], sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_jsonable
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def png(self, kind: str, /, *, dpi: int = 150, **inputs: Any) -> bytes:
        """The chart ``kind`` built from ``inputs`` as PNG bytes."""
        result = self._get_or_render(kind, inputs, "png", dpi, lambda fig: render_png(fig, dpi))
        assert isinstance(result, bytes)
        return result

    def raster(self, kind: str, /, *, dpi: int = 150, **inputs: Any) -> ChartRaster:
        """The chart ``kind`` built from ``inputs`` as pixels for a PDF."""
        result = self._get_or_render(kind, inputs, "raster", dpi, lambda fig: render_raster(fig, dpi))
        assert isinstance(result, ChartRaster)
        return result

    def svg(self, kind: str, /, **inputs: Any) -> str:
        """The chart ``kind`` built from ``inputs`` as inline SVG markup."""
        result = self._get_or_render(kind, inputs, "svg", None, render_svg)
        assert isinstance(result, str)
        return result

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def _get_or_render(
        self,
        kind: str,
        inputs: Mapping[str, Any],
        fmt: str,
        dpi: int | None,
        render: Callable[[Figure], bytes | str | ChartRaster],
    ) -> bytes | str | ChartRaster:
        try:
            builder = self.builders[kind]
        except KeyError:
            known = sorted(self.builders)
            raise ValueError(f"unknown chart kind {kind!r}; known: {known}") from None
        key = self.key(kind, inputs, fmt, dpi)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
            self.misses += 1
        result = render(builder(**inputs))
        with self._lock:
            self._entries[key] = result
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
        return result


chart_cache = ChartCache()
