"""The modelled cultural programme of Gusev, season September 2026 – August 2027 (``events.csv``).

No venue of Gusev publishes a machine-readable calendar the project could use, so the programme
is a **model**: the venues are the cultural facilities of the model (docs/gusev.md §6.4), the
kinds of event are those the Technopolis GS statement names (exhibitions, workshops, concerts,
film screenings, master classes, festivals such as the annual Day of Technopolis GS) and those a
Russian house of culture, museum, library and children's art school ordinarily hold; the dates
follow the holidays of the Russian calendar and a September–May season. Every row says why it is
there in ``source`` and is marked ``modelled`` (a real, recurring event whose dates in this season
are inferred) or ``illustrative`` (a stand-in of the kind a venue of this type runs; no source
names it). Titles are in Russian, as the venues would write them.

The two illustrative library branches get no programme: nothing is known about them, so they
show as idle venues — which is what an idle-venue check is for (a programme missing from the data
looks the same as a venue standing empty, and both need a look).

Real calendars replace this file with no code change: put a venue's ``.ics`` export beside it as
``events.ics``, or fill ``events.csv`` from the venues' published posters.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from planner.events.table import EVENT_COLUMNS

SEASON_END = "20270831"
"""Every series ends with the season (local date, inclusive)."""
SCHOOL_YEAR = "BYMONTH=9,10,11,12,1,2,3,4,5"
"""Months of the club season: studios and regular concerts pause in June–August."""

COLUMNS = EVENT_COLUMNS[:-2]
"""The columns of ``events.csv``: those of the events table without where a row came from."""

_HOLIDAYS = "2026-12-31T16:00;2027-01-07T16:00"
"""Evenings the New Year holidays close the studios (a weekly series skips them)."""


@dataclass(frozen=True, slots=True)
class Series:
    """One event or recurring series of the modelled programme."""

    id: str
    venue: str
    title: str
    category: str
    audience: str
    start: str
    duration_min: int
    rrule: str
    capacity: int | None
    price: str
    provenance: str
    source: str
    exdate: str = ""
    rdate: str = ""


_CLUB = "a house of culture's club formations (клубные формирования) meet weekly in the season"
_DOK = "Town House of Culture, ul. Krasnoarmeyskaya 11 (docs/gusev.md §6.4)"
_TECHNOPOLIS = (
    "the Technopolis GS statement names exhibitions, workshops, concerts, film screenings, "
    "master classes and festivals"
)

PROGRAMME: tuple[Series, ...] = (
    # --- Day of Technopolis GS: the one festival sources date. Held on the first Saturday of
    # September (6 Sep 2014, 2 Sep 2017), 13:00-22:00 in the park of the sports complex since
    # 2017, free, about 10,000 visitors (technopolis.gs news 2014 and 2018).
    Series(
        "technopolis-day",
        "fac-fok",
        "День Технополиса GS",
        "festival",
        "all",
        "2026-09-05T13:00",
        540,
        "FREQ=YEARLY;BYMONTH=9;BYDAY=1SA",
        10000,
        "free",
        "modelled",
        "annual festival of Technopolis GS in the park of the sports complex (FOK), first "
        "Saturday of September, 13:00-22:00, free, ~10,000 visitors (en.technopolis.gs news "
        "2014, 2018); 2026 and 2027 dates inferred from that pattern",
    ),
    # --- Town House of Culture (400 seats): studios, a monthly concert, holiday concerts.
    Series(
        "dk-vocal-children",
        "fac-house-of-culture",
        "Детская вокальная студия",
        "workshop",
        "children",
        "2026-09-01T16:00",
        90,
        f"FREQ=WEEKLY;BYDAY=TU,TH;{SCHOOL_YEAR};UNTIL={SEASON_END}",
        20,
        "free",
        "illustrative",
        f"{_CLUB}; {_DOK}",
        _HOLIDAYS,
    ),
    Series(
        "dk-dance-children",
        "fac-house-of-culture",
        "Хореографический коллектив",
        "workshop",
        "children",
        "2026-09-02T17:00",
        90,
        f"FREQ=WEEKLY;BYDAY=MO,WE;{SCHOOL_YEAR};UNTIL={SEASON_END}",
        25,
        "paid",
        "illustrative",
        f"{_CLUB}; {_DOK}",
    ),
    Series(
        "dk-veterans-choir",
        "fac-house-of-culture",
        "Хор ветеранов",
        "workshop",
        "elderly",
        "2026-09-04T11:00",
        120,
        f"FREQ=WEEKLY;BYDAY=FR;{SCHOOL_YEAR};UNTIL={SEASON_END}",
        30,
        "free",
        "illustrative",
        f"{_CLUB}; {_DOK}",
    ),
    Series(
        "dk-concert",
        "fac-house-of-culture",
        "Концерт коллективов Дома культуры",
        "concert",
        "all",
        "2026-09-12T18:00",
        120,
        f"FREQ=MONTHLY;BYDAY=2SA;{SCHOOL_YEAR};UNTIL={SEASON_END}",
        400,
        "paid",
        "illustrative",
        f"monthly concert of the house's own groups in its 400-seat hall; {_DOK}",
    ),
    Series(
        "dk-elderly-day",
        "fac-house-of-culture",
        "Концерт ко Дню пожилого человека",
        "concert",
        "elderly",
        "2026-10-01T14:00",
        90,
        "",
        400,
        "free",
        "modelled",
        "International Day of Older Persons, 1 October, is marked by houses of culture across "
        "Russia",
    ),
    Series(
        "dk-new-year-children",
        "fac-house-of-culture",
        "Новогодняя ёлка для детей",
        "concert",
        "children",
        "2026-12-26T12:00",
        90,
        "FREQ=DAILY;COUNT=3",
        400,
        "paid",
        "modelled",
        "New Year performances for children (ёлки) in the last week of December",
    ),
    Series(
        "dk-defender-day",
        "fac-house-of-culture",
        "Концерт ко Дню защитника Отечества",
        "concert",
        "all",
        "2027-02-23T15:00",
        90,
        "",
        400,
        "free",
        "modelled",
        "Defender of the Fatherland Day, 23 February, a public holiday",
    ),
    Series(
        "dk-womens-day",
        "fac-house-of-culture",
        "Праздничный концерт к 8 Марта",
        "concert",
        "all",
        "2027-03-07T15:00",
        90,
        "",
        400,
        "paid",
        "modelled",
        "International Women's Day, 8 March, a public holiday; concert on the eve",
    ),
    Series(
        "dk-victory-day",
        "fac-house-of-culture",
        "Концерт ко Дню Победы",
        "concert",
        "all",
        "2027-05-09T17:00",
        120,
        "",
        400,
        "free",
        "modelled",
        "Victory Day, 9 May, a public holiday",
    ),
    # --- FOK cinema hall (capacity unknown: the 2010 opening report gives none).
    Series(
        "cinema-evening",
        "fac-fok-cinema",
        "Вечерний киносеанс",
        "screening",
        "all",
        "2026-09-04T19:00",
        120,
        f"FREQ=WEEKLY;BYDAY=FR,SA;UNTIL={SEASON_END}",
        None,
        "paid",
        "illustrative",
        "cinema hall of the sports complex (docs/gusev.md §6.5; operation unconfirmed); "
        f"{_TECHNOPOLIS}",
    ),
    Series(
        "cinema-children",
        "fac-fok-cinema",
        "Детский киносеанс",
        "screening",
        "children",
        "2026-09-06T12:00",
        90,
        f"FREQ=WEEKLY;BYDAY=SU;UNTIL={SEASON_END}",
        None,
        "paid",
        "illustrative",
        "Sunday matinee in the cinema hall of the sports complex (operation unconfirmed)",
    ),
    # --- A. M. Ivanov museum: temporary exhibitions, museum classes, commemorations.
    Series(
        "museum-exhibition",
        "fac-museum",
        "Открытие временной выставки",
        "exhibition",
        "all",
        "2026-09-18T15:00",
        90,
        f"FREQ=MONTHLY;INTERVAL=2;BYDAY=3FR;UNTIL={SEASON_END}",
        60,
        "free",
        "illustrative",
        "a local museum opens a temporary exhibition every couple of months; museum at "
        "ul. Moskovskaya 36A (docs/gusev.md §6.4)",
    ),
    Series(
        "museum-class",
        "fac-museum",
        "Музейное занятие для школьников",
        "master_class",
        "children",
        "2026-09-26T11:00",
        60,
        f"FREQ=MONTHLY;BYDAY=-1SA;{SCHOOL_YEAR};UNTIL={SEASON_END}",
        15,
        "paid",
        "illustrative",
        "museum lessons for school classes, a standard museum-education format",
    ),
    Series(
        "museum-night",
        "fac-museum",
        "Ночь музеев",
        "festival",
        "all",
        "2027-05-15T18:00",
        300,
        "",
        300,
        "free",
        "modelled",
        "all-Russian Night of Museums, a Saturday in mid-May every year",
    ),
    Series(
        "museum-gumbinnen-1914",
        "fac-museum",
        "Памятная встреча: Гумбинненское сражение 1914 года",
        "other",
        "all",
        "2027-08-20T12:00",
        90,
        "",
        60,
        "free",
        "modelled",
        "the museum's second building holds the Centre for Memory of WWI (docs/gusev.md §6.4); "
        "the Battle of Gumbinnen was fought on 20 August 1914",
    ),
    # --- Libraries: reading clubs and the all-Russian Library Night.
    Series(
        "library-book-club",
        "fac-library-central",
        "Клуб любителей книги",
        "other",
        "adults",
        "2026-09-16T18:00",
        90,
        f"FREQ=MONTHLY;BYDAY=3WE;{SCHOOL_YEAR};UNTIL={SEASON_END}",
        25,
        "free",
        "illustrative",
        "central library of the Gusev library union (docs/gusev.md §6.4); reading clubs are a "
        "standard library format",
    ),
    Series(
        "library-elderly-club",
        "fac-library-central",
        "Клуб «Серебряный возраст»",
        "other",
        "elderly",
        "2026-09-10T11:00",
        90,
        f"FREQ=MONTHLY;BYDAY=2TH;{SCHOOL_YEAR};UNTIL={SEASON_END}",
        25,
        "free",
        "illustrative",
        "clubs for older readers are a standard library format",
    ),
    Series(
        "library-night",
        "fac-library-central",
        "Библионочь",
        "festival",
        "all",
        "2027-04-24T18:00",
        240,
        "",
        150,
        "free",
        "modelled",
        "all-Russian Library Night, the last Saturday of April",
    ),
    Series(
        "children-library-reading",
        "fac-library-children",
        "Громкие чтения для малышей",
        "workshop",
        "children",
        "2026-09-05T11:00",
        60,
        f"FREQ=WEEKLY;BYDAY=SA;UNTIL={SEASON_END}",
        15,
        "free",
        "illustrative",
        "central children's library (docs/gusev.md §6.4); reading hours for small children",
        "2027-01-02T11:00",
    ),
    # --- Children's art school: reporting concerts and an exhibition of pupils' work.
    Series(
        "dshi-concert",
        "fac-dshi",
        "Отчётный концерт детской школы искусств",
        "concert",
        "all",
        "2026-12-20T15:00",
        120,
        "",
        150,
        "free",
        "illustrative",
        "art schools give reporting concerts at the end of each half-year; the Gusev "
        "children's art school won a regional review in 2025 (docs/gusev.md §6.4)",
        rdate="2027-05-23T15:00",
    ),
    Series(
        "dshi-exhibition",
        "fac-dshi",
        "Выставка работ учащихся художественного отделения",
        "exhibition",
        "all",
        "2027-05-21T15:00",
        60,
        "",
        80,
        "free",
        "illustrative",
        "year-end exhibition of the art department's pupils",
    ),
    # --- Children and youth centre: master classes.
    Series(
        "dyuc-master-class",
        "fac-dyuc",
        "Мастер-класс по робототехнике",
        "master_class",
        "children",
        "2026-09-19T12:00",
        90,
        f"FREQ=MONTHLY;BYDAY=3SA;{SCHOOL_YEAR};UNTIL={SEASON_END}",
        20,
        "free",
        "illustrative",
        "the children and youth centre (1,250 children, docs/gusev.md §6.1) showed robots at the "
        "Day of Technopolis GS 2014; robotics master classes are a recurring festival item",
    ),
    # --- Technopolis GS Art Center (operation unconfirmed) and the Gumbinnen design residence.
    Series(
        "art-center-master-class",
        "fac-art-center",
        "Мастер-класс в Арт-центре",
        "master_class",
        "all",
        "2026-09-27T14:00",
        120,
        f"FREQ=MONTHLY;BYDAY=-1SU;UNTIL={SEASON_END}",
        20,
        "paid",
        "illustrative",
        "Technopolis GS Art Center (682 m², construction began 2016; operation unconfirmed, "
        f"docs/gusev.md §7); {_TECHNOPOLIS}",
    ),
    Series(
        "art-center-exhibition",
        "fac-art-center",
        "Открытие выставки в Арт-центре",
        "exhibition",
        "all",
        "2026-10-10T16:00",
        90,
        f"FREQ=MONTHLY;INTERVAL=3;BYDAY=2SA;UNTIL={SEASON_END}",
        80,
        "free",
        "illustrative",
        f"quarterly exhibition openings (operation unconfirmed); {_TECHNOPOLIS}",
    ),
    Series(
        "gumbinnen-book-club",
        "fac-gumbinnen",
        "Книжный клуб резиденции Gumbinnen",
        "other",
        "adults",
        "2026-09-24T19:00",
        90,
        f"FREQ=MONTHLY;BYDAY=4TH;UNTIL={SEASON_END}",
        20,
        "free",
        "illustrative",
        "design residence Gumbinnen, ul. Lenina 29, runs a book club (vk.com/wall-211015009, "
        "docs/gusev.md §6.4); monthly schedule assumed",
    ),
    Series(
        "gumbinnen-fair",
        "fac-gumbinnen",
        "Ярмарка мастеров",
        "festival",
        "all",
        "2026-12-19T12:00",
        300,
        "FREQ=YEARLY;BYMONTH=6,12;BYDAY=3SA;UNTIL=" + SEASON_END,
        200,
        "free",
        "illustrative",
        "the design residence holds fairs (docs/gusev.md §6.4); twice a year assumed",
    ),
)
"""The season, one entry per event or series (``id`` unique)."""


def programme_csv(facility_ids: Sequence[str]) -> str:
    """Return ``events.csv``: the programme, one row per series, in a fixed order.

    Raises
    ------
    ValueError
        If an entry's venue is not a facility of the model or ids repeat.
    """
    known = set(facility_ids)
    ids = Counter(s.id for s in PROGRAMME)
    if repeated := [i for i, n in ids.items() if n > 1]:
        msg = f"programme ids repeat: {repeated}"
        raise ValueError(msg)
    if missing := sorted({s.venue for s in PROGRAMME} - known):
        msg = f"programme venues are not facilities of the model: {missing}"
        raise ValueError(msg)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for s in PROGRAMME:
        writer.writerow(
            (
                s.id,
                s.venue,
                s.title,
                s.category,
                s.audience,
                s.start,
                s.duration_min,
                s.rrule,
                s.exdate,
                s.rdate,
                "" if s.capacity is None else s.capacity,
                s.price,
                s.provenance,
                s.source,
            )
        )
    return buffer.getvalue()
