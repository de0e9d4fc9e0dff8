"""Turn a deficit of places into standard project sizes: ``(320, 80)`` for 400 places short.

Sizes only; ``planner.presentation.words.project_text`` writes them as words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MIN_PROJECT_SHARE = 0.25
"""A deficit below this share of the smallest standard project suggests no new building: it is
better met by extending or re-zoning an existing facility."""


def suggest_projects(deficit: float, sizes: Sequence[int]) -> tuple[int, ...]:
    """Return the standard project sizes that cover a deficit with the fewest buildings.

    As many of the largest size as fit wholly, then the smallest size that covers the rest
    (or one more largest project when no size does).

    Parameters
    ----------
    deficit
        Capacity units short (places, seats, visits per shift).
    sizes
        The norm set's standard project sizes, ascending.

    Returns
    -------
    tuple of int
        Project sizes, largest first; empty when there is no deficit, no standard size, or the
        deficit is below ``MIN_PROJECT_SHARE`` of the smallest size.

    Examples
    --------
    >>> suggest_projects(150, (80, 180, 320))
    (180,)
    >>> suggest_projects(400, (80, 180, 320))
    (320, 80)
    >>> suggest_projects(10, (80, 180, 320))
    ()
    """
    if not sizes or not math.isfinite(deficit) or deficit < MIN_PROJECT_SHARE * min(sizes):
        return ()
    ordered = sorted(sizes)
    largest = ordered[-1]
    n_large = int(deficit // largest)
    rest = deficit - n_large * largest
    projects = [largest] * n_large
    if rest >= MIN_PROJECT_SHARE * ordered[0]:
        projects.append(next((s for s in ordered if s >= rest), largest))
    return tuple(projects)
