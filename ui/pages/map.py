"""Map: coverage of the chosen service (or all), catchments or radius circles, gap zones, loads.

A click on a residential block is turned into its unit id (``planner.locate.unit_at``) and
explained beside the map. Only clicks rerun the page (``returned_objects``): pans and zooms do
not, and nothing here recomputes the analysis.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from planner.analysis import TownAnalysis
from planner.errors import PlannerError
from planner.locate import Bounds, district_bounds, unit_at, zone_bounds
from planner.maps.analysis import build_analysis_map
from planner.maps.assets import require_vendor_files
from planner.presentation.explain import coverage_by_service, explain_block
from planner.presentation.views import VIEWS, MapView
from planner.presentation.words import t, town_attribution
from ui.common import md_escape, page_header
from ui.downloads import render_downloads
from ui.state import Context

MAP_HEIGHT_PX = 640
FOCUS_KEY = "map_focus"
"""Session key of the gap zone the map zooms to (set by the Gaps page)."""


def render(ctx: Context, analysis: TownAnalysis) -> None:
    """Draw the map page."""
    lang = ctx.lang
    page_header(ctx, "page.map")
    try:
        require_vendor_files()
    except PlannerError as err:
        st.error(t("err.no_assets", lang, error=md_escape(err)))
        return
    view: MapView = (
        st.segmented_control(
            t("map.view", lang),
            VIEWS,
            format_func=lambda key: t(f"view.{key}", lang),
            key="map_view",
            default="network",
            help=t("map.view_help", lang),
        )
        or "network"
    )
    focus = _focus(ctx, analysis)
    if ctx.service is None:
        st.caption(t("map.all_services_note", lang))
    # OpenStreetMap tiles are offered in the layer control, off until the user turns them on.
    fmap = build_analysis_map(
        analysis, service=ctx.service, view=view, labels=lang, focus=focus, online_basemap=True
    )
    map_column, side = st.columns([3, 1])
    with map_column:
        state: dict[str, Any] = (
            st_folium(
                fmap,
                key="analysis_map",
                returned_objects=["last_clicked"],
                height=MAP_HEIGHT_PX,
                use_container_width=True,
            )
            or {}
        )
        st.caption(md_escape(town_attribution(analysis.town.meta, lang)))
    with side:
        _explanation(ctx, analysis, state.get("last_clicked"))
    render_downloads(ctx, analysis, key="map", view=view)


def _focus(ctx: Context, analysis: TownAnalysis) -> Bounds | None:
    lang = ctx.lang
    zone = st.session_state.get(FOCUS_KEY)
    if zone:
        bounds = zone_bounds(analysis, str(zone))
        if bounds is not None:
            info, button = st.columns([4, 1])
            info.info(t("map.focus", lang, zone=md_escape(zone)))
            if button.button(t("map.focus_clear", lang), key="clear_focus"):
                st.session_state[FOCUS_KEY] = None
                st.rerun()
            return bounds
    if ctx.district is not None:
        return district_bounds(analysis.town, ctx.district)
    return None


def _explanation(ctx: Context, analysis: TownAnalysis, clicked: dict[str, float] | None) -> None:
    lang = ctx.lang
    if not clicked:
        st.info(t("map.click_hint", lang))
        return
    unit = unit_at(analysis.town, float(clicked["lng"]), float(clicked["lat"]), tolerance_m=5.0)
    if unit is None:
        st.info(t("map.no_unit", lang))
        return
    if ctx.service is None:
        st.subheader(t("map.explain_title", lang, unit=md_escape(unit)))
        st.dataframe(coverage_by_service(analysis, unit, lang), hide_index=True)
        return
    explanation = explain_block(analysis, ctx.service, unit, lang)
    st.subheader(md_escape(explanation.title))
    st.markdown("\n".join(f"- **{md_escape(k)}**: {md_escape(v)}" for k, v in explanation.facts))
    st.info(md_escape(explanation.sentence))
