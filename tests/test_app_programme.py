"""The Programme and Proposals pages and the Overview's programme section under AppTest, in
English and Russian, on the tiny town with a small programme."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from planner.participation.proposals import Proposal
from planner.participation.store import ProposalStore
from planner.scenarios.edits import AddFacility
from planner.scenarios.store import ScenarioStore
from tests.factories import X0, XSS, Y0
from tests.test_app import _app, _goto, _texts
from tests.testdata import TINY_TOWN_DIR

EVENTS = (
    "id,venue,title,category,audience,start,duration_min,rrule,exdate,rdate,capacity,price,"
    "provenance,source\n"
    'choir,F1,Choir,workshop,children,2026-10-01T16:00,90,"FREQ=WEEKLY;BYDAY=TU,TH",,,20,free,'
    "illustrative,test\n"
    "gig,F2,Gig,concert,all,2026-10-10T18:00,,,,,100,paid,modelled,test\n"
)


@pytest.fixture
def town_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "tiny"
    shutil.copytree(TINY_TOWN_DIR, target)
    with (target / "town.toml").open("a", encoding="utf-8") as toml:
        toml.write('timezone = "Europe/Kaliningrad"\n')
    (target / "events.csv").write_text(EVENTS, encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return target


def _lonlat(x: float, y: float) -> tuple[float, float]:
    from pyproj import Transformer

    lon, lat = Transformer.from_crs("EPSG:32634", "EPSG:4326", always_xy=True).transform(
        X0 + x, Y0 + y
    )
    return float(lon), float(lat)


def test_programme_page_shows_the_month_in_both_languages(town_dir: Path):
    at = _app(town_dir, programme_month="2026-10", overview_month="2026-10")
    overview = "\n".join(_texts(at))
    assert "Cultural programme within walking reach" in overview
    metrics = {m.label: m.value for m in at.metric}
    # Tuesdays and Thursdays of October 2026 (9) plus one concert.
    assert metrics["Events this month"] == "10"
    _goto(at, "programme")
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Programme · Tiny"
    venues = at.dataframe[0].value
    assert list(venues["Events"]) == [9, 1]
    at.session_state["lang"] = "ru"
    at.run()
    texts = _texts(at)
    joined = "\n".join(texts)
    assert at.title[0].value == "Афиша · Крошечный"
    assert not re.search(r"\b(programme|proposal)\.[a-z_.]+", joined)
    for english in ("Events", "Residents", "Venue", "District", "State", "everyone"):
        assert english not in texts, english
    assert "Событий в месяце" in joined


def test_a_town_without_events_says_so(tmp_path: Path):
    target = tmp_path / "tiny"
    shutil.copytree(TINY_TOWN_DIR, target)
    at = _app(target)
    _goto(at, "programme")
    assert any("no events file" in i.value for i in at.info)


def test_proposals_page_lists_escapes_and_turns_a_proposal_into_a_scenario(town_dir: Path):
    west = _lonlat(50, 150)  # inside block R3, far from the kindergarten F2 at (200, 200)
    store = ProposalStore()
    store.add(
        [
            Proposal("p1", *west, "kindergarten", XSS, "2026-10-01", "anna@example.org", 5,
                     town="Tiny"),
            Proposal("p2", *west, "event", "Film club", "2026-10-02", "", 2, town="Tiny"),
        ]
    )  # fmt: skip
    at = _app(town_dir)
    _goto(at, "proposals")
    assert not at.error, [e.value for e in at.error]
    table = at.dataframe[0].value
    assert XSS in set(table["Proposal"])  # the resident's words, as written (shown as text)
    assert "anna@example.org" not in "\n".join(_texts(at))  # never in the tables
    by_district = at.dataframe[1].value
    assert set(by_district["District"]) == {"West"}
    assert int(by_district["Votes"].sum()) == 7
    # Turn p1 into a scenario in one click: the comparison appears and the scenario is saved.
    make = next(b for b in at.button if b.label == "Make the scenario and compare")
    make.click().run()
    assert not at.exception, at.exception
    assert any("made from proposal p1" in s.value for s in at.success)
    comparison = at.dataframe[-1].value
    first = comparison.iloc[0]
    assert first["Service"] == "Kindergarten"  # the service asked for comes first
    assert first["Homes gaining"] >= 1
    saved = ScenarioStore(store.path).get("Proposal p1: kindergarten")
    edit = saved.scenario.edits[0]
    assert isinstance(edit, AddFacility)
    assert edit.service == "kindergarten"
    assert ProposalStore().get("p1").scenario == "Proposal p1: kindergarten"


def test_status_change_from_the_page(town_dir: Path):
    store = ProposalStore()
    store.add([Proposal("p1", *_lonlat(50, 50), "school", "More places", town="Tiny")])
    at = _app(town_dir)
    _goto(at, "proposals")
    status_boxes = [s for s in at.selectbox if s.label == "Status"]
    status_boxes[0].set_value("accepted")
    next(b for b in at.button if b.label == "Set status").click().run()
    assert store.get("p1").status == "accepted"


def test_overview_shows_the_programme_per_district_in_both_languages(town_dir: Path):
    from planner.io import load_town
    from planner.norms import load_norms
    from planner.presentation.words import fmt_share
    from planner.programme.access import cultural_services, programme_access

    norms = load_norms()
    town = load_town(town_dir, norms=norms)
    expected = programme_access(town, "2026-10", cultural=cultural_services(norms)).districts
    expected = expected[(expected["audience"] == "all") & (expected["minutes"] == 15)]
    at = _app(town_dir, overview_month="2026-10")
    table = _deserts_table(at, "Residents in cultural deserts")
    assert list(table["District"]) == ["East", "West"]
    assert list(table["Residents in cultural deserts"]) == list(expected["desert_residents"])
    assert "By district: everyone within 15 min" in "\n".join(_texts(at))
    # One district chosen: its row only, and the metrics are that district's.
    at.selectbox(key="district").set_value("west").run()
    table = _deserts_table(at, "Residents in cultural deserts")
    assert list(table["District"]) == ["West"]
    west = expected[expected["district"] == "west"].iloc[0]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Residents with events within 15 min"] == fmt_share(
        west["share_with_events"], "en"
    )
    at.session_state["lang"] = "ru"
    at.run()
    table = _deserts_table(at, "Жителей в «культурной пустыне»")
    assert list(table["Район"]) == ["Запад"]
    # The month chosen survives the switch (the widget is drawn anew in each language).
    assert {m.label: m.value for m in at.metric}["Событий в месяце"] == "10"
    assert at.selectbox(key="overview_month_ru").value == "2026-10"
    assert "По районам: все жители, до 15 мин" in "\n".join(_texts(at))


def _deserts_table(at, header: str):
    """The Overview's one table of the programme per district (the one with deserts)."""
    tables = [d.value for d in at.dataframe if header in d.value.columns]
    assert len(tables) == 1, [list(d.value.columns) for d in at.dataframe]
    return tables[0]
