"""Facilities: a sortable table with service, capacity, load, residents served, provenance."""

from __future__ import annotations

import streamlit as st

from planner.analysis import TownAnalysis
from planner.presentation.tables import facilities_table, locale_styler
from planner.presentation.words import t
from ui.common import page_header
from ui.state import Context


def render(ctx: Context, analysis: TownAnalysis) -> None:
    """Draw the facilities page."""
    lang = ctx.lang
    page_header(ctx, "fac.title")
    real_only = st.toggle(
        t("fac.real_only", lang), key="real_only", help=t("fac.real_only_help", lang)
    )
    table = facilities_table(
        analysis, lang, service=ctx.service, district=ctx.district, real_only=real_only
    )
    st.caption(t("fac.caption", lang, shown=len(table), total=len(analysis.town.facilities)))
    if table.empty:
        st.info(t("empty.facilities", lang))
        return
    share = t("col.load_share", lang)
    st.dataframe(
        locale_styler(table, lang, shares=[share]),
        hide_index=True,
        column_config={
            t("col.load", lang): st.column_config.Column(help=t("def.full", lang)),
        },
        key="facilities_table",
    )
