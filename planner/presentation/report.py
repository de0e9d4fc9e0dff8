"""Plain-text reports of an analysis (what ``planner analyze``, ``gaps`` and ``explain`` print).

Each function returns the lines to print, in English or Russian, built from the same figures
(``planner.figures``), words (``planner.presentation.words``) and explanations
(``planner.presentation.explain``) as the dashboard, so the terminal and the browser say the
same thing. No printing here: the CLI prints the lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.analysis import TownAnalysis
from planner.figures import summary_table
from planner.presentation.explain import BlockExplanation
from planner.presentation.tables import gaps_table, requirement_tables
from planner.presentation.words import (
    Lang,
    capacity_unit,
    facility_names,
    fmt_metres,
    fmt_number,
    fmt_share,
    norm_set_title,
    service_label,
    service_status,
    t,
    town_name,
)

__all__ = ["explanation_lines", "far_point_lines", "gaps_lines", "service_table_lines", "table"]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, indent: str = "") -> list[str]:
    """Return a text table: the first column left-aligned, the others right-aligned.

    Examples
    --------
    >>> for line in table(["service", "share"], [["school", "95%"], ["kindergarten", "7%"]]):
    ...     print(line)
    service       share
    school          95%
    kindergarten     7%
    """
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return (indent + "  ".join(parts)).rstrip()

    return [line(headers), *(line(r) for r in rows)]


def service_table_lines(analysis: TownAnalysis, lang: Lang) -> list[str]:
    """Return the per-service summary: coverage by walk and radius, demand, provision, status."""
    summary = summary_table(analysis)
    headers = [
        t("col.service", lang),
        t("col.covered_network", lang),
        t("col.covered_radius", lang),
        t("col.cut_off", lang),
        t("col.demand", lang),
        t("col.unmet", lang),
        t("col.unit", lang),
        t("col.provision", lang),
        t("col.status", lang),
    ]
    rows = [
        [
            service_label(analysis.norms, str(r["service"]), lang),
            fmt_share(r["covered_network_share"], lang),
            fmt_share(r["covered_radius_share"], lang),
            fmt_number(r["radius_not_network"], lang),
            fmt_number(r["demand"], lang),
            fmt_number(r["unmet_places"], lang),
            _unit(analysis, str(r["service"]), lang),
            fmt_share(r["provision_ratio"], lang),
            service_status(str(r["status"]), lang),
        ]
        for r in summary.to_dict("records")
    ]
    return table(headers, rows)


def _unit(analysis: TownAnalysis, key: str, lang: Lang) -> str:
    """Return a service's capacity unit; nothing without a demand rule (no places counted)."""
    norm = analysis.norms.service(key)
    return capacity_unit(norm, lang) if norm.demand.is_defined else ""


def gaps_lines(analysis: TownAnalysis, lang: Lang) -> list[str]:
    """Return the gap list: missing services, gap zones largest first, overloaded facilities."""
    town = analysis.town
    lines = [
        t(
            "cli.gaps_title",
            lang,
            town=town_name(town.meta, lang),
            norms=norm_set_title(analysis.norms, lang),
        ),
        "",
        t("gaps.required", lang, population=fmt_number(town.meta.population, lang)) + ":",
    ]
    required, not_required = requirement_tables(analysis, lang)
    missing = required[required[t("col.missing", lang)] > 0]
    for row in missing.to_dict("records"):
        lines.append(
            "  "
            + t(
                "cli.missing",
                lang,
                service=row[t("col.service", lang)],
                existing=row[t("col.existing", lang)],
                required=row[t("col.required", lang)],
                clause=row[t("col.clause", lang)],
            )
        )
    if missing.empty:
        lines.append("  " + t("gaps.none_missing", lang))
    if len(not_required):
        services = ", ".join(not_required[t("col.service", lang)])
        lines.append("  " + t("cli.not_required", lang, services=services))
    zones = gaps_table(analysis, None, None, lang)
    lines += ["", t("cli.zones", lang, count=len(zones))]
    if len(zones):
        columns = ["col.rank", "col.service", "col.district", "col.unmet_residents", "col.unmet"]
        headers = [t(c, lang) for c in columns] + [t("col.unit", lang), t("col.project", lang)]
        rows = [
            [
                str(r[t("col.rank", lang)]),
                str(r[t("col.service", lang)]),
                str(r[t("col.district", lang)]),
                fmt_number(r[t("col.unmet_residents", lang)], lang),
                fmt_number(r[t("col.unmet", lang)], lang),
                str(r[t("col.unit", lang)]),
                str(r[t("col.project", lang)]),
            ]
            for r in zones.to_dict("records")
        ]
        lines += table(headers, rows, indent="  ")
    lines += ["", t("cli.overloaded", lang)]
    found = False
    names = facility_names(town, lang)
    for key, result in analysis.services.items():
        for row in result.overloaded.to_dict("records"):
            found = True
            lines.append(
                "  "
                + t(
                    "cli.overloaded_line",
                    lang,
                    service=service_label(analysis.norms, key, lang),
                    name=names.get(str(row["facility_id"]), str(row["facility_id"])),
                    id=row["facility_id"],
                    capacity=fmt_number(row["capacity"], lang),
                    demand=fmt_number(row["nearest_demand"], lang),
                    ratio=fmt_share(row["overload_ratio"], lang),
                )
            )
    if not found:
        lines.append("  " + t("cli.none", lang))
    return lines


def far_point_lines(analysis: TownAnalysis, lang: Lang) -> list[str]:
    """Return the warning about homes and facilities far from any street (empty when none)."""
    far = analysis.network.far_points
    if far.empty:
        return []
    limit = fmt_number(analysis.network.far_connector_m, lang)
    lines = ["", t("cli.far_title", lang, count=len(far), limit=limit)]
    for row in far.to_dict("records"):
        key = "cli.far_home" if row["kind"] == "origin" else "cli.far_facility"
        lines.append(
            "  " + t(key, lang, id=row["id"], distance=fmt_metres(row["connector_m"], lang))
        )
    lines.append("  " + t("cli.far_fix", lang))
    return lines


def explanation_lines(block: BlockExplanation, service_label: str) -> list[str]:
    """Return a block's explanation as the dashboard shows it: title, facts, the sentence."""
    width = max(len(label) for label, _ in block.facts)
    lines = [f"{block.title}: {service_label}"]
    lines += [f"  {label:<{width}}  {value}" for label, value in block.facts]
    return [*lines, "", block.sentence]
