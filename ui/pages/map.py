"""Map: coverage of the chosen service (or all), catchments or radius circles, gap zones, loads.

The map is live (``ui.map_core``): the town's base map is sent once, and only the analysis
layers, the legend and the selected block change as the choices do. A click on a residential
block selects it (``planner.locate.unit_at``): the block is outlined, its walk to the nearest
facility drawn with both distances, and it is explained beside the map. The selection, the
compare view and the focus are kept in the session and the URL (``ui.choices``).
"""

from __future__ import annotations

import streamlit as st

from planner.analysis import TownAnalysis
from planner.errors import PlannerError
from planner.locate import Bounds, district_bounds, unit_at, zone_bounds
from planner.maps.analysis import analysis_layers, selection_layer
from planner.maps.assets import require_vendor_files
from planner.maps.base import display_bounds
from planner.maps.selection import picked_area_layer
from planner.presentation.explain import coverage_by_service, explain_block
from planner.presentation.views import VIEWS, MapView
from planner.presentation.words import Lang, t, town_attribution
from ui.choices import BLOCK_KEY, FOCUS_KEY, VIEW_KEY
from ui.common import md_escape, page_header
from ui.downloads import render_downloads
from ui.map_core import (
    RenderedLayers,
    base_map,
    layers_script,
    live_map,
    pop_click,
    render_layers,
)
from ui.state import MAX_ANALYSES, Context, get_analysis

__all__ = ["FOCUS_KEY", "render"]

MAP_HEIGHT_PX = 600
NO_UNIT_KEY = "_map_no_unit"
"""Session flag: the last click fell outside every block (the page says so)."""


@st.cache_resource(show_spinner=False, max_entries=4 * MAX_ANALYSES)
def _layers(
    folder: str,
    norm_key: str,
    walk_speed_m_min: float,
    include_planned: bool,
    service: str | None,
    view: MapView,
    lang: Lang,
) -> RenderedLayers:
    """Return the rendered analysis layers of a choice (cached: switching back is instant)."""
    analysis = get_analysis(folder, norm_key, walk_speed_m_min, include_planned)
    return render_layers(analysis_layers(analysis, service=service, view=view, labels=lang))


def render(ctx: Context, analysis: TownAnalysis) -> None:
    """Draw the map page."""
    lang = ctx.lang
    page_header(ctx, "page.map")
    try:
        require_vendor_files()
    except PlannerError as err:
        st.error(t("err.no_assets", lang, error=md_escape(err)))
        return
    state = st.session_state
    if state.get(VIEW_KEY) not in VIEWS:
        state[VIEW_KEY] = "network"
    view: MapView = (
        st.segmented_control(
            t("map.view", lang),
            VIEWS,
            format_func=lambda key: t(f"view.{key}", lang),
            key=VIEW_KEY,
            help=t("map.view_help", lang),
        )
        or "network"
    )
    _take_click(analysis)
    block = _selected_block(analysis)
    focus = _focus(ctx, analysis)
    if ctx.service is None:
        st.caption(t("map.all_services_note", lang))
    assert ctx.norm_key is not None  # a loaded analysis has its norm set
    layers = _layers(
        ctx.folder,
        ctx.norm_key,
        ctx.walk_speed_m_min,
        ctx.include_planned,
        ctx.service,
        view,
        lang,
    )
    selection = (
        selection_layer(analysis, service=ctx.service, unit_id=block, labels=lang)
        if block is not None
        else None
    )
    # The zone picked on the Gaps page (or the district picked in the sidebar), outlined.
    zone = st.session_state.get(FOCUS_KEY) if focus is not None else None
    picked = picked_area_layer(
        analysis, zone=str(zone) if zone else None, district=ctx.district, labels=lang
    )
    base = base_map(ctx.folder, ctx.norm_key, lang)
    feature_group, layer_control = layers_script(
        layers,
        base,
        extra=[layer for layer in (picked, selection) if layer is not None],
        fit=focus or display_bounds(analysis.town),
    )
    map_column, side = st.columns([3, 1])
    with map_column:
        live_map(base, feature_group, layer_control, height_px=MAP_HEIGHT_PX)
        st.caption(md_escape(town_attribution(analysis.town.meta, lang)))
    with side:
        _explanation(ctx, analysis, block)
    render_downloads(ctx, analysis, key="map", view=view)


def _take_click(analysis: TownAnalysis) -> None:
    """Turn a new map click into the selected block (or say that it hit no block)."""
    clicked = pop_click()
    if clicked is None:
        return
    unit = unit_at(analysis.town, float(clicked["lng"]), float(clicked["lat"]), tolerance_m=5.0)
    st.session_state[BLOCK_KEY] = unit
    st.session_state[NO_UNIT_KEY] = unit is None


def _selected_block(analysis: TownAnalysis) -> str | None:
    """Return the selected block if it is a block of this town (a stale or bad id is dropped)."""
    block = st.session_state.get(BLOCK_KEY)
    if block is None:
        return None
    ids = analysis.town.residential["id"].astype(str)
    if str(block) not in set(ids):
        st.session_state[BLOCK_KEY] = None
        return None
    return str(block)


def _focus(ctx: Context, analysis: TownAnalysis) -> Bounds | None:
    lang = ctx.lang
    zone = st.session_state.get(FOCUS_KEY)
    if zone:
        bounds = zone_bounds(analysis, str(zone))
        if bounds is None:
            st.session_state[FOCUS_KEY] = None  # not a zone of this analysis (an old link)
        else:
            info, button = st.columns([4, 1], vertical_alignment="center")
            info.info(t("map.focus", lang, zone=md_escape(zone)))
            if button.button(t("map.focus_clear", lang), key="clear_focus"):
                st.session_state[FOCUS_KEY] = None
                st.rerun()
            return bounds
    if ctx.district is not None:
        return district_bounds(analysis.town, ctx.district)
    return None


def _explanation(ctx: Context, analysis: TownAnalysis, unit: str | None) -> None:
    lang = ctx.lang
    if unit is None:
        key = "map.no_unit" if st.session_state.get(NO_UNIT_KEY) else "map.click_hint"
        st.info(t(key, lang))
        return
    if ctx.service is None:
        st.subheader(t("map.explain_title", lang, unit=md_escape(unit)))
        st.dataframe(coverage_by_service(analysis, unit, lang), hide_index=True)
        return
    explanation = explain_block(analysis, ctx.service, unit, lang)
    st.subheader(md_escape(explanation.title))
    st.markdown("\n".join(f"- **{md_escape(k)}**: {md_escape(v)}" for k, v in explanation.facts))
    st.info(md_escape(explanation.sentence))
