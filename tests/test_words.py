"""Words (planner.presentation.words): plurals, numbers per locale, and words for every key.

Expected texts are written by hand from Russian and English usage (CLDR plural rules, Russian
typography: a no-break space between thousands and before the percent sign).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.figures import STATUSES
from planner.layers import PROVENANCES
from planner.maps.style import LOAD_CLASSES, STATUS_COLORS
from planner.norms import PACES, Source, load_norms
from planner.presentation.words import (
    LANGUAGES,
    NBSP,
    capacity_unit,
    citation,
    facility_status,
    fmt_amount,
    fmt_number,
    fmt_share,
    load_status,
    pace_label,
    plural,
    plural_category,
    progress_step,
    project_text,
    provenance,
    quantity,
    requirement_reason,
    requirement_status,
    service_label,
    service_status,
    unit_status,
)

PLACE = ("место", "места", "мест", "места")


@pytest.fixture(scope="module")
def norms():
    return load_norms()


@pytest.mark.parametrize(
    ("number", "word"),
    [
        (0, "мест"),
        (1, "место"),
        (2, "места"),
        (4, "места"),
        (5, "мест"),
        (11, "мест"),
        (12, "мест"),
        (14, "мест"),
        (21, "место"),
        (22, "места"),
        (25, "мест"),
        (101, "место"),
        (111, "мест"),
        (1_000_000, "мест"),
        (28.4, "места"),
        (0.5, "места"),
    ],
)
def test_russian_plural_forms(number, word):
    assert plural(number, PLACE) == word


def test_genitive_after_a_preposition():
    # "из 1 места", "из 2 мест", "из 5 мест", "из 21 места", "из 28,4 места"
    assert [plural(n, PLACE, genitive=True) for n in (1, 2, 5, 21, 28.4)] == [
        "места",
        "мест",
        "мест",
        "места",
        "места",
    ]


@given(st.integers(min_value=0, max_value=10**9))
def test_plural_category_depends_on_the_last_two_digits(n):
    assert plural_category(n) == plural_category(n % 100 + 100)
    assert plural_category(n) in ("one", "few", "many")


def test_numbers_and_shares_per_locale():
    assert fmt_number(28600, "en") == "28,600"
    assert fmt_number(28600, "ru") == f"28{NBSP}600"
    assert fmt_number(1234567.891, "ru", 2) == f"1{NBSP}234{NBSP}567,89"
    assert fmt_share(0.299, "en", 1) == "29.9%"
    assert fmt_share(0.299, "ru", 1) == f"29,9{NBSP}%"
    assert fmt_share(0.297, "ru") == f"30{NBSP}%"
    assert fmt_number(-0.2, "en") == "0"  # no "-0"
    for lang in LANGUAGES:
        for missing in (math.nan, None, math.inf, "x"):
            assert fmt_number(missing, lang) == "–"
            assert fmt_share(missing, lang) == "–"
    assert [fmt_amount(v, "en") for v in (40.0, 39.96, 28.44, 0.04)] == ["40", "40", "28.4", "0"]


def test_quantities_agree_with_the_number_shown(norms):
    kindergarten = norms.service("kindergarten")
    assert [quantity(n, kindergarten, "ru") for n in (1, 2, 5, 21, 28.4, 28.04)] == [
        "1 место",
        "2 места",
        "5 мест",
        "21 место",
        "28,4 места",
        "28 мест",  # shown as 28, so it agrees with 28
    ]
    assert [quantity(n, kindergarten, "en") for n in (1, 2, 28.4)] == [
        "1 place",
        "2 places",
        "28.4 places",
    ]
    library = norms.service("library")
    assert quantity(2, library, "ru") == "2 читательских места"
    assert quantity(1.5, library, "ru") == "1,5 читательского места"
    polyclinic = norms.service("polyclinic")
    assert quantity(3, polyclinic, "ru") == "3 посещения в смену"
    assert capacity_unit(polyclinic, "en") == "visits per shift"
    # A unit without forms (square metres) reads the same after any number.
    pool = norms.service("swimming_pool")
    assert quantity(2, pool, "ru") == f"2 {pool.capacity_unit_ru}"


def test_every_unit_of_the_bundled_norm_sets_reads_correctly(norms):
    fifteen = load_norms("fifteen_minute_city")
    for norm in [*norms.services.values(), *fifteen.services.values()]:
        for lang in LANGUAGES:
            assert quantity(5, norm, lang).startswith("5 ")
            assert capacity_unit(norm, lang, 1)


def test_project_text_in_both_languages(norms):
    kindergarten = norms.service("kindergarten")
    assert project_text((320, 320, 80), 700.0, kindergarten, "en") == (
        "2 × 320 places + 1 × 80 places — kindergarten"
    )
    assert project_text((320, 80), 400.0, kindergarten, "ru") == (
        "1 × 320 мест + 1 × 80 мест — детский сад"
    )
    assert project_text((), 5.0, kindergarten, "en") == "no new building (extend an existing one)"
    assert project_text((), 5.0, kindergarten, "ru") == (
        "без нового здания (расширить существующее)"
    )
    pharmacy = norms.service("pharmacy")  # no demand rule: NaN places
    assert project_text((), math.nan, pharmacy, "en") == "1 new pharmacy within 500 m walk"
    assert project_text((), math.nan, pharmacy, "ru") == (
        "1 новый объект «аптека» в пределах 500 м пешком"
    )
    library = norms.service("library")
    if not library.project_sizes:
        assert project_text((), 21.0, library, "ru") == (
            "не хватает 21 читательского места (типового проекта в нормативах нет)"
        )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_engine_key_has_words(lang, norms):
    """Status, provenance, facility status, requirement, load and pace keys all read as words."""
    words = [unit_status(k, lang) for k in STATUS_COLORS]
    words += [service_status(k, lang) for k in STATUSES]
    words += [provenance(k, lang) for k in PROVENANCES]
    words += [facility_status(k, lang) for k in ("existing", "planned", "closed")]
    words += [requirement_status(k, lang) for k in ("missing", "ok", "not_required")]
    words += [load_status(k, lang) for _, k, _ in LOAD_CLASSES] + [load_status("unknown", lang)]
    words += [pace_label(p, norms, lang) for p in PACES]
    words += [service_label(norms, k, lang) for k in norms.services]
    assert all(w.strip() for w in words)
    if lang == "ru":
        proper_names = {provenance("osm", "ru")}
        assert all(
            any("а" <= c.lower() <= "я" for c in w) for w in words if w not in proper_names
        ), [w for w in words if not any("а" <= c.lower() <= "я" for c in w)]


def test_data_keys_unknown_to_the_catalogue_read_as_themselves():
    assert provenance("surveyed", "ru") == "surveyed"
    assert facility_status("mothballed", "en") == "mothballed"
    assert service_label(None, "youth_club", "en") == "Youth club"


def test_citation_and_requirement_reason(norms):
    source = Source(document="СП 42.13330.2016", clause="п. 10.4", url=None, confidence="B")
    assert citation(source, "en") == "СП 42.13330.2016, п. 10.4 (confidence B)"
    assert citation(source, "ru") == "СП 42.13330.2016, п. 10.4 (достоверность B)"
    assert citation(None, "en") == "no normative source"
    hall = norms.service("concert_hall")
    reason = requirement_reason(hall, 0, 28_600, "ru")
    assert reason.startswith(f"требуется только с 50{NBSP}000 жителей; в городе 28{NBSP}600 (")
    assert requirement_reason(hall, 0, 28_600, "en").startswith(
        "required only from 50,000 residents; the town has 28,600 ("
    )
    school = norms.service("school")
    assert requirement_reason(school, 1, 28_600, "en") == citation(
        school.sources.get("min_count"), "en"
    )


def test_walk_speed_for_a_pace(norms):
    assert norms.walk_speed_for("adult") == norms.walk_speed_m_min == 75.0
    assert norms.walk_speed_for("elderly") == norms.elderly_walk_speed_m_min == 50.0
    assert pace_label("elderly", norms, "en") == "elderly / small children, 50 m/min"


def test_every_progress_step_of_the_analysis_has_words(tiny_town, norms):
    from planner.analysis import analyze_town

    steps: list[tuple[str, str | None]] = []
    analyze_town(
        tiny_town,
        norms,
        services=["kindergarten"],
        progress=lambda _fraction, step, service: steps.append((step, service)),
    )
    assert steps[0] == ("attach", None)
    assert ("service", "kindergarten") in steps
    assert steps[-1] == ("done", None)
    assert progress_step("service", "kindergarten", norms, "en") == "analysing: kindergarten"
    assert progress_step("service", "kindergarten", norms, "ru") == "анализ: детский сад"
    for step, service in steps:
        for lang in LANGUAGES:
            assert progress_step(step, service, norms, lang).strip()
