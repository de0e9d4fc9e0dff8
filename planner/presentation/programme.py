"""The programme access as display tables and report lines, in English or Russian.

Numbers stay numbers (the dashboard sorts them); headers, audiences, categories, names and the
idle flag are words of the chosen language (``planner.presentation.words``).
"""

from __future__ import annotations

import pandas as pd

from planner.layers import EVENT_CATEGORIES, MODELLED_PROVENANCES
from planner.model import Town
from planner.norms import NormSet
from planner.presentation.report import table
from planner.presentation.words import (
    Lang,
    audience_label,
    district_names,
    event_category,
    facility_names,
    fmt_number,
    fmt_share,
    month_label,
    service_label,
    t,
)
from planner.programme.access import ProgrammeAccess

__all__ = [
    "modelled_event_share",
    "programme_district_table",
    "programme_lines",
    "programme_summary_table",
    "programme_venue_table",
]


def modelled_event_share(town: Town) -> float:
    """Return the share of the town's events that are modelled or illustrative (0 without any)."""
    events = town.events
    if events.empty:
        return 0.0
    return float(events["provenance"].isin(MODELLED_PROVENANCES).mean())


def programme_summary_table(result: ProgrammeAccess, lang: Lang) -> pd.DataFrame:
    """Return the town-wide figures per audience and walking time, headers translated."""
    s = result.summary
    labels = [audience_label(a, lang) for a in s["audience"]]
    return _figures(s, t("programme.col.audience", lang), labels, lang)


def programme_venue_table(
    result: ProgrammeAccess, town: Town, norms: NormSet | None, lang: Lang
) -> pd.DataFrame:
    """Return the venues: events by category, seats, residents within reach, idle or not."""
    v = result.venues
    names = facility_names(town, lang)
    columns: dict[str, object] = {
        t("programme.col.venue", lang): [names.get(f, f) for f in v["facility_id"]],
        t("programme.col.service", lang): [service_label(norms, s, lang) for s in v["service"]],
        t("programme.col.events", lang): v["events"].to_numpy(),
    }
    for category in EVENT_CATEGORIES:
        columns[event_category(category, lang)] = v[f"events_{category}"].to_numpy()
    columns[t("programme.col.seats", lang)] = v["seats"].to_numpy()
    columns[t("programme.col.unknown_capacity", lang)] = v["unknown_capacity"].to_numpy()
    for minutes in result.minutes:
        header = t("programme.col.residents_within", lang, minutes=fmt_number(minutes, lang))
        columns[header] = v[f"residents_within_{minutes:g}min"].to_numpy()
    columns[t("programme.col.idle", lang)] = [
        venue_state(idle, events, lang) for idle, events in zip(v["idle"], v["events"], strict=True)
    ]
    return pd.DataFrame(columns)


def venue_state(idle: bool, events: int, lang: Lang) -> str:
    """Return a venue's state in words.

    Active (events this month), idle (a cultural venue with none), or no events at a venue that
    is not a cultural one (a sports hall that hosts a festival some other month).
    """
    if idle:
        return t("programme.idle.yes", lang)
    return t("programme.idle.no" if events else "programme.idle.other", lang)


def venue_lines(
    result: ProgrammeAccess, town: Town, norms: NormSet | None, lang: Lang
) -> list[list[str]]:
    """Return the venues in words, headers first: name, service, events, seats, state."""
    names = facility_names(town, lang)
    v = result.venues
    rows = [
        [t(f"programme.col.{c}", lang) for c in ("venue", "service", "events", "seats", "idle")]
    ]
    rows += [
        [
            names.get(f, f),
            service_label(norms, sv, lang),
            fmt_number(e, lang),
            seats_text(seats, unknown, lang),
            venue_state(idle, e, lang),
        ]
        for f, sv, e, seats, unknown, idle in zip(
            v["facility_id"],
            v["service"],
            v["events"],
            v["seats"],
            v["unknown_capacity"],
            v["idle"],
            strict=True,
        )
    ]
    return rows


def seats_text(seats: float, unknown_events: int, lang: Lang) -> str:
    """Return the seats of a venue's events, saying how many events have no known size."""
    if not unknown_events:
        return fmt_number(seats, lang)
    return t(
        "programme.seats_unknown",
        lang,
        seats=fmt_number(seats, lang),
        events=fmt_number(unknown_events, lang),
    )


def programme_district_table(
    result: ProgrammeAccess, town: Town, lang: Lang, *, audience: str = "all"
) -> pd.DataFrame:
    """Return one audience's figures per district and walking time."""
    d = result.districts[result.districts["audience"] == audience]
    names = district_names(town, lang)
    labels = [names.get(x, x) for x in d["district"]]
    return _figures(d, t("programme.col.district", lang), labels, lang)


_FIGURES = ("minutes", "residents", "share_with_events", "events_mean", "seats_per_resident",
            "desert_residents")  # fmt: skip
"""The figure columns shared by the town summary and the district table, in order."""


def _figures(frame: pd.DataFrame, header: str, labels: list[str], lang: Lang) -> pd.DataFrame:
    """Return a first column of labels and the ``_FIGURES`` columns with translated headers."""
    columns: dict[str, object] = {header: labels}
    for name in _FIGURES:
        columns[t(f"programme.col.{name}", lang)] = frame[name].to_numpy()
    return pd.DataFrame(columns)


def programme_lines(
    result: ProgrammeAccess, town: Town, norms: NormSet | None, lang: Lang, *, pace: str
) -> list[str]:
    """Return the plain-text report ``planner programme`` prints."""
    month = month_label(result.month, lang)
    lines = [t("programme.title", lang, month=month), ""]
    if town.events.empty:
        lines += [t("programme.no_events", lang), ""]
    else:
        counted = result.occurrences["counted"]
        lines.append(
            t(
                "programme.occurrences",
                lang,
                count=fmt_number(len(counted), lang),
                month=month,
                left_out=fmt_number(int((~counted).sum()), lang),
            )
        )
        share = modelled_event_share(town)
        if share > 0:
            lines.append(t("programme.modelled_note", lang, share=fmt_share(share, lang)))
        lines.append("")
    lines.append(t("programme.summary_heading", lang, month=month, pace=pace))
    s = result.summary
    rows = [
        [
            audience_label(a, lang),
            fmt_number(m, lang),
            fmt_number(r, lang),
            fmt_share(sh, lang),
            fmt_number(e, lang, 1),
            fmt_number(seats, lang, 2),
            fmt_number(d, lang),
        ]
        for a, m, r, sh, e, seats, d in zip(
            s["audience"],
            s["minutes"],
            s["residents"],
            s["share_with_events"],
            s["events_mean"],
            s["seats_per_resident"],
            s["desert_residents"],
            strict=True,
        )
    ]
    headers = [
        t(f"programme.col.{c}", lang)
        for c in (
            "audience",
            "minutes",
            "residents",
            "share_with_events",
            "events_mean",
            "seats_per_resident",
            "desert_residents",
        )
    ]
    lines += [*table(headers, rows, indent="  "), ""]
    lines.append(t("programme.venues_heading", lang))
    venue_headers, *venue_rows = venue_lines(result, town, norms, lang)
    lines += [*table(venue_headers, venue_rows, indent="  "), ""]
    shortest = result.minutes[0]
    lines.append(t("programme.districts_heading", lang, minutes=fmt_number(shortest, lang)))
    d = result.districts
    d = d[(d["audience"] == "all") & (d["minutes"] == shortest)]
    district = district_names(town, lang)
    district_rows = [
        [district.get(x, x), fmt_number(r, lang), fmt_share(sh, lang), fmt_number(de, lang)]
        for x, r, sh, de in zip(
            d["district"],
            d["residents"],
            d["share_with_events"],
            d["desert_residents"],
            strict=True,
        )
    ]
    district_headers = [
        t(f"programme.col.{c}", lang)
        for c in ("district", "residents", "share_with_events", "desert_residents")
    ]
    lines += table(district_headers, district_rows, indent="  ")
    return lines
