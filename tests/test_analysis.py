"""The analysis orchestrator on the tiny town, by hand: figures, overloads, gaps, requirements.

Tiny town (tests/factories.py): a 3 x 3 street grid 100 m apart (1,200 m of street),
school F1 (capacity 100) on the corner node (0, 0), kindergarten F2 (capacity 40) on (200, 200).
Every block is within 400 m of both by the grid, so within the 500 m norms: all unmet demand is
a capacity shortfall, computable without the solver:
- kindergarten demand = pop_0_6 x 6/7 x 0.85 = (7 + 14 + 21 + 28) x 6/7 x 0.85 = 51 places;
- school demand = pop_7_17 x 21/22 = (13 + 26 + 39 + 52) x 21/22 = 124.09 places.
"""

from __future__ import annotations

import pytest

from planner.analysis import analyze_town
from planner.errors import NormsError
from planner.figures import summary_table
from planner.model import Town
from planner.norms import load_norms


@pytest.fixture
def analysis(tiny_town: Town):
    return analyze_town(tiny_town, load_norms(), services=["kindergarten", "school", "pharmacy"])


def test_capacity_shortfall_is_the_unmet_demand(analysis) -> None:
    summary = summary_table(analysis).set_index("service")
    assert summary.loc["kindergarten", "demand"] == pytest.approx(51.0)
    assert summary.loc["kindergarten", "served_within"] == pytest.approx(40.0)
    assert summary.loc["kindergarten", "unmet_places"] == pytest.approx(11.0)
    assert summary.loc["school", "demand"] == pytest.approx(130 * 21 / 22)
    assert summary.loc["school", "unmet_places"] == pytest.approx(130 * 21 / 22 - 100)
    assert summary.loc["kindergarten", "covered_network_share"] == 1.0
    assert summary.loc["kindergarten", "status"] == "fair"  # 40 / 51 = 0.78: 70-90 % is fair
    # no pharmacy in the tiny town: nobody is covered, and that is a gap of the whole town
    assert summary.loc["pharmacy", "covered_network"] == 0
    assert summary.loc["pharmacy", "gap_zones"] == 1


def test_overloaded_kindergarten(analysis) -> None:
    overloaded = analysis.service("kindergarten").overloaded
    assert overloaded["facility_id"].tolist() == ["F2"]
    assert overloaded.loc[0, "nearest_demand"] == pytest.approx(51.0)
    assert overloaded.loc[0, "overload_places"] == pytest.approx(11.0)
    assert overloaded.loc[0, "load"] == pytest.approx(40.0)


def test_gap_zone_holds_the_unmet_places(analysis) -> None:
    zones = analysis.service("kindergarten").gap_zones
    assert zones["unmet_places"].sum() == pytest.approx(11.0)
    # 11 places short is below a quarter of the smallest kindergarten (80): extend, no building
    assert zones["project_sizes"].iloc[0] == ()
    # the zone covers the blocks it is made of
    units = analysis.town.residential.set_index("id")
    gap_units = analysis.service("kindergarten").provision.units.query("served_within < demand")
    for unit_id in gap_units["unit_id"]:
        assert zones.geometry.iloc[0].buffer(0.01).contains(units.geometry[unit_id])


def test_requirements_list_missing_and_not_required(analysis) -> None:
    req = analysis.requirements.set_index("service")
    assert req.loc["school", "status"] == "ok"
    assert req.loc["concert_hall", "status"] == "not_required"
    assert req.loc["concert_hall", "required_from_population"] == 50_000
    assert req.loc["library", "status"] == "missing"
    assert req.loc["library", "missing"] == 1


def test_service_without_walking_norm_is_refused(tiny_town: Town) -> None:
    with pytest.raises(NormsError, match="has no walking norm"):
        analyze_town(tiny_town, load_norms(), services=["museum"])


def test_elderly_pace_lengthens_times_only(tiny_town: Town) -> None:
    norms = load_norms()
    adult = analyze_town(tiny_town, norms, services=["school"], with_catchments=False)
    slow = analyze_town(
        tiny_town,
        norms,
        services=["school"],
        walk_speed_m_min=norms.elderly_walk_speed_m_min,
        with_catchments=False,
    )
    ratio = slow.coverage["walk_time_min"] / adult.coverage["walk_time_min"]
    assert ratio.to_numpy() == pytest.approx(
        norms.walk_speed_m_min / norms.elderly_walk_speed_m_min
    )
    assert (slow.coverage["distance_m"] == adult.coverage["distance_m"]).all()


def test_catchment_polygons_are_built_once_on_first_use(tiny_town, monkeypatch) -> None:
    import threading

    from planner import analysis as engine
    from planner.catchments import network_catchments as real

    calls: list[list[str]] = []

    def counted(net, ids, *, limit_m):
        calls.append(list(ids))
        return real(net, ids, limit_m=limit_m)

    monkeypatch.setattr("planner.analysis.network_catchments", counted)
    result = engine.analyze_town(tiny_town, load_norms(), services=["school", "kindergarten"])
    assert calls == []  # nothing drawn yet, nothing built
    school = result.service("school")
    assert not school.catchment_polygons.ready
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(school.catchments)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [["F1"]]  # once, for the school only, however many readers
    assert all(frame is seen[0] for frame in seen)
    first = seen[0]
    assert first is not None
    assert first["facility_id"].tolist() == ["F1"]
    assert school.catchments is first  # kept, not rebuilt
    without = engine.analyze_town(
        tiny_town, load_norms(), services=["school"], with_catchments=False
    )
    assert without.service("school").catchments is None
    assert calls == [["F1"]]


def test_radius_circles_are_built_on_first_use(tiny_town, monkeypatch) -> None:
    from planner import analysis as engine
    from planner.catchments import radius_circles as real

    calls: list[float] = []

    def counted(facilities, *, radius_m):
        calls.append(radius_m)
        return real(facilities, radius_m=radius_m)

    monkeypatch.setattr("planner.analysis.radius_circles", counted)
    norms = load_norms()
    result = engine.analyze_town(tiny_town, norms, services=["school", "kindergarten"])
    assert calls == []  # nothing drawn yet, nothing built
    school = result.service("school")
    circles = school.radius_circles
    assert calls == [norms.services["school"].radius_m]
    assert circles is not None
    assert circles["facility_id"].tolist() == ["F1"]
    assert school.radius_circles is circles  # kept, not rebuilt
