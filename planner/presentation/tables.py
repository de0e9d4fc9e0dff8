"""Display tables of the dashboard, in English or Russian (no Streamlit here).

Each function turns ``planner`` results into a ``pandas.DataFrame`` whose column headers are
already translated (``planner.presentation.catalogue``); the pages only render them. Numbers
stay numbers so that ``st.dataframe`` sorts them correctly; data text (names, addresses,
sources) is passed through as text, and ``st.dataframe`` shows it as text.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from planner.analysis import ServiceResult, TownAnalysis
from planner.figures import district_figures, facility_districts, service_figures
from planner.layers import LAYER_SPECS, MODELLED_PROVENANCES, PROVENANCES
from planner.maps.style import FULL_LOAD_SHARE
from planner.model import Town
from planner.norms import NormSet, ServiceNorm
from planner.presentation.views import residents_served_within
from planner.presentation.words import (
    Lang,
    capacity_unit,
    district_names,
    facility_names,
    facility_status,
    fmt_amount,
    fmt_number,
    fmt_share,
    known_word,
    project_text,
    provenance,
    requirement_reason,
    requirement_status,
    service_label,
    service_status,
    t,
    unit_status,
    zone_clause,
    zone_districts,
)

LIGHTS = {"good": "✔", "fair": "▲", "poor": "✖", "n/a": "–"}
"""Symbols of the service statuses in tables (plain Unicode: no colour-emoji font needed)."""

LIGHT_COLORS = {"good": "green", "fair": "orange", "poor": "red", "n/a": "gray"}
"""Streamlit Markdown colours of the traffic lights on the overview cards."""

REAL_PROVENANCES: frozenset[str] = frozenset(PROVENANCES) - MODELLED_PROVENANCES
"""Provenances of real objects: OpenStreetMap, verified, approximate position."""


def locale_styler(
    frame: pd.DataFrame,
    lang: Lang,
    *,
    shares: Collection[str] = (),
    decimals: Mapping[str, int] | None = None,
) -> Styler:
    """Return ``frame`` styled so that every number reads as the language writes it.

    The numbers stay numbers (a table sorts by them); only what is shown changes: 28,600 and
    29.9% in English, 28 600 and 29,9 % in Russian, "–" for a missing value.

    Parameters
    ----------
    frame
        A display table (headers already translated).
    lang
        Language.
    shares
        Columns holding shares in [0, 1], shown as percentages with one decimal.
    decimals
        Decimals of other numeric columns; a column not named shows whole numbers without
        decimals and other numbers with one (``words.fmt_amount``).

    Examples
    --------
    >>> table = pd.DataFrame({"Жителей": [28600.0], "Доля": [0.2987]})
    >>> html = locale_styler(table, "ru", shares=["Доля"]).to_html()
    >>> "28\u00a0600" in html, "29,9\u00a0%" in html
    (True, True)
    """
    places = decimals or {}
    formats: dict[str, object] = {}
    for column in frame.columns:
        if column in shares:
            formats[column] = lambda v: fmt_share(v, lang, 1)
        elif column in places:
            formats[column] = lambda v, n=places[column]: fmt_number(v, lang, n)
        elif pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(
            frame[column]
        ):
            formats[column] = lambda v: fmt_amount(v, lang)
    return frame.style.format(formats)  # type: ignore[arg-type]


def full_facilities(analysis: TownAnalysis, service: str, district: str | None = None) -> int:
    """Return how many facilities of a service are full: every place taken by the assignment.

    "Full" is the map's darkest load class (load ≥ ``FULL_LOAD_SHARE`` of capacity). It is not
    "overloaded" (``ServiceFigures.overloaded``: more demand nearby, within the walk, than
    places), which the tables name as such: a facility can be full of children from farther away
    while the homes nearest to it need fewer places than it has.
    """
    result = analysis.service(service)
    if result.provision is None:
        return 0
    table = result.provision.facilities
    full = table.loc[table["load_share"].to_numpy(dtype=float) >= FULL_LOAD_SHARE, "facility_id"]
    ids = [str(f) for f in full]
    if district is not None:
        where = facility_districts(analysis)
        ids = [f for f in ids if where.get(f) == district]
    return len(ids)


def status_text(status: str, lang: Lang) -> str:
    """Return a service status as its symbol and word ("✖ poor")."""
    return f"{LIGHTS[status]} {service_status(status, lang)}"


def scorecard(analysis: TownAnalysis, lang: Lang, district: str | None = None) -> pd.DataFrame:
    """Return the per-service scorecard (one row per analysed service), headers translated.

    Columns ``key`` (service key) and ``status_key`` (``planner.figures.ServiceStatus``) are kept
    for code (the pages drop them); shares are in [0, 1]; the status column holds the traffic
    light's symbol and word.
    """
    rows = []
    for key, result in analysis.services.items():
        fig = service_figures(analysis, key, district)
        demand_rule = result.provision is not None
        rows.append(
            {
                "key": key,
                "status_key": fig.status,
                t("col.service", lang): service_label(analysis.norms, key, lang),
                t("col.status", lang): status_text(fig.status, lang),
                t("col.residents", lang): fig.residents,
                t("col.covered_network", lang): fig.covered_network_share,
                t("col.covered_radius", lang): fig.covered_radius_share,
                t("col.cut_off", lang): fig.radius_not_network,
                t("col.within_time_short", lang): fig.within_time_share,
                t("col.median_walk", lang): fig.median_walk_min,
                t("col.provision", lang): fig.provision_ratio,
                t("col.demand", lang): fig.demand,
                t("col.unmet", lang): fig.unmet_places,
                t("col.unit", lang): capacity_unit(result.norm, lang) if demand_rule else "",
                t("col.gap_zones", lang): fig.gap_zones,
                t("col.full", lang): full_facilities(analysis, key, district),
                t("col.overloaded", lang): fig.overloaded,
            }
        )
    return pd.DataFrame(rows)


def coverage_breakdown(
    result: ServiceResult, lang: Lang, district: str | None = None
) -> pd.DataFrame:
    """Return residents by coverage class of one service (for its small chart).

    With a demand rule: residents served within the norm, beyond it and unserved, each unit's
    residents split in proportion to its places; without: within / beyond walking distance.
    Columns ``class`` (a ``status.*`` key), ``label`` and ``residents``.
    """
    cov = result.coverage
    if district is not None:
        cov = cov[cov["district"] == district]
    people = cov.set_index("unit_id")["population"].astype(float)
    if result.provision is not None:
        units = result.provision.units.set_index("unit_id").reindex(people.index)
        demand = units["demand"].where(units["demand"] > 0)
        parts = {
            "within_norm": units["served_within"] / demand,
            "beyond_norm": units["served_beyond"] / demand,
            "unserved": units["unserved"] / demand,
        }
        values = {key: float((people * part.fillna(0.0)).sum()) for key, part in parts.items()}
    else:
        within = cov.set_index("unit_id")["within_limit"].astype(bool)
        values = {
            "within_walk": float(people[within].sum()),
            "beyond_walk": float(people[~within].sum()),
        }
    return pd.DataFrame(
        {
            "class": list(values),
            "label": [unit_status(key, lang) for key in values],
            "residents": list(values.values()),
            "order": range(len(values)),
        }
    )


def district_table(analysis: TownAnalysis, service: str | None, lang: Lang) -> pd.DataFrame:
    """Return coverage per district: for one service its figures, for all a provision matrix.

    The matrix holds each service's score (``ServiceFigures.score``: provision ratio, or the
    share within the walk for a service without a demand rule) per district.
    """
    names = district_names(analysis.town, lang)
    column = t("col.district", lang)
    if service is not None:
        table = district_figures(analysis, service)
        if table.empty:
            return pd.DataFrame(columns=[column])
        out = pd.DataFrame(
            {
                column: [names.get(str(d), str(d)) for d in table["district"]],
                t("col.residents", lang): table["residents"],
                t("col.covered_network", lang): table["covered_network_share"],
                t("col.covered_radius", lang): table["covered_radius_share"],
            }
        )
        result = analysis.service(service)
        if result.provision is not None:
            out[t("col.provision", lang)] = table["provision_ratio"]
            out[shortfall_header(result.norm, lang)] = table["unmet_places"]
        return out
    rows = []
    for district in sorted(set(analysis.coverage["district"].astype(str))):
        row: dict[str, object] = {column: names.get(district, district)}
        for key in analysis.services:
            label = service_label(analysis.norms, key, lang)
            row[label] = service_figures(analysis, key, district).score
        rows.append(row)
    return pd.DataFrame(rows)


def shortfall_header(norm: ServiceNorm, lang: Lang) -> str:
    """Return the header of one service's shortfall column, with its unit ("Shortfall, places")."""
    return f"{t('col.unmet', lang)}, {capacity_unit(norm, lang)}"


def gaps_table(
    analysis: TownAnalysis, service: str | None, district: str | None, lang: Lang
) -> pd.DataFrame:
    """Return the gap zones ranked by places short then residents; ``zone_id`` kept first.

    A district filter keeps the zones with any unit in that district; the district column
    names every district a zone spans (with its residents when more than one).
    """
    zones = analysis.all_gap_zones()
    if service is not None and not zones.empty:
        zones = zones[zones["service"] == service]
    if district is not None and not zones.empty:
        zones = zones[[district in ids for ids in zones["district_ids"]]]
    if zones.empty:
        return pd.DataFrame(columns=["zone_id"])
    order = zones["unmet_places"].fillna(0) * 1e6 + zones["unmet_residents"]
    zones = zones.loc[order.sort_values(ascending=False).index]
    records = zones.drop(columns="geometry").to_dict("records")
    norms = [analysis.norms.service(str(r["service"])) for r in records]
    names = district_names(analysis.town, lang)
    return pd.DataFrame(
        {
            "zone_id": [r["zone_id"] for r in records],
            t("col.rank", lang): range(1, len(records) + 1),
            t("col.service", lang): [service_label(analysis.norms, n.key, lang) for n in norms],
            t("col.district", lang): [
                zone_districts(r["district_ids"], r["district_residents"], names, lang)
                for r in records
            ],
            t("col.unmet_residents", lang): [r["unmet_residents"] for r in records],
            t("col.unmet", lang): [r["unmet_places"] for r in records],
            t("col.unit", lang): [capacity_unit(n, lang) for n in norms],
            t("col.project", lang): [
                project_text(r["project_sizes"], r["unmet_places"], n, lang)
                for r, n in zip(records, norms, strict=True)
            ],
            t("col.clause", lang): [zone_clause(n, lang) for n in norms],
        }
    )


def requirement_tables(analysis: TownAnalysis, lang: Lang) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (required services with their counts, not-required services with the reason)."""
    req = analysis.requirements
    norms = analysis.norms
    labels = [service_label(norms, str(k), lang) for k in req["service"]]
    status = [requirement_status(str(s), lang) for s in req["status"]]
    population = analysis.town.meta.population
    reasons = [
        requirement_reason(norms.service(str(k)), int(n), population, lang)
        for k, n in zip(req["service"], req["required"], strict=True)
    ]
    table = pd.DataFrame(
        {
            "status_key": req["status"].to_numpy(),
            t("col.service", lang): labels,
            t("col.required", lang): req["required"].to_numpy(),
            t("col.existing", lang): req["existing"].to_numpy(),
            t("col.missing", lang): req["missing"].to_numpy(),
            t("col.status", lang): status,
            t("col.clause", lang): reasons,
        }
    )
    required = table[table["status_key"] != "not_required"].drop(columns="status_key")
    rest = table[table["status_key"] == "not_required"]
    not_required = pd.DataFrame(
        {
            t("col.service", lang): rest[t("col.service", lang)],
            t("col.existing", lang): rest[t("col.existing", lang)],
            t("col.reason", lang): rest[t("col.clause", lang)],
        }
    )
    return required.reset_index(drop=True), not_required.reset_index(drop=True)


def overloaded_table(analysis: TownAnalysis, service: str | None, lang: Lang) -> pd.DataFrame:
    """Return the overloaded facilities of one service or all, most overloaded first."""
    names = facility_names(analysis.town, lang)
    frames = []
    for key, result in analysis.services.items():
        if (service is not None and key != service) or result.overloaded.empty:
            continue
        over = result.overloaded
        frames.append(
            pd.DataFrame(
                {
                    t("col.service", lang): service_label(analysis.norms, key, lang),
                    t("col.name", lang): [names.get(str(f), str(f)) for f in over["facility_id"]],
                    t("col.capacity", lang): over["capacity"],
                    t("col.nearest_demand", lang): over["nearest_demand"],
                    t("col.load", lang): over["load"],
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def facilities_table(
    analysis: TownAnalysis,
    lang: Lang,
    *,
    service: str | None = None,
    district: str | None = None,
    real_only: bool = False,
) -> pd.DataFrame:
    """Return every facility of the town with its service, capacity, load and provenance.

    Load, load share and residents served within the norm come from the analysis of the
    facility's service (empty for services not analysed or without a demand rule).
    """
    town = analysis.town
    fac = town.facilities
    keep = pd.Series(True, index=fac.index)
    if service is not None:
        keep &= fac["service"] == service
    if district is not None:
        where = facility_districts(analysis)
        keep &= fac["id"].astype(str).map(where) == district
    if real_only:
        keep &= fac["provenance"].isin(REAL_PROVENANCES)
    fac = fac[keep]
    ids = fac["id"].astype(str)
    load = pd.Series(np.nan, index=ids.to_numpy())
    share = pd.Series(np.nan, index=ids.to_numpy())
    served = pd.Series(np.nan, index=ids.to_numpy())
    for result in analysis.services.values():
        if result.provision is None:
            continue
        table = result.provision.facilities.set_index("facility_id")
        table.index = table.index.astype(str)
        mine = ids[ids.isin(table.index)].to_numpy()
        load[mine] = table.loc[mine, "load"].to_numpy()
        share[mine] = table.loc[mine, "load_share"].to_numpy()
        residents = residents_served_within(result, town.residential)
        served[mine] = residents.reindex(mine).to_numpy()
    norms = analysis.norms
    units = [
        capacity_unit(norms.services[s], lang) if s in norms.services else ""
        for s in fac["service"].astype(str)
    ]
    names = facility_names(town, lang)
    return pd.DataFrame(
        {
            t("col.name", lang): [names.get(i, i) for i in ids],
            t("col.service", lang): [service_label(norms, str(s), lang) for s in fac["service"]],
            t("col.status", lang): [facility_status(str(s), lang) for s in fac["status"]],
            t("col.address", lang): fac["address"].fillna(""),
            t("col.capacity", lang): pd.to_numeric(fac["capacity"], errors="coerce"),
            t("col.unit", lang): units,
            t("col.load", lang): load.to_numpy(),
            t("col.load_share", lang): share.to_numpy(),
            t("col.served_within", lang): served.to_numpy(),
            t("col.provenance", lang): [provenance(str(p), lang) for p in fac["provenance"]],
            t("col.source", lang): fac["source"].fillna(""),
        }
    ).reset_index(drop=True)


def provenance_table(town: Town, lang: Lang) -> pd.DataFrame:
    """Return per layer the number of features of each provenance and the modelled share."""
    rows = []
    totals = dict.fromkeys(PROVENANCES, 0)
    for name, spec in LAYER_SPECS.items():
        frame = town.layer(name)
        if not spec.has_provenance or frame.empty:
            continue
        counts = frame["provenance"].value_counts()
        row: dict[str, object] = {t("col.layer", lang): known_word(f"layer.{name}", name, lang)}
        for p in PROVENANCES:
            row[provenance(p, lang)] = int(counts.get(p, 0))
            totals[p] += int(counts.get(p, 0))
        modelled = sum(int(counts.get(p, 0)) for p in MODELLED_PROVENANCES)
        row[t("col.modelled_share", lang)] = modelled / len(frame)
        rows.append(row)
    n = sum(totals.values())
    overall: dict[str, object] = {t("col.layer", lang): t("src.all_layers", lang)}
    overall |= {provenance(p, lang): totals[p] for p in PROVENANCES}
    overall[t("col.modelled_share", lang)] = (
        sum(totals[p] for p in MODELLED_PROVENANCES) / n if n else 0.0
    )
    rows.append(overall)
    return pd.DataFrame(rows)


def norms_table(norms: NormSet, lang: Lang) -> pd.DataFrame:
    """Return the norms in force: per service its values and, per value group, the source."""
    rows = []
    for key, norm in norms.services.items():
        for what, source in norm.sources.items():
            rows.append(
                {
                    t("col.service", lang): service_label(norms, key, lang),
                    t("col.radius", lang): norm.radius_m,
                    t("col.walk_limit", lang): norm.walk_limit_m,
                    t("col.walk_minutes", lang): norm.walk_limit_min,
                    t("col.what", lang): _what(what, lang),
                    t("col.document", lang): source.document_in(lang),
                    t("col.clause", lang): source.clause_in(lang),
                    t("col.confidence", lang): source.confidence,
                    t("col.link", lang): source.url or "",
                }
            )
    for what, source in norms.sources.items():
        rows.append(
            {
                t("col.service", lang): "—",
                t("col.what", lang): _what(what, lang),
                t("col.document", lang): source.document_in(lang),
                t("col.clause", lang): source.clause_in(lang),
                t("col.confidence", lang): source.confidence,
                t("col.link", lang): source.url or "",
            }
        )
    return pd.DataFrame(rows)


def _what(key: str, lang: Lang) -> str:
    return known_word(f"src.what.{key}", key.replace("_", " "), lang)
