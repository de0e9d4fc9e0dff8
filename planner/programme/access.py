"""Events within walking reach: per residential unit, audience and walking time, per district.

For a month, every occurrence of the town's events (``planner.events``) at a counted venue (an
existing facility; planned ones too when asked) is counted for the units within each walking
time of the venue, along the street network (the access network's bounded shortest paths from
the venues, connectors included). Per unit, audience and walking time:

- ``events`` and ``events_<category>``: occurrences in the month a resident can walk to;
- ``seats_in_reach``: seats of those occurrences (events of unknown capacity add none);
- ``seats_per_resident``: the seats a resident can expect, shared among everyone who can reach the
  same venue — the two-step floating catchment (2SFCA) ratio of seats to the residents within the
  walking time of each venue, summed over the venues in reach. Summed over every resident it gives
  back the seats of every venue someone can reach, so it never counts a seat twice;
- ``desert``: nothing at all within reach for that audience (a "cultural desert").

Audiences: residents aged 0–17 are ``children``, 18–64 ``adults``, 65+ ``elderly`` (the age
cohorts of the residential layer); ``all`` is everyone. The view of children counts events for
children and events for all; so for adults and the elderly; the view of ``all`` counts every
event. In the seat ratio, seats of an event for one audience are shared among that audience's
residents, seats of an event for all among all residents. A town without age cohorts has the
``all`` view only (the others are NaN).

Idle venues: cultural facilities (services of category ``culture`` in the norm set) with no
occurrence in the month.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse import csgraph

from planner.access_network import (
    AccessNetwork,
    build_town_access_network,
    origin_destination_pairs,
)
from planner.config import DEFAULT_WALK_SPEED_M_MIN
from planner.coverage import counted_statuses
from planner.errors import PlannerError
from planner.events.recurrence import occurrences as expand
from planner.events.times import month_window, zone
from planner.gaps import GAP_JOIN_M, unit_neighbours
from planner.layers import COHORT_COLUMNS, EVENT_AUDIENCES, EVENT_CATEGORIES

if TYPE_CHECKING:
    from planner.model import Town
    from planner.norms import NormSet

__all__ = [
    "AUDIENCE_COHORTS",
    "CATEGORY_COLUMNS",
    "DEFAULT_MINUTES",
    "ProgrammeAccess",
    "cultural_services",
    "programme_access",
    "town_timezone",
]

FloatArray = npt.NDArray[np.float64]

DEFAULT_MINUTES: tuple[float, ...] = (15.0, 30.0)
"""Walking times reported by default: a quarter of an hour and half an hour."""

AUDIENCE_COHORTS: dict[str, tuple[str, ...]] = {
    "children": ("pop_0_6", "pop_7_17"),
    "adults": ("pop_18_64",),
    "elderly": ("pop_65_plus",),
}
"""The age cohorts of the residential layer that make up each audience (``all``: everyone)."""

CATEGORY_COLUMNS: tuple[str, ...] = tuple(f"events_{c}" for c in EVENT_CATEGORIES)
"""The per-category event-count columns of the unit and venue tables."""


@dataclass(frozen=True, slots=True, eq=False)
class ProgrammeAccess:
    """The programme of one month within walking reach.

    Attributes
    ----------
    month
        ``YYYY-MM``.
    timezone
        The time zone the month was counted in (the town's, else ``UTC``).
    minutes
        The walking times, in minutes, ascending.
    walk_speed_m_min
        The walking pace.
    units
        One row per unit × audience × walking time: ``unit_id``, ``district``, ``audience``,
        ``minutes``, ``residents`` (of that audience), ``events``, ``CATEGORY_COLUMNS``,
        ``seats_in_reach``, ``seats_per_resident``, ``desert``.
    venues
        One row per counted facility that is cultural or hosts an event: ``facility_id``,
        ``service``, ``cultural``, ``events``, ``CATEGORY_COLUMNS``, ``events_for_<audience>``,
        ``seats``, ``unknown_capacity``, ``residents_within_<m>min`` per walking time, ``idle``.
    districts
        One row per district × audience × walking time: ``district``, ``audience``, ``minutes``,
        ``residents``, ``residents_with_events``, ``share_with_events``, ``events_mean``
        (residents-weighted), ``seats_per_resident`` (residents-weighted), ``desert_residents``.
    summary
        The same columns for the whole town (``district`` is ``""``).
    deserts
        Desert zones: units with nothing in reach closer than ``GAP_JOIN_M`` to each other,
        ``zone_id``, ``audience``, ``minutes``, ``n_units``, ``residents``, ``district_ids``,
        geometry (the blocks), in the town's CRS.
    occurrences
        The occurrences of the month (``planner.events.recurrence.OCCURRENCE_COLUMNS``), with
        ``counted`` (False at a closed or missing venue).
    """

    month: str
    timezone: str
    minutes: tuple[float, ...]
    walk_speed_m_min: float
    units: pd.DataFrame
    venues: pd.DataFrame
    districts: pd.DataFrame
    summary: pd.DataFrame
    deserts: gpd.GeoDataFrame
    occurrences: pd.DataFrame


def cultural_services(norms: NormSet) -> tuple[str, ...]:
    """Return the service keys of the norm set's ``culture`` category."""
    return tuple(k for k, s in norms.services.items() if s.category == "culture")


def town_timezone(town: Town) -> tzinfo:
    """Return the town's time zone (``town.toml``), or UTC when it names none."""
    return zone(town.meta.timezone) if town.meta.timezone else UTC


def programme_access(
    town: Town,
    month: str,
    *,
    network: AccessNetwork | None = None,
    minutes: Sequence[float] = DEFAULT_MINUTES,
    walk_speed_m_min: float = DEFAULT_WALK_SPEED_M_MIN,
    cultural: Collection[str] = (),
    include_planned: bool = False,
    month_occurrences: pd.DataFrame | None = None,
) -> ProgrammeAccess:
    """Count the events of a month within walking reach of every residential unit.

    Parameters
    ----------
    town
        The town, with its events (``town.events``).
    month
        ``YYYY-MM``, in the town's time zone.
    network
        The town's access network (``TownAnalysis.network``), when already built; its
        destinations must include every facility.
    minutes
        Walking times in minutes (default 15 and 30).
    walk_speed_m_min
        Walking pace (the norm set's adult or elderly pace).
    cultural
        Service keys of cultural facilities (``cultural_services(norms)``), for idle venues.
    include_planned
        Count events at planned facilities too.
    month_occurrences
        The month's occurrences when already expanded (``planner.events.recurrence``).

    Returns
    -------
    ProgrammeAccess
        The tables described in the module docstring.

    Raises
    ------
    PlannerError
        If a walking time or the pace is not positive, or the month is not ``YYYY-MM``.
    """
    times = tuple(sorted({float(m) for m in minutes}))
    if not times or times[0] <= 0 or not walk_speed_m_min > 0:
        msg = (
            f"Walking times and pace must be positive, got {list(minutes)} min at "
            f"{walk_speed_m_min} m/min."
        )
        raise PlannerError(msg)
    tz = town_timezone(town)
    try:
        start, end = month_window(month, tz)
    except ValueError as err:
        raise PlannerError(str(err)) from None
    occ = expand(town.events, start, end) if month_occurrences is None else month_occurrences
    net = build_town_access_network(town) if network is None else network

    facilities = town.facilities
    counted_ids = facilities.loc[
        facilities["status"].isin(counted_statuses(include_planned=include_planned)), "id"
    ].astype(str)
    occ = occ.assign(counted=occ["venue"].isin(set(counted_ids)))
    used = occ[occ["counted"]]
    service_of = dict(zip(facilities["id"].astype(str), facilities["service"], strict=True))
    hosts = set(used["venue"])
    venue_ids = [v for v in counted_ids if v in hosts or service_of[v] in set(cultural)]
    n_venues = len(venue_ids)

    # Occurrences per venue × event audience × category, seats and unknown capacities.
    v_pos = pd.Index(venue_ids).get_indexer(pd.Index(used["venue"]))
    a_pos = pd.Index(EVENT_AUDIENCES).get_indexer(pd.Index(used["audience"]))
    c_pos = pd.Index(EVENT_CATEGORIES).get_indexer(pd.Index(used["category"]))
    counts = np.zeros((n_venues, len(EVENT_AUDIENCES), len(EVENT_CATEGORIES)))
    np.add.at(counts, (v_pos, a_pos, c_pos), 1.0)
    capacity = used["capacity"].to_numpy(dtype=float)
    seats = np.zeros((n_venues, len(EVENT_AUDIENCES)))
    np.add.at(seats, (v_pos, a_pos), np.nan_to_num(capacity))
    unknown = np.bincount(v_pos[np.isnan(capacity)], minlength=n_venues)

    residential = town.residential
    unit_ids = residential["id"].to_numpy(dtype=object)
    population = _audience_residents(residential)
    pairs = origin_destination_pairs(
        net, net.destinations.positions(venue_ids), limit_m=times[-1] * walk_speed_m_min
    )
    origin = net.origins.positions(unit_ids)
    # Pairs are by origin position in the network; map them to residential row order.
    row_of_origin = np.full(len(net.origins), -1, dtype=np.int64)
    row_of_origin[origin] = np.arange(len(unit_ids))
    pair_unit = row_of_origin[pairs["origin_pos"].to_numpy()]
    dest_to_venue = np.full(len(net.destinations), -1, dtype=np.int64)
    dest_to_venue[net.destinations.positions(venue_ids)] = np.arange(n_venues)
    pair_venue = dest_to_venue[pairs["destination_pos"].to_numpy()]
    pair_m = pairs["distance_m"].to_numpy(dtype=float)

    unit_parts: list[pd.DataFrame] = []
    reached_all: dict[float, FloatArray] = {}
    for limit_min in times:
        keep = (pair_m <= limit_min * walk_speed_m_min) & (pair_unit >= 0)
        reach = sparse.csr_array(
            (np.ones(int(keep.sum())), (pair_unit[keep], pair_venue[keep])),
            shape=(len(unit_ids), n_venues),
        )
        reached_all[limit_min] = reach.T @ population[:, -1]
        for g in range(len(EVENT_AUDIENCES)):
            unit_parts.append(
                _view(
                    reach,
                    counts,
                    seats,
                    population,
                    audience_index=g,
                    unit_ids=unit_ids,
                    districts=residential["district"].to_numpy(dtype=object),
                    limit_min=limit_min,
                )
            )
    units = pd.concat(unit_parts, ignore_index=True)

    per_category = counts.sum(axis=1)
    venues = pd.DataFrame(
        {
            "facility_id": venue_ids,
            "service": [service_of[v] for v in venue_ids],
            "cultural": [service_of[v] in set(cultural) for v in venue_ids],
            "events": per_category.sum(axis=1).astype(np.int64),
            **{col: per_category[:, i].astype(np.int64) for i, col in enumerate(CATEGORY_COLUMNS)},
            **{
                f"events_for_{a}": counts[:, i, :].sum(axis=1).astype(np.int64)
                for i, a in enumerate(EVENT_AUDIENCES)
            },
            "seats": seats.sum(axis=1),
            "unknown_capacity": unknown.astype(np.int64),
            **{f"residents_within_{m:g}min": reached_all[m] for m in times},
        }
    )
    venues["idle"] = venues["cultural"] & (venues["events"] == 0)
    venues = venues.sort_values(["idle", "events", "facility_id"], ascending=[True, False, True])
    districts = _by_district(units, by_district=True)
    summary = _by_district(units, by_district=False)
    deserts = _desert_zones(residential, units)
    return ProgrammeAccess(
        month=month,
        timezone=town.meta.timezone or "UTC",
        minutes=times,
        walk_speed_m_min=float(walk_speed_m_min),
        units=units,
        venues=venues.reset_index(drop=True),
        districts=districts,
        summary=summary,
        deserts=deserts,
        occurrences=occ,
    )


def _audience_residents(residential: pd.DataFrame) -> FloatArray:
    """Residents per unit and audience, columns in ``EVENT_AUDIENCES`` order (NaN: unknown)."""
    total = residential["population"].to_numpy(dtype=float)
    out = np.full((len(residential), len(EVENT_AUDIENCES)), np.nan)
    out[:, EVENT_AUDIENCES.index("all")] = total
    if all(c in residential.columns for c in COHORT_COLUMNS):
        cohorts = residential[list(COHORT_COLUMNS)].apply(pd.to_numeric, errors="coerce")
        if not cohorts.isna().any().any():
            for audience, columns in AUDIENCE_COHORTS.items():
                out[:, EVENT_AUDIENCES.index(audience)] = cohorts[list(columns)].sum(axis=1)
    return out


def _ratio(seats: FloatArray, reached: FloatArray) -> FloatArray:
    """Seats per resident within reach of each venue (0 where nobody is in reach)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(reached > 0, seats / reached, 0.0)


def _view(
    reach: sparse.csr_array,
    counts: FloatArray,
    seats: FloatArray,
    population: FloatArray,
    *,
    audience_index: int,
    unit_ids: npt.NDArray[np.object_],
    districts: npt.NDArray[np.object_],
    limit_min: float,
) -> pd.DataFrame:
    """Return the unit rows of one audience view and walking time."""
    everyone = EVENT_AUDIENCES.index("all")
    audience = EVENT_AUDIENCES[audience_index]
    if audience_index == everyone:
        relevant = list(range(len(EVENT_AUDIENCES)))
        ratio = _ratio(seats.sum(axis=1), reach.T @ population[:, everyone])
    else:
        relevant = [audience_index, everyone]
        own = reach.T @ np.nan_to_num(population[:, audience_index])
        ratio = _ratio(seats[:, audience_index], own) + _ratio(
            seats[:, everyone], reach.T @ population[:, everyone]
        )
    by_category = reach @ counts[:, relevant, :].sum(axis=1)
    events = by_category.sum(axis=1)
    residents = population[:, audience_index]
    per_resident = reach @ ratio
    if np.isnan(residents).all():
        per_resident = np.full(len(unit_ids), np.nan)
    return pd.DataFrame(
        {
            "unit_id": unit_ids,
            "district": districts,
            "audience": audience,
            "minutes": limit_min,
            "residents": residents,
            "events": events.astype(np.int64),
            **{col: by_category[:, i].astype(np.int64) for i, col in enumerate(CATEGORY_COLUMNS)},
            "seats_in_reach": reach @ seats[:, relevant].sum(axis=1),
            "seats_per_resident": per_resident,
            "desert": events == 0,
        }
    )


def _by_district(units: pd.DataFrame, *, by_district: bool) -> pd.DataFrame:
    """Residents-weighted figures per district (or for the whole town)."""
    frame = units.assign(
        with_events=np.where(units["events"] > 0, units["residents"], 0.0),
        events_x=units["events"] * units["residents"],
        seats_x=units["seats_per_resident"] * units["residents"],
        desert_residents=np.where(units["desert"], units["residents"], 0.0),
    )
    keys = ["district", "audience", "minutes"] if by_district else ["audience", "minutes"]
    grouped = frame.groupby(keys, sort=True, dropna=False)[
        ["residents", "with_events", "events_x", "seats_x", "desert_residents"]
    ].sum(min_count=1)
    grouped = grouped.reset_index()
    residents = grouped["residents"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame(
            {
                "district": grouped["district"] if by_district else "",
                "audience": grouped["audience"],
                "minutes": grouped["minutes"],
                "residents": residents,
                "residents_with_events": grouped["with_events"].to_numpy(dtype=float),
                "share_with_events": np.where(
                    residents > 0, grouped["with_events"] / residents, np.nan
                ),
                "events_mean": np.where(residents > 0, grouped["events_x"] / residents, np.nan),
                "seats_per_resident": np.where(
                    residents > 0, grouped["seats_x"] / residents, np.nan
                ),
                "desert_residents": grouped["desert_residents"].to_numpy(dtype=float),
            }
        )
    order = pd.Categorical(out["audience"], categories=list(EVENT_AUDIENCES), ordered=True)
    return (
        out.assign(_a=order)
        .sort_values(["district", "_a", "minutes"])
        .drop(columns="_a")
        .reset_index(drop=True)
    )


def _desert_zones(residential: gpd.GeoDataFrame, units: pd.DataFrame) -> gpd.GeoDataFrame:
    """Cluster the desert units of each audience and walking time into zones."""
    crs = residential.crs
    columns = ["zone_id", "audience", "minutes", "n_units", "residents", "district_ids"]
    left, right = unit_neighbours(residential, join_m=GAP_JOIN_M)
    geoms = residential.geometry.to_numpy()
    district = residential["district"].to_numpy(dtype=object)
    rows: list[dict[str, object]] = []
    shapes: list[shapely.Geometry] = []
    n_units = len(residential)
    for (audience, limit_min), part in units.groupby(["audience", "minutes"], sort=False):
        residents = part["residents"].to_numpy(dtype=float)
        desert = part["desert"].to_numpy(dtype=bool) & (np.nan_to_num(residents) > 0)
        if not desert.any():
            continue
        both = desert[left] & desert[right]
        graph = sparse.coo_array(
            (np.ones(int(both.sum())), (left[both], right[both])), shape=(n_units, n_units)
        )
        _, label = csgraph.connected_components(graph, directed=False)
        members = np.flatnonzero(desert)
        zone_labels = label[members]
        for index, zone_label in enumerate(
            sorted(set(zone_labels), key=lambda z: -residents[members[zone_labels == z]].sum())
        ):
            inside = members[zone_labels == zone_label]
            rows.append(
                {
                    "zone_id": f"desert-{audience}-{limit_min:g}-{index + 1}",
                    "audience": audience,
                    "minutes": float(str(limit_min)),
                    "n_units": len(inside),
                    "residents": float(residents[inside].sum()),
                    "district_ids": sorted({str(d) for d in district[inside]}),
                }
            )
            shapes.append(shapely.multipolygons(shapely.get_parts(geoms[inside])))
    if not rows:
        return gpd.GeoDataFrame(
            {c: [] for c in columns}, geometry=gpd.GeoSeries([], crs=crs), crs=crs
        )
    return gpd.GeoDataFrame(rows, geometry=shapes, crs=crs)[[*columns, "geometry"]]
