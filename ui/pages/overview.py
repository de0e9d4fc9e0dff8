"""Overview: headline figures, a card per service (traffic light, chart), scorecard, districts."""

from __future__ import annotations

from typing import Any

import altair as alt
import streamlit as st

from planner.analysis import ServiceResult, TownAnalysis
from planner.figures import service_figures
from planner.maps.style import STATUS_COLORS
from planner.presentation.tables import (
    LIGHT_COLORS,
    coverage_breakdown,
    district_table,
    full_facilities,
    locale_styler,
    scorecard,
)
from planner.presentation.words import (
    Lang,
    capacity_unit,
    district_names,
    fmt_number,
    fmt_share,
    pick,
    service_label,
    service_status,
    t,
)
from planner.summary import town_summary
from ui.common import md_escape, page_header
from ui.downloads import render_downloads
from ui.pages.programme import overview_section as programme_section
from ui.state import Context

CARDS_PER_ROW = 2
SHARE_COLUMNS = (
    "col.covered_network",
    "col.covered_radius",
    "col.within_time_short",
    "col.provision",
)


def render(ctx: Context, analysis: TownAnalysis) -> None:
    """Draw the overview page."""
    lang = ctx.lang
    town = analysis.town
    page_header(ctx, "page.overview")
    if town.warnings:
        with st.expander(t("warnings", lang, count=len(town.warnings))):
            st.markdown("\n".join(f"- {md_escape(w)}" for w in town.warnings))
    if ctx.district is not None:
        name = district_names(town, lang).get(ctx.district, ctx.district)
        st.subheader(t("ov.in_district", lang, district=md_escape(name)))
    summary = town_summary(town)
    table = scorecard(analysis, lang, ctx.district)
    residents = float(table[t("col.residents", lang)].max()) if len(table) else 0.0
    columns = st.columns(4)
    columns[0].metric(
        t("ov.population", lang), fmt_number(residents, lang), help=t("ov.population_help", lang)
    )
    columns[1].metric(t("ov.facilities", lang), fmt_number(len(town.facilities), lang))
    columns[2].metric(
        t("ov.modelled", lang),
        fmt_share(summary.modelled_share, lang),
        help=t("ov.modelled_help", lang),
    )
    poor = int((table["status_key"] == "poor").sum()) if len(table) else 0
    columns[3].metric(t("ov.poor", lang), f"{poor} / {len(table)}")
    if table.empty:
        st.info(t("empty.services", lang))
        return
    if residents <= 0:
        st.info(t("empty.district", lang))
        return
    keys = [ctx.service] if ctx.service is not None else list(analysis.services)
    for start in range(0, len(keys), CARDS_PER_ROW):
        row = st.columns(CARDS_PER_ROW)
        for column, key in zip(row, keys[start : start + CARDS_PER_ROW], strict=False):
            with column, st.container(border=True):
                _card(analysis, analysis.services[key], ctx)
    st.subheader(t("ov.scorecard", lang))
    st.caption(t("ov.scorecard_caption", lang, speed=fmt_number(ctx.walk_speed_m_min, lang)))
    shown = table.drop(columns=["key", "status_key"])
    st.dataframe(
        locale_styler(
            shown,
            lang,
            shares=[t(key, lang) for key in SHARE_COLUMNS],
            decimals={t("col.median_walk", lang): 1},
        ),
        hide_index=True,
        column_config=_definitions(lang),
        key="scorecard",
    )
    if ctx.service is not None:
        title = t("ov.by_district", lang, service=service_label(analysis.norms, ctx.service, lang))
    else:
        title = t("ov.by_district_all", lang)
    st.subheader(title)
    districts = district_table(analysis, ctx.service, lang)
    share_columns = [c for c in districts.columns if c != t("col.district", lang)]
    # Shares are written per language by locale_styler (29,9 %); Streamlit's progress bars
    # would print them in English (29.87%), so they are plain numbers.
    shares = share_columns if ctx.service is None else [t(k, lang) for k in SHARE_COLUMNS]
    config = {} if ctx.service is None else _definitions(lang)
    st.dataframe(
        locale_styler(districts, lang, shares=shares),
        hide_index=True,
        column_config=config,
        key="district_table",
    )
    programme_section(ctx, analysis)
    render_downloads(ctx, analysis, key="overview")


def _card(analysis: TownAnalysis, result: ServiceResult, ctx: Context) -> None:
    lang = ctx.lang
    fig = service_figures(analysis, result.norm.key, ctx.district)
    label = service_label(analysis.norms, result.norm.key, lang)
    color = LIGHT_COLORS[fig.status]
    st.markdown(
        f"**:{color}[:material/circle:] {md_escape(label)}** · "
        f":{color}[{service_status(fig.status, lang)}]"
    )
    left, middle, right = st.columns(3)
    left.metric(t("col.covered_network", lang), fmt_share(fig.covered_network_share, lang))
    middle.metric(t("col.covered_radius", lang), fmt_share(fig.covered_radius_share, lang))
    if result.provision is not None:
        # The unit beside the word: places, visits per shift, m² of ground... per service.
        unit = capacity_unit(result.norm, lang)
        right.metric(
            f"{t('col.unmet', lang)}, {unit}",
            fmt_number(fig.unmet_places, lang),
            help=t("def.unmet", lang),
        )
    else:
        right.metric(t("col.gap_zones", lang), fmt_number(fig.gap_zones, lang))
    breakdown = coverage_breakdown(result, lang, ctx.district)
    breakdown["shown"] = [fmt_number(v, lang) for v in breakdown["residents"]]
    chart = (
        alt.Chart(breakdown)
        .mark_bar()
        .encode(
            x=alt.X(
                "residents:Q",
                stack="normalize",
                # Vega writes 20%; Russian writes 20 % (a no-break space before the sign).
                axis=alt.Axis(
                    format="%",
                    title=None,
                    labelExpr=pick(lang, "datum.label", "replace(datum.label, '%', '\u00a0%')"),
                ),
            ),
            color=alt.Color(
                "label:N",
                scale=alt.Scale(
                    domain=list(breakdown["label"]),
                    range=[STATUS_COLORS[c] for c in breakdown["class"]],
                ),
                legend=alt.Legend(orient="bottom", title=None, columns=1, labelLimit=260),
            ),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("shown:N", title=" ")],
        )
        # "pad": the height is the bar's own; the axis and legend are added around it.
        .properties(height=22, autosize=alt.AutoSizeParams(type="pad"))
    )
    st.altair_chart(chart, width="stretch")
    st.caption(
        t(
            "ov.card_counts",
            lang,
            chart=t("ov.chart_caption", lang),
            zones=fmt_number(fig.gap_zones, lang),
            full=fmt_number(full_facilities(analysis, result.norm.key, ctx.district), lang),
            overloaded=fmt_number(fig.overloaded, lang),
        ),
        help=f"{t('def.full', lang)}\n\n{t('def.overloaded', lang)}",
    )


def _definitions(lang: Lang) -> dict[str, Any]:
    """Column help (the "?" on a header): what places short, full and overloaded mean."""
    return {
        t(column, lang): st.column_config.Column(help=t(definition, lang))
        for column, definition in (
            ("col.unmet", "def.unmet"),
            ("col.full", "def.full"),
            ("col.overloaded", "def.overloaded"),
        )
    }
