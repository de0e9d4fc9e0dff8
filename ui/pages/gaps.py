"""Gaps: gap zones ranked (each can be shown on the map), missing and not-required services."""

from __future__ import annotations

import streamlit as st

from planner.analysis import TownAnalysis
from planner.figures import service_figures
from planner.presentation.tables import (
    full_facilities,
    gaps_table,
    locale_styler,
    overloaded_table,
    requirement_tables,
)
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
            locale_styler(table.drop(columns="zone_id"), lang),
            hide_index=True,
            column_config={
                t("col.unmet_residents", lang): st.column_config.Column(
                    help=t("def.unmet_residents", lang)
                ),
                t("col.unmet", lang): st.column_config.Column(help=t("def.unmet", lang)),
            },
            key="gaps_table",
        )
        st.caption(t("def.unmet_residents", lang))
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
    statuses = [service_figures(analysis, key).status for key in analysis.services]
    poor = statuses.count("poor")
    if missing.empty and poor:
        # Present by count, yet poorly served on foot: the banner must not read as "all well".
        st.info(t("gaps.none_missing_poor", lang, poor=poor, total=len(statuses)))
    elif missing.empty:
        st.success(t("gaps.none_missing", lang))
    else:
        st.warning(t("gaps.missing", lang, services=", ".join(missing[t("col.service", lang)])))
    st.dataframe(locale_styler(required, lang), hide_index=True, key="required_table")
    st.subheader(t("gaps.not_required", lang))
    st.dataframe(locale_styler(not_required, lang), hide_index=True, key="not_required_table")
    st.subheader(t("gaps.overloaded", lang))
    over = overloaded_table(analysis, ctx.service, lang)
    keys = [ctx.service] if ctx.service is not None else list(analysis.services)
    full = sum(full_facilities(analysis, key) for key in keys)
    st.caption(
        f"{t('def.overloaded', lang)} {t('def.full', lang)} "
        + t("gaps.full_note", lang, full=fmt_number(full, lang), overloaded=len(over))
    )
    if over.empty:
        st.caption(t("gaps.no_overloaded", lang))
    else:
        st.dataframe(locale_styler(over, lang), hide_index=True, key="overloaded_table")
