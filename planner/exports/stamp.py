"""The reproducibility stamp every export carries: what its figures were computed from.

An ``ExportStamp`` names the tool version, the town and the hash of its data, the norm set, the
walking pace, whether planned facilities counted, the scenario (name and file hash) if any, and
the date. Each format shows it where a reader looks: the HTML map's footer, the PNG/SVG caption,
the PDF annex, a ``export_stamp`` table in the GeoPackage, a sheet of the XLSX workbook and a
``stamp.csv`` beside the CSV tables.

The date is injectable so two runs can give byte-identical files: pass it, or set the
``SOURCE_DATE_EPOCH`` environment variable (the reproducible-builds convention, seconds since
1970 in UTC); otherwise it is today's date in UTC.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass

from planner import __version__
from planner.analysis import TownAnalysis
from planner.errors import PlannerError
from planner.model import Town
from planner.norms import NormSet
from planner.presentation.words import Lang, fmt_number, pick, t
from planner.scenarios.edits import Scenario
from planner.scenarios.fingerprint import town_data_hash
from planner.scenarios.toml_format import scenario_to_toml

__all__ = [
    "HASH_SHOWN_CHARS",
    "ExportStamp",
    "export_date",
    "make_stamp",
    "scenario_hash",
    "stamp_line",
    "stamp_lines",
    "stamp_rows",
    "town_stamp",
]

HASH_SHOWN_CHARS = 12
"""Hex digits of a hash shown to people (the full hash is in the machine-readable stamps)."""


@dataclass(frozen=True, slots=True)
class ExportStamp:
    """What an export was computed from.

    Attributes
    ----------
    tool_version
        The version of Gusev Planner.
    town, town_ru
        The town's name in English and Russian.
    town_hash
        The hash of the town's data files (``planner.scenarios.fingerprint.town_data_hash``:
        SHA-256 over ``town.toml`` and every layer file, so a README does not count), hex.
    norm_set, norm_title, norm_title_ru
        The norm set's key and title.
    walk_speed_m_min
        The walking pace used for times.
    include_planned
        Whether planned facilities counted.
    scenario, scenario_hash
        The scenario's name and ``scenario_hash`` of it, or ``None``.
    date
        The date of the export.
    """

    tool_version: str
    town: str
    town_ru: str
    town_hash: str
    norm_set: str
    norm_title: str
    norm_title_ru: str
    walk_speed_m_min: float
    include_planned: bool
    date: dt.date
    scenario: str | None = None
    scenario_hash: str | None = None


def export_date(date: dt.date | None = None) -> dt.date:
    """Return the export date: ``date``, else ``SOURCE_DATE_EPOCH``, else today (UTC).

    Raises
    ------
    PlannerError
        If ``SOURCE_DATE_EPOCH`` is set but is not a whole number of seconds.

    Examples
    --------
    >>> export_date(dt.date(2026, 1, 31))
    datetime.date(2026, 1, 31)
    """
    if date is not None:
        return date
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            seconds = int(epoch)
        except ValueError:
            msg = (
                f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970; "
                "unset it or give e.g. SOURCE_DATE_EPOCH=1767225600."
            )
            raise PlannerError(msg) from None
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


def scenario_hash(scenario: Scenario) -> str:
    """Return the SHA-256 (hex) of a scenario's canonical TOML text.

    The canonical text (``planner.scenarios.scenario_to_toml``) is the same whether the scenario
    was read from a file, kept in the scenario store or built in the dashboard, so the CLI and
    the dashboard stamp the same scenario with the same hash; comments and layout of a file do
    not count, its name and every edit do.
    """
    return hashlib.sha256(scenario_to_toml(scenario).encode("utf-8")).hexdigest()


def make_stamp(
    analysis: TownAnalysis,
    *,
    date: dt.date | None = None,
    scenario: Scenario | None = None,
) -> ExportStamp:
    """Return the stamp of exports of ``analysis``.

    Parameters
    ----------
    analysis
        The analysis exported (its town folder is hashed).
    date
        The export date (default: ``export_date()``).
    scenario
        The scenario applied, if the analysis is of a scenario (its name and hash are stamped).
    """
    return town_stamp(
        analysis.town,
        analysis.norms,
        walk_speed_m_min=analysis.walk_speed_m_min,
        include_planned=analysis.include_planned,
        date=date,
        scenario=scenario,
    )


def town_stamp(
    town: Town,
    norms: NormSet,
    *,
    walk_speed_m_min: float,
    include_planned: bool,
    date: dt.date | None = None,
    scenario: Scenario | None = None,
) -> ExportStamp:
    """Return the stamp of an export of ``town`` computed without a ``TownAnalysis``.

    The programme access, for one; the parameters are those of ``make_stamp`` and the pace and
    "planned counted" choice the figures were computed with.
    """
    return ExportStamp(
        tool_version=__version__,
        town=town.meta.name,
        town_ru=town.meta.name_ru,
        town_hash=town_data_hash(town.folder),
        norm_set=norms.key,
        norm_title=norms.title,
        norm_title_ru=norms.title_ru,
        walk_speed_m_min=float(walk_speed_m_min),
        include_planned=bool(include_planned),
        date=export_date(date),
        scenario=None if scenario is None else scenario.name,
        scenario_hash=None if scenario is None else scenario_hash(scenario),
    )


def stamp_rows(stamp: ExportStamp) -> list[tuple[str, str]]:
    """Return the stamp as (key, value) pairs for machine-readable tables (full hashes).

    Examples
    --------
    >>> import datetime as dt
    >>> stamp = ExportStamp("1.0", "Gusev", "Гусев", "ab" * 32, "sp42", "SP 42", "СП 42",
    ...                     75.0, False, dt.date(2026, 1, 31))
    >>> dict(stamp_rows(stamp))["date"], dict(stamp_rows(stamp))["scenario"]
    ('2026-01-31', '')
    """
    return [
        ("tool", "Gusev Planner"),
        ("tool_version", stamp.tool_version),
        ("town", stamp.town),
        ("town_data_sha256", stamp.town_hash),
        ("norm_set", stamp.norm_set),
        ("walk_speed_m_min", f"{stamp.walk_speed_m_min:g}"),
        ("include_planned", "true" if stamp.include_planned else "false"),
        ("scenario", stamp.scenario or ""),
        ("scenario_sha256", stamp.scenario_hash or ""),
        ("date", stamp.date.isoformat()),
    ]


def stamp_lines(
    stamp: ExportStamp, lang: Lang, *, full_hashes: bool = False
) -> list[tuple[str, str]]:
    """Return the stamp as (label, value) lines for people, in a language.

    Hashes are shortened to ``HASH_SHOWN_CHARS`` digits unless ``full_hashes``.
    """
    shown = None if full_hashes else HASH_SHOWN_CHARS
    lines = [
        (t("export.stamp_tool", lang), f"Gusev Planner {stamp.tool_version}"),
        (t("export.stamp_town", lang), pick(lang, stamp.town, stamp.town_ru)),
        (t("export.stamp_data", lang), f"SHA-256 {stamp.town_hash[:shown]}"),
        (
            t("export.stamp_norms", lang),
            f"{pick(lang, stamp.norm_title, stamp.norm_title_ru)} ({stamp.norm_set})",
        ),
        (
            t("export.stamp_pace", lang),
            t("export.stamp_pace_value", lang, speed=fmt_number(stamp.walk_speed_m_min, lang)),
        ),
        (
            t("export.stamp_planned", lang),
            t("export.yes" if stamp.include_planned else "export.no", lang),
        ),
    ]
    if stamp.scenario is not None:
        value = stamp.scenario
        if stamp.scenario_hash:
            value += f" (SHA-256 {stamp.scenario_hash[:shown]})"
        lines.append((t("export.stamp_scenario", lang), value))
    lines.append((t("export.stamp_date", lang), stamp.date.isoformat()))
    return lines


def stamp_line(stamp: ExportStamp, lang: Lang) -> str:
    """Return the stamp on one line ("Gusev Planner 0.1.0 · data SHA-256 ab12… · ...")."""
    return " · ".join(f"{label}: {value}" for label, value in stamp_lines(stamp, lang))
