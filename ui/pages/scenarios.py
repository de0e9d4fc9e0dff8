"""Scenarios: edit the town on the map, see who gains and who loses, save and reload.

The scenario being edited lives in the session (a ``Scenario`` value). A click on the map fills
the point fields (they can be typed too); a facility is added there, or a chosen one moved there,
closed or removed; Leaflet.draw's polygon tool outlines new housing (or a clicked point stands
for a small block) and its line tool draws a footpath. Each edit is checked against the town with
the scenario engine's own validators (``check_scenario``) before it is accepted: a refused edit
is shown with every problem and the scenario stays as it was. The comparison with today is
cached by the scenario's hash (``ui.state.get_comparison``) and covers the sidebar's service (or
every service), like ``planner scenario run``; the optimiser proposes sites for the map's service
and its proposal can be added in one click. Scenarios are saved in, loaded from, duplicated in
and deleted from the SQLite scenario store (``ScenarioStore``: ``$XDG_DATA_HOME`` or
``~/.local/share``); the town folder's own scenario files (Technopolis GS for Gusev) load too.

Moving a facility is select-then-click (choose it, click the new place, press *Move*): dragging
markers through streamlit-folium would return no id of the marker moved.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from planner.analysis import TownAnalysis
from planner.errors import PlannerError
from planner.maps.assets import require_vendor_files
from planner.maps.scenario import build_scenario_map
from planner.presentation.scenarios import (
    before_after,
    comparison_table,
    district_comparison_table,
    edit_table,
)
from planner.presentation.words import (
    LANGUAGES,
    Lang,
    facility_names,
    fmt_number,
    service_label,
    t,
    town_attribution,
)
from planner.scenarios import (
    DEFAULT_HOUSEHOLD_SIZE,
    AddFacility,
    CloseFacility,
    RemoveFacility,
    Scenario,
    ScenarioComparison,
    ScenarioError,
    ScenarioIssue,
    add_facility_at,
    add_housing_at,
    add_street_between,
    check_scenario,
    move_facility_to,
    read_scenario,
)
from planner.scenarios.candidates import DEFAULT_SPACING_M, street_candidates
from planner.scenarios.fingerprint import town_data_hash
from planner.scenarios.proposals import solution_to_scenario
from planner.scenarios.siting import build_problem, greedy_sites, optimize_sites
from planner.scenarios.store import ScenarioStore, StoreError
from planner.scenarios.toml_format import resolve_scenario, town_scenarios
from ui.common import md_escape, page_header
from ui.downloads import render_downloads
from ui.state import DEFAULT_SERVICE, Context, get_comparison, scenario_hash

MAP_HEIGHT_PX = 560
SCENARIO_KEY = "scen_scenario"
"""Session key of the scenario being edited."""
SAVED_AS_KEY = "scen_saved_as"
"""Session key of the stored name the scenario was loaded from or saved as (None: unsaved)."""
MESSAGE_KEY = "scen_messages"
"""Session key of messages to show after the rerun an action triggers: [(kind, text)]."""
OPTIMUM_KEY = "scen_optimum"
"""Session key of the last optimiser run: (inputs, exact, greedy, proposal scenario)."""
CLICK_KEY = "scen_click_seen"
LON_KEY, LAT_KEY = "scen_lon", "scen_lat"
FILE_PREFIX = "file:"
"""Load-choice prefix of a scenario file of the town folder (others are stored names)."""
FOOTPATH_KINDS = ("footway", "footbridge", "crossing")


def render(ctx: Context, analysis: TownAnalysis) -> None:
    """Draw the scenarios page (always against today, whatever the sidebar shows)."""
    today = ctx.today or analysis
    ctx = replace(ctx, analysis=today, town=today.town, scenario=None, comparison=None)
    lang = ctx.lang
    page_header(ctx, "page.scenarios")
    st.caption(t("scen.intro", lang))
    scenario = _current(lang)
    _store_bar(ctx, today, scenario)
    _messages()
    scenario = _current(lang)
    comparison = _comparison(ctx, scenario)
    if comparison is None:
        _edits(ctx, scenario)
        return
    service = _map_service(ctx, comparison)
    map_column, tools = st.columns([3, 2])
    drawing: dict[str, Any] | None = None
    with map_column:
        drawing = _map(ctx, comparison, service)
    with tools:
        _tools(ctx, comparison, scenario, service, drawing)
    _figures(ctx, comparison, service)
    _edits(ctx, scenario)
    _optimiser(ctx, comparison, scenario, service)
    render_downloads(ctx, comparison.scenario, key="scenarios", comparison=comparison)


# -- the scenario in the session ---------------------------------------------------------------
def _current(lang: Lang) -> Scenario:
    state = st.session_state
    if not isinstance(state.get(SCENARIO_KEY), Scenario):
        state[SCENARIO_KEY] = Scenario(t("scen.untitled", lang))
        state[SAVED_AS_KEY] = None
    scenario: Scenario = state[SCENARIO_KEY]
    # An unsaved scenario still called "New scenario" follows the interface language.
    untitled = {t("scen.untitled", other) for other in LANGUAGES}
    if state.get(SAVED_AS_KEY) is None and scenario.name in untitled:
        scenario = scenario.renamed(t("scen.untitled", lang))
        if scenario != state[SCENARIO_KEY]:
            state[SCENARIO_KEY] = scenario
            state.pop("scen_name", None)
    return scenario


def _say(kind: str, text: str) -> None:
    st.session_state.setdefault(MESSAGE_KEY, []).append((kind, text))


def _messages() -> None:
    for kind, text in st.session_state.pop(MESSAGE_KEY, []):
        getattr(st, kind)(text)


def _issues_text(lang: Lang, issues: list[ScenarioIssue]) -> str:
    lines = [f"- {md_escape(issue)}" for issue in issues]
    return t("scen.refused", lang) + "\n\n" + "\n".join(lines)


def _accept(ctx: Context, new: Scenario, done: str) -> None:
    """Take ``new`` as the scenario if the town accepts it; else say why. Then rerun."""
    today = ctx.today
    assert today is not None
    issues = check_scenario(today.town, new, norms=today.norms)
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        _say("error", _issues_text(ctx.lang, errors))
    else:
        st.session_state[SCENARIO_KEY] = new
        st.session_state.pop(OPTIMUM_KEY, None)
        _say("success", done)
        warnings = [i for i in issues if i.severity == "warning"]
        if warnings:
            _say("warning", "\n".join(f"- {md_escape(w)}" for w in warnings))
    st.rerun()


def _set_scenario(scenario: Scenario, saved_as: str | None) -> None:
    st.session_state[SCENARIO_KEY] = scenario
    st.session_state[SAVED_AS_KEY] = saved_as
    st.session_state.pop(OPTIMUM_KEY, None)
    st.session_state.pop("scen_name", None)  # the name field shows the new scenario's name


# -- load, save, duplicate, delete -------------------------------------------------------------
def _store_bar(ctx: Context, today: TownAnalysis, scenario: Scenario) -> None:
    lang = ctx.lang
    try:
        store = ScenarioStore()
        names = store.names()
    except PlannerError as err:
        st.error(md_escape(err))
        return
    files = town_scenarios(Path(today.town.folder))
    options = [*names, *(FILE_PREFIX + name for name in files)]
    saved_as = st.session_state.get(SAVED_AS_KEY)
    title = t(
        "scen.current",
        lang,
        name=md_escape(scenario.name),
        edits=fmt_number(len(scenario.edits), lang),
        saved=t("scen.saved_as", lang, name=md_escape(saved_as))
        if saved_as
        else t("scen.unsaved", lang),
    )
    st.markdown(title)
    with st.expander(t("scen.store_title", lang), icon=":material/folder_open:"):
        st.caption(t("scen.store_where", lang, path=md_escape(store.path)))
        left, right = st.columns(2)
        with left:
            chosen = st.selectbox(
                t("scen.saved", lang),
                options,
                format_func=lambda o: _choice_label(o, lang),
                key="scen_choice",
                index=None,
                placeholder=t("scen.choose", lang),
            )
            load, delete, new = st.columns(3)
            if load.button(t("scen.load", lang), key="scen_load", disabled=chosen is None):
                _load(ctx, store, str(chosen))
            is_file = chosen is not None and str(chosen).startswith(FILE_PREFIX)
            if delete.button(
                t("scen.delete", lang), key="scen_delete", disabled=chosen is None or is_file
            ):
                store.delete(str(chosen))
                if saved_as == chosen:
                    st.session_state[SAVED_AS_KEY] = None
                _say("success", t("scen.deleted", lang, name=md_escape(chosen)))
                st.rerun()
            if new.button(t("scen.new", lang), key="scen_new"):
                _set_scenario(Scenario(t("scen.untitled", lang), town=today.town.meta.name), None)
                st.rerun()
            copy_name = st.text_input(t("scen.copy_name", lang), key="scen_copy_name")
            if st.button(
                t("scen.duplicate", lang),
                key="scen_duplicate",
                disabled=chosen is None or is_file or not copy_name.strip(),
            ):
                try:
                    store.duplicate(str(chosen), copy_name.strip())
                except StoreError:
                    st.error(t("scen.name_taken", lang, name=md_escape(copy_name.strip())))
                else:
                    _say("success", t("scen.duplicated", lang, name=md_escape(copy_name.strip())))
                    st.rerun()
        with right:
            name = st.text_input(t("scen.save_name", lang), value=scenario.name, key="scen_name")
            if st.button(
                t("scen.save", lang), key="scen_save", type="primary", disabled=not name.strip()
            ):
                _save(ctx, store, scenario.renamed(name.strip()), saved_as)


def _choice_label(option: str, lang: Lang) -> str:
    if option.startswith(FILE_PREFIX):
        return t("scen.file_choice", lang, file=option[len(FILE_PREFIX) :])
    return option


def _load(ctx: Context, store: ScenarioStore, choice: str) -> None:
    lang = ctx.lang
    try:
        if choice.startswith(FILE_PREFIX):
            folder = Path(ctx.today.town.folder) if ctx.today is not None else Path(ctx.folder)
            path = resolve_scenario(folder, choice[len(FILE_PREFIX) :])
            scenario, saved_as = read_scenario(path), None
        else:
            scenario, saved_as = store.get(choice).scenario, choice
    except ScenarioError as err:
        st.error(_issues_text(lang, err.issues))
        return
    except PlannerError as err:
        st.error(md_escape(err))
        return
    _set_scenario(scenario, saved_as)
    _say("success", t("scen.loaded", lang, name=md_escape(scenario.name)))
    st.rerun()


def _save(ctx: Context, store: ScenarioStore, scenario: Scenario, saved_as: str | None) -> None:
    lang = ctx.lang
    today = ctx.today
    assert today is not None
    assert ctx.norm_key is not None
    replacing = saved_as is not None and saved_as.casefold() == scenario.name.casefold()
    if not replacing and scenario.name.casefold() in {n.casefold() for n in store.names()}:
        st.error(t("scen.name_taken", lang, name=md_escape(scenario.name)))
        return
    try:
        comparison = get_comparison(
            ctx.folder,
            ctx.norm_key,
            ctx.walk_speed_m_min,
            ctx.include_planned,
            None,
            scenario_hash(scenario),
            scenario,
        )
        store.save(
            scenario,
            town_name=today.town.meta.name,
            town_hash=town_data_hash(today.town.folder),
            summary=comparison.summary(),
            replace_existing=replacing,
        )
    except ScenarioError as err:
        st.error(_issues_text(lang, err.issues))
        return
    except PlannerError as err:
        st.error(md_escape(err))
        return
    _set_scenario(scenario, scenario.name)
    _say("success", t("scen.saved_ok", lang, name=md_escape(scenario.name)))
    st.rerun()


# -- the comparison and the map ----------------------------------------------------------------
def _comparison(ctx: Context, scenario: Scenario) -> ScenarioComparison | None:
    assert ctx.norm_key is not None
    try:
        with st.spinner(t("scen.comparing", ctx.lang)):
            return get_comparison(
                ctx.folder,
                ctx.norm_key,
                ctx.walk_speed_m_min,
                ctx.include_planned,
                ctx.service,
                scenario_hash(scenario),
                scenario,
            )
    except ScenarioError as err:
        st.error(_issues_text(ctx.lang, err.issues))
        return None


def _map_service(ctx: Context, comparison: ScenarioComparison) -> str:
    keys = comparison.service_keys
    if ctx.service in keys:
        return str(ctx.service)
    return DEFAULT_SERVICE if DEFAULT_SERVICE in keys else keys[0]


def _map(ctx: Context, comparison: ScenarioComparison, service: str) -> dict[str, Any] | None:
    """Draw the map; take a new click into the point fields; return the last drawing."""
    lang = ctx.lang
    try:
        require_vendor_files()
    except PlannerError as err:
        st.error(t("err.no_assets", lang, error=md_escape(err)))
        return None
    st.caption(t("scen.map_hint", lang))
    fmap = build_scenario_map(comparison, service, labels=lang, norms=comparison.scenario.norms)
    state: dict[str, Any] = (
        st_folium(
            fmap,
            key="scenario_map",
            returned_objects=["last_clicked", "last_active_drawing"],
            height=MAP_HEIGHT_PX,
            use_container_width=True,
        )
        or {}
    )
    st.caption(md_escape(town_attribution(comparison.applied.town.meta, lang)))
    clicked = state.get("last_clicked")
    if clicked:
        point = (round(float(clicked["lng"]), 6), round(float(clicked["lat"]), 6))
        # A click sets the point fields once; typing in them afterwards is kept.
        if st.session_state.get(CLICK_KEY) != point:
            st.session_state[CLICK_KEY] = point
            st.session_state[LON_KEY], st.session_state[LAT_KEY] = point
    drawing = state.get("last_active_drawing")
    return drawing if isinstance(drawing, dict) else None


def _point_fields(ctx: Context) -> tuple[float, float] | None:
    lang = ctx.lang
    st.caption(t("scen.point_hint", lang))
    state = st.session_state
    # Empty until a click or typing fills them (the value comes from the session, not here).
    state.setdefault(LON_KEY, None)
    state.setdefault(LAT_KEY, None)
    left, right = st.columns(2)
    lon: float | None = left.number_input(
        t("scen.lon", lang), format="%.6f", step=0.0001, key=LON_KEY
    )
    lat: float | None = right.number_input(
        t("scen.lat", lang), format="%.6f", step=0.0001, key=LAT_KEY
    )
    if lon is None or lat is None:
        return None
    return (float(lon), float(lat))


def _tools(
    ctx: Context,
    comparison: ScenarioComparison,
    scenario: Scenario,
    service: str,
    drawing: dict[str, Any] | None,
) -> None:
    lang = ctx.lang
    point = _point_fields(ctx)
    facility, housing, path = st.tabs(
        [t("scen.tab.facility", lang), t("scen.tab.housing", lang), t("scen.tab.path", lang)]
    )
    with facility:
        _facility_tools(ctx, comparison, scenario, service, point)
    with housing:
        _housing_tools(ctx, scenario, point, drawing)
    with path:
        _path_tools(ctx, scenario, drawing)


def _facility_tools(
    ctx: Context,
    comparison: ScenarioComparison,
    scenario: Scenario,
    service: str,
    point: tuple[float, float] | None,
) -> None:
    lang = ctx.lang
    norms = comparison.scenario.norms
    services = list(comparison.service_keys)
    with st.form("scen_add_facility", border=False):
        chosen = st.selectbox(
            t("scen.service", lang),
            services,
            index=services.index(service),
            format_func=lambda k: service_label(norms, k, lang),
        )
        sizes = norms.service(service).project_sizes
        capacity = st.number_input(
            t("scen.capacity", lang),
            min_value=0.0,
            value=float(sizes[0]) if sizes else 0.0,
            step=10.0,
            help=t(
                "scen.capacity_help",
                lang,
                sizes=", ".join(fmt_number(s, lang) for s in sizes) or "–",
            ),
        )
        name = st.text_input(t("scen.facility_name", lang))
        add = st.form_submit_button(
            t("scen.add_facility", lang), type="primary", disabled=point is None
        )
    if add and point is not None:
        taken = set(comparison.applied.town.facilities["id"].astype(str))
        new = add_facility_at(
            scenario,
            service=str(chosen),
            lon=point[0],
            lat=point[1],
            capacity=float(capacity) if capacity else None,
            name=name.strip(),
            name_ru=name.strip(),
            taken=taken,
        )
        _accept(ctx, new, t("scen.added_facility", lang, id=md_escape(new.edits[-1].target)))
    town = comparison.applied.town
    rows = town.facilities[town.facilities["service"] == service]
    names = facility_names(town, lang)
    ids = sorted(rows["id"].astype(str))
    st.markdown(f"**{md_escape(t('scen.change_facility', lang))}**")
    target = st.selectbox(
        t("scen.facility", lang),
        ids,
        format_func=lambda i: f"{names.get(i, i)} ({i})",
        key="scen_facility",
        index=None,
        placeholder=t("scen.choose", lang),
    )
    move, close, remove = st.columns([3, 2, 2])
    if move.button(
        t("scen.move_here", lang), key="scen_move", disabled=target is None or point is None
    ):
        assert point is not None
        new = move_facility_to(scenario, str(target), lon=point[0], lat=point[1])
        _accept(ctx, new, t("scen.moved", lang, id=md_escape(target)))
    if close.button(t("scen.close", lang), key="scen_close", disabled=target is None):
        new = scenario.with_edit(CloseFacility(facility_id=str(target)))
        _accept(ctx, new, t("scen.closed", lang, id=md_escape(target)))
    if remove.button(t("scen.remove", lang), key="scen_remove", disabled=target is None):
        _accept(ctx, _removed(scenario, str(target)), t("scen.removed", lang, id=md_escape(target)))


def _removed(scenario: Scenario, facility_id: str) -> Scenario:
    """Return the scenario without ``facility_id`` (its own addition dropped, or a removal)."""
    if any(isinstance(e, AddFacility) and e.id == facility_id for e in scenario.edits):
        kept = tuple(e for e in scenario.edits if e.target != facility_id)
        return replace(scenario, edits=kept)
    return scenario.with_edit(RemoveFacility(facility_id=facility_id))


def _drawn(drawing: dict[str, Any] | None, kind: str) -> list[tuple[float, float]] | None:
    """Return the drawing's points when it is a ``kind`` (``Polygon`` or ``LineString``)."""
    geometry = (drawing or {}).get("geometry") or {}
    if geometry.get("type") != kind:
        return None
    coords = geometry.get("coordinates") or []
    ring = coords[0] if kind == "Polygon" and coords else coords
    return [(float(x), float(y)) for x, y, *_ in ring]


def _housing_tools(
    ctx: Context,
    scenario: Scenario,
    point: tuple[float, float] | None,
    drawing: dict[str, Any] | None,
) -> None:
    lang = ctx.lang
    outline = _drawn(drawing, "Polygon")
    if outline is not None:
        st.caption(t("scen.housing_outline", lang, points=len(outline) - 1))
    elif point is not None:
        st.caption(t("scen.housing_point", lang))
    else:
        st.info(t("scen.housing_hint", lang))
    with st.form("scen_add_housing", border=False):
        by = st.radio(
            t("scen.housing_by", lang),
            ("flats", "residents"),
            format_func=lambda k: t(f"scen.housing_by.{k}", lang),
            horizontal=True,
        )
        left, right = st.columns(2)
        flats = left.number_input(t("scen.flats", lang), min_value=0, value=100, step=10)
        size = right.number_input(
            t("scen.household_size", lang),
            min_value=0.1,
            value=float(DEFAULT_HOUSEHOLD_SIZE),
            step=0.1,
            help=t("scen.household_help", lang),
        )
        residents = st.number_input(t("scen.residents", lang), min_value=0, value=260, step=10)
        add = st.form_submit_button(
            t("scen.add_housing", lang),
            type="primary",
            disabled=outline is None and point is None,
        )
    if add and (outline is not None or point is not None):
        new = add_housing_at(
            scenario,
            polygon=outline,
            point=None if outline is not None else point,
            residents=int(residents) if by == "residents" else None,
            flats=int(flats) if by == "flats" else None,
            household_size=float(size) if by == "flats" else None,
        )
        _accept(ctx, new, t("scen.added_housing", lang, id=md_escape(new.edits[-1].target)))


def _path_tools(ctx: Context, scenario: Scenario, drawing: dict[str, Any] | None) -> None:
    lang = ctx.lang
    line = _drawn(drawing, "LineString")
    if line is None:
        st.info(t("scen.path_hint", lang))
    else:
        st.caption(t("scen.path_drawn", lang, points=len(line)))
    with st.form("scen_add_path", border=False):
        kind = st.selectbox(
            t("scen.path_kind", lang),
            FOOTPATH_KINDS,
            format_func=lambda k: t(f"scen.path_kind.{k}", lang),
        )
        add = st.form_submit_button(t("scen.add_path", lang), type="primary", disabled=line is None)
    if add and line is not None:
        new = add_street_between(scenario, line, kind=str(kind))
        _accept(ctx, new, t("scen.added_path", lang, id=md_escape(new.edits[-1].target)))


# -- figures, edits, optimiser ----------------------------------------------------------------
def _figures(ctx: Context, comparison: ScenarioComparison, service: str) -> None:
    lang = ctx.lang
    norms = comparison.scenario.norms
    st.subheader(t("scen.figures_title", lang, service=service_label(norms, service, lang)))
    table = comparison.services.set_index("service")
    row = {str(k): v for k, v in table.loc[service].to_dict().items()}
    columns = st.columns(4)
    figures = (
        ("scenario.col.within_walk", "covered_network", "normal"),
        ("scenario.col.served_within", "served_within", "normal"),
        ("scenario.col.unserved", "unserved", "inverse"),
    )
    for column, (label, figure, colour) in zip(columns, figures, strict=False):
        change = float(row[f"{figure}_change"])
        column.metric(
            t(label, lang),
            fmt_number(row[f"{figure}_after"], lang),
            delta=f"{'+' if change > 0 else ''}{fmt_number(change, lang)}" if change else None,
            delta_color=colour,  # type: ignore[arg-type]
            help=before_after(row[f"{figure}_before"], row[f"{figure}_after"], lang),
        )
    columns[3].metric(
        t("scen.homes_gain_lose", lang),
        f"{fmt_number(row['units_gained'], lang)} / {fmt_number(row['units_lost'], lang)}",
    )
    st.dataframe(comparison_table(comparison, lang), hide_index=True, key="scen_services")
    st.markdown(f"**{md_escape(t('scen.by_district', lang))}**")
    st.dataframe(
        district_comparison_table(comparison, service, lang),
        hide_index=True,
        key="scen_districts",
    )
    st.caption(
        t(
            "scenario.modelled_note",
            lang,
            attribution=md_escape(town_attribution(comparison.applied.town.meta, lang)),
        )
    )


def _edits(ctx: Context, scenario: Scenario) -> None:
    lang = ctx.lang
    st.subheader(t("scen.edits_title", lang))
    if not scenario.edits:
        st.info(t("scen.no_edits", lang))
        return
    today = ctx.today
    norms = today.norms if today is not None else None
    st.dataframe(edit_table(scenario, norms, lang), hide_index=True, key="scen_edit_table")
    left, right = st.columns([3, 1])
    index = left.selectbox(
        t("scen.edit", lang),
        range(len(scenario.edits)),
        format_func=lambda i: f"{i + 1}. {scenario.edits[i].target}",
        key="scen_edit_choice",
    )
    if right.button(t("scen.drop_edit", lang), key="scen_drop_edit") and index is not None:
        kept = scenario.without_edit(int(index))
        _accept(ctx, kept, t("scen.dropped_edit", lang, n=int(index) + 1))


def _optimiser(
    ctx: Context, comparison: ScenarioComparison, scenario: Scenario, service: str
) -> None:
    lang = ctx.lang
    norms = comparison.scenario.norms
    label = service_label(norms, service, lang)
    st.subheader(t("scen.opt_title", lang, service=label))
    st.caption(t("scen.opt_caption", lang))
    norm = norms.service(service)
    if norm.walk_limit_m is None or not norm.demand.is_defined or not norm.project_sizes:
        st.info(t("scen.opt_not_for", lang, service=label))
        return
    with st.form("scen_optimise", border=False):
        left, right = st.columns(2)
        k = left.number_input(t("scen.opt_k", lang), min_value=1, max_value=10, value=3)
        spacing = right.number_input(
            t("scen.opt_spacing", lang), min_value=20.0, value=DEFAULT_SPACING_M, step=10.0
        )
        go = st.form_submit_button(t("scen.opt_run", lang), icon=":material/auto_awesome:")
    inputs = (scenario_hash(scenario), service, int(k), float(spacing))
    if go:
        town = comparison.applied.town
        with st.spinner(t("scen.opt_running", lang)):
            sites = street_candidates(town, spacing_m=float(spacing))
            graph = (
                None if comparison.applied.streets_changed else comparison.scenario.network.graph
            )
            problem = build_problem(
                town, norms, service, sites, include_planned=ctx.include_planned, graph=graph
            )
            exact = optimize_sites(problem, int(k))
            greedy = greedy_sites(problem, int(k))
        proposal = solution_to_scenario(exact, problem, name=scenario.name, town=town.meta.name)
        st.session_state[OPTIMUM_KEY] = (inputs, exact, greedy, proposal)
    result = st.session_state.get(OPTIMUM_KEY)
    if not result or result[0] != inputs:
        return
    _, exact, greedy, proposal = result
    unit = norm.capacity_unit if lang == "en" else norm.capacity_unit_ru
    status = t(f"scen.opt_status.{exact.status}", lang)
    st.markdown(
        t(
            "scen.opt_result",
            lang,
            served=fmt_number(exact.served_within, lang),
            gain=fmt_number(exact.gain, lang),
            unit=md_escape(unit),
            status=status,
            gap=fmt_number(100 * exact.gap, lang, 2),
            seconds=fmt_number(exact.solve_s, lang, 2),
            greedy=fmt_number(greedy.served_within, lang),
            used=fmt_number(exact.candidates_used, lang),
            given=fmt_number(exact.candidates_given, lang),
        )
    )
    table = pd.DataFrame(
        {
            t("scen.opt_col.site", lang): exact.sites["candidate_id"],
            t("scen.opt_col.size", lang): [fmt_number(v, lang) for v in exact.sites["size"]],
            t("scen.opt_col.load", lang): [fmt_number(v, lang, 1) for v in exact.sites["load"]],
            t("scen.opt_col.homes", lang): exact.sites["homes"].astype(int),
        }
    )
    st.dataframe(table, hide_index=True, key="scen_opt_sites")
    if st.button(t("scen.opt_add", lang), key="scen_opt_add", disabled=exact.sites.empty):
        new = replace(scenario, edits=(*scenario.edits, *proposal.edits))
        _accept(ctx, new, t("scen.opt_added", lang, n=len(proposal.edits)))
