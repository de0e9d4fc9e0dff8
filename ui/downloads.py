"""The download area: the current view as an HTML map, print map, report, GeoPackage or tables.

One call (``render_downloads``) on the Map, Overview and Scenarios pages. The files come from
``planner.exports.run.export_bytes`` — the writer ``planner export`` uses — so a download and
the CLI's file with the same choices and date are byte-identical. A file is prepared on request
(with a progress bar; the report takes a few seconds), kept for the session while the choices
stay the same, and then offered with a download button.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from planner.analysis import TownAnalysis
from planner.errors import PlannerError
from planner.exports.run import FORMATS, ExportFormat, ExportRequest, default_filename, export_bytes
from planner.exports.stamp import ExportStamp, make_stamp
from planner.exports.static_map import Orientation, Paper
from planner.presentation.views import MapView
from planner.presentation.words import Lang, t
from planner.scenarios.compare import ScenarioComparison
from ui.common import md_escape
from ui.state import Context, get_comparison, scenario_hash

MIME_TYPES: dict[ExportFormat, str] = {
    "html": "text/html",
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_PREPARED = "downloads_prepared"
"""Session key of the prepared file: (choices, bytes, file name)."""


def render_downloads(
    ctx: Context,
    analysis: TownAnalysis,
    *,
    key: str,
    view: MapView = "network",
    comparison: ScenarioComparison | None = None,
) -> None:
    """Draw the download area for the current service, language and map view.

    Parameters
    ----------
    ctx
        The sidebar's choices (service, language, town, norms, pace).
    analysis
        The analysis on screen.
    key
        A prefix for widget keys, unique per page.
    view
        The map view on screen (maps follow it).
    comparison
        On a scenario page: the scenario compared with today (``analysis`` is then
        ``comparison.scenario``); the files name the scenario and the report adds its
        before/after page. Without it, a scenario the sidebar shows (``ctx.scenario``) is
        exported the same way: its comparison narrowed to the chosen service, as
        ``planner export --service S --scenario FILE`` makes it.
    """
    lang = ctx.lang
    with st.expander(t("dl.title", lang), icon=":material/download:"):
        st.caption(t("dl.caption", lang))
        columns = st.columns([2, 1, 1])
        fmt: ExportFormat = columns[0].selectbox(
            t("dl.format", lang),
            FORMATS,
            format_func=lambda f: t(f"dl.format.{f}", lang),
            key=f"{key}_format",
        )
        paper: Paper = "a4"
        orientation: Orientation = "landscape"
        if fmt in ("png", "svg"):
            paper = columns[1].selectbox(
                t("dl.paper", lang), ("a4", "a3"), format_func=str.upper, key=f"{key}_paper"
            )
            orientation = columns[2].selectbox(
                t("dl.orientation", lang),
                ("landscape", "portrait"),
                format_func=lambda o: t(f"dl.{o}", lang),
                key=f"{key}_orientation",
            )
        request = ExportRequest(fmt, ctx.service, lang, view, paper, orientation)
        scenario = ctx.scenario if comparison is None else comparison.applied.scenario
        stamp = make_stamp(analysis, scenario=scenario)
        choices = (
            key,
            request,
            ctx.folder,
            ctx.norm_key,
            analysis.walk_speed_m_min,
            analysis.include_planned,
            stamp,
        )
        if st.button(t("dl.prepare", lang), key=f"{key}_prepare", icon=":material/build:"):
            if comparison is None and scenario is not None and ctx.norm_key is not None:
                comparison = get_comparison(
                    ctx.folder,
                    ctx.norm_key,
                    analysis.walk_speed_m_min,
                    analysis.include_planned,
                    ctx.service,
                    scenario_hash(scenario),
                    scenario,
                )
                analysis = comparison.scenario
            _prepare(analysis, request, stamp, choices, lang, comparison)
        prepared: tuple[Any, bytes, str] | None = st.session_state.get(_PREPARED)
        if prepared is not None and prepared[0] == choices:
            _, data, name = prepared
            st.download_button(
                t("dl.download", lang, name=name),
                data=data,
                file_name=name,
                mime=MIME_TYPES[fmt],
                key=f"{key}_download",
                icon=":material/download:",
                on_click="ignore",
            )


def _prepare(
    analysis: TownAnalysis,
    request: ExportRequest,
    stamp: ExportStamp,
    choices: tuple[Any, ...],
    lang: Lang,
    comparison: ScenarioComparison | None,
) -> None:
    label = t(f"dl.format.{request.format}", lang)
    bar = st.progress(0.0, text=t("dl.preparing", lang, format=label))

    def progress(fraction: float, _step: str, _service: str | None) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=t("dl.preparing", lang, format=label))

    try:
        data = export_bytes(analysis, request, stamp, progress=progress, comparison=comparison)
    except PlannerError as err:
        bar.empty()
        st.error(md_escape(err))
        return
    bar.empty()
    name = default_filename(analysis, request, stamp)
    st.session_state[_PREPARED] = (choices, data, name)
