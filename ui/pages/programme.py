"""Programme: the month's cultural events within walking reach — map, venues, districts.

The sidebar's pace and "planned facilities count" apply; the page chooses the month, the
audience and the walking time. ``overview_section`` is the programme's part of the Overview.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler
from streamlit_folium import st_folium

from planner.analysis import TownAnalysis
from planner.errors import PlannerError
from planner.exports.naming import export_filename
from planner.exports.programme import programme_xlsx_bytes
from planner.exports.stamp import town_stamp
from planner.layers import EVENT_AUDIENCES
from planner.maps.assets import require_vendor_files
from planner.maps.programme import build_programme_map
from planner.presentation.programme import (
    modelled_event_share,
    programme_district_table,
    programme_venue_table,
)
from planner.presentation.tables import locale_styler
from planner.presentation.words import (
    Lang,
    audience_label,
    fmt_number,
    fmt_share,
    month_label,
    t,
    town_attribution,
)
from planner.programme.access import ProgrammeAccess, town_timezone
from ui.common import md_escape, page_header
from ui.downloads import MIME_TYPES
from ui.state import Context, get_programme, get_programme_months

MAP_HEIGHT_PX = 560


def default_month(months: list[str], analysis: TownAnalysis) -> str:
    """Return this month (town time) when the programme covers it, else the programme's first."""
    now = datetime.now(town_timezone(analysis.town)).strftime("%Y-%m")
    return now if now in months or not months else months[0]


def _month_choice(ctx: Context, analysis: TownAnalysis, key: str) -> str:
    months = get_programme_months(ctx.folder, str(ctx.norm_key))
    current = default_month(months, analysis)
    if not months:
        return current
    # One widget per language: a kept widget would show the month still named in the language
    # it was chosen in ("December 2026" on the Russian page) until the next run. The choice
    # itself lives under ``key`` and survives the switch.
    widget = f"{key}_{ctx.lang}"
    if st.session_state.get(key) not in months:
        st.session_state[key] = current
    if st.session_state.get(widget) not in months:  # new in this language (Streamlit drops
        st.session_state[widget] = st.session_state[key]  # a widget's state when not drawn)
    chosen = str(
        st.selectbox(
            t("programme.month", ctx.lang),
            months,
            format_func=lambda m: month_label(m, ctx.lang),
            key=widget,
        )
    )
    st.session_state[key] = chosen
    return chosen


def _result(ctx: Context, month: str) -> ProgrammeAccess:
    return get_programme(
        ctx.folder, str(ctx.norm_key), month, ctx.walk_speed_m_min, ctx.include_planned
    )


def _metrics(
    ctx: Context,
    result: ProgrammeAccess,
    audience: str,
    minutes: float,
    *,
    district: str | None = None,
) -> None:
    """Draw the month's headline figures: of the town, or of one district when given."""
    lang = ctx.lang
    frame = result.summary
    if district is not None:
        frame = result.districts[result.districts["district"] == district]
    summary = frame[frame["audience"] == audience].set_index("minutes")
    if summary.empty:  # a district without residents
        return
    row = summary.loc[minutes]
    longest = summary.loc[result.minutes[-1]]
    counted = int(result.occurrences["counted"].sum())
    columns = st.columns(4)
    columns[0].metric(t("programme.metric.events", lang), fmt_number(counted, lang))
    columns[1].metric(
        t("programme.metric.share", lang, minutes=fmt_number(minutes, lang)),
        fmt_share(row["share_with_events"], lang),
    )
    columns[2].metric(
        t("programme.metric.deserts", lang, minutes=fmt_number(result.minutes[-1], lang)),
        fmt_number(longest["desert_residents"], lang),
    )
    idle = int(result.venues["idle"].sum())
    columns[3].metric(
        t("programme.metric.idle", lang), f"{idle} / {int(result.venues['cultural'].sum())}"
    )


def _modelled_note(ctx: Context, analysis: TownAnalysis) -> None:
    share = modelled_event_share(analysis.town)
    if share > 0:
        st.caption(t("programme.modelled_note", ctx.lang, share=fmt_share(share, ctx.lang)))


def overview_section(ctx: Context, analysis: TownAnalysis) -> None:
    """Draw the programme's part of the Overview: the month's headline figures."""
    lang = ctx.lang
    st.subheader(t("programme.overview_title", lang))
    if analysis.town.events.empty:
        st.info(t("programme.no_events", lang))
        return
    month = _month_choice(ctx, analysis, "overview_month")
    result = _result(ctx, month)
    _metrics(ctx, result, "all", result.minutes[0], district=ctx.district)
    _modelled_note(ctx, analysis)
    # Per district, everyone, at the shortest walk: where residents reach events and where not.
    shortest = result.minutes[0]
    table = programme_district_table(result, analysis.town, lang)
    rows = result.districts[result.districts["audience"] == "all"].reset_index(drop=True)
    keep = (rows["minutes"] == shortest) & (
        rows["district"] == ctx.district if ctx.district is not None else True
    )
    st.caption(
        t(
            "programme.districts_overview",
            lang,
            minutes=fmt_number(shortest, lang),
        )
    )
    st.dataframe(
        _figures_styled(
            table[keep.to_numpy()].drop(columns=[t("programme.col.minutes", lang)]), lang
        ),
        hide_index=True,
        key="overview_programme_districts",
    )


def render(ctx: Context, analysis: TownAnalysis) -> None:
    """Draw the programme page."""
    lang = ctx.lang
    town = analysis.town
    page_header(ctx, "page.programme")
    if town.events.empty:
        st.info(t("programme.no_events", lang))
    left, middle, right = st.columns(3)
    with left:
        month = _month_choice(ctx, analysis, "programme_month")
    with middle:
        audience = str(
            st.selectbox(
                t("programme.col.audience", lang),
                EVENT_AUDIENCES[::-1],
                format_func=lambda a: audience_label(a, lang),
                key="programme_audience",
            )
        )
    result = _result(ctx, month)
    with right:
        minutes = float(
            st.radio(
                t("programme.col.minutes", lang),
                result.minutes,
                format_func=lambda m: t("programme.within", lang, minutes=fmt_number(m, lang)),
                key="programme_minutes",
                horizontal=True,
            )
            or result.minutes[0]
        )
    _metrics(ctx, result, audience, minutes)
    _modelled_note(ctx, analysis)
    try:
        require_vendor_files()
    except PlannerError as err:
        st.error(t("err.no_assets", lang, error=md_escape(err)))
    else:
        fmap = build_programme_map(
            town, result, audience=audience, minutes=minutes, labels=lang, norms=analysis.norms
        )
        st_folium(
            fmap,
            key="programme_map",
            returned_objects=[],
            height=MAP_HEIGHT_PX,
            use_container_width=True,
        )
        st.caption(md_escape(town_attribution(town.meta, ctx.lang)))
    st.subheader(t("programme.venues_title", lang))
    st.dataframe(
        programme_venue_table(result, town, analysis.norms, lang),
        hide_index=True,
        key="programme_venues",
    )
    st.subheader(t("programme.districts_title", lang, audience=audience_label(audience, lang)))
    st.dataframe(
        _figures_styled(programme_district_table(result, town, lang, audience=audience), lang),
        hide_index=True,
        key="programme_districts",
    )
    _download(ctx, analysis, result)


def _download(ctx: Context, analysis: TownAnalysis, result: ProgrammeAccess) -> None:
    """Offer the month's tables as the workbook ``planner programme --out`` writes."""
    stamp = town_stamp(
        analysis.town,
        analysis.norms,
        walk_speed_m_min=ctx.walk_speed_m_min,
        include_planned=ctx.include_planned,
    )
    name = export_filename(
        analysis.town.meta.name, None, f"programme-{result.month}", ctx.lang,
        stamp.date.isoformat(), "xlsx",
    )  # fmt: skip
    st.download_button(
        t("programme.download", ctx.lang),
        data=programme_xlsx_bytes(result, analysis.town, analysis.norms, ctx.lang, stamp),
        file_name=name,
        mime=MIME_TYPES["xlsx"],
        key="programme_download",
        icon=":material/download:",
    )


def _figures_styled(table: pd.DataFrame, lang: Lang) -> Styler:
    """Return a figure table with its numbers as the language writes them (22,6 %; 0,01)."""
    return locale_styler(
        table,
        lang,
        shares=[t("programme.col.share_with_events", lang)],
        decimals={
            t("programme.col.events_mean", lang): 1,
            t("programme.col.seats_per_resident", lang): 2,
        },
    )
