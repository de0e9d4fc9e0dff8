"""Gaps: gap zones ranked (each can be shown on the map), missing and not-required services."""

from __future__ import annotations

import streamlit as st

from planner.analysis import TownAnalysis
from planner.presentation.tables import gaps_table, overloaded_table, requirement_tables
from planner.presentation.words import fmt_number, t
from ui.common import page_header
from ui.pages.map import FOCUS_KEY
from ui.state import Context

GOTO_KEY = "goto_page"
"""Session key read by app.py: the page to switch to on the next run."""


def render(ctx: Context, analysis: TownAnalysis) -> None:
    """Draw the gaps page."""
    lang = ctx.lang
    page_header(ctx, "gaps.title")
    st.subheader(t("gaps.ranked", lang))
    st.caption(t("gaps.ranked_caption", lang))
    table = gaps_table(analysis, ctx.service, ctx.district, lang)
    if table.empty:
        st.success(t("empty.gaps", lang))
    else:
        st.dataframe(
            table.drop(columns="zone_id"),
            hide_index=True,
            column_config={
                t("col.unmet_residents", lang): st.column_config.NumberColumn(format="%d"),
                t("col.unmet", lang): st.column_config.NumberColumn(format="%.0f"),
            },
            key="gaps_table",
        )
        labels = dict(
            zip(
                table["zone_id"],
                [
                    f"{rank}. {service} · {district} · {fmt_number(places, lang)}"
                    for rank, service, district, places in zip(
                        table[t("col.rank", lang)],
                        table[t("col.service", lang)],
                        table[t("col.district", lang)],
                        table[t("col.unmet_residents", lang)],
                        strict=True,
                    )
                ],
                strict=True,
            )
        )
        pick, go = st.columns([4, 1], vertical_alignment="bottom")
        zone = pick.selectbox(
            t("gaps.pick_zone", lang),
            list(labels),
            format_func=labels.__getitem__,
            key="gap_zone_pick",
        )
        if go.button(t("gaps.show_on_map", lang), key="show_on_map", type="primary"):
            st.session_state[FOCUS_KEY] = zone
            st.session_state[GOTO_KEY] = "map"
            st.rerun()
    population = fmt_number(analysis.town.meta.population, lang)
    st.subheader(t("gaps.required", lang, population=population))
    required, not_required = requirement_tables(analysis, lang)
    missing = required[required[t("col.missing", lang)] > 0]
    if missing.empty:
        st.success(t("gaps.none_missing", lang))
    else:
        st.warning(t("gaps.missing", lang, services=", ".join(missing[t("col.service", lang)])))
    st.dataframe(required, hide_index=True, key="required_table")
    st.subheader(t("gaps.not_required", lang))
    st.dataframe(not_required, hide_index=True, key="not_required_table")
    st.subheader(t("gaps.overloaded", lang))
    over = overloaded_table(analysis, ctx.service, lang)
    if over.empty:
        st.caption(t("gaps.no_overloaded", lang))
    else:
        st.dataframe(over, hide_index=True, key="overloaded_table")
