"""Programme access on the hand-checkable line town (tests/programme_towns.py) and one Gusev run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from planner.errors import PlannerError
from planner.norms import load_norms
from planner.programme.access import cultural_services, programme_access
from tests.programme_towns import CHILDREN, CONCERTS, PACE_M_MIN, programme_town
from tests.scenario_towns import X0, Y0

CULTURAL = ("house_of_culture", "library")


def unit_values(result, column, audience="all", minutes=15.0):
    part = result.units[
        (result.units["audience"] == audience) & (result.units["minutes"] == minutes)
    ]
    return dict(zip(part["unit_id"], part[column], strict=True))


def run(town, month="2027-02", **options):
    return programme_access(town, month, walk_speed_m_min=PACE_M_MIN, cultural=CULTURAL, **options)


def test_eight_events_reach_exactly_the_homes_within_the_walk():
    result = run(programme_town(CONCERTS))
    assert unit_values(result, "events") == {"H1": 8, "H2": 8, "H3": 0, "H4": 0, "H5": 0}
    assert unit_values(result, "events_concert") == {"H1": 8, "H2": 8, "H3": 0, "H4": 0, "H5": 0}
    assert unit_values(result, "events", minutes=30.0) == {
        "H1": 8, "H2": 8, "H3": 8, "H4": 8, "H5": 0
    }  # fmt: skip
    assert unit_values(result, "desert", minutes=30.0)["H5"]
    assert not unit_values(result, "desert", minutes=30.0)["H4"]


def test_audiences_see_their_own_events_and_those_for_all():
    result = run(programme_town(CONCERTS, CHILDREN))
    assert unit_values(result, "events", "all")["H1"] == 12
    assert unit_values(result, "events", "children")["H1"] == 12
    assert unit_values(result, "events_workshop", "children")["H1"] == 4
    assert unit_values(result, "events", "adults")["H1"] == 8
    assert unit_values(result, "events", "elderly")["H2"] == 8
    assert unit_values(result, "residents", "children")["H1"] == 200
    assert unit_values(result, "residents", "adults")["H1"] == 640


def test_seats_per_resident_share_each_venues_seats_among_everyone_in_reach():
    result = run(programme_town(CONCERTS, CHILDREN))
    # 15 min: H1 and H2 reach V (2,000 residents, 400 children). Seats: 8 x 50 for all,
    # 4 x 20 for children.
    assert unit_values(result, "seats_per_resident", "all")["H1"] == pytest.approx(480 / 2000)
    assert unit_values(result, "seats_per_resident", "children")["H1"] == pytest.approx(
        80 / 400 + 400 / 2000
    )
    assert unit_values(result, "seats_per_resident", "adults")["H2"] == pytest.approx(400 / 2000)
    assert unit_values(result, "seats_in_reach", "adults")["H2"] == pytest.approx(400)
    assert unit_values(result, "seats_per_resident", "all")["H3"] == 0
    # 30 min: H1..H4 reach V (4,000 residents, 800 children).
    assert unit_values(result, "seats_per_resident", "all", 30.0)["H4"] == pytest.approx(0.12)
    assert unit_values(result, "seats_per_resident", "children", 30.0)["H4"] == pytest.approx(
        80 / 800 + 400 / 4000
    )


def test_deserts_are_zones_of_neighbouring_homes_with_nothing_in_reach():
    result = run(programme_town(CONCERTS))
    zones = result.deserts[(result.deserts["audience"] == "all")]
    at15 = zones[zones["minutes"] == 15.0]
    # H4 and H5 stand 70 m apart (one zone, 2,000 residents); H3 is 1.4 km away (its own).
    assert at15["residents"].tolist() == [2000.0, 1000.0]
    assert at15["n_units"].tolist() == [2, 1]
    assert at15["district_ids"].tolist() == [["d2"], ["d1"]]
    at30 = zones[zones["minutes"] == 30.0]
    assert at30["residents"].tolist() == [1000.0]


def test_districts_and_town_summary():
    result = run(programme_town(CONCERTS))
    table = result.districts.set_index(["district", "audience", "minutes"])
    east = table.loc[("d2", "all", 30.0)]
    assert east["residents"] == 2000
    assert east["residents_with_events"] == 1000
    assert east["share_with_events"] == pytest.approx(0.5)
    assert east["desert_residents"] == 1000
    assert east["events_mean"] == pytest.approx(4.0)
    assert east["seats_per_resident"] == pytest.approx(400 / 4000 / 2)
    town = result.summary.set_index(["audience", "minutes"]).loc[("all", 15.0)]
    assert town["residents"] == 5000
    assert town["residents_with_events"] == 2000
    assert town["desert_residents"] == 3000


def test_idle_venues_are_cultural_facilities_without_events():
    result = run(programme_town(CONCERTS))
    venues = result.venues.set_index("facility_id")
    assert set(venues.index) == {"V", "L"}  # the school hosts nothing and is not cultural
    assert not venues.loc["V", "idle"]
    assert venues.loc["V", "events"] == 8
    assert venues.loc["V", "seats"] == 400
    assert venues.loc["V", "residents_within_15min"] == 2000
    assert venues.loc["L", "idle"]
    # L stands 110 m east of H5: H5 (130 m) and H4 (220 m) are within 15 min, H3 (1,630 m) not.
    assert venues.loc["L", "residents_within_15min"] == 2000
    assert venues.loc["L", "residents_within_30min"] == 5000


def test_a_school_hosting_events_is_listed_but_never_idle():
    school_gig = CONCERTS.replace("concerts,V", "gig,S")
    result = run(programme_town(CONCERTS, school_gig))
    venues = result.venues.set_index("facility_id")
    assert venues.loc["S", "events"] == 8
    assert not venues.loc["S", "cultural"]
    # S at x = 1,000: H1 (520 m), H2 (420 m) and H3 (510 m) are within 15 min.
    assert unit_values(result, "events")["H3"] == 8


def test_events_at_planned_or_closed_venues_count_only_when_asked():
    planned = {
        "id": "P",
        "service": "house_of_culture",
        "name": "P",
        "name_ru": "P",
        "address": "",
        "capacity": 100.0,
        "status": "planned",
        "provenance": "modelled",
        "source": "test",
        "geometry": Point(X0 + 2950, Y0 - 10),
    }
    town = programme_town(CONCERTS.replace("concerts,V", "new,P"), extra_facilities=[planned])
    result = run(town)
    assert unit_values(result, "events")["H5"] == 0
    assert (~result.occurrences["counted"]).sum() == 8
    result = run(town, include_planned=True)
    assert unit_values(result, "events")["H5"] == 8


def test_a_month_without_events_leaves_everyone_in_a_desert():
    result = run(programme_town(CONCERTS), month="2027-03")
    assert (result.units["events"] == 0).all()
    assert result.venues["idle"].all()


def test_bad_options_are_refused():
    town = programme_town(CONCERTS)
    with pytest.raises(PlannerError, match="YYYY-MM"):
        run(town, month="February")
    with pytest.raises(PlannerError, match="positive"):
        run(town, minutes=(0,))


def test_gusev_smoke_seats_are_conserved_and_reach_grows_with_time(gusev_town):
    norms = load_norms()
    result = programme_access(gusev_town, "2026-10", cultural=cultural_services(norms))
    units = result.units
    everyone = units[units["audience"] == "all"]
    for minutes, part in everyone.groupby("minutes"):
        # 2SFCA: shares summed over residents give back the seats of every venue in reach.
        reached = result.venues[f"residents_within_{minutes:g}min"] > 0
        total = (part["residents"] * part["seats_per_resident"]).sum()
        assert total == pytest.approx(result.venues.loc[reached, "seats"].sum())
    wide = everyone.pivot(index="unit_id", columns="minutes", values="events")
    assert (wide[30.0] >= wide[15.0]).all()
    assert result.summary["residents"].max() == gusev_town.meta.population
    assert result.venues.set_index("facility_id").loc["fac-ill-library-2", "idle"]
    assert np.isfinite(result.districts["seats_per_resident"]).all()
    assert isinstance(result.deserts, pd.DataFrame)
