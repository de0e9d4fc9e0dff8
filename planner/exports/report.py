"""The report for the council, as a PDF in English or Russian.

Pages:

1. **Summary**: the headline figures of every service (status, residents within the walk and
   the radius, provision, places short), the town map and the largest gaps with the standard
   project suggested for each and the clauses behind it.
2. **One page per service**: its map with legend, the figures per district, the overloaded
   facilities and every gap zone.
3. **Annex**: the provenance of the data, the required services, the norms in force with their
   sources, and the reproducibility stamp (tool version, data hash, date).

Built with ReportLab (BSD licence; see ``docs/exports.md`` for the choice): its flowing layout
splits long tables across pages with the header row repeated, it embeds a subset of the font
(matplotlib's DejaVu Sans, which has Cyrillic, so no system font is needed), and its
``invariant`` mode leaves out the creation time, so the same inputs give the same bytes. Maps
are drawn by ``planner.exports.static_map`` and placed as 200 dpi images. Every number and word
comes from ``planner.figures`` and ``planner.presentation`` — the same as the dashboard's.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from planner.analysis import Progress, TownAnalysis
from planner.exports.scenario_map import changed_services
from planner.exports.stamp import ExportStamp, stamp_lines
from planner.exports.static_map import changes_panel_jpeg, map_panel_jpeg, provenance_line
from planner.figures import service_figures
from planner.maps.style import escape_text
from planner.norms import NormSet, ServiceNorm
from planner.presentation.programme import (
    modelled_event_share,
    programme_district_table,
    programme_summary_table,
    venue_lines,
)
from planner.presentation.scenarios import comparison_table
from planner.presentation.tables import (
    LIGHTS,
    district_table,
    gaps_table,
    norms_table,
    overloaded_table,
    provenance_table,
    requirement_tables,
)
from planner.presentation.words import (
    Lang,
    capacity_unit,
    district_names,
    fmt_amount,
    fmt_number,
    fmt_share,
    month_label,
    norm_set_title,
    service_label,
    service_status,
    shortfall,
    t,
    town_attribution,
    town_name,
    zone_clause,
)
from planner.programme.access import cultural_services, programme_access
from planner.scenarios.compare import ScenarioComparison

__all__ = ["REPORT_FONT", "TOP_GAPS", "report_pdf_bytes", "write_report"]

REPORT_FONT = "DejaVuSans"
REPORT_FONT_BOLD = "DejaVuSans-Bold"
TOP_GAPS = 5
"""Gap zones listed on the summary page (the largest by places short, then residents)."""

PAGE_MARGIN_MM = 15.0
MAP_DPI = 200
STATUS_HEX = {"good": "#1a9850", "fair": "#e08214", "poor": "#d73027", "n/a": "#777777"}


def write_report(
    analysis: TownAnalysis,
    service: str | None,
    *,
    lang: Lang,
    stamp: ExportStamp,
    path: Path,
    progress: Progress | None = None,
    comparison: ScenarioComparison | None = None,
) -> None:
    """Write the report to ``path`` (a staging path of an atomic write)."""
    data = report_pdf_bytes(
        analysis, service, lang=lang, stamp=stamp, progress=progress, comparison=comparison
    )
    path.write_bytes(data)


def report_pdf_bytes(
    analysis: TownAnalysis,
    service: str | None,
    *,
    lang: Lang,
    stamp: ExportStamp,
    progress: Progress | None = None,
    comparison: ScenarioComparison | None = None,
) -> bytes:
    """Return the report as PDF bytes.

    Parameters
    ----------
    analysis
        The analysis (already narrowed to ``service`` when one is given).
    service
        One service, or ``None`` for every analysed service.
    lang
        Language of the report.
    stamp
        The reproducibility stamp (its date is the report's date).
    progress
        Called per page with a fraction in [0, 1], a step key and a service key or ``None``.
    comparison
        A scenario compared with today: ``analysis`` is then the town after the scenario, and
        a before/after page (figures, and the gained / lost map of each service it changes)
        follows the summary.
    """
    report = progress or (lambda _f, _s, _k: None)
    _register_fonts()
    styles = _styles()
    keys = [service] if service is not None else list(analysis.services)
    story: list[Flowable] = []
    report(0.05, "export_summary", None)
    story += _summary_page(analysis, service, keys, lang, stamp, styles)
    if comparison is not None:
        report(0.08, "export_scenario", None)
        story.append(PageBreak())
        story += _scenario_page(comparison, keys, lang, styles)
    for index, key in enumerate(keys):
        report(0.1 + 0.8 * index / max(len(keys), 1), "export_service", key)
        story.append(PageBreak())
        story += _service_page(analysis, key, lang, styles)
    if service is None and not analysis.town.events.empty:
        story.append(PageBreak())
        story += _programme_page(analysis, lang, stamp, styles)
    report(0.92, "export_annex", None)
    story.append(PageBreak())
    story += _annex(analysis, service, lang, stamp, styles)
    buffer = io.BytesIO()
    title = t("report.title", lang, town=town_name(analysis.town.meta, lang))
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=PAGE_MARGIN_MM * mm,
        rightMargin=PAGE_MARGIN_MM * mm,
        topMargin=PAGE_MARGIN_MM * mm,
        bottomMargin=(PAGE_MARGIN_MM + 4) * mm,
        title=title,
        author="Gusev Planner",
        creator="Gusev Planner",
        subject=norm_set_title(analysis.norms, lang),
        lang=lang,
        invariant=1,
    )
    footer = t("report.footer", lang, title=title, date=stamp.date.isoformat())

    def on_page(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(REPORT_FONT, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(PAGE_MARGIN_MM * mm, 9 * mm, footer)
        canvas.drawRightString(
            A4[0] - PAGE_MARGIN_MM * mm, 9 * mm, t("report.page", lang, page=document.page)
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    report(1.0, "export_written", None)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Pages


def _summary_page(
    analysis: TownAnalysis,
    service: str | None,
    keys: Sequence[str],
    lang: Lang,
    stamp: ExportStamp,
    styles: dict[str, ParagraphStyle],
) -> list[Flowable]:
    town = analysis.town
    name = town_name(town.meta, lang)
    story: list[Flowable] = [
        Paragraph(escape_text(t("report.title", lang, town=name)), styles["title"]),
        Paragraph(
            escape_text(
                t(
                    "report.subtitle",
                    lang,
                    norms=norm_set_title(analysis.norms, lang),
                    date=stamp.date.isoformat(),
                    population=fmt_number(town.meta.population, lang),
                    speed=fmt_number(analysis.walk_speed_m_min, lang),
                )
            ),
            styles["subtitle"],
        ),
        Paragraph(escape_text(provenance_line(analysis, lang)), styles["note"]),
        *(
            [
                Paragraph(
                    escape_text(t("report.scenario_note", lang, name=stamp.scenario)),
                    styles["body"],
                )
            ]
            if stamp.scenario
            else []
        ),
        Spacer(1, 3 * mm),
        Paragraph(escape_text(t("report.headline", lang)), styles["h2"]),
        _table(
            _headline_rows(analysis, keys, lang), styles, widths=_HEADLINE_WIDTHS, numeric_from=2
        ),
        Spacer(1, 3 * mm),
        _map_image(analysis, service, lang, height_mm=72.0),
    ]
    gaps = _main_district_only(
        analysis, gaps_table(analysis, service, None, lang).head(TOP_GAPS), lang
    )
    story.append(Paragraph(escape_text(t("report.top_gaps", lang, count=TOP_GAPS)), styles["h2"]))
    if gaps.empty:
        story.append(Paragraph(escape_text(t("report.no_gaps", lang)), styles["body"]))
    else:
        story += _gap_table(gaps, analysis.norms, lang, styles, with_service=True)
    return story


MAX_CHANGE_MAPS = 3
"""Gained / lost maps on the before/after page (the services with most homes changed)."""


def _scenario_page(
    comparison: ScenarioComparison,
    keys: Sequence[str],
    lang: Lang,
    styles: dict[str, ParagraphStyle],
) -> list[Flowable]:
    scenario = comparison.applied.scenario
    story: list[Flowable] = [
        Paragraph(escape_text(t("report.scenario_title", lang, name=scenario.name)), styles["h1"]),
        Paragraph(escape_text(t("report.scenario_intro", lang)), styles["body"]),
    ]
    if scenario.description:
        story.append(Paragraph(escape_text(scenario.description), styles["note"]))
    labels = {service_label(comparison.scenario.norms, k, lang) for k in keys}
    table = comparison_table(comparison, lang)
    table = table[table[t("scenario.col.service", lang)].isin(labels)].reset_index(drop=True)
    story += [Spacer(1, 2 * mm), _frame_table(table, lang, styles)]
    changed = [k for k in changed_services(comparison) if k in keys]
    services = comparison.services.set_index("service")
    moved = (services["units_gained"] + services["units_lost"]).reindex(changed)
    for key in moved.sort_values(ascending=False, kind="stable").index[:MAX_CHANGE_MAPS]:
        label = service_label(comparison.scenario.norms, str(key), lang)
        story.append(
            KeepTogether(
                [
                    Paragraph(
                        escape_text(t("report.changes_map", lang, service=label)), styles["h2"]
                    ),
                    _image(
                        changes_panel_jpeg(
                            comparison,
                            str(key),
                            lang=lang,
                            size_mm=(_CONTENT_MM, 78.0),
                            dpi=MAP_DPI,
                        ),
                        78.0,
                    ),
                ]
            )
        )
    if not changed:
        story.append(Paragraph(escape_text(t("report.no_changes", lang)), styles["body"]))
    return story


def _main_district_only(analysis: TownAnalysis, gaps: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Name only the district with most of a zone's residents (and how many more it spans)."""
    if gaps.empty:
        return gaps
    zones = analysis.all_gap_zones().set_index("zone_id")
    names = district_names(analysis.town, lang)
    column = t("col.district", lang)
    shown = []
    for zone in gaps["zone_id"]:
        ids = list(zones.loc[zone, "district_ids"])
        first = names.get(str(ids[0]), str(ids[0])) if ids else ""
        more = t("report.more_districts", lang, count=len(ids) - 1) if len(ids) > 1 else ""
        shown.append(f"{first} {more}".strip())
    return gaps.assign(**{column: shown})


def _service_page(
    analysis: TownAnalysis, key: str, lang: Lang, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    fig = service_figures(analysis, key)
    label = service_label(analysis.norms, key, lang)
    status = f"{LIGHTS[fig.status]} {service_status(fig.status, lang)}"
    norm = analysis.service(key).norm
    facts = t(
        "report.service_facts",
        lang,
        facilities=fig.facilities,
        walk=fmt_share(fig.covered_network_share, lang),
        radius=fmt_share(fig.covered_radius_share, lang),
        limit=fmt_number(norm.walk_limit_m, lang),
        norm_radius=fmt_number(norm.radius_m, lang),
    )
    if fig.has_demand_rule:
        facts += " " + t(
            "report.service_places",
            lang,
            demand=shortfall(fig.demand, norm, lang),
            provision=fmt_share(fig.provision_ratio, lang),
            short=shortfall(fig.unmet_places, norm, lang),
        )
    story: list[Flowable] = [
        Paragraph(
            f'{escape_text(label)} <font color="{STATUS_HEX[fig.status]}">'
            f"{escape_text(status)}</font>",
            styles["h1"],
        ),
        Paragraph(escape_text(facts), styles["body"]),
        Spacer(1, 2 * mm),
        _map_image(analysis, key, lang, height_mm=105.0),
        Paragraph(escape_text(t("report.by_district", lang)), styles["h2"]),
        _frame_table(district_table(analysis, key, lang), lang, styles),
    ]
    overloaded = overloaded_table(analysis, key, lang)
    story.append(Paragraph(escape_text(t("report.overloaded", lang)), styles["h2"]))
    if overloaded.empty:
        story.append(Paragraph(escape_text(t("report.none", lang)), styles["body"]))
    else:
        unit = capacity_unit(norm, lang)
        amounts = ("col.capacity", "col.nearest_demand", "col.load")
        shown = overloaded.drop(columns=[t("col.service", lang)]).rename(
            columns={t(c, lang): f"{t(c, lang)}, {unit}" for c in amounts}
        )
        story.append(_frame_table(shown, lang, styles))
    gaps = gaps_table(analysis, key, None, lang)
    story.append(Paragraph(escape_text(t("report.gap_list", lang)), styles["h2"]))
    if gaps.empty:
        story.append(Paragraph(escape_text(t("report.no_gaps", lang)), styles["body"]))
    else:
        story.append(
            Paragraph(
                escape_text(t("report.clause", lang, clause=zone_clause(norm, lang))),
                styles["note"],
            )
        )
        story += _gap_table(gaps, analysis.norms, lang, styles, with_service=False, norm=norm)
    return story


def _programme_page(
    analysis: TownAnalysis, lang: Lang, stamp: ExportStamp, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """Return the cultural programme of the report's month.

    Who can walk to events, by audience and by district, and the venues (active or idle).
    """
    town, norms = analysis.town, analysis.norms
    month = stamp.date.strftime("%Y-%m")
    result = programme_access(
        town,
        month,
        network=analysis.network,
        walk_speed_m_min=analysis.walk_speed_m_min,
        cultural=cultural_services(norms),
        include_planned=analysis.include_planned,
    )
    counted = result.occurrences["counted"]
    facts = t(
        "programme.occurrences",
        lang,
        count=fmt_number(len(counted), lang),
        month=month_label(month, lang),
        left_out=fmt_number(int((~counted).sum()), lang),
    )
    share = modelled_event_share(town)
    if share > 0:
        facts += " " + t("programme.modelled_note", lang, share=fmt_share(share, lang))
    shares = {t("programme.col.share_with_events", lang)}
    decimals = {
        t("programme.col.events_mean", lang): 1,
        t("programme.col.seats_per_resident", lang): 2,
    }
    first = {t("programme.col.audience", lang), t("programme.col.district", lang)}
    return [
        Paragraph(
            escape_text(t("programme.title", lang, month=month_label(month, lang))), styles["h1"]
        ),
        Paragraph(escape_text(facts), styles["body"]),
        Paragraph(escape_text(t("report.programme_month", lang)), styles["note"]),
        Paragraph(escape_text(t("report.programme_audience", lang)), styles["h2"]),
        _frame_table(
            programme_summary_table(result, lang),
            lang,
            styles,
            wide=first,
            shares=shares,
            decimals=decimals,
        ),
        Paragraph(escape_text(t("report.programme_districts", lang)), styles["h2"]),
        _frame_table(
            programme_district_table(result, town, lang),
            lang,
            styles,
            wide=first,
            shares=shares,
            decimals=decimals,
        ),
        Paragraph(escape_text(t("report.programme_venues", lang)), styles["h2"]),
        _table(
            venue_lines(result, town, norms, lang),
            styles,
            widths=[w * mm for w in (62, 48, 15, 30, 25)],
            numeric_from=-1,
            numeric={2, 3},
        ),
    ]


def _annex(
    analysis: TownAnalysis,
    service: str | None,
    lang: Lang,
    stamp: ExportStamp,
    styles: dict[str, ParagraphStyle],
) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(escape_text(t("report.annex", lang)), styles["h1"]),
        Paragraph(escape_text(t("report.provenance", lang)), styles["h2"]),
        Paragraph(escape_text(provenance_line(analysis, lang)), styles["body"]),
        _frame_table(provenance_table(analysis.town, lang), lang, styles),
        Paragraph(escape_text(town_attribution(analysis.town.meta, lang)), styles["note"]),
    ]
    required, _ = requirement_tables(analysis, lang)
    if service is not None:
        label = service_label(analysis.norms, service, lang)
        required = required[required[t("col.service", lang)] == label]
    story += [
        Paragraph(
            escape_text(
                t(
                    "report.required",
                    lang,
                    population=fmt_number(analysis.town.meta.population, lang),
                )
            ),
            styles["h2"],
        ),
        _frame_table(required.reset_index(drop=True), lang, styles, wide={t("col.clause", lang)}),
    ]
    norms = norms_table(analysis.norms, lang)
    if service is not None:
        label = service_label(analysis.norms, service, lang)
        norms = norms[norms[t("col.service", lang)].isin([label, "—"])]
    columns = [
        t(c, lang)
        for c in ("col.service", "col.what", "col.document", "col.clause", "col.confidence")
    ]
    story += [
        Paragraph(
            escape_text(t("report.norms", lang, title=norm_set_title(analysis.norms, lang))),
            styles["h2"],
        ),
        _frame_table(
            norms[columns].reset_index(drop=True),
            lang,
            styles,
            wide={t("col.document", lang), t("col.clause", lang)},
        ),
        Paragraph(escape_text(t("report.stamp", lang)), styles["h2"]),
        Paragraph(escape_text(t("report.stamp_intro", lang)), styles["body"]),
    ]
    rows = [[label, value] for label, value in stamp_lines(stamp, lang, full_hashes=True)]
    story.append(
        _table(
            [[t("col.what", lang), t("col.value", lang)], *rows],
            styles,
            widths=[50 * mm, 125 * mm],
            numeric_from=99,
        )
    )
    return story


# ---------------------------------------------------------------------------------------------
# Tables and images


_HEADLINE_WIDTHS = [w * mm for w in (40, 20, 22, 20, 24, 20, 16, 18)]


def _headline_rows(analysis: TownAnalysis, keys: Sequence[str], lang: Lang) -> list[list[str]]:
    header = [
        t(c, lang)
        for c in (
            "col.service",
            "col.status",
            "col.covered_network",
            "col.covered_radius",
            "col.provision",
            "col.unmet",
            "col.gap_zones",
            "col.overloaded",
        )
    ]
    rows = [header]
    for key in keys:
        fig = service_figures(analysis, key)
        rows.append(
            [
                service_label(analysis.norms, key, lang),
                f"{LIGHTS[fig.status]} {service_status(fig.status, lang)}",
                fmt_share(fig.covered_network_share, lang),
                fmt_share(fig.covered_radius_share, lang),
                fmt_share(fig.provision_ratio, lang),
                shortfall(fig.unmet_places, analysis.norms.service(key), lang),
                fmt_number(fig.gap_zones, lang),
                fmt_number(fig.overloaded, lang),
            ]
        )
    return rows


def _gap_table(
    gaps: pd.DataFrame,
    norms: NormSet,
    lang: Lang,
    styles: dict[str, ParagraphStyle],
    *,
    with_service: bool,
    norm: ServiceNorm | None = None,
) -> list[Flowable]:
    """Return the gap zones as a table; with several services, clauses as numbered notes.

    A clause is long (document, clause, project sizes) and the same for every zone of a
    service, so it is written once: under the table as a note ``[n]`` that the rows cite.
    Shortfalls carry their service's unit (places, m² of ground, ...); ``norm`` is the service
    of every row when ``with_service`` is false.
    """
    by_label = {service_label(norms, k, lang): s for k, s in norms.services.items()}
    columns = ["col.rank"]
    columns += ["col.service"] if with_service else []
    columns += ["col.district", "col.unmet_residents", "col.unmet", "col.project"]
    headers = [t(c, lang) for c in columns]
    notes: list[str] = []
    clause_header = t("col.clause", lang)
    rows: list[list[str]] = [[*headers, clause_header] if with_service else headers]
    for record in gaps.to_dict("records"):
        row = []
        row_norm = by_label[str(record[t("col.service", lang)])] if with_service else norm
        for column, header in zip(columns, headers, strict=True):
            value = record[header]
            if column == "col.unmet" and row_norm is not None:
                row.append(shortfall(value, row_norm, lang))
            elif column in ("col.unmet_residents", "col.unmet"):
                row.append(fmt_number(value, lang))
            else:
                row.append(str(value))
        if with_service:
            clause = str(record[clause_header])
            if clause not in notes:
                notes.append(clause)
            row.append(f"[{notes.index(clause) + 1}]")
        rows.append(row)
    widths = [8, 30, 32, 21, 28, 49, 12] if with_service else [8, 56, 24, 27, 65]
    numeric = {headers.index(t("col.unmet_residents", lang)), headers.index(t("col.unmet", lang))}
    story: list[Flowable] = [
        _table(rows, styles, widths=[w * mm for w in widths], numeric_from=-1, numeric=numeric)
    ]
    story += [
        Paragraph(escape_text(f"[{number}] {note}"), styles["note"])
        for number, note in enumerate(notes, start=1)
    ]
    return story


def _frame_table(
    frame: pd.DataFrame,
    lang: Lang,
    styles: dict[str, ParagraphStyle],
    *,
    wide: set[str] | None = None,
    shares: set[str] | None = None,
    decimals: dict[str, int] | None = None,
) -> Table:
    """Return a display table as a PDF table: shares as percentages, numbers in the locale.

    ``shares`` names more columns of shares than the analysis tables' own; ``decimals`` gives
    the decimals of columns that need a fixed number of them (seats per resident: 0.06).
    """
    fixed = decimals or {}
    shares = (shares or set()) | {
        t(k, lang)
        for k in (
            "col.covered_network",
            "col.covered_radius",
            "col.provision",
            "col.load_share",
            "col.modelled_share",
        )
    }
    headers = [str(c) for c in frame.columns]
    numeric = set()
    rows: list[list[str]] = [headers]
    for index, column in enumerate(frame.columns):
        if pd.api.types.is_numeric_dtype(frame[column].dtype):
            numeric.add(index)
    for record in frame.itertuples(index=False):
        row = []
        for index, value in enumerate(record):
            if index in numeric:
                header = headers[index]
                if header in shares:
                    row.append(fmt_share(value, lang))
                elif header in fixed:
                    row.append(fmt_number(value, lang, fixed[header]))
                else:
                    row.append(fmt_amount(value, lang))
            else:
                row.append("" if value is None else str(value))
        rows.append(row)
    total = A4[0] - 2 * PAGE_MARGIN_MM * mm
    weights = [3.0 if h in (wide or set()) else 1.0 for h in headers]
    if headers:
        weights[0] = max(weights[0], 1.6)
    widths = [total * w / sum(weights) for w in weights]
    return _table(rows, styles, widths=widths, numeric_from=-1, numeric=numeric)


def _table(
    rows: list[list[str]],
    styles: dict[str, ParagraphStyle],
    *,
    widths: Sequence[float],
    numeric_from: int,
    numeric: set[int] | None = None,
) -> Table:
    """Return a table of wrapped text cells; numbers right-aligned, the header row repeated."""
    right = numeric if numeric is not None else set(range(max(numeric_from, 0), len(rows[0])))
    if numeric_from < 0 and numeric is None:
        right = set()
    cells = [
        [
            Paragraph(
                escape_text(value),
                styles[
                    ("cell_head_num" if c in right else "cell_head")
                    if r == 0
                    else ("cell_num" if c in right else "cell")
                ],
            )
            for c, value in enumerate(row)
        ]
        for r, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=_fit_widths(rows, styles, widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e4da")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#777777")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f4ef")]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING_PT),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING_PT),
            ]
        )
    )
    return table


CELL_PADDING_PT = 2.5
LONGEST_WORD_SHARE = 0.22


def _fit_widths(
    rows: list[list[str]], styles: dict[str, ParagraphStyle], widths: Sequence[float]
) -> list[float]:
    """Return column widths that fit every word (no word is split) within the total width.

    Each column first gets its longest word (header in bold); the width left over goes to the
    columns in proportion to how much their longest cell would still need. ``widths`` gives
    the total (and the fallback when even the words do not fit).
    """
    total = float(sum(widths))
    head, cell = styles["cell_head"], styles["cell"]

    def width(text: str, style: ParagraphStyle) -> float:
        return float(pdfmetrics.stringWidth(text, style.fontName, style.fontSize))

    pad = 2 * CELL_PADDING_PT + 1.0
    # A token longer than this share of the line (a file path, a URL) may still be split.
    longest_word = LONGEST_WORD_SHARE * total
    words, natural = [], []
    for column in range(len(rows[0])):
        texts = [(row[column], head if r == 0 else cell) for r, row in enumerate(rows)]
        word = max(width(w, st) for text, st in texts for w in (text.split() or [""]))
        words.append(min(word, longest_word) + pad)
        natural.append(max(width(text, st) for text, st in texts) + pad)
    if sum(words) > total:
        return list(widths)
    room = total - sum(words)
    want = [max(n - w, 0.0) for n, w in zip(natural, words, strict=True)]
    if sum(want) <= room:
        spare = (room - sum(want)) / len(words)
        return [w + x + spare for w, x in zip(words, want, strict=True)]
    return [w + room * x / sum(want) for w, x in zip(words, want, strict=True)]


_CONTENT_MM = 210.0 - 2 * PAGE_MARGIN_MM


def _map_image(
    analysis: TownAnalysis, service: str | None, lang: Lang, *, height_mm: float
) -> Flowable:
    size = (_CONTENT_MM, height_mm)
    return _image(
        map_panel_jpeg(analysis, service, lang=lang, size_mm=size, dpi=MAP_DPI), height_mm
    )


def _image(data: bytes, height_mm: float) -> Flowable:
    return Image(io.BytesIO(data), width=_CONTENT_MM * mm, height=height_mm * mm)


# ---------------------------------------------------------------------------------------------
# Fonts and styles


def _register_fonts() -> None:
    """Register matplotlib's DejaVu Sans (Cyrillic) with ReportLab; it is embedded, subset."""
    if REPORT_FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(mpl.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(REPORT_FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(REPORT_FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        REPORT_FONT,
        normal=REPORT_FONT,
        bold=REPORT_FONT_BOLD,
        italic=REPORT_FONT,
        boldItalic=REPORT_FONT_BOLD,
    )


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=REPORT_FONT, fontSize=8.6, leading=11.2, alignment=TA_LEFT
    )
    styles = {
        "title": ParagraphStyle(
            "title", parent=base, fontName=REPORT_FONT_BOLD, fontSize=17, leading=21
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=base,
            fontSize=9.5,
            leading=12.5,
            textColor=colors.HexColor("#333333"),
        ),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=REPORT_FONT_BOLD, fontSize=14, leading=18, spaceAfter=2
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=REPORT_FONT_BOLD,
            fontSize=10.5,
            leading=13.5,
            spaceBefore=5,
            spaceAfter=2.5,
        ),
        "body": base,
        "note": ParagraphStyle(
            "note", parent=base, fontSize=7.4, leading=9.4, textColor=colors.HexColor("#555555")
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.3, leading=8.9),
        "cell_num": ParagraphStyle("cell_num", parent=base, fontSize=7.3, leading=8.9, alignment=2),
        "cell_head": ParagraphStyle(
            "cell_head", parent=base, fontName=REPORT_FONT_BOLD, fontSize=7.2, leading=8.8
        ),
    }
    # A number column's header sits over its numbers, at the right.
    styles["cell_head_num"] = ParagraphStyle(
        "cell_head_num", parent=styles["cell_head"], alignment=2
    )
    return styles
