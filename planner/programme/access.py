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
from planner.gaps import GAP_JOIN_M, UnitProximity, proximity_zones, unit_proximity
from planner.layers import COHORT_COLUMNS, EVENT_AUDIENCES, EVENT_CATEGORIES

if TYPE_CHECKING:
    from planner.model import Town
    from planner.norms import NormSet

__all__ = [
    "AUDIENCE_COHORTS",
    "CATEGORY_COLUMNS",
    "DEFAULT_MINUTES",
    "ProgrammeAccess",
    "ProgrammeReach",
    "cultural_services",
    "programme_access",
    "programme_reach",
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


@dataclass(frozen=True, slots=True, eq=False)
class ProgrammeReach:
    """Everything about who can walk to which venue: the same for every month.

    Built once per town, walking pace, walking times and "planned counts" choice
    (``programme_reach``) and reused for each month, so that switching months only counts
    events. Arrays are in residential-layer order (units) and ``venue_ids`` order (venues).

    Attributes
    ----------
    minutes, walk_speed_m_min, include_planned
        The walking times (ascending), the pace and whether planned venues count.
    venue_ids, venue_services, venue_cultural
        The counted venues: counted facilities (existing, planned too when asked) that are
        cultural or host any event of the town's programme; their services; which are cultural.
    unit_ids, unit_districts
        The residential units and their districts.
    residents
        Residents per unit and audience, shape (units, 4) in ``EVENT_AUDIENCES`` order (NaN for
        the three age audiences without cohorts).
    reach
        Per walking time, the units × venues matrix of 1 where the venue is within the walk.
    reached
        Per walking time, residents of each audience within the walk of each venue,
        shape (times, venues, 4).
    proximity
        The units indexed for "closer than ``GAP_JOIN_M``" (for desert zones).
    """

    minutes: tuple[float, ...]
    walk_speed_m_min: float
    include_planned: bool
    venue_ids: tuple[str, ...]
    venue_services: tuple[str, ...]
    venue_cultural: npt.NDArray[np.bool_]
    unit_ids: npt.NDArray[np.object_]
    unit_districts: npt.NDArray[np.object_]
    residents: FloatArray
    reach: tuple[sparse.csr_array, ...]
    reached: FloatArray
    proximity: UnitProximity


def programme_reach(
    town: Town,
    *,
    network: AccessNetwork | None = None,
    minutes: Sequence[float] = DEFAULT_MINUTES,
    walk_speed_m_min: float = DEFAULT_WALK_SPEED_M_MIN,
    cultural: Collection[str] = (),
    include_planned: bool = False,
) -> ProgrammeReach:
    """Find which units reach which venues within each walking time (see ``ProgrammeReach``).

    Raises
    ------
    PlannerError
        If a walking time or the pace is not positive.
    """
    times = tuple(sorted({float(m) for m in minutes}))
    if not times or times[0] <= 0 or not walk_speed_m_min > 0:
        msg = (
            f"Walking times and pace must be positive, got {list(minutes)} min at "
            f"{walk_speed_m_min} m/min."
        )
        raise PlannerError(msg)
    net = build_town_access_network(town) if network is None else network
    facilities = town.facilities
    statuses = counted_statuses(include_planned=include_planned)
    counted = facilities[facilities["status"].isin(statuses)]
    hosts = set(town.events["venue"]) if len(town.events) else set()
    cultural_set = set(cultural)
    keep = [
        (str(fid), str(service))
        for fid, service in zip(counted["id"], counted["service"], strict=True)
        if str(fid) in hosts or str(service) in cultural_set
    ]
    venue_ids = tuple(fid for fid, _ in keep)
    n_venues = len(venue_ids)
    residential = town.residential
    unit_ids = residential["id"].to_numpy(dtype=object)
    n_units = len(unit_ids)
    residents = _audience_residents(residential)
    pairs = origin_destination_pairs(
        net, net.destinations.positions(list(venue_ids)), limit_m=times[-1] * walk_speed_m_min
    )
    # Pairs are by position in the network; map them to residential and venue order.
    row_of_origin = np.full(len(net.origins), -1, dtype=np.int64)
    row_of_origin[net.origins.positions(unit_ids)] = np.arange(n_units)
    venue_of_destination = np.full(len(net.destinations), -1, dtype=np.int64)
    venue_of_destination[net.destinations.positions(list(venue_ids))] = np.arange(n_venues)
    pair_unit = row_of_origin[pairs["origin_pos"].to_numpy()]
    pair_venue = venue_of_destination[pairs["destination_pos"].to_numpy()]
    pair_m = pairs["distance_m"].to_numpy(dtype=float)
    reach = []
    reached = np.zeros((len(times), n_venues, len(EVENT_AUDIENCES)))
    for index, limit_min in enumerate(times):
        inside = (pair_m <= limit_min * walk_speed_m_min) & (pair_unit >= 0)
        matrix = sparse.csr_array(
            (np.ones(int(inside.sum())), (pair_unit[inside], pair_venue[inside])),
            shape=(n_units, n_venues),
        )
        reach.append(matrix)
        reached[index] = matrix.T @ np.nan_to_num(residents)
    return ProgrammeReach(
        minutes=times,
        walk_speed_m_min=float(walk_speed_m_min),
        include_planned=include_planned,
        venue_ids=venue_ids,
        venue_services=tuple(service for _, service in keep),
        venue_cultural=np.array([service in cultural_set for _, service in keep], dtype=bool),
        unit_ids=unit_ids,
        unit_districts=residential["district"].to_numpy(dtype=object),
        residents=residents,
        reach=tuple(reach),
        reached=reached,
        proximity=unit_proximity(residential.geometry.to_numpy(), join_m=GAP_JOIN_M),
    )


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
    reach: ProgrammeReach | None = None,
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
    reach
        ``programme_reach`` of the same town and options, when already built (then
        ``network``, ``minutes``, ``walk_speed_m_min``, ``cultural`` and ``include_planned``
        are taken from it).

    Returns
    -------
    ProgrammeAccess
        The tables described in the module docstring.

    Raises
    ------
    PlannerError
        If a walking time or the pace is not positive, or the month is not ``YYYY-MM``.
    """
    tz = town_timezone(town)
    try:
        start, end = month_window(month, tz)
    except ValueError as err:
        raise PlannerError(str(err)) from None
    if reach is None:
        reach = programme_reach(
            town,
            network=network,
            minutes=minutes,
            walk_speed_m_min=walk_speed_m_min,
            cultural=cultural,
            include_planned=include_planned,
        )
    occ = expand(town.events, start, end) if month_occurrences is None else month_occurrences
    venue_index = pd.Index(reach.venue_ids)
    v_all = venue_index.get_indexer(pd.Index(occ["venue"]))
    occ = occ.assign(counted=v_all >= 0)
    counted = v_all >= 0
    v_pos = v_all[counted]
    a_pos = pd.Index(EVENT_AUDIENCES).get_indexer(pd.Index(occ["audience"]))[counted]
    c_pos = pd.Index(EVENT_CATEGORIES).get_indexer(pd.Index(occ["category"]))[counted]
    n_venues = len(reach.venue_ids)
    counts = np.zeros((n_venues, len(EVENT_AUDIENCES), len(EVENT_CATEGORIES)))
    np.add.at(counts, (v_pos, a_pos, c_pos), 1.0)
    capacity = occ["capacity"].to_numpy(dtype=float)[counted]
    seats = np.zeros((n_venues, len(EVENT_AUDIENCES)))
    np.add.at(seats, (v_pos, a_pos), np.nan_to_num(capacity))
    unknown = np.bincount(v_pos[np.isnan(capacity)], minlength=n_venues)

    units = _unit_table(reach, counts, seats)
    per_category = counts.sum(axis=1)
    venues = pd.DataFrame(
        {
            "facility_id": list(reach.venue_ids),
            "service": list(reach.venue_services),
            "cultural": reach.venue_cultural,
            "events": per_category.sum(axis=1).astype(np.int64),
            **{col: per_category[:, i].astype(np.int64) for i, col in enumerate(CATEGORY_COLUMNS)},
            **{
                f"events_for_{a}": counts[:, i, :].sum(axis=1).astype(np.int64)
                for i, a in enumerate(EVENT_AUDIENCES)
            },
            "seats": seats.sum(axis=1),
            "unknown_capacity": unknown.astype(np.int64),
            **{
                f"residents_within_{m:g}min": reach.reached[i, :, EVENT_AUDIENCES.index("all")]
                for i, m in enumerate(reach.minutes)
            },
        }
    )
    venues["idle"] = venues["cultural"] & (venues["events"] == 0)
    venues = venues.sort_values(["idle", "events", "facility_id"], ascending=[True, False, True])
    return ProgrammeAccess(
        month=month,
        timezone=town.meta.timezone or "UTC",
        minutes=reach.minutes,
        walk_speed_m_min=reach.walk_speed_m_min,
        units=units,
        venues=venues.reset_index(drop=True),
        districts=_by_district(units, by_district=True),
        summary=_by_district(units, by_district=False),
        deserts=_desert_zones(town.residential, units, reach),
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


def _unit_table(reach: ProgrammeReach, counts: FloatArray, seats: FloatArray) -> pd.DataFrame:
    """Return the unit rows of every audience view and walking time, in one frame.

    Rows go walking time by walking time, then audience by audience (``EVENT_AUDIENCES``),
    then unit by unit (residential order).
    """
    everyone = EVENT_AUDIENCES.index("all")
    n_units = len(reach.unit_ids)
    n_views = len(reach.minutes) * len(EVENT_AUDIENCES)
    by_category = np.zeros((n_views, n_units, len(EVENT_CATEGORIES)))
    seats_in_reach = np.zeros((n_views, n_units))
    per_resident = np.zeros((n_views, n_units))
    residents = np.zeros((n_views, n_units))
    audiences: list[str] = []
    minutes: list[float] = []
    view = 0
    for m, limit_min in enumerate(reach.minutes):
        matrix = reach.reach[m]
        shared_all = _ratio(seats[:, everyone], reach.reached[m, :, everyone])
        for g, audience in enumerate(EVENT_AUDIENCES):
            if g == everyone:
                relevant = list(range(len(EVENT_AUDIENCES)))
                ratio = _ratio(seats.sum(axis=1), reach.reached[m, :, everyone])
            else:
                relevant = [g, everyone]
                ratio = _ratio(seats[:, g], reach.reached[m, :, g]) + shared_all
            by_category[view] = matrix @ counts[:, relevant, :].sum(axis=1)
            seats_in_reach[view] = matrix @ seats[:, relevant].sum(axis=1)
            own = reach.residents[:, g]
            per_resident[view] = np.full(n_units, np.nan) if np.isnan(own).all() else matrix @ ratio
            residents[view] = own
            audiences.append(audience)
            minutes.append(limit_min)
            view += 1
    events = by_category.sum(axis=2)
    flat = by_category.reshape(n_views * n_units, len(EVENT_CATEGORIES)).astype(np.int64)
    return pd.DataFrame(
        {
            "unit_id": np.tile(reach.unit_ids, n_views),
            "district": np.tile(reach.unit_districts, n_views),
            "audience": np.repeat(np.array(audiences, dtype=object), n_units),
            "minutes": np.repeat(np.array(minutes), n_units),
            "residents": residents.ravel(),
            "events": events.ravel().astype(np.int64),
            **{col: flat[:, i] for i, col in enumerate(CATEGORY_COLUMNS)},
            "seats_in_reach": seats_in_reach.ravel(),
            "seats_per_resident": per_resident.ravel(),
            "desert": events.ravel() == 0,
        }
    )


def _by_district(units: pd.DataFrame, *, by_district: bool) -> pd.DataFrame:
    """Residents-weighted figures per district (or for the whole town), with plain arrays."""
    residents = units["residents"].to_numpy(dtype=float)
    known = ~np.isnan(residents)
    people = np.nan_to_num(residents)
    events = units["events"].to_numpy(dtype=float)
    per_resident = np.nan_to_num(units["seats_per_resident"].to_numpy(dtype=float))
    desert = units["desert"].to_numpy(dtype=bool)
    audience_codes, audience_keys = pd.factorize(units["audience"])
    minute_codes, minute_keys = pd.factorize(units["minutes"])
    if by_district:
        district_codes, district_keys = pd.factorize(units["district"].astype(str))
    else:
        district_codes, district_keys = np.zeros(len(units), dtype=np.int64), pd.Index([""])
    shape = (len(district_keys), len(audience_keys), len(minute_keys))
    group = np.ravel_multi_index((district_codes, audience_codes, minute_codes), shape)
    size = int(np.prod(shape))

    def total(values: FloatArray) -> FloatArray:
        return np.bincount(group, weights=values, minlength=size).astype(np.float64)

    population = total(people)
    any_known = np.bincount(group, weights=known.astype(float), minlength=size) > 0
    present = np.bincount(group, minlength=size) > 0
    with_events = total(np.where(events > 0, people, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        has = population > 0
        share = np.where(has, with_events / population, np.nan)
        mean_events = np.where(has, total(events * people) / population, np.nan)
        mean_seats = np.where(has, total(per_resident * people) / population, np.nan)
    d, a, m = np.unravel_index(np.arange(size), shape)
    out = pd.DataFrame(
        {
            "district": np.asarray(district_keys, dtype=object)[d],
            "audience": np.asarray(audience_keys, dtype=object)[a],
            "minutes": np.asarray(minute_keys, dtype=float)[m],
            "residents": np.where(any_known, population, np.nan),
            "residents_with_events": np.where(any_known, with_events, np.nan),
            "share_with_events": share,
            "events_mean": mean_events,
            "seats_per_resident": mean_seats,
            "desert_residents": np.where(any_known, total(np.where(desert, people, 0.0)), np.nan),
        }
    )[present]
    order = pd.Categorical(out["audience"], categories=list(EVENT_AUDIENCES), ordered=True)
    return (
        out.assign(_a=order)
        .sort_values(["district", "_a", "minutes"])
        .drop(columns="_a")
        .reset_index(drop=True)
    )


def _desert_zones(
    residential: gpd.GeoDataFrame, units: pd.DataFrame, reach: ProgrammeReach
) -> gpd.GeoDataFrame:
    """Cluster the desert units of each audience and walking time into zones."""
    crs = residential.crs
    columns = ["zone_id", "audience", "minutes", "n_units", "residents", "district_ids"]
    geoms = residential.geometry.to_numpy()
    district = residential["district"].to_numpy(dtype=object)
    n_units = len(residential)
    desert_all = units["desert"].to_numpy(dtype=bool)
    residents_all = units["residents"].to_numpy(dtype=float)
    rows: list[dict[str, object]] = []
    shapes: list[shapely.Geometry] = []
    view = 0
    for limit_min in reach.minutes:
        for audience in EVENT_AUDIENCES:
            part = slice(view * n_units, (view + 1) * n_units)
            view += 1
            residents = residents_all[part]
            desert = desert_all[part] & (np.nan_to_num(residents) > 0)
            if not desert.any():
                continue
            _, zone_of = proximity_zones(reach.proximity, desert)
            members = np.flatnonzero(desert)
            totals = np.bincount(zone_of, weights=residents[members], minlength=n_units)
            zones = np.unique(zone_of)
            for index, zone_label in enumerate(sorted(zones, key=lambda z: (-totals[z], z))):
                inside = members[zone_of == zone_label]
                rows.append(
                    {
                        "zone_id": f"desert-{audience}-{limit_min:g}-{index + 1}",
                        "audience": audience,
                        "minutes": limit_min,
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
