"""Standard projects for a deficit (``planner.projects.suggest_projects``), by hand.

Kindergarten sizes 80, 180 and 320 places: as many 320s as fit, then the smallest size that
covers the rest; nothing when the deficit (or the rest) is below a quarter of 80 = 20 places.
"""

from __future__ import annotations

import math

import pytest

from planner.projects import MIN_PROJECT_SHARE, suggest_projects

SIZES = (80, 180, 320)


@pytest.mark.parametrize(
    ("deficit", "expected"),
    [
        (150, (180,)),  # one building that covers it, the smallest such
        (180, (180,)),
        (181, (320,)),
        (400, (320, 80)),  # one 320, and 80 covers the other 80
        (700, (320, 320, 80)),
        (330, (320,)),  # the 10 left over is below 20: an extension, not a building
        (340, (320, 80)),  # 20 left over is a quarter of 80: one more building
        (19.9, ()),
        (20, (80,)),
        (0, ()),
    ],
)
def test_deficits_by_hand(deficit: float, expected: tuple[int, ...]) -> None:
    assert MIN_PROJECT_SHARE == 0.25
    assert suggest_projects(deficit, SIZES) == expected


@pytest.mark.parametrize("sizes", [(320, 80, 180), [80, 180, 320]])
def test_the_order_of_the_sizes_does_not_matter(sizes) -> None:
    assert suggest_projects(400, sizes) == (320, 80)


@pytest.mark.parametrize("deficit", [math.nan, math.inf, -5.0])
def test_no_projects_for_a_deficit_that_is_not_a_finite_positive_number(deficit: float) -> None:
    assert suggest_projects(deficit, SIZES) == ()


def test_no_projects_without_standard_sizes() -> None:
    assert suggest_projects(500, ()) == ()


@pytest.mark.parametrize("deficit", [20, 95, 333, 1000, 2500.5])
def test_the_projects_cover_the_deficit_with_less_than_one_smallest_size_spare(
    deficit: float,
) -> None:
    projects = suggest_projects(deficit, SIZES)
    assert sum(projects) >= deficit - MIN_PROJECT_SHARE * min(SIZES)
    assert sum(projects[:-1]) < deficit  # the last building is needed
