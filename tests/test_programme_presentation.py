"""Words, tables, the CLI report and the map of the programme and the proposals, in both
languages, with hostile data text escaped."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from planner.layers import EVENT_AUDIENCES, EVENT_CATEGORIES
from planner.maps.programme import (
    EVENT_CLASSES,
    PROPOSAL_COLORS,
    build_programme_map,
    event_class,
)
from planner.norms import load_norms
from planner.participation.proposals import PROPOSAL_STATUSES, Proposal
from planner.participation.summary import proposal_frame
from planner.presentation.programme import (
    programme_district_table,
    programme_lines,
    programme_summary_table,
    programme_venue_table,
    seats_text,
    venue_state,
)
from planner.presentation.proposals import proposal_table
from planner.presentation.words import (
    LANGUAGES,
    audience_label,
    event_category,
    month_label,
    proposal_category,
    proposal_status,
)
from planner.programme.access import programme_access
from tests.factories import XSS
from tests.programme_towns import CONCERTS, PACE_M_MIN, programme_town
from tests.scenario_towns import lonlat

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
NORMS = load_norms()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_programme_and_proposal_key_has_words(lang):
    words = [event_category(c, lang) for c in EVENT_CATEGORIES]
    words += [audience_label(a, lang) for a in EVENT_AUDIENCES]
    words += [proposal_status(s, lang) for s in PROPOSAL_STATUSES]
    words += [proposal_category(NORMS, "event", lang)]
    words += [month_label(f"2026-{m:02d}", lang) for m in range(1, 13)]
    assert len(set(words)) == len(words)
    for word in words:
        assert word.strip()
        assert bool(CYRILLIC.search(word)) == (lang == "ru"), word


def test_month_label():
    assert month_label("2026-10", "en") == "October 2026"
    assert month_label("2027-02", "ru") == "февраль 2027"


def test_event_classes_by_count():
    assert [event_class(n) for n in (0, 1, 4, 5, 19, 20, 49, 50, 500)] == [
        0,
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]


def result_of(town):
    return programme_access(
        town, "2027-02", walk_speed_m_min=PACE_M_MIN, cultural=("house_of_culture", "library")
    )


def test_tables_and_report_in_russian_have_no_english():
    town = programme_town(CONCERTS)
    result = result_of(town)
    for table in (
        programme_summary_table(result, "ru"),
        programme_venue_table(result, town, NORMS, "ru"),
        programme_district_table(result, town, "ru"),
    ):
        for header in table.columns:
            assert CYRILLIC.search(str(header)), header
    venues = programme_venue_table(result, town, NORMS, "ru")
    assert list(venues["Состояние"]) == ["работает", "простаивает: событий нет"]
    lines = programme_lines(result, town, NORMS, "ru", pace="взрослый шаг")
    text = "\n".join(lines)
    assert lines[0] == "Культурная программа, февраль 2027"
    assert "Событий за месяц (февраль 2027): 8;" in text
    assert not re.search(r"\b(programme|proposal)\.[a-z_.]+", text)
    assert not re.search(r"\b(Events|Residents|Venue|District|idle|everyone)\b", text)


def test_the_map_escapes_data_text_and_colours_deserts():
    town = programme_town(CONCERTS)
    facilities = town.facilities.copy()
    facilities.loc[facilities["id"] == "V", ["name", "name_ru"]] = XSS
    town = replace(town, facilities=facilities)
    result = result_of(town)
    proposals = proposal_frame([Proposal("p", *lonlat(2990, 10), "event", f"Please {XSS}")])
    html = build_programme_map(town, result, labels="en", norms=NORMS, proposals=proposals)
    page = html.get_root().render()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert EVENT_CLASSES[0][1] in page  # H3-H5 have nothing within 15 minutes
    assert "Residents\\u0027 proposals" in page  # the layer, named in the layer control
    # Its legend entry (the legend's HTML sits JSON-encoded in the page's script).
    assert f'data-color=\\"{PROPOSAL_COLORS["new"]}\\"' in page


def test_proposal_table_shows_the_contact_only_when_the_frame_has_it():
    proposal = Proposal("p", *lonlat(500, 10), "kindergarten", "text", contact="tel 1")
    plain = proposal_table(proposal_frame([proposal]), None, NORMS, "en")
    assert "Contact" not in plain.columns
    full = proposal_table(proposal_frame([proposal], with_contact=True), None, NORMS, "ru")
    assert list(full["Контакт"]) == ["tel 1"]
    assert list(full["Что просят"]) == ["Детский сад"]


@pytest.mark.parametrize(
    ("idle", "events", "en", "ru"),
    [
        (False, 3, "active", "работает"),
        (True, 0, "idle: no events this month", "простаивает: событий нет"),
        # A sports hall without events is not "active", nor an idle cultural venue.
        (
            False,
            0,
            "no events this month (not a cultural venue)",
            "событий нет (не учреждение культуры)",
        ),
    ],
)
def test_venue_state_in_words(idle: bool, events: int, en: str, ru: str) -> None:
    assert venue_state(idle, events, "en") == en
    assert venue_state(idle, events, "ru") == ru


def test_seats_of_events_of_unknown_size_are_not_shown_as_zero() -> None:
    assert seats_text(120, 0, "en") == "120"
    assert seats_text(0, 14, "en") == "0 + 14 events of unknown size"
    assert seats_text(1330, 2, "ru") == "1\u00a0330 + 2 событий без данных о местах"
