"""The analysis as an Excel workbook (XLSX): one sheet per table, in English or Russian.

The sheets are the dashboard's display tables (``planner.presentation.tables``) with the same
localised headers: the services' figures, the districts, the gap zones with their projects and
clauses, the overloaded facilities, the facilities, the required services, the provenance of
the data, the norms in force and the reproducibility stamp. Every sheet has a bold, frozen
header row, a filter, column widths fitted to the content, and number formats (shares as
percentages, counts with thousands separators); values stay numbers, so they sort and sum.

Written with XlsxWriter; the document's creation time is the stamp's date, so the same analysis
and stamp give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from planner.analysis import TownAnalysis
from planner.exports.naming import sheet_name
from planner.exports.stamp import ExportStamp, stamp_lines, stamp_rows
from planner.presentation.tables import (
    district_table,
    facilities_table,
    gaps_table,
    norms_table,
    overloaded_table,
    provenance_table,
    requirement_tables,
    scorecard,
)
from planner.presentation.words import Lang, service_label, t

__all__ = ["SHARE_COLUMNS", "stamp_sheet", "workbook_tables", "write_sheets", "write_xlsx"]

SHARE_COLUMNS: tuple[str, ...] = (
    "col.covered_network",
    "col.covered_radius",
    "col.within_time_short",
    "col.provision",
    "col.load_share",
    "col.modelled_share",
)
"""Columns holding shares in [0, 1]: shown as percentages."""

DECIMAL_COLUMNS: tuple[str, ...] = ("col.median_walk",)
"""Columns shown with one decimal."""

MAX_WIDTH_CHARS = 60
MIN_WIDTH_CHARS = 8


def workbook_tables(
    analysis: TownAnalysis, service: str | None, lang: Lang, stamp: ExportStamp
) -> list[tuple[str, pd.DataFrame]]:
    """Return the sheets of the workbook as (sheet title, table), in order.

    Parameters
    ----------
    analysis
        The analysis (already narrowed to the exported service).
    service
        The service exported, or ``None`` for all.
    lang
        Language of the titles, headers and words.
    stamp
        The stamp (the last sheet).
    """
    required, _ = requirement_tables(analysis, lang)
    if service is not None:
        label = service_label(analysis.norms, service, lang)
        required = required[required[t("col.service", lang)] == label]
    gaps = gaps_table(analysis, service, None, lang).rename(
        columns={"zone_id": t("col.zone", lang)}
    )
    return [
        (t("xlsx.services", lang), scorecard(analysis, lang).drop(columns=["key", "status_key"])),
        (t("xlsx.districts", lang), district_table(analysis, service, lang)),
        (t("xlsx.gaps", lang), gaps),
        (t("xlsx.overloaded", lang), overloaded_table(analysis, service, lang)),
        (t("xlsx.facilities", lang), facilities_table(analysis, lang, service=service)),
        (t("xlsx.required", lang), required.reset_index(drop=True)),
        (t("xlsx.provenance", lang), provenance_table(analysis.town, lang)),
        (t("xlsx.norms", lang), norms_table(analysis.norms, lang)),
        stamp_sheet(stamp, lang),
    ]


def write_xlsx(
    analysis: TownAnalysis,
    service: str | None,
    lang: Lang,
    stamp: ExportStamp,
    path: Path,
) -> None:
    """Write the workbook to ``path`` (a staging path of an atomic write)."""
    share_headers = {t(key, lang) for key in SHARE_COLUMNS}
    if service is None:
        # The district sheet of all services is a matrix of shares, one column per service.
        share_headers |= {service_label(analysis.norms, k, lang) for k in analysis.services}
    write_sheets(
        workbook_tables(analysis, service, lang, stamp),
        path,
        title=t("xlsx.title", lang),
        date=stamp.date,
        share_headers=share_headers,
        decimal_headers={t(key, lang) for key in DECIMAL_COLUMNS},
    )


def stamp_sheet(stamp: ExportStamp, lang: Lang) -> tuple[str, pd.DataFrame]:
    """Return the stamp as the last sheet of a workbook: (title, table)."""
    return (
        t("export.stamp_title", lang),
        pd.DataFrame(
            [*stamp_lines(stamp, lang), *stamp_rows(stamp)],
            columns=[t("col.what", lang), t("col.value", lang)],
        ),
    )


def write_sheets(
    sheets: Sequence[tuple[str, pd.DataFrame]],
    path: Path,
    *,
    title: str,
    date: dt.date,
    share_headers: Collection[str] = (),
    decimal_headers: Collection[str] = (),
) -> None:
    """Write tables as the sheets of one workbook, formatted alike.

    Parameters
    ----------
    sheets
        (sheet title, table) in order; titles are made valid and unique sheet names.
    path
        Where to write (a staging path of an atomic write).
    title
        The document's title (its properties).
    date
        The document's creation date (the stamp's), so equal inputs give equal bytes.
    share_headers, decimal_headers
        Headers of columns shown as percentages, and with one decimal.
    """
    created = dt.datetime.combine(date, dt.time())
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True, "nan_inf_to_errors": False})
    workbook.set_properties({"title": title, "creator": "Gusev Planner", "created": created})
    formats = {
        "header": workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8E4DA", "border": 1}
        ),
        "share": workbook.add_format({"num_format": "0.0%"}),
        "decimal": workbook.add_format({"num_format": "#,##0.0"}),
        "whole": workbook.add_format({"num_format": "#,##0"}),
        "amount": workbook.add_format({"num_format": "#,##0.0"}),
        "text": workbook.add_format({"text_wrap": False}),
    }
    shares, decimals = set(share_headers), set(decimal_headers)
    used: set[str] = set()
    for sheet_title, table in sheets:
        name = sheet_name(sheet_title, used)
        used.add(name)
        sheet = workbook.add_worksheet(name)
        kinds = [_kind(table[column], str(column), shares, decimals) for column in table.columns]
        _write_sheet(sheet, table, kinds, formats)
    workbook.close()


def _kind(values: pd.Series, header: str, shares: set[str], decimals: set[str]) -> str:
    if not pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values):
        return "text"
    if header in shares:
        return "share"
    if header in decimals:
        return "decimal"
    finite = values.replace([np.inf, -np.inf], np.nan).dropna().astype(float)
    return "whole" if bool((finite == finite.round()).all()) else "amount"


def _write_sheet(
    sheet: Worksheet, table: pd.DataFrame, kinds: Sequence[str], formats: dict[str, object]
) -> None:
    headers = [str(c) for c in table.columns]
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, formats["header"])
    for row, record in enumerate(table.itertuples(index=False), start=1):
        for col, (value, kind) in enumerate(zip(record, kinds, strict=True)):
            _write_cell(sheet, row, col, value, kind, formats)
    for col, header in enumerate(headers):
        cells = [len(header) * 0.6 + 2] + [
            len(_shown(v)) + 2 for v in table.iloc[:, col].head(500).tolist()
        ]
        width = min(max(*cells, MIN_WIDTH_CHARS), MAX_WIDTH_CHARS)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    if len(table.columns):
        sheet.autofilter(0, 0, max(len(table), 1), len(headers) - 1)


def _write_cell(
    sheet: Worksheet, row: int, col: int, value: object, kind: str, formats: dict[str, object]
) -> None:
    if kind == "text":
        text = "" if _missing(value) else str(value)
        if text:
            sheet.write_string(row, col, text)
        return
    if _missing(value):
        return  # unknown or unreachable: an empty cell, as NULL in the GeoPackage
    sheet.write_number(row, col, float(value), formats[kind])  # type: ignore[arg-type]


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float | np.floating) and not math.isfinite(float(value))


def _shown(value: object) -> str:
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:,.1f}"
    return "" if _missing(value) else str(value)
