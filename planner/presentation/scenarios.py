"""A scenario comparison in words: the tables a person reads, in English or Russian."""

from __future__ import annotations

import pandas as pd

from planner.presentation.catalogue import Lang, t
from planner.presentation.words import district_names, fmt_number, service_label
from planner.scenarios.compare import ScenarioComparison

__all__ = ["before_after", "comparison_table", "district_comparison_table"]


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
