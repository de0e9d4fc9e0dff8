"""Data & sources: provenance per layer, the norms in force with clauses and links, licences."""

from __future__ import annotations

import streamlit as st

from planner.analysis import TownAnalysis
from planner.presentation.tables import locale_styler, norms_table, provenance_table
from planner.presentation.words import (
    fmt_number,
    fmt_share,
    norm_set_title,
    population_source,
    t,
    town_attribution,
)
from planner.summary import town_summary
from ui.common import md_escape, page_header
from ui.state import Context


def render(ctx: Context, analysis: TownAnalysis) -> None:
    """Draw the data and sources page."""
    lang = ctx.lang
    town, norms = analysis.town, analysis.norms
    page_header(ctx, "src.title")
    st.subheader(t("src.provenance", lang))
    st.markdown(t("src.provenance_intro", lang))
    summary = town_summary(town)
    st.markdown(
        t(
            "src.modelled_share",
            lang,
            features=fmt_share(summary.modelled_share, lang),
            residents=fmt_share(summary.modelled_population_share, lang),
        )
    )
    provenance = provenance_table(town, lang)
    share = t("col.modelled_share", lang)
    st.dataframe(
        locale_styler(provenance, lang, shares=[share]),
        hide_index=True,
        key="provenance_table",
    )
    st.caption(
        t(
            "src.population",
            lang,
            population=fmt_number(town.meta.population, lang),
            year=town.meta.population_year,
            source=md_escape(population_source(town.meta, lang)),
            folder=md_escape(town.folder),
        )
    )
    st.subheader(t("src.norms", lang, title=md_escape(norm_set_title(norms, lang))))
    st.caption(t("src.norms_file", lang, file=md_escape(norms.source_file.name)))
    link = t("col.link", lang)
    st.dataframe(
        locale_styler(norms_table(norms, lang), lang),
        hide_index=True,
        column_config={link: st.column_config.LinkColumn(link)},
        key="norms_table",
    )
    st.subheader(t("src.licences", lang))
    lines = [
        t("src.town_attribution", lang, attribution=md_escape(town_attribution(town.meta, lang))),
        t("src.osm", lang),
        t("src.leaflet", lang),
        t("src.jquery", lang),
        t("src.leaflet_draw", lang),
        t("src.project", lang),
    ]
    st.markdown("\n".join(f"- {line}" for line in lines))
