"""The sidebar's "Town as" choice: the town today, or as a saved scenario would make it.

With a saved scenario chosen, the context's analysis is the scenario's (``get_comparison``,
cached by the scenario's hash), so the Overview, Map, Gaps and Facilities pages show the town
after the scenario; ``Context.today`` keeps today's analysis for the Scenarios page. A scenario
that no longer fits the town is shown as an error and today is shown instead.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from planner.errors import PlannerError
from planner.presentation.words import t
from planner.scenarios.store import ScenarioStore
from ui.common import md_escape
from ui.state import Context, get_comparison, scenario_hash

TODAY = "__today__"
"""Select-box value of the town as it is."""
KEY = "town_as"


def town_as(ctx: Context) -> Context:
    """Draw the "Town as" select box; return the context of the town it chooses."""
    lang = ctx.lang
    state = st.session_state
    try:
        store = ScenarioStore()
        names = store.names()
    except PlannerError as err:
        st.caption(t("side.town_as_no_store", lang, error=md_escape(err)))
        return ctx
    options = [TODAY, *names]
    if state.get(KEY) not in options:
        state[KEY] = TODAY
    choice = str(
        st.selectbox(
            t("side.town_as", lang),
            options,
            format_func=lambda key: t("side.today", lang) if key == TODAY else key,
            key=KEY,
            help=t("side.town_as_help", lang),
        )
    )
    if choice == TODAY or ctx.norm_key is None:
        return ctx
    try:
        scenario = store.get(choice).scenario
        with st.spinner(t("scen.comparing", lang)):
            comparison = get_comparison(
                ctx.folder,
                ctx.norm_key,
                ctx.walk_speed_m_min,
                ctx.include_planned,
                None,
                scenario_hash(scenario),
                scenario,
            )
    except PlannerError as err:
        st.error(t("side.town_as_failed", lang, name=md_escape(choice), error=md_escape(err)))
        return ctx
    return replace(
        ctx,
        analysis=comparison.scenario,
        town=comparison.applied.town,
        scenario=scenario,
        comparison=comparison,
    )
