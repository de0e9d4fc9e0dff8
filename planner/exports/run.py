"""One entry point for every export, shared by the CLI and the dashboard.

``write_export`` writes one file of any format atomically (a failed export leaves no partial file
and keeps an earlier good one); ``export_bytes`` runs the very same writer into a temporary
folder and returns the bytes, for the dashboard's download buttons. With the same analysis,
request and stamp both give identical bytes.

Formats and what they hold:

========  ======================================================================
``html``  the interactive map, one standalone file (``planner.exports.html``)
``png``   the print map, 300 dpi (``planner.exports.static_map``)
``svg``   the print map as vector graphics
``pdf``   the report for the council (``planner.exports.report``)
``gpkg``  the result layers for GIS (``planner.exports.gpkg``)
``csv``   the result tables as CSV files in one ZIP archive (``planner.exports.tables_zip``)
``xlsx``  the readable tables as an Excel workbook (``planner.exports.workbook``)
========  ======================================================================
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from planner.analysis import Progress, TownAnalysis
from planner.errors import PlannerError
from planner.exports.gpkg import write_gpkg
from planner.exports.html import html_map
from planner.exports.naming import export_filename
from planner.exports.report import write_report
from planner.exports.selection import for_service
from planner.exports.stamp import ExportStamp
from planner.exports.static_map import Orientation, PageSpec, Paper, static_map_bytes
from planner.exports.tables_zip import write_tables_zip
from planner.exports.workbook import write_xlsx
from planner.fileio import atomic_path
from planner.presentation.views import MapView
from planner.presentation.words import Lang
from planner.scenarios.compare import ScenarioComparison

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "ExportFormat",
    "ExportRequest",
    "Progress",
    "export_bytes",
    "write_export",
]

ExportFormat = Literal["html", "png", "svg", "pdf", "gpkg", "csv", "xlsx"]
FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)

SUFFIXES: dict[ExportFormat, str] = {
    "html": "html",
    "png": "png",
    "svg": "svg",
    "pdf": "pdf",
    "gpkg": "gpkg",
    "csv": "zip",
    "xlsx": "xlsx",
}
"""The file suffix of each format (the CSV tables travel as one ZIP archive)."""

KINDS: dict[ExportFormat, str] = {
    "html": "map",
    "png": "map",
    "svg": "map",
    "pdf": "report",
    "gpkg": "layers",
    "csv": "tables",
    "xlsx": "tables",
}
"""The word for what a format holds, used in default file names."""


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What to export.

    Attributes
    ----------
    format
        One of ``FORMATS``.
    service
        The service, or ``None`` for all analysed services.
    lang
        Language of the words in the file (``en`` or ``ru``).
    view
        Map coverage view (``network``, ``radius``, ``disagree``; maps only).
    paper, orientation
        Paper of the print map (``png``, ``svg``).
    """

    format: ExportFormat
    service: str | None = None
    lang: Lang = "en"
    view: MapView = "network"
    paper: Paper = "a4"
    orientation: Orientation = "landscape"

    @property
    def suffix(self) -> str:
        """The file suffix, without the dot."""
        return SUFFIXES[self.format]


def default_filename(analysis: TownAnalysis, request: ExportRequest, stamp: ExportStamp) -> str:
    """Return the file name an export is offered under (``gusev_school_map_ru_2026-12-02.png``)."""
    return export_filename(
        analysis.town.meta.name,
        request.service,
        KINDS[request.format],
        request.lang,
        stamp.date.isoformat(),
        request.suffix,
        scenario=stamp.scenario,
    )


def write_export(
    analysis: TownAnalysis,
    request: ExportRequest,
    stamp: ExportStamp,
    path: Path,
    *,
    progress: Progress | None = None,
    comparison: ScenarioComparison | None = None,
) -> Path:
    """Write one export to ``path``, atomically.

    Parameters
    ----------
    analysis
        The analysis (of every service or of the requested one).
    request
        What to export.
    stamp
        The reproducibility stamp.
    path
        The file to write; its suffix must be the format's (``SUFFIXES``).
    progress
        Called as the work goes on with a fraction in [0, 1], a step key (``export_*``, words
        from ``planner.presentation.words.progress_step``) and a service key or ``None``.
    comparison
        For a scenario: its comparison with today. ``analysis`` must then be
        ``comparison.scenario`` (the town after the scenario); the report adds its before/after
        page, and ``stamp`` should name the scenario (``make_stamp(..., scenario=...)``).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    PlannerError
        If the suffix does not match the format or the service was not analysed.
    OutputError
        If the file cannot be written (``planner.fileio``: nothing is left behind, an earlier
        file at ``path`` is kept).
    """
    if request.format not in FORMATS:
        msg = f"Unknown export format {request.format!r}; use one of {', '.join(FORMATS)}."
        raise PlannerError(msg)
    if path.suffix.lower() != f".{request.suffix}":
        msg = (
            f"{path} does not end in .{request.suffix}: a {request.format} export is written as "
            f"a .{request.suffix} file; change --out."
        )
        raise PlannerError(msg)
    if comparison is not None and analysis is not comparison.scenario:
        msg = "A scenario export takes the scenario's own analysis (comparison.scenario)."
        raise PlannerError(msg)
    report = progress or _quiet
    report(0.0, "export_start", None)
    narrowed = for_service(analysis, request.service)
    # planner.fileio stages the file beside ``path`` and swaps it in; any failure of the
    # location (no space, no permission, a file in the way) becomes one OutputError line.
    with atomic_path(path) as tmp:
        _write(narrowed, request, stamp, tmp, report, comparison)
    report(1.0, "export_done", None)
    return path


def export_bytes(
    analysis: TownAnalysis,
    request: ExportRequest,
    stamp: ExportStamp,
    *,
    progress: Progress | None = None,
    comparison: ScenarioComparison | None = None,
) -> bytes:
    """Return the bytes ``write_export`` writes (same writer, a temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="planner-export-") as folder:
        path = Path(folder) / f"export.{request.suffix}"
        write_export(analysis, request, stamp, path, progress=progress, comparison=comparison)
        return path.read_bytes()


def _write(
    analysis: TownAnalysis,
    request: ExportRequest,
    stamp: ExportStamp,
    path: Path,
    progress: Progress,
    comparison: ScenarioComparison | None,
) -> None:
    fmt, lang, service = request.format, request.lang, request.service
    if fmt == "html":
        text = html_map(analysis, service, lang=lang, stamp=stamp, view=request.view)
        path.write_text(text, encoding="utf-8")
    elif fmt in ("png", "svg"):
        page = PageSpec(request.paper, request.orientation)
        data = static_map_bytes(
            analysis, service, fmt=fmt, lang=lang, stamp=stamp, page=page, view=request.view
        )
        path.write_bytes(data)
    elif fmt == "pdf":
        write_report(
            analysis,
            service,
            lang=lang,
            stamp=stamp,
            path=path,
            progress=progress,
            comparison=comparison,
        )
    elif fmt == "gpkg":
        write_gpkg(analysis, stamp, path)
    elif fmt == "csv":
        write_tables_zip(analysis, stamp, path)
    else:
        write_xlsx(analysis, service, lang, stamp, path)


def _quiet(_fraction: float, _step: str, _service: str | None) -> None:
    """Progress callback that reports nothing."""
