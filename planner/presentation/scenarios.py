"""A scenario comparison in words: the tables a person reads, in English or Russian."""

from __future__ import annotations

import pandas as pd

from planner.norms import NormSet
from planner.presentation.catalogue import Lang, t
from planner.presentation.words import district_names, fmt_number, service_label
from planner.scenarios.compare import ScenarioComparison
from planner.scenarios.edits import (
    AddFacility,
    AddHousing,
    AddStreet,
    ChangeFacility,
    Edit,
    MoveFacility,
    Scenario,
)
from planner.scenarios.housing import DEFAULT_HOUSEHOLD_SIZE

__all__ = ["before_after", "comparison_table", "district_comparison_table", "edit_table"]


def before_after(before: float, after: float, lang: Lang, decimals: int = 0) -> str:
    """Return "before → after (+change)" with the language's number format; NaN as –.

    Examples
    --------
    >>> before_after(433.5, 475.8, "en")
    '434 → 476 (+42)'
    """
    change = after - before
    sign = "+" if change > 0 else ""
    return t(
        "scenario.before_after",
        lang,
        before=fmt_number(before, lang, decimals),
        after=fmt_number(after, lang, decimals),
        change=sign + fmt_number(change, lang, decimals),
    )


def comparison_table(comparison: ScenarioComparison, lang: Lang) -> pd.DataFrame:
    """Return one row per service: residents within walk, places served, homes gaining/losing."""
    norms = comparison.scenario.norms
    rows = []
    for row in comparison.services.to_dict("records"):
        rows.append(
            {
                t("scenario.col.service", lang): service_label(norms, str(row["service"]), lang),
                t("scenario.col.within_walk", lang): before_after(
                    row["covered_network_before"], row["covered_network_after"], lang
                ),
                t("scenario.col.served_within", lang): before_after(
                    row["served_within_before"], row["served_within_after"], lang
                ),
                t("scenario.col.served_beyond", lang): before_after(
                    row["served_beyond_before"], row["served_beyond_after"], lang
                ),
                t("scenario.col.unserved", lang): before_after(
                    row["unserved_before"], row["unserved_after"], lang
                ),
                t("scenario.col.homes_gained", lang): int(row["units_gained"]),
                t("scenario.col.homes_lost", lang): int(row["units_lost"]),
            }
        )
    return pd.DataFrame(rows)


def district_comparison_table(
    comparison: ScenarioComparison, service: str, lang: Lang
) -> pd.DataFrame:
    """Return one row per district of one service, as ``comparison_table`` does per service."""
    names = district_names(comparison.applied.town, lang)
    rows = []
    table = comparison.districts
    for row in table[table["service"] == service].to_dict("records"):
        rows.append(
            {
                t("scenario.col.district", lang): names.get(str(row["district"]), row["district"]),
                t("scenario.col.within_walk", lang): before_after(
                    row["covered_network_before"], row["covered_network_after"], lang
                ),
                t("scenario.col.served_within", lang): before_after(
                    row["served_within_before"], row["served_within_after"], lang
                ),
                t("scenario.col.unserved", lang): before_after(
                    row["unserved_before"], row["unserved_after"], lang
                ),
                t("scenario.col.homes_gained", lang): int(row["units_gained"]),
                t("scenario.col.homes_lost", lang): int(row["units_lost"]),
            }
        )
    return pd.DataFrame(rows)


def edit_table(scenario: Scenario, norms: NormSet | None, lang: Lang) -> pd.DataFrame:
    """Return one row per edit: its position, what it does, the id it adds or targets, details.

    Examples
    --------
    >>> from planner.scenarios.edits import CloseStreet
    >>> row = edit_table(Scenario("s", (CloseStreet("st-1"),)), None, "en").iloc[0]
    >>> row["Edit"], row["Id"]
    ('close a street', 'st-1')
    """
    rows = [
        {
            t("scen.col.n", lang): index,
            t("scen.col.edit", lang): t(f"scen.op.{edit.op}", lang),
            t("scen.col.id", lang): edit.target,
            t("scen.col.details", lang): _details(edit, norms, lang),
        }
        for index, edit in enumerate(scenario.edits, start=1)
    ]
    columns = [t(f"scen.col.{c}", lang) for c in ("n", "edit", "id", "details")]
    return pd.DataFrame(rows, columns=columns)


def _details(edit: Edit, norms: NormSet | None, lang: Lang) -> str:
    """Return the facts of an edit a person checks: service and size, residents, position."""
    if isinstance(edit, AddFacility):
        size = "–" if edit.capacity is None else fmt_number(edit.capacity, lang)
        return t(
            "scen.detail.facility",
            lang,
            service=service_label(norms, edit.service, lang),
            capacity=size,
            lon=f"{edit.lon:.5f}",
            lat=f"{edit.lat:.5f}",
        )
    if isinstance(edit, MoveFacility):
        return t("scen.detail.move", lang, lon=f"{edit.lon:.5f}", lat=f"{edit.lat:.5f}")
    if isinstance(edit, ChangeFacility):
        parts = []
        if edit.capacity is not None:
            parts.append(t("scen.detail.capacity", lang, capacity=fmt_number(edit.capacity, lang)))
        if edit.status is not None:
            parts.append(t(f"scen.status.{edit.status}", lang))
        return "; ".join(parts)
    if isinstance(edit, AddHousing):
        if edit.flats is not None:
            household = edit.household_size
            people = DEFAULT_HOUSEHOLD_SIZE if household is None else household
            return t(
                "scen.detail.flats",
                lang,
                flats=fmt_number(edit.flats, lang),
                size=fmt_number(people, lang, 1),
            )
        return t("scen.detail.residents", lang, residents=fmt_number(edit.residents, lang))
    if isinstance(edit, AddStreet):
        return t("scen.detail.street", lang, kind=edit.kind, points=len(edit.line))
    return ""
