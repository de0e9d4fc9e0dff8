"""Words: engine keys, ids and numbers turned into text in one language (English or Russian).

This is the one module that decides how something reads in a language. The engine
(``planner.analysis``, ``gaps``, ``provision``, ...) returns numbers, ids, status keys and size
tuples; the CLI, the dashboard, the maps and the exports turn them into text here, so the same
key reads the same everywhere. The text itself lives in ``planner.presentation.catalogue``.

What is here
------------
- the language switch: ``pick`` (every English/Russian choice in the code goes through it);
- numbers per locale: ``fmt_number`` (28,600 / 28 600), ``fmt_amount`` (whole numbers without
  decimals, others with one), ``fmt_share`` (29.9% / 29,9 %), ``fmt_metres``, ``fmt_minutes``;
- Russian plurals: ``plural_category`` (the CLDR rule), ``plural`` ("1 место, 2 места, 5 мест,
  28,4 места") and ``quantity`` (a number with its capacity unit, agreeing in either language);
- names: ``service_label``, ``district_names``, ``zone_districts``, ``facility_names``,
  ``town_name``, ``town_attribution``, ``population_source``, ``norm_set_title``,
  ``capacity_unit``, ``pace_label``;
- status words: ``unit_status``, ``service_status``, ``provenance``, ``facility_status``,
  ``requirement_status``, ``load_status``;
- composed text: ``project_text`` (a gap zone's suggested projects), ``citation`` and
  ``zone_clause`` (a norm's source), ``requirement_reason`` (why a service is or is not
  required), ``progress_step`` (what the analysis is doing).

Language-dependent functions take ``lang`` (``"en"`` or ``"ru"``). A key the catalogue lacks
raises ``KeyError`` (a programming error the tests catch), except data keys (provenance,
facility status), which read as themselves.

Russian thousands are separated by a no-break space (U+00A0), as Russian typography and CLDR
do, so a number never wraps inside a table cell; the percent sign follows a no-break space too.
Nothing here imports Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal, TypeVar

import pandas as pd

from planner.model import Town, TownMeta
from planner.norms import NormSet, Pace, ServiceNorm, Source
from planner.presentation.catalogue import (
    LANGUAGES,
    UNIT_FORMS_EN,
    UNIT_FORMS_RU,
    Lang,
    as_lang,
    t,
)

__all__ = [
    "LANGUAGES",
    "NBSP",
    "Lang",
    "PluralCategory",
    "as_lang",
    "capacity_unit",
    "citation",
    "district_names",
    "facility_names",
    "facility_status",
    "fmt_amount",
    "fmt_metres",
    "fmt_minutes",
    "fmt_number",
    "fmt_share",
    "known_word",
    "load_status",
    "norm_set_title",
    "pace_label",
    "pick",
    "plural",
    "plural_category",
    "population_source",
    "progress_step",
    "project_text",
    "provenance",
    "quantity",
    "requirement_reason",
    "requirement_status",
    "service_label",
    "service_label_lower",
    "service_status",
    "street_kind",
    "t",
    "town_attribution",
    "town_name",
    "unit_status",
    "zone_clause",
    "zone_districts",
]

T = TypeVar("T")

NBSP = "\u00a0"
"""No-break space: the Russian thousands separator and the space before a percent sign."""

DASH = "–"
"""What a missing number (NaN, None, infinity) reads as."""

PluralCategory = Literal["one", "few", "many", "other"]


def pick(lang: Lang, english: T, russian: T) -> T:
    """Return the value for a language: the one place where code branches on the language.

    Examples
    --------
    >>> pick("ru", "name", "name_ru")
    'name_ru'
    """
    return russian if lang == "ru" else english


# ---------------------------------------------------------------------------------------------
# Numbers


def _finite(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def fmt_number(value: object, lang: Lang, decimals: int = 0) -> str:
    """Format a number with the language's separators; NaN, None and infinity read as ``–``.

    Examples
    --------
    >>> fmt_number(28600, "en"), fmt_number(28600, "ru") == "28" + NBSP + "600"
    ('28,600', True)
    >>> fmt_number(12345.67, "en", 1), fmt_number(12345.67, "ru", 1).replace(NBSP, " ")
    ('12,345.7', '12 345,7')
    """
    number = _finite(value)
    if number is None:
        return DASH
    text = f"{number:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0"
    return pick(lang, text, text.replace(",", NBSP).replace(".", ","))


def fmt_amount(value: object, lang: Lang) -> str:
    """Format places, metres or people: whole numbers without decimals, others with one.

    Examples
    --------
    >>> fmt_amount(40.0, "en"), fmt_amount(28.44, "en"), fmt_amount(28.44, "ru")
    ('40', '28.4', '28,4')
    """
    number = _finite(value)
    if number is None:
        return DASH
    rounded = round(number, 1)
    return fmt_number(rounded, lang, 0 if rounded == int(rounded) else 1)


def fmt_share(share: object, lang: Lang, decimals: int = 0) -> str:
    """Format a share in [0, 1] as a percentage: ``29.9%`` in English, ``29,9 %`` in Russian.

    Examples
    --------
    >>> fmt_share(0.299, "en", 1), fmt_share(0.299, "ru", 1).replace(NBSP, " ")
    ('29.9%', '29,9 %')
    >>> fmt_share(float("nan"), "en")
    '–'
    """
    number = _finite(share)
    if number is None:
        return DASH
    return fmt_number(100 * number, lang, decimals) + pick(lang, "%", NBSP + "%")


def fmt_metres(value: object, lang: Lang) -> str:
    """Format a distance in whole metres with its unit (``400 m`` / ``400 м``); ``–`` if none."""
    number = _finite(value)
    return DASH if number is None else t("unit.metres", lang, value=fmt_number(number, lang))


def fmt_minutes(value: object, lang: Lang) -> str:
    """Format a time in minutes with one decimal and its unit (``6.7 min`` / ``6,7 мин``)."""
    number = _finite(value)
    return DASH if number is None else t("unit.minutes", lang, value=fmt_number(number, lang, 1))


# ---------------------------------------------------------------------------------------------
# Plurals


def plural_category(number: float) -> PluralCategory:
    """Return the Russian plural category of a number (CLDR rule for ``ru``).

    Whole numbers ending in 1 (not 11) are ``one``; ending in 2-4 (not 12-14) ``few``; other
    whole numbers ``many``; fractions ``other`` (they take the genitive singular).

    Examples
    --------
    >>> [plural_category(n) for n in (1, 2, 5, 11, 21, 22, 112, 28.4)]
    ['one', 'few', 'many', 'many', 'one', 'few', 'many', 'other']
    """
    if number != int(number):
        return "other"
    whole = abs(int(number))
    if whole % 10 == 1 and whole % 100 != 11:
        return "one"
    if 2 <= whole % 10 <= 4 and not 12 <= whole % 100 <= 14:
        return "few"
    return "many"


def plural(number: float, forms: Sequence[str], *, genitive: bool = False) -> str:
    """Return the Russian word form that agrees with a number.

    Parameters
    ----------
    number
        The number as shown (round it first: 28.04 shown as "28" takes the form of 28).
    forms
        ``(one, few, many)`` or ``(one, few, many, other)``: e.g. ("место", "места", "мест",
        "места"). ``other`` (fractions, the genitive singular) defaults to ``few``.
    genitive
        The form after a preposition or verb that governs the genitive ("из 1 места", "не
        хватает 5 мест"): the genitive singular after one and fractions, else the genitive
        plural.

    Examples
    --------
    >>> forms = ("место", "места", "мест", "места")
    >>> [plural(n, forms) for n in (1, 2, 5, 28.4)]
    ['место', 'места', 'мест', 'места']
    >>> [plural(n, forms, genitive=True) for n in (1, 2, 5, 21)]
    ['места', 'мест', 'мест', 'места']
    """
    one, few, many = forms[0], forms[1], forms[2]
    other = forms[3] if len(forms) > 3 else few
    category = plural_category(number)
    if genitive:
        return other if category in ("one", "other") else many
    return {"one": one, "few": few, "many": many, "other": other}[category]


def _unit_forms(norm: ServiceNorm, lang: Lang) -> tuple[str, ...]:
    """Return a unit's forms: (singular, plural) or, in Russian, (one, few, many, other)."""
    english = UNIT_FORMS_EN.get(norm.capacity_unit, (norm.capacity_unit,) * 2)
    russian = UNIT_FORMS_RU.get(norm.capacity_unit_ru, (norm.capacity_unit_ru,) * 4)
    return pick(lang, english, russian)


def capacity_unit(norm: ServiceNorm, lang: Lang, number: float | None = None) -> str:
    """Return a service's capacity unit, agreeing with ``number`` when given ("places")."""
    forms = _unit_forms(norm, lang)
    if number is None or not math.isfinite(number):
        return pick(lang, norm.capacity_unit, norm.capacity_unit_ru)
    # Russian forms are (one, few, many, other); English ones (singular, plural).
    return plural(number, forms) if len(forms) == 4 else forms[0] if number == 1 else forms[1]


def quantity(value: float, norm: ServiceNorm, lang: Lang, *, genitive: bool = False) -> str:
    """Return an amount with its capacity unit in agreement ("1 place", "28,4 места").

    The number is shown as ``fmt_amount`` shows it, and the unit agrees with what is shown.

    Examples
    --------
    >>> from planner.norms import load_norms
    >>> kindergarten = load_norms().service("kindergarten")
    >>> [quantity(n, kindergarten, "ru") for n in (1, 2, 5, 28.4)]
    ['1 место', '2 места', '5 мест', '28,4 места']
    >>> quantity(1, kindergarten, "en"), quantity(180, kindergarten, "en")
    ('1 place', '180 places')
    """
    shown = fmt_amount(value, lang)
    number = _finite(value)
    if number is None:
        return shown
    rounded = round(number, 1)
    forms = _unit_forms(norm, lang)
    word = plural(rounded, forms, genitive=genitive) if len(forms) == 4 else None
    return f"{shown} {word or capacity_unit(norm, lang, rounded)}"


def shortfall(value: float, norm: ServiceNorm, lang: Lang) -> str:
    """Return a shortfall in whole capacity units, with the service's unit.

    A dash when it is unknown (a service without a demand rule).

    Examples
    --------
    >>> from planner.norms import load_norms
    >>> norms = load_norms()
    >>> shortfall(942.4, norms.service("kindergarten"), "en")
    '942 places'
    >>> shortfall(730.2, norms.service("sports_centre"), "en")
    '730 m² of hall floor'
    >>> shortfall(22.0, norms.service("school"), "ru")
    '22 места'
    """
    number = _finite(value)
    if number is None:
        return DASH
    return quantity(round(number), norm, lang)


# ---------------------------------------------------------------------------------------------
# Names


def service_label(norms: NormSet | None, key: str, lang: Lang) -> str:
    """Return a service's label from the norm set, or the key in words when it is unknown.

    Examples
    --------
    >>> from planner.norms import load_norms
    >>> service_label(load_norms(), "kindergarten", "ru"), service_label(None, "art_school", "en")
    ('Детский сад', 'Art school')
    """
    if norms is not None and key in norms.services:
        norm = norms.services[key]
        return str(pick(lang, norm.label, norm.label_ru))
    return key.replace("_", " ").capitalize()


def _names(frame: pd.DataFrame, lang: Lang) -> dict[str, str]:
    """Name per id in a language; the English name where the local one is missing or blank."""
    if frame.empty:
        return {}
    local = frame[pick(lang, "name", "name_ru")].to_numpy(dtype=object)
    english = frame["name"].to_numpy(dtype=object)
    return {
        str(i): str(n) if isinstance(n, str) and n.strip() else ("" if e is None else str(e))
        for i, n, e in zip(frame["id"].to_numpy(dtype=object), local, english, strict=True)
    }


def district_names(town: Town, lang: Lang) -> dict[str, str]:
    """Return each district's name by id (the English name where a Russian one is missing)."""
    return _names(town.districts, lang)


def facility_names(town: Town, lang: Lang) -> dict[str, str]:
    """Return each facility's name by id (the English name where a Russian one is missing)."""
    return _names(town.facilities, lang)


def town_name(meta: TownMeta, lang: Lang) -> str:
    """Return the town's name in a language."""
    return pick(lang, meta.name, meta.name_ru)


def town_attribution(meta: TownMeta, lang: Lang) -> str:
    """Return the town's attribution line in a language (English where no Russian is given)."""
    return pick(lang, meta.attribution, meta.attribution_ru or meta.attribution)


def population_source(meta: TownMeta, lang: Lang) -> str:
    """Return where the official population comes from, in a language (English as fallback)."""
    return pick(lang, meta.population_source, meta.population_source_ru or meta.population_source)


def norm_set_title(norms: NormSet, lang: Lang) -> str:
    """Return a norm set's title in a language."""
    return pick(lang, norms.title, norms.title_ru)


def pace_label(pace: Pace, norms: NormSet, lang: Lang) -> str:
    """Return a walking pace with its speed ("adult, 75 m/min")."""
    speed = fmt_number(norms.walk_speed_for(pace), lang, 0)
    return t(f"pace.{pace}", lang, speed=speed)


# ---------------------------------------------------------------------------------------------
# Status words


def unit_status(key: str, lang: Lang) -> str:
    """Return a residential unit's coverage class (``status.*``: within_norm, cut_off, ...)."""
    return t(f"status.{key}", lang)


def service_status(key: str, lang: Lang) -> str:
    """Return a service's headline status (good, fair, poor, n/a)."""
    return t(f"light.{key}", lang)


def provenance(key: str, lang: Lang) -> str:
    """Return a feature's provenance (osm, verified, approximate, modelled, illustrative)."""
    return known_word(f"provenance.{key}", key, lang)


def facility_status(key: str, lang: Lang) -> str:
    """Return a facility's status (existing, planned, closed)."""
    return known_word(f"facility_status.{key}", key, lang)


def requirement_status(key: str, lang: Lang) -> str:
    """Return a service requirement's status (missing, ok, not_required)."""
    return t(f"gaps.req_status.{key}", lang)


def street_kind(key: str, lang: Lang) -> str:
    """Return a street kind ("residential") in words ("residential street", "жилая улица")."""
    return known_word(f"street_kind.{key.lower()}", key.replace("_", " "), lang)


def load_status(key: str, lang: Lang) -> str:
    """Return a facility load class (low, high, full, unknown)."""
    return t(f"load.{key}", lang)


def known_word(key: str, fallback: str, lang: Lang) -> str:
    """Return the words of a catalogue key, or ``fallback`` when the catalogue lacks it.

    For keys that come from data (validated, but shown as themselves if unknown).
    """
    try:
        return t(key, lang)
    except KeyError:
        return fallback


# ---------------------------------------------------------------------------------------------
# Composed text


def project_text(sizes: Sequence[int], unmet_places: float, norm: ServiceNorm, lang: Lang) -> str:
    """Return a gap zone's suggested projects: "2 × 320 places + 1 × 80 places — kindergarten".

    Parameters
    ----------
    sizes
        The zone's ``project_sizes`` (largest first; empty when no new building is suggested).
    unmet_places
        The zone's unmet places (NaN for a service without a demand rule).
    norm
        The service's norm.
    lang
        Language.

    Examples
    --------
    >>> from planner.norms import load_norms
    >>> kindergarten = load_norms().service("kindergarten")
    >>> project_text((180,), 150.0, kindergarten, "en")
    '1 × 180 places — kindergarten'
    >>> project_text((320, 320, 82), 700.0, kindergarten, "ru")
    '2 × 320 мест + 1 × 82 места — детский сад'
    """
    label = service_label_lower(norm, lang)
    places = _finite(unmet_places)
    if places is None:
        limit = fmt_number(norm.walk_limit_m, lang)
        return t("gaps.new_one", lang, service=label, limit=limit)
    if not norm.project_sizes:
        short = quantity(round(places), norm, lang, genitive=True)  # as the shortfall shows it
        return t("gaps.no_project_size", lang, places=short)
    if not sizes:
        return t("gaps.extend", lang)
    counts: dict[int, int] = {}
    for size in sizes:
        counts[int(size)] = counts.get(int(size), 0) + 1
    parts = [
        t("gaps.project", lang, count=n, size=quantity(size, norm, lang))
        for size, n in sorted(counts.items(), reverse=True)
    ]
    return t("gaps.projects", lang, projects=" + ".join(parts), service=label)


def progress_step(step: str, service: str | None, norms: NormSet, lang: Lang) -> str:
    """Return what the analysis is doing (``planner.analysis.Progress``) in words."""
    label = service_label_lower(norms.service(service), lang) if service else ""
    return t(f"progress.{step}", lang, service=label)


def service_label_lower(norm: ServiceNorm, lang: Lang) -> str:
    """Return a service's label for use inside a sentence (first letter in lower case)."""
    label = str(pick(lang, norm.label, norm.label_ru))
    return label[:1].lower() + label[1:]


def citation(source: Source | None, lang: Lang) -> str:
    """Return a short citation of a norm's source: document, clause (confidence).

    The document and clause are quoted as the norm set gives them (usually in Russian).
    """
    if source is None:
        return t("cite.none", lang)
    return t(
        "cite.source",
        lang,
        document=source.document_in(lang),
        clause=source.clause_in(lang),
        level=source.confidence,
    )


def zone_clause(norm: ServiceNorm, lang: Lang) -> str:
    """Return the clauses behind a gap zone: the walking rule and, if any, the project sizes."""
    walk = citation(norm.sources.get("radius"), lang)
    sizes = norm.sources.get("project_sizes")
    if sizes is None:
        return walk
    return t("cite.with_projects", lang, walk=walk, sizes=citation(sizes, lang))


def requirement_reason(norm: ServiceNorm, required: int, population: int, lang: Lang) -> str:
    """Return why a service is required or not for a town of this size, with the clause."""
    source = citation(norm.sources.get("min_count"), lang)
    if required > 0:
        return source
    if norm.required_from_population:
        reason = t(
            "req.from_population",
            lang,
            threshold=fmt_number(norm.required_from_population, lang),
            population=fmt_number(population, lang),
        )
    else:
        reason = t("req.no_minimum", lang)
    return f"{reason} ({source})"


def zone_districts(
    ids: Sequence[str], residents: Sequence[float], names: Mapping[str, str], lang: Lang
) -> str:
    """Return the districts a gap zone spans, most residents first ("West (120), East (30)").

    ``names`` is ``district_names(town, lang)`` (made once for all zones). A zone within one
    district is named by that district alone; an id without a name is shown as itself.

    Examples
    --------
    >>> zone_districts(("west", "east"), (1200, 30), {"west": "West", "east": "East"}, "en")
    'West (1,200), East (30)'
    >>> zone_districts(("north",), (5,), {}, "ru")
    'north'
    """
    if len(ids) == 1:
        return names.get(str(ids[0]), str(ids[0]))
    return ", ".join(
        f"{names.get(str(i), str(i))} ({fmt_number(r, lang)})"
        for i, r in zip(ids, residents, strict=True)
    )


# ---------------------------------------------------------------------------------------------
# The cultural programme and residents' proposals


def event_category(key: str, lang: Lang) -> str:
    """Return an event category ("master_class") in words ("master class", "мастер-класс")."""
    return known_word(f"programme.category.{key}", key, lang)


def audience_label(key: str, lang: Lang) -> str:
    """Return an audience key ("children") in words ("children (0–17)", "дети (0–17)")."""
    return known_word(f"programme.audience.{key}", key, lang)


def proposal_status(key: str, lang: Lang) -> str:
    """Return a proposal status ("accepted") in words ("accepted", "принято")."""
    return known_word(f"proposal.status.{key}", key, lang)


def proposal_category(norms: NormSet | None, key: str, lang: Lang) -> str:
    """Return what a proposal asks for: a service's label, or "event or programme"."""
    return t("proposal.category.event", lang) if key == "event" else service_label(norms, key, lang)


def month_label(month: str, lang: Lang) -> str:
    """Return ``YYYY-MM`` as a month in words ("October 2026", "октябрь 2026").

    Examples
    --------
    >>> month_label("2026-10", "ru")
    'октябрь 2026'
    """
    year, number = month.split("-")
    return f"{t(f'programme.month_name.{int(number)}', lang)} {year}"
