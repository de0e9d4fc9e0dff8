"""Proposals: residents' proposals on the map, entered by staff, decided, turned into scenarios.

A click on the map places a new proposal (the form beside the map takes what is asked for, the
resident's words, an optional contact, the date and votes); the table lists them with filters;
a proposal's status can be changed; the counts per district and category sum them up; and a
proposal of a service becomes a scenario in one click, whose comparison with today is shown and
saved beside the other scenarios. The contact is never shown in the tables. Every resident's word
is shown escaped: tables show cells as text, Markdown goes through ``md_escape``, the map escapes
its own tooltips.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st
from streamlit_folium import st_folium

from planner.analysis import TownAnalysis
from planner.errors import PlannerError
from planner.maps.assets import require_vendor_files
from planner.maps.programme import build_proposals_map
from planner.participation.importing import town_outline
from planner.participation.proposals import (
    EVENT_CATEGORY,
    PROPOSAL_STATUSES,
    Proposal,
    proposal_id,
    proposal_problems,
)
from planner.participation.scenario import proposal_scenario
from planner.participation.store import ProposalStore
from planner.participation.summary import proposal_frame, proposals_by_district
from planner.presentation.proposals import proposal_district_table, proposal_table
from planner.presentation.scenarios import comparison_table
from planner.presentation.words import (
    fmt_number,
    proposal_category,
    proposal_status,
    service_label,
    t,
    town_attribution,
)
from planner.scenarios.compare import run_comparison
from planner.scenarios.store import ScenarioStore
from ui.common import md_escape, page_header
from ui.state import Context

MAP_HEIGHT_PX = 520
COMPARISON_KEY = "proposal_comparison"
"""Session key of the last proposal turned into a scenario: (proposal id, scenario name, table)."""


def render(ctx: Context, analysis: TownAnalysis) -> None:
    """Draw the proposals page."""
    lang = ctx.lang
    town = analysis.town
    norms = analysis.norms
    page_header(ctx, "page.proposals")
    st.caption(t("proposal.privacy", lang))
    store = ProposalStore()
    frame = proposal_frame(store.all(town=town.meta.name), town)
    map_column, form_column = st.columns([3, 2])
    clicked: dict[str, float] | None = None
    with map_column:
        try:
            require_vendor_files()
        except PlannerError as err:
            st.error(t("err.no_assets", lang, error=md_escape(err)))
        else:
            fmap = build_proposals_map(town, frame, labels=lang, norms=norms)
            state: dict[str, Any] = (
                st_folium(
                    fmap,
                    key="proposals_map",
                    returned_objects=["last_clicked"],
                    height=MAP_HEIGHT_PX,
                    use_container_width=True,
                )
                or {}
            )
            clicked = state.get("last_clicked")
            st.caption(md_escape(town_attribution(town.meta, lang)))
    with form_column:
        _new_proposal_form(ctx, analysis, store, clicked)
    if frame.empty:
        st.info(t("proposal.none", lang))
        return
    st.subheader(t("proposal.list_title", lang))
    left, right = st.columns(2)
    statuses = left.multiselect(
        t("proposal.col.status", lang),
        PROPOSAL_STATUSES,
        format_func=lambda s: proposal_status(s, lang),
        key="proposal_filter_status",
    )
    categories = sorted(set(frame["category"]))
    chosen = right.multiselect(
        t("proposal.col.category", lang),
        categories,
        format_func=lambda c: proposal_category(norms, c, lang),
        key="proposal_filter_category",
    )
    shown = frame
    if statuses:
        shown = shown[shown["status"].isin(statuses)]
    if chosen:
        shown = shown[shown["category"].isin(chosen)]
    st.dataframe(proposal_table(shown, town, norms, lang), hide_index=True, key="proposal_table")
    _detail(ctx, store, frame)
    st.subheader(t("proposal.by_district_title", lang))
    st.dataframe(
        proposal_district_table(proposals_by_district(frame), town, norms, lang),
        hide_index=True,
        key="proposal_districts",
    )
    _scenario_form(ctx, analysis, store, frame)


def _label(row: dict[str, Any], ctx: Context) -> str:
    text = str(row["text"])
    short = text if len(text) <= 40 else text[:39] + "…"
    what = proposal_category(ctx.norms, str(row["category"]), ctx.lang)
    return f"{row['id']} · {what} · {short}"


def _new_proposal_form(
    ctx: Context, analysis: TownAnalysis, store: ProposalStore, clicked: dict[str, float] | None
) -> None:
    lang = ctx.lang
    norms = analysis.norms
    st.subheader(t("proposal.new_title", lang))
    point = None
    if not clicked:
        st.info(t("proposal.click_hint", lang))
    else:
        lon, lat = round(float(clicked["lng"]), 6), round(float(clicked["lat"]), 6)
        if town_outline(analysis.town.boundary).covers(shapely.Point(lon, lat)):
            point = (lon, lat)
            st.caption(t("proposal.at_point", lang, lon=f"{lon:.5f}", lat=f"{lat:.5f}"))
        else:
            st.warning(t("proposal.outside", lang))
    categories = [*norms.services, EVENT_CATEGORY]
    with st.form("new_proposal", clear_on_submit=True):
        category = st.selectbox(
            t("proposal.col.category", lang),
            categories,
            format_func=lambda c: proposal_category(norms, c, lang),
        )
        text = st.text_area(t("proposal.col.text", lang), max_chars=5000)
        contact = st.text_input(
            t("proposal.col.contact", lang), help=t("proposal.contact_help", lang)
        )
        when = st.date_input(t("proposal.col.submitted", lang), value=date.today())
        votes = st.number_input(t("proposal.col.votes", lang), min_value=0, step=1, value=0)
        submitted = st.form_submit_button(t("proposal.add", lang), disabled=point is None)
    if submitted and point is not None:
        day = when.isoformat() if isinstance(when, date) else date.today().isoformat()
        proposal = Proposal(
            id=proposal_id(point[0], point[1], str(category), text, day),
            lon=point[0],
            lat=point[1],
            category=str(category),
            text=text.strip(),
            submitted=day,
            contact=contact.strip(),
            votes=int(votes),
            source="staff",
            town=analysis.town.meta.name,
        )
        problems = proposal_problems(proposal, norms.services)
        if problems:
            st.error("; ".join(md_escape(f"{field}: {message}") for field, message in problems))
            return
        store.add([proposal])
        st.success(t("proposal.added", lang, id=proposal.id))


def _detail(ctx: Context, store: ProposalStore, frame: gpd.GeoDataFrame) -> None:
    """One proposal in full (the resident's whole text, escaped) and its status to change."""
    lang = ctx.lang
    rows = {r["id"]: r for r in frame.drop(columns="geometry").to_dict("records")}
    chosen = st.selectbox(
        t("proposal.choose", lang),
        list(rows),
        format_func=lambda i: _label(rows[i], ctx),
        key="proposal_chosen",
    )
    if chosen is None:
        return
    row = rows[str(chosen)]
    with st.container(border=True):
        what = proposal_category(ctx.norms, str(row["category"]), lang)
        st.markdown(
            f"**{md_escape(what)}** · {md_escape(proposal_status(str(row['status']), lang))} · "
            f"{md_escape(t('proposal.col.votes', lang))}: {fmt_number(row['votes'], lang)} · "
            f"{md_escape(row['submitted'])}"
        )
        st.markdown(md_escape(row["text"]) if str(row["text"]).strip() else "—")
        left, right = st.columns([3, 1])
        status = left.selectbox(
            t("proposal.col.status", lang),
            PROPOSAL_STATUSES,
            index=PROPOSAL_STATUSES.index(str(row["status"])),
            format_func=lambda s: proposal_status(s, lang),
            key=f"proposal_status_{row['id']}",
        )
        if right.button(t("proposal.set_status", lang), key="proposal_set_status"):
            store.set_status(str(chosen), str(status))
            st.rerun()


def _scenario_form(
    ctx: Context, analysis: TownAnalysis, store: ProposalStore, frame: gpd.GeoDataFrame
) -> None:
    lang = ctx.lang
    norms = analysis.norms
    st.subheader(t("proposal.scenario_title", lang))
    rows = [
        r
        for r in frame.drop(columns="geometry").to_dict("records")
        if r["category"] in analysis.services
    ]
    if not rows:
        st.info(t("proposal.no_service_proposals", lang))
        return
    labels = {r["id"]: _label(r, ctx) for r in rows}
    with st.form("proposal_scenario"):
        chosen = st.selectbox(
            t("proposal.choose", lang), list(labels), format_func=labels.__getitem__
        )
        capacity = st.number_input(
            t("proposal.capacity", lang),
            min_value=0.0,
            value=0.0,
            step=10.0,
            help=t("proposal.capacity_help", lang),
        )
        go = st.form_submit_button(t("proposal.make_scenario", lang), type="primary")
    if go and chosen is not None:
        proposal = store.get(str(chosen))
        scenario = proposal_scenario(proposal, norms, capacity=capacity or None)
        with st.spinner(t("proposal.comparing", lang)):
            comparison = run_comparison(
                analysis.town,
                scenario,
                norms,
                services=[proposal.category],
                walk_speed_m_min=ctx.walk_speed_m_min,
                include_planned=ctx.include_planned,
                baseline=analysis,
            )
        saved = ScenarioStore(store.path).save(
            scenario,
            town_name=analysis.town.meta.name,
            summary=comparison.summary(),
            replace_existing=True,
        )
        store.link_scenario(proposal.id, saved.name)
        table = comparison_table(comparison, lang)
        # The service the proposal asks for first: that is the change to read.
        first = table.iloc[:, 0] == service_label(norms, proposal.category, lang)
        table = pd.concat([table[first], table[~first]], ignore_index=True)
        st.session_state[COMPARISON_KEY] = (proposal.id, saved.name, table)
    shown = st.session_state.get(COMPARISON_KEY)
    if shown:
        proposal_id_, name, table = shown
        st.success(
            t("proposal.scenario_saved", lang, scenario=md_escape(name), id=md_escape(proposal_id_))
        )
        st.dataframe(table, hide_index=True, key="proposal_comparison_table")
