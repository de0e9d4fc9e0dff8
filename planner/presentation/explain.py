"""Why a residential block is (not) served: facts and one sentence, in English or Russian.

``explain_block`` is what the dashboard's map shows beside a clicked block and what
``planner explain`` prints: the same facts and the same sentence, from the same function. For a
service with a demand rule the engine's ``provision.explain_unit`` gives the figures (nearest
facility, its distance, whether it is full and with whom) and ``provision_sentence`` says them
in the chosen language, naming facilities rather than ids. For a service without demand, the
coverage row (nearest facility, distance, time) is explained. No Streamlit here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planner.analysis import WEAK_TIER_FACTOR, TownAnalysis
from planner.norms import ServiceNorm
from planner.presentation.views import unit_classes
from planner.presentation.words import (
    Lang,
    district_names,
    facility_names,
    fmt_amount,
    fmt_metres,
    fmt_minutes,
    fmt_number,
    quantity,
    service_label,
    t,
    unit_status,
)
from planner.provision import UnitExplanation, explain_unit


@dataclass(frozen=True, slots=True)
class BlockExplanation:
    """What the dashboard shows for a clicked block.

    Attributes
    ----------
    title
        "Block <id>" in the language.
    facts
        ``(label, value)`` rows: district, residents, coverage, nearest facility, distances.
    sentence
        The explanation in one sentence.
    """

    title: str
    facts: tuple[tuple[str, str], ...]
    sentence: str


def explain_block(
    analysis: TownAnalysis, service: str, unit_id: str, lang: Lang
) -> BlockExplanation:
    """Explain one block's coverage by one service.

    Raises
    ------
    NormsError
        If the service was not analysed.
    ProvisionError
        If the unit is not in the analysis.
    """
    result = analysis.service(service)
    town = analysis.town
    cov = _row(result.coverage, unit_id)
    names = facility_names(town, lang)
    nearest_id = cov["nearest_facility_id"]
    nearest = names.get(str(nearest_id), t("ex.none", lang))
    unit_class = unit_classes(analysis, service, "network").get(unit_id, "no_demand")
    districts = district_names(town, lang)
    distance = float(cov["distance_m"])
    facts: list[tuple[str, str]] = [
        (t("ex.district", lang), districts.get(str(cov["district"]), str(cov["district"]))),
        (t("ex.residents", lang), fmt_number(float(cov["population"]), lang)),
        (t("ex.status", lang), unit_status(unit_class, lang)),
        (t("ex.nearest", lang), nearest),
        (t("ex.distance", lang), _metres(distance, lang)),
        (t("ex.straight", lang), _metres(float(cov["straight_m"]), lang)),
        (t("ex.walk_time", lang), fmt_minutes(float(cov["walk_time_min"]), lang)),
    ]
    limit_m = float(result.norm.walk_limit_m or 0.0)
    if result.provision is None or result.pairs is None:
        sentence = _walk_sentence(unit_id, nearest, cov, limit_m, lang)
        return BlockExplanation(t("map.explain_title", lang, unit=unit_id), tuple(facts), sentence)
    item = explain_unit(result.provision, result.pairs, unit_id, limit_m=limit_m)
    norm = result.norm
    facts += [
        (t("ex.demand", lang), quantity(item.demand, norm, lang)),
        (t("ex.served_within", lang), quantity(item.served_within, norm, lang)),
        (t("ex.served_beyond", lang), quantity(item.served_beyond, norm, lang)),
        (t("ex.unserved", lang), quantity(item.unserved, norm, lang)),
    ]
    links = result.provision.links
    mine = links[links["unit_id"] == unit_id]
    if not mine.empty:
        served_by = ", ".join(
            f"{names.get(str(f), str(f))} ({fmt_amount(p, lang)})"
            for f, p in zip(mine["facility_id"], mine["places"], strict=True)
        )
        facts.append((t("ex.served_by", lang), served_by))
    if item.nearest_facility_id is None and math.isfinite(distance):
        # Reachable, but beyond the distance up to which a place counts as served at all.
        sentence = t(
            "ex.too_far",
            lang,
            unit=unit_id,
            demand=quantity(item.demand, norm, lang),
            name=nearest,
            distance=fmt_number(distance, lang),
            cap=fmt_number(WEAK_TIER_FACTOR * limit_m, lang),
            factor=fmt_number(WEAK_TIER_FACTOR, lang),
            limit=fmt_number(limit_m, lang),
        )
    else:
        sentence = provision_sentence(item, norm, lang, names)
    return BlockExplanation(t("map.explain_title", lang, unit=unit_id), tuple(facts), sentence)


def provision_sentence(
    item: UnitExplanation,
    norm: ServiceNorm,
    lang: Lang,
    names: Mapping[str, str] | None = None,
) -> str:
    """Return the explanation of a unit's provision in one sentence, naming the facilities.

    Parameters
    ----------
    item
        The engine's figures (``planner.provision.explain_unit``).
    norm
        The service's norm (for the capacity unit).
    lang
        Language.
    names
        Facility name per id; an id without a name is shown as itself.

    Examples
    --------
    >>> from planner.norms import load_norms
    >>> from planner.provision import ServedUnit
    >>> kindergarten = load_norms().service("kindergarten")
    >>> item = UnitExplanation("B", 60.0, 20.0, 0.0, 40.0, "F", 400.0, True, 100.0, 100.0,
    ...     True, True, (ServedUnit("A", 80.0, 200.0, 0.8), ServedUnit("B", 20.0, 400.0, 0.2)),
    ...     500.0)
    >>> import textwrap
    >>> print(textwrap.fill(provision_sentence(item, kindergarten, "en", {"F": "Sunflower"}), 90))
    Block B: 40 of 60 places unserved (20 served within the 500 m limit, 0 beyond it); the
    nearest facility, Sunflower, is 400 m away (within the limit) and full (100 of 100 places
    taken, mostly by A (80), B (20)).
    >>> print(textwrap.fill(provision_sentence(item, kindergarten, "ru", {"F": "Подсолнух"}), 90))
    Квартал B: не обеспечено 40 из 60 мест (20 — в пределах 500 м, 0 — дальше); ближайшее
    учреждение, Подсолнух, в 400 м (в пределах норматива) и заполнено (занято 100 из 100 мест,
    в основном кварталами A (80), B (20)).
    """
    names = names or {}

    def num(value: float) -> str:
        return fmt_amount(value, lang)

    def places(value: float) -> str:
        return quantity(value, norm, lang, genitive=True)

    unit = item.unit_id
    tolerance = 1e-6 * max(1.0, item.demand)
    if item.demand <= tolerance:
        return t("ex.no_demand", lang, unit=unit)
    demand = quantity(item.demand, norm, lang)
    if item.nearest_facility_id is None:
        return t("ex.unreachable", lang, unit=unit, demand=demand)
    limit = num(item.limit_m)
    if item.unserved > tolerance:
        head = t("ex.head_unserved", lang, unserved=num(item.unserved), demand=places(item.demand))
        if item.served_within + item.served_beyond > tolerance:
            head += t(
                "ex.head_partly",
                lang,
                within=num(item.served_within),
                beyond=num(item.served_beyond),
                limit=limit,
            )
    elif item.served_beyond > tolerance:
        head = t("ex.head_beyond", lang, demand=demand, beyond=num(item.served_beyond), limit=limit)
    else:
        head = t("ex.head_within", lang, demand=demand, limit=limit)
    side = t("ex.side_within" if item.nearest_within_limit else "ex.side_beyond", lang)
    nearest_name = names.get(str(item.nearest_facility_id), str(item.nearest_facility_id))
    nearest = t(
        "ex.nearest_sentence",
        lang,
        name=nearest_name,
        distance=fmt_number(item.nearest_distance_m, lang),
        side=side,
    )
    if not item.nearest_capacity_known:
        nearest += t("ex.unknown_capacity", lang)
    elif item.nearest_is_full:
        users = ""
        if item.nearest_top_units:
            listed = ", ".join(f"{u.unit_id} ({num(u.places)})" for u in item.nearest_top_units)
            users = t("ex.full_users", lang, users=listed)
        nearest += t(
            "ex.full",
            lang,
            load=num(item.nearest_load),
            capacity=places(item.nearest_capacity),
            users=users,
        )
    else:
        free = num(max(item.nearest_capacity - item.nearest_load, 0.0))
        nearest += t("ex.free", lang, free=free, capacity=places(item.nearest_capacity))
    return t("ex.sentence", lang, unit=unit, head=head, nearest=nearest)


def coverage_by_service(analysis: TownAnalysis, unit_id: str, lang: Lang) -> pd.DataFrame:
    """Return one block's coverage by every analysed service (for the all-services map)."""
    names = facility_names(analysis.town, lang)
    rows = []
    for key in analysis.services:
        cov = _row(analysis.services[key].coverage, unit_id)
        status = unit_classes(analysis, key, "network").get(unit_id, "no_demand")
        rows.append(
            {
                t("col.service", lang): service_label(analysis.norms, key, lang),
                t("ex.status", lang): unit_status(status, lang),
                t("ex.nearest", lang): names.get(
                    str(cov["nearest_facility_id"]), t("ex.none", lang)
                ),
                t("ex.distance", lang): _metres(float(cov["distance_m"]), lang),
                t("ex.walk_time", lang): fmt_minutes(float(cov["walk_time_min"]), lang),
            }
        )
    return pd.DataFrame(rows)


def _walk_sentence(
    unit_id: str, nearest: str, cov: dict[str, Any], limit_m: float, lang: Lang
) -> str:
    distance = float(cov["distance_m"])
    if not math.isfinite(distance):
        return t("ex.walk_sentence_none", lang, unit=unit_id)
    key = "ex.walk_sentence_within" if bool(cov["within_limit"]) else "ex.walk_sentence_beyond"
    return t(
        key,
        lang,
        unit=unit_id,
        name=nearest,
        distance=fmt_number(distance, lang),
        minutes=fmt_number(float(cov["walk_time_min"]), lang, 1),
        limit=fmt_number(limit_m, lang),
    )


def _row(coverage: pd.DataFrame, unit_id: str) -> dict[str, Any]:
    """Return a unit's coverage row as a plain dict (KeyError when the unit is unknown)."""
    rows = coverage.loc[coverage["unit_id"] == unit_id]
    if rows.empty:
        raise KeyError(unit_id)
    return dict(rows.iloc[0])


def _metres(value: float, lang: Lang) -> str:
    """Return a distance, or "none reachable" when there is none."""
    return fmt_metres(value, lang) if math.isfinite(value) else t("ex.none", lang)
