"""Normative coverage: for each residential unit and service, the nearest facility on foot.

Two checks sit side by side, as officials and residents see them: the straight-line normative
radius (what a plan reviewer measures with a compass) and the walking distance along the street
network (what residents walk). A unit inside the radius but beyond the walking limit is cut off
by a river, a railway or a missing path: ``radius_not_network``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from planner.access_network import AccessNetwork, nearest_destination
from planner.errors import NormsError

if TYPE_CHECKING:
    from planner.model import Town
    from planner.norms import NormSet, ServiceNorm

__all__ = ["COVERAGE_COLUMNS", "counted_statuses", "coverage_summary", "coverage_table"]

COVERAGE_COLUMNS: tuple[str, ...] = (
    "unit_id",
    "service",
    "district",
    "population",
    "nearest_facility_id",
    "distance_m",
    "walk_time_min",
    "straight_m",
    "walk_limit_m",
    "radius_m",
    "within_limit",
    "within_radius",
    "radius_not_network",
)
"""Columns of ``coverage_table``, in order."""


def counted_statuses(*, include_planned: bool) -> tuple[str, ...]:
    """Return the facility statuses that serve residents ("closed" never does)."""
    return ("existing", "planned") if include_planned else ("existing",)


def coverage_table(
    town: Town,
    norms: NormSet,
    net: AccessNetwork,
    *,
    services: Sequence[str] | None = None,
    walk_speed_m_min: float | None = None,
    include_planned: bool = False,
) -> pd.DataFrame:
    """Return the coverage of every residential unit by every service, one row per pair.

    Parameters
    ----------
    town
        The town (its residential units and facilities).
    norms
        The norm set giving walking limits and radii.
    net
        The town's access network (``build_town_access_network``): its origins must include
        every residential unit and its destinations every counted facility.
    services
        Service keys to report; default: every service of the norm set that has a walking norm
        or has facilities in the town.
    walk_speed_m_min
        Walking speed for ``walk_time_min``; default the norm set's adult pace (pass
        ``norms.elderly_walk_speed_m_min`` for small children and elderly walkers).
    include_planned
        Count planned facilities as well as existing ones.

    Returns
    -------
    pandas.DataFrame
        Columns ``COVERAGE_COLUMNS``: ``distance_m`` on the network (``inf`` when no facility is
        reachable, ``nearest_facility_id`` then missing), ``walk_time_min`` at the given speed,
        ``straight_m`` to the nearest facility by straight line from the same origin point,
        the norm's ``walk_limit_m`` and ``radius_m`` (NaN when the norm has none), and the flags
        ``within_limit`` (distance_m <= walk_limit_m), ``within_radius`` (straight_m <=
        radius_m) and ``radius_not_network`` (within the radius but not the walking limit).
        A flag is False when the norm has no such value. Rows go service by service in norm-set
        order, units in residential-layer order.

    Raises
    ------
    NormsError
        If a service key is unknown or the walking speed is not positive.
    NetworkError
        If ``net`` was built for other residential units or facilities.
    """
    speed = norms.walk_speed_m_min if walk_speed_m_min is None else float(walk_speed_m_min)
    if not speed > 0:
        msg = f"The walking speed must be a positive number of metres per minute, got {speed}."
        raise NormsError(msg)
    res = town.residential
    unit_ids = res["id"].to_numpy(dtype=object)
    origin_pos = net.origins.positions(unit_ids)
    origin_xy = net.origins.xy[origin_pos]
    fac = town.facilities
    fac = fac[fac["status"].isin(counted_statuses(include_planned=include_planned))]
    fac_service = fac["service"].to_numpy(dtype=object)
    fac_pos = net.destinations.positions(fac["id"].to_numpy(dtype=object))
    keys = _service_keys(norms, fac_service, services)

    # Numpy per service, one DataFrame at the end: pandas construction costs more than the
    # shortest paths at town scale.
    parts = [
        _service_arrays(
            norms.services[key], net, fac_pos[fac_service == key], origin_pos, origin_xy
        )
        for key in keys
    ]
    n_units, n_keys = len(unit_ids), len(keys)
    distance_m = _stack(parts, "distance_m", np.float64)
    straight_m = _stack(parts, "straight_m", np.float64)
    limit_m = np.repeat([part["walk_limit_m"] for part in parts], n_units).astype(np.float64)
    radius_m = np.repeat([part["radius_m"] for part in parts], n_units).astype(np.float64)
    # Comparisons with NaN are False: a norm without a limit covers nobody by that test.
    within_limit = distance_m <= limit_m
    within_radius = straight_m <= radius_m
    return pd.DataFrame(
        {
            "unit_id": pd.Series(np.tile(unit_ids, n_keys), dtype="str"),
            "service": pd.Series(np.repeat(np.asarray(keys, dtype=object), n_units), dtype="str"),
            "district": pd.Series(
                np.tile(res["district"].to_numpy(dtype=object), n_keys), dtype="str"
            ),
            "population": np.tile(res["population"].to_numpy(dtype=np.int64), n_keys),
            "nearest_facility_id": pd.Series(_stack(parts, "facility_id", object), dtype="str"),
            "distance_m": distance_m,
            "walk_time_min": distance_m / speed,
            "straight_m": straight_m,
            "walk_limit_m": limit_m,
            "radius_m": radius_m,
            "within_limit": within_limit,
            "within_radius": within_radius,
            "radius_not_network": within_radius & ~within_limit,
        }
    )


def _stack(parts: list[dict[str, Any]], name: str, dtype: type) -> np.ndarray:
    if not parts:
        return np.zeros(0, dtype=dtype)
    return np.concatenate([np.asarray(part[name], dtype=dtype) for part in parts])


def _service_keys(
    norms: NormSet, facility_services: np.ndarray, services: Sequence[str] | None
) -> list[str]:
    if services is not None:
        return [norms.service(key).key for key in services]
    present = set(facility_services.tolist())
    return [key for key, norm in norms.services.items() if norm.has_walk_norm or key in present]


def _service_arrays(
    norm: ServiceNorm,
    net: AccessNetwork,
    dest_pos: np.ndarray,
    origin_pos: np.ndarray,
    origin_xy: np.ndarray,
) -> dict[str, Any]:
    """Return one service's nearest facility, network and straight distances per unit."""
    nearest_all, distance_all = nearest_destination(net, dest_pos)
    nearest = nearest_all[origin_pos]
    facility_id = np.full(len(nearest), None, dtype=object)
    facility_id[nearest >= 0] = net.destinations.ids[nearest[nearest >= 0]]
    if len(dest_pos):
        straight, _ = cKDTree(net.destinations.xy[dest_pos]).query(origin_xy, k=1)
        straight_m = np.asarray(straight, dtype=np.float64).reshape(-1)
    else:
        straight_m = np.full(len(origin_pos), np.inf)
    return {
        "facility_id": facility_id,
        "distance_m": distance_all[origin_pos],
        "straight_m": straight_m,
        "walk_limit_m": np.nan if norm.walk_limit_m is None else float(norm.walk_limit_m),
        "radius_m": np.nan if norm.radius_m is None else float(norm.radius_m),
    }


_SUMMED = ("covered_network", "covered_radius", "radius_not_network", "network_not_radius")


def coverage_summary(
    cov: pd.DataFrame, *, by: Literal["service", "district"] = "service"
) -> pd.DataFrame:
    """Summarise a coverage table by service, or by district and service.

    Parameters
    ----------
    cov
        The output of ``coverage_table``.
    by
        ``"service"``: one row per service; ``"district"``: one row per (district, service).

    Returns
    -------
    pandas.DataFrame
        Key columns, then ``units``; ``residents``; ``covered_network`` (residents within the
        walking limit); ``covered_radius`` (within the straight-line radius);
        ``radius_not_network`` (within the radius but beyond the walking limit);
        ``network_not_radius`` (the reverse); ``unreachable`` (no facility reachable at all);
        ``mean_distance_m`` (resident-weighted, over reachable residents); and a ``*_share``
        column (of ``residents``, in [0, 1]) for each resident count. Counts that the norm
        cannot give (no walking limit, no radius) and shares of zero residents are NaN.

    Raises
    ------
    ValueError
        If ``by`` is neither "service" nor "district".
    """
    if by not in ("service", "district"):
        msg = f"by must be 'service' or 'district', got {by!r}."
        raise ValueError(msg)
    keys = ["service"] if by == "service" else ["district", "service"]
    population = cov["population"].to_numpy(dtype=np.float64)
    distance_m = cov["distance_m"].to_numpy(dtype=np.float64)
    reachable = np.isfinite(distance_m)
    within_limit = cov["within_limit"].to_numpy(dtype=bool)
    within_radius = cov["within_radius"].to_numpy(dtype=bool)
    frame = pd.DataFrame(
        {
            **{key: cov[key].to_numpy(dtype=object) for key in keys},
            "residents": population,
            "covered_network": population * within_limit,
            "covered_radius": population * within_radius,
            "radius_not_network": population * (within_radius & ~within_limit),
            "network_not_radius": population * (within_limit & ~within_radius),
            "unreachable": population * ~reachable,
            "_reached": population * reachable,
            "_weighted_m": population * np.where(reachable, distance_m, 0.0),
            "_has_limit": cov["walk_limit_m"].notna().to_numpy(),
            "_has_radius": cov["radius_m"].notna().to_numpy(),
        }
    )
    grouped = frame.groupby(keys, sort=False)
    out = grouped[["residents", *_SUMMED, "unreachable", "_reached", "_weighted_m"]].sum()
    out.insert(0, "units", grouped.size())
    has_limit = grouped["_has_limit"].any()
    has_radius = grouped["_has_radius"].any()
    out.loc[~has_limit, ["covered_network", "network_not_radius", "radius_not_network"]] = np.nan
    out.loc[~has_radius, ["covered_radius", "network_not_radius", "radius_not_network"]] = np.nan
    out["mean_distance_m"] = out["_weighted_m"] / out["_reached"].where(out["_reached"] > 0)
    out = out.drop(columns=["_reached", "_weighted_m"])
    residents = out["residents"].where(out["residents"] > 0)
    for name in (*_SUMMED, "unreachable"):
        out[f"{name}_share"] = out[name] / residents
    out = out.reset_index()
    if by == "district":
        service_order = {key: i for i, key in enumerate(pd.unique(cov["service"]))}
        out = out.sort_values(
            ["district", "service"],
            key=lambda col: col.map(service_order) if col.name == "service" else col,
            kind="stable",
        ).reset_index(drop=True)
    return out
