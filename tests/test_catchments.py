"""Catchments (``planner.catchments``) on the tiny town's 3 x 3 street grid, by hand.

The school F1 sits on the corner node (0, 0); every street piece is 100 m long and 1,200 m of
street in all. A catchment is the reachable street buffered by 40 m (``CATCHMENT_BUFFER_M``).
"""

from __future__ import annotations

import math

import pytest

from planner.access_network import build_town_access_network
from planner.catchments import CATCHMENT_BUFFER_M, network_catchments, radius_circles
from planner.model import Town


@pytest.fixture(scope="module")
def network():
    from tests.factories import make_tiny_town

    return build_town_access_network(make_tiny_town())


def test_the_whole_grid_within_500_m_of_the_corner(network) -> None:
    full = network_catchments(network, ["F1"], limit_m=500)
    assert list(full.columns) == ["facility_id", "limit_m", "reachable_street_m", "geometry"]
    assert full.loc[0, "reachable_street_m"] == pytest.approx(1200.0, abs=0.01)
    # The grid buffered by 40 m: a 280 m square less four 20 m holes, less the four outer
    # corners, rounded by two chords each (quad_segs=2): r^2 (1 - sin 45 deg) per corner.
    assert CATCHMENT_BUFFER_M == 40.0
    corners_m2 = 4 * 40**2 * (1 - math.sin(math.pi / 4))
    assert full.geometry[0].area == pytest.approx(280**2 - 4 * 20**2 - corners_m2, rel=0.001)


def test_a_short_limit_reaches_part_of_the_edges(network) -> None:
    full = network_catchments(network, ["F1"], limit_m=500)
    partial = network_catchments(network, ["F1"], limit_m=150)
    # 100 m along both streets from the corner, then 50 m on each of the four next edges.
    assert partial.loc[0, "reachable_street_m"] == pytest.approx(400.0, abs=0.01)
    assert partial.geometry[0].within(full.geometry[0].buffer(0.01))


def test_catchments_of_two_facilities_come_in_the_order_asked(network) -> None:
    both = network_catchments(network, ["F2", "F1"], limit_m=100)
    assert both["facility_id"].tolist() == ["F2", "F1"]
    # From a corner 100 m reaches the two streets meeting there: 200 m each.
    assert both["reachable_street_m"].tolist() == pytest.approx([200.0, 200.0])


def test_no_facilities_give_an_empty_frame(network) -> None:
    empty = network_catchments(network, [], limit_m=500)
    assert empty.empty
    assert {"facility_id", "limit_m", "reachable_street_m"} <= set(empty.columns)


def test_radius_circles_are_the_normative_radius_around_each_facility(tiny_town: Town) -> None:
    circles = radius_circles(tiny_town.facilities, radius_m=500.0)
    assert len(circles) == len(tiny_town.facilities)
    # A 64-gon (quad_segs=16) inscribed in the 500 m circle: 32 r^2 sin(2 pi / 64).
    area = 32 * 500**2 * math.sin(2 * math.pi / 64)
    assert circles.geometry.area.tolist() == pytest.approx([area, area], rel=1e-9)
    centres = circles.geometry.centroid.distance(
        tiny_town.facilities.geometry.reset_index(drop=True)
    )
    assert (centres < 1e-6).all()
