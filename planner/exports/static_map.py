"""The print map: one service's coverage on an A4 or A3 page, as PNG (300 dpi) or SVG.

A page has what a printed map needs (title, legend, scale bar, north arrow, date, the norm set,
a provenance line, the attribution and the reproducibility stamp) around the map drawn by
``planner.exports.cartography``; the town's own layers are the basemap, so no tiles are needed.
Landscape pages put the legend beside the map, portrait pages below it.

Output is deterministic: the same analysis, options and stamp give the same bytes (no creation
time or software version in the file; SVG ids from a fixed salt).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image as PILImage

from planner.analysis import TownAnalysis
from planner.exports.cartography import (
    FONT_FAMILY,
    Legend,
    add_north_arrow,
    add_scale_bar,
    draw_analysis,
    draw_changes,
)
from planner.exports.stamp import ExportStamp, stamp_line
from planner.presentation.views import MapView
from planner.presentation.words import (
    Lang,
    fmt_share,
    norm_set_title,
    service_label,
    t,
    town_attribution,
    town_name,
)
from planner.scenarios.compare import ScenarioComparison
from planner.summary import town_summary

__all__ = [
    "PAPER_MM",
    "PRINT_DPI",
    "Orientation",
    "PageSpec",
    "Paper",
    "legend_axes",
    "map_title",
    "page_size_mm",
    "provenance_line",
    "render_map_page",
    "static_map_bytes",
]

Paper = Literal["a4", "a3"]
Orientation = Literal["portrait", "landscape"]

PAPER_MM: dict[Paper, tuple[float, float]] = {"a4": (210.0, 297.0), "a3": (297.0, 420.0)}
"""ISO 216 paper sizes, (width, height) in millimetres, portrait."""

PRINT_DPI = 300
"""Raster resolution of the print map: A4 at 300 dpi is 2480 × 3508 pixels."""

MM_PER_INCH = 25.4
MARGIN_MM = 10.0
HEADER_MM = 17.0
FOOTER_MM = 15.0
LEGEND_SIDE_MM = 68.0
LEGEND_BELOW_MM = 44.0
GAP_MM = 4.0
LABEL_WRAP_CHARS = 34
JPEG_QUALITY = 92
SVG_HASH_SALT = "gusev-planner"
"""Fixed salt for the ids matplotlib writes into SVG files, so the output is reproducible."""


@dataclass(frozen=True, slots=True)
class PageSpec:
    """The page of a print map: paper, orientation and raster resolution."""

    paper: Paper = "a4"
    orientation: Orientation = "landscape"
    dpi: int = PRINT_DPI

    @property
    def size_mm(self) -> tuple[float, float]:
        """(width, height) in millimetres."""
        return page_size_mm(self.paper, self.orientation)

    @property
    def scale(self) -> float:
        """Type and line size relative to A4 (A3 is drawn √2 larger)."""
        return PAPER_MM[self.paper][0] / PAPER_MM["a4"][0]


def page_size_mm(paper: Paper, orientation: Orientation) -> tuple[float, float]:
    """Return (width, height) of a paper in millimetres.

    Examples
    --------
    >>> page_size_mm("a4", "landscape")
    (297.0, 210.0)
    """
    width, height = PAPER_MM[paper]
    return (height, width) if orientation == "landscape" else (width, height)


def map_title(analysis: TownAnalysis, service: str | None, lang: Lang) -> str:
    """Return the title of a map of one service (or all) in a language."""
    town = town_name(analysis.town.meta, lang)
    if service is None:
        return t("export.map_title_all", lang, town=town)
    label = service_label(analysis.norms, service, lang)
    return t("export.map_title", lang, service=label, town=town)


def provenance_line(analysis: TownAnalysis, lang: Lang) -> str:
    """Return the line saying how much of the town data is modelled."""
    summary = town_summary(analysis.town)
    return t(
        "export.provenance_line",
        lang,
        modelled=fmt_share(summary.modelled_share, lang, 1),
        real=fmt_share(1.0 - summary.modelled_share, lang, 1),
    )


def render_map_page(
    analysis: TownAnalysis,
    service: str | None,
    *,
    lang: Lang,
    stamp: ExportStamp,
    page: PageSpec,
    view: MapView = "network",
) -> Figure:
    """Compose the print map page as a matplotlib ``Figure`` (not yet saved).

    Parameters
    ----------
    analysis
        The analysis.
    service
        The service shown, or ``None`` for all.
    lang
        Language of every text on the page.
    stamp
        The reproducibility stamp (its date is the page's date).
    page
        Paper, orientation and resolution.
    view
        The coverage view (as on the interactive map).
    """
    width_mm, height_mm = page.size_mm
    scale = page.scale
    # Whole pixels, rounded: A4 at 300 dpi is 2480 × 3508 (truncating would lose a column).
    width_px, height_px = (round(v / MM_PER_INCH * page.dpi) for v in (width_mm, height_mm))
    fig = Figure(figsize=(width_px / page.dpi, height_px / page.dpi), dpi=page.dpi)
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor("white")

    def box(
        left: float, bottom: float, width: float, height: float
    ) -> tuple[float, float, float, float]:
        return (left / width_mm, bottom / height_mm, width / width_mm, height / height_mm)

    m = MARGIN_MM
    header, footer = HEADER_MM * scale, FOOTER_MM * scale
    landscape = page.orientation == "landscape"
    legend_w = LEGEND_SIDE_MM * scale if landscape else width_mm - 2 * m
    legend_h = height_mm - 2 * m - header - footer if landscape else LEGEND_BELOW_MM * scale
    if landscape:
        map_box = box(m, m + footer, width_mm - 2 * m - legend_w - GAP_MM, legend_h)
        legend_box = box(width_mm - m - legend_w, m + footer, legend_w, legend_h)
    else:
        map_h = height_mm - 2 * m - header - footer - legend_h - GAP_MM
        map_box = box(m, m + footer + legend_h + GAP_MM, width_mm - 2 * m, map_h)
        legend_box = box(m, m + footer, legend_w, legend_h)
    ax = fig.add_axes(map_box)
    legend = draw_analysis(ax, analysis, service, lang=lang, view=view, scale=scale)
    # A thin neat line frames the map, as on a printed sheet.
    frame = ax.patch
    frame.set_visible(True)
    ax.set_axis_on()
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
        spine.set_color("#444444")
    add_scale_bar(ax, lang, scale=scale)
    add_north_arrow(ax, lang, scale=scale)
    legend_axes(fig.add_axes(legend_box), legend, scale=scale, columns=1 if landscape else 3)
    top = 1 - m / height_mm
    fig.text(
        m / width_mm,
        top,
        map_title(analysis, service, lang),
        ha="left",
        va="top",
        fontsize=15 * scale,
        fontweight="bold",
        family=FONT_FAMILY,
        color="#111111",
    )
    subtitle = " · ".join(
        [
            t("export.norms_line", lang, title=norm_set_title(analysis.norms, lang)),
            t("export.date_line", lang, date=stamp.date.isoformat()),
        ]
    )
    fig.text(
        m / width_mm,
        top - 8.5 * scale / height_mm,
        subtitle,
        ha="left",
        va="top",
        fontsize=8.5 * scale,
        family=FONT_FAMILY,
        color="#333333",
    )
    footer_lines = [
        provenance_line(analysis, lang),
        town_attribution(analysis.town.meta, lang),
        stamp_line(stamp, lang),
    ]
    wrap = int((width_mm - 2 * m) / (1.55 * scale))
    lines = [part for line in footer_lines for part in textwrap.wrap(line, wrap)]
    fig.text(
        m / width_mm,
        m / height_mm,
        "\n".join(lines),
        ha="left",
        va="bottom",
        fontsize=6.2 * scale,
        family=FONT_FAMILY,
        color="#444444",
        linespacing=1.35,
    )
    return fig


def legend_axes(ax: Axes, legend: Legend, *, scale: float, columns: int) -> None:
    """Draw the legend sections in ``ax``: titles in bold, long labels wrapped.

    With several columns, whole sections go to columns in order, balancing their lengths, so a
    section title never stands apart from its entries.
    """
    ax.set_axis_off()
    if not legend.sections:
        return
    groups = _balanced_columns([len(entries) + 1 for _, entries in legend.sections], columns)
    wrap = LABEL_WRAP_CHARS if columns == 1 else LABEL_WRAP_CHARS - 6
    for column, members in enumerate(groups):
        handles: list[Artist] = []
        labels: list[str] = []
        titles: set[int] = set()
        for index in members:
            title, entries = legend.sections[index]
            titles.add(len(labels))
            handles.append(Line2D([], [], ls="none"))
            labels.append(textwrap.fill(title, wrap + 4))
            for entry in entries:
                handles.append(entry.handle)
                labels.append(textwrap.fill(entry.label, wrap))
        drawn = ax.legend(
            handles,
            labels,
            loc="upper left",
            bbox_to_anchor=(column / len(groups), 1.0),
            frameon=False,
            prop={"family": FONT_FAMILY, "size": 7.6 * scale},
            handlelength=2.0,
            handleheight=1.1,
            borderaxespad=0.0,
            labelspacing=0.55,
            alignment="left",
        )
        for index, label in enumerate(drawn.get_texts()):
            if index in titles:
                label.set_fontweight("bold")
                label.set_fontsize(8.2 * scale)
        ax.add_artist(drawn)


def _balanced_columns(lengths: list[int], columns: int) -> list[list[int]]:
    """Split items (in order) into at most ``columns`` runs of similar total length.

    Examples
    --------
    >>> _balanced_columns([5, 3, 3, 5], 3)
    [[0], [1, 2], [3]]
    >>> _balanced_columns([5, 3], 1)
    [[0, 1]]
    """
    target = sum(lengths) / max(columns, 1)
    groups: list[list[int]] = [[]]
    total = 0
    for index, length in enumerate(lengths):
        if groups[-1] and total + length / 2 > target and len(groups) < columns:
            groups.append([])
            total = 0
        groups[-1].append(index)
        total += length
    return groups


def static_map_bytes(
    analysis: TownAnalysis,
    service: str | None,
    *,
    fmt: Literal["png", "svg"],
    lang: Lang,
    stamp: ExportStamp,
    page: PageSpec,
    view: MapView = "network",
) -> bytes:
    """Return the print map as PNG or SVG bytes (reproducible: no time or version inside)."""
    fig = render_map_page(analysis, service, lang=lang, stamp=stamp, page=page, view=view)
    buffer = io.BytesIO()
    if fmt == "png":
        fig.savefig(buffer, format="png", dpi=page.dpi, metadata={"Software": None})
    else:
        with mpl.rc_context({"svg.hashsalt": SVG_HASH_SALT, "svg.fonttype": "path"}):
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def write_static_map(path: Path, data: bytes) -> None:
    """Write map bytes to ``path`` (a staging path of an atomic write)."""
    path.write_bytes(data)


def map_panel_jpeg(
    analysis: TownAnalysis,
    service: str | None,
    *,
    lang: Lang,
    size_mm: tuple[float, float],
    dpi: int = 200,
    view: MapView = "network",
) -> bytes:
    """Return a map with its legend beside it (no title or footer) as JPEG, for the report.

    JPEG because PDF embeds it as it is (a PNG would be decoded and compressed again, which
    took most of the report's time); at quality 92 and 200 dpi lines and type stay crisp.

    Parameters
    ----------
    analysis, service, lang, view
        As for ``render_map_page``.
    size_mm
        (width, height) of the panel in millimetres.
    dpi
        Raster resolution.
    """
    return _panel_jpeg(
        lambda ax, scale: draw_analysis(ax, analysis, service, lang=lang, view=view, scale=scale),
        lang=lang,
        size_mm=size_mm,
        dpi=dpi,
    )


def changes_panel_jpeg(
    comparison: ScenarioComparison,
    service: str,
    *,
    lang: Lang,
    size_mm: tuple[float, float],
    dpi: int = 200,
) -> bytes:
    """Return a scenario's gained / lost map of one service with its legend, as JPEG."""
    return _panel_jpeg(
        lambda ax, scale: draw_changes(ax, comparison, service, lang=lang, scale=scale),
        lang=lang,
        size_mm=size_mm,
        dpi=dpi,
    )


def _panel_jpeg(
    draw: Callable[[Axes, float], Legend],
    *,
    lang: Lang,
    size_mm: tuple[float, float],
    dpi: int,
    legend_share: float = 0.34,
) -> bytes:
    width_mm, height_mm = size_mm
    scale = 0.8
    fig = Figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH), dpi=dpi)
    FigureCanvasAgg(fig)
    map_width = 1.0 - legend_share
    ax = fig.add_axes((0.0, 0.0, map_width - 0.01, 1.0))
    legend = draw(ax, scale * 0.8)
    add_scale_bar(ax, lang, scale=scale)
    add_north_arrow(ax, lang, scale=scale)
    legend_axes(
        fig.add_axes((map_width + 0.01, 0.0, legend_share - 0.01, 0.98)),
        legend,
        scale=scale,
        columns=1,
    )
    canvas = fig.canvas
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())  # type: ignore[attr-defined]
    buffer = io.BytesIO()
    PILImage.fromarray(rgba[:, :, :3]).save(
        buffer, format="JPEG", quality=JPEG_QUALITY, dpi=(dpi, dpi), optimize=False
    )
    return buffer.getvalue()
