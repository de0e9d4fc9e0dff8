"""How OpenStreetMap tags become planner data: one readable table per decision.

Three decisions are made here and nowhere else:

- **Facilities** (``FACILITY_RULES``): which ``key=value`` tag is which service of the norm sets,
  and how its capacity is read or estimated (``CAPACITY_RULES``).
- **Walkable ways** (``walk_kind``): footways, paths, pedestrian streets, steps, tracks and
  residential / service / living-street / unclassified roads are walked; the larger roads
  (tertiary, secondary, primary and their links) are walked on their sidewalks unless the
  sidewalk is tagged absent; trunk roads only with a sidewalk; motorways never. ``access=private``
  or ``no`` and ``foot=no`` / ``private`` remove a way unless ``foot`` allows walking; a highway
  mapped as an area (``area=yes``) is not a line to walk along; bridges and tunnels are kept (they
  join the network only where they share a node, so a footbridge never "touches" the road below).
- **Housing** (``housing_type``): which buildings people live in, and of what type.

The tables are data: to change a mapping, edit a row, not the import code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Tags = Mapping[str, str]

# --- Facilities -----------------------------------------------------------------------------

# fmt: off
FACILITY_RULES: tuple[tuple[str, str, str], ...] = (
    # (OSM key, OSM value, service key of the norm sets); the first matching row wins.
    ("amenity",    "kindergarten",      "kindergarten"),
    ("amenity",    "school",            "school"),
    ("amenity",    "music_school",      "art_school"),
    ("amenity",    "art_school",        "art_school"),
    ("amenity",    "dancing_school",    "supplementary_education"),
    ("amenity",    "youth_centre",      "supplementary_education"),
    ("amenity",    "hospital",          "hospital"),
    ("healthcare", "hospital",          "hospital"),
    ("amenity",    "clinic",            "polyclinic"),
    ("amenity",    "doctors",           "polyclinic"),
    ("healthcare", "clinic",            "polyclinic"),
    ("healthcare", "centre",            "polyclinic"),
    ("healthcare", "doctor",            "polyclinic"),
    ("amenity",    "pharmacy",          "pharmacy"),
    ("healthcare", "pharmacy",          "pharmacy"),
    ("amenity",    "library",           "library"),
    ("amenity",    "arts_centre",       "house_of_culture"),
    ("amenity",    "community_centre",  "house_of_culture"),
    ("amenity",    "theatre",           "concert_hall"),
    ("amenity",    "concert_hall",      "concert_hall"),
    ("amenity",    "cinema",            "cinema"),
    ("tourism",    "museum",            "museum"),
    ("tourism",    "gallery",           "exhibition_space"),
    ("amenity",    "exhibition_centre", "exhibition_space"),
    ("leisure",    "swimming_pool",     "swimming_pool"),
    ("leisure",    "sports_centre",     "sports_centre"),
    ("leisure",    "sports_hall",       "sports_centre"),
    ("leisure",    "stadium",           "sports_ground"),
    ("leisure",    "pitch",             "sports_ground"),
)
"""OSM tag to service. A sports centre tagged ``sport=swimming`` is a swimming pool (below)."""
# fmt: on

FACILITY_KEYS: tuple[str, ...] = tuple(dict.fromkeys(key for key, _, _ in FACILITY_RULES))
"""The OSM keys that can make an object a facility."""

_RULES_BY_TAG: dict[tuple[str, str], str] = {}
for _key, _value, _service in FACILITY_RULES:
    _RULES_BY_TAG.setdefault((_key, _value), _service)

CapacitySource = Literal["tag", "area", "constant", "object", "unknown"]


@dataclass(frozen=True, slots=True)
class CapacityRule:
    """How a service's capacity (in its norm's unit) is read from tags or estimated.

    Attributes
    ----------
    tags
        Tags holding the capacity in the norm's unit, tried in order (e.g. ``beds`` for a
        hospital). Empty where OSM's ``capacity`` means something else (spectators of a
        stadium are not m² of ground).
    estimate
        ``"area"``: ``area_factor`` × the mapped area in m² (only when mapped as an area);
        ``"constant"``: ``default``; ``"object"``: 1 (the norm counts objects);
        ``"unknown"``: no estimate, capacity left empty.
    default
        The estimate used when nothing better is known (a point where an area would do too).
    area_factor
        Share of the mapped area that is capacity (hall floor, water surface, ground).
    reason
        One line on where the default comes from, written into the facility's ``note``.
    """

    tags: tuple[str, ...]
    estimate: CapacitySource
    default: float | None
    area_factor: float = 1.0
    reason: str = ""


# fmt: off
CAPACITY_RULES: dict[str, CapacityRule] = {
    "kindergarten": CapacityRule(("capacity",), "constant", 180.0,
                                 reason="middle standard project size (80/180/320 places)"),
    "school": CapacityRule(("capacity", "capacity:pupils"), "constant", 825.0,
                           reason="middle standard project size (550/825/1,100 places)"),
    "supplementary_education": CapacityRule(("capacity",), "constant", 300.0,
                                            reason="a typical children's centre (300 places)"),
    "art_school": CapacityRule(("capacity",), "constant", 300.0,
                               reason="a typical children's art school (300 places)"),
    "polyclinic": CapacityRule((), "constant", 250.0,
                               reason="a standard polyclinic project (250 visits per shift)"),
    "hospital": CapacityRule(("beds",), "unknown", None, reason="bed count not tagged"),
    "pharmacy": CapacityRule((), "object", 1.0),
    "house_of_culture": CapacityRule(("capacity",), "constant", 400.0,
                                     reason="small-town houses of culture hold 300-600 seats"),
    "library": CapacityRule(("capacity",), "constant", 20.0,
                            reason="a branch library reading room (20 seats)"),
    "museum": CapacityRule((), "object", 1.0),
    "cinema": CapacityRule(("capacity",), "constant", 200.0, reason="one 200-seat hall"),
    "concert_hall": CapacityRule(("capacity",), "constant", 400.0, reason="a 400-seat hall"),
    "exhibition_space": CapacityRule((), "object", 1.0),
    "sports_centre": CapacityRule((), "area", 1000.0, area_factor=0.7,
                                  reason="70 % of the mapped footprint is hall floor; "
                                         "a point counts as one 42 x 24 m hall"),
    "sports_ground": CapacityRule((), "area", 2500.0, area_factor=1.0,
                                  reason="the mapped area; a point counts as a 2,500 m² "
                                         "school ground"),
    "swimming_pool": CapacityRule((), "area", 212.5, area_factor=1.0,
                                  reason="the mapped water area; a point counts as a 25 x 8.5 m "
                                         "pool"),
}
"""Capacity rule per service (units as in geodata/norms/sp42_small_town.toml)."""
# fmt: on

_PRIVATE = frozenset({"private", "no"})
_FOOT_ALLOWED = frozenset({"yes", "designated", "permissive", "official"})


def facility_service(tags: Tags) -> str | None:
    """Return the service key an object's tags make it, or ``None``.

    Parameters
    ----------
    tags
        The object's OSM tags.

    Returns
    -------
    str or None
        A service key of ``FACILITY_RULES``; ``None`` for private objects (``access=private``
        or ``no``) and objects no rule matches.

    Examples
    --------
    >>> facility_service({"amenity": "school", "name": "School 1"})
    'school'
    >>> facility_service({"leisure": "sports_centre", "sport": "swimming"})
    'swimming_pool'
    >>> facility_service({"leisure": "swimming_pool", "access": "private"}) is None
    True
    """
    if tags.get("access") in _PRIVATE:
        return None
    for key in FACILITY_KEYS:
        value = tags.get(key)
        if value is None:
            continue
        service = _RULES_BY_TAG.get((key, value))
        if service is not None:
            if service == "sports_centre" and "swimming" in tags.get("sport", "").split(";"):
                return "swimming_pool"
            return service
    return None


def parse_number(text: str | None) -> float | None:
    """Return the first non-negative number in an OSM value (``"120"``, ``"3.5"``, ``"2-3"``).

    Examples
    --------
    >>> parse_number("120 places"), parse_number("2;3"), parse_number("yes")
    (120.0, 2.0, None)
    """
    if not text:
        return None
    match = re.search(r"\d+(?:[.,]\d+)?", text)
    return float(match.group().replace(",", ".")) if match else None


# --- Walkable ways --------------------------------------------------------------------------

ALWAYS_WALKABLE: frozenset[str] = frozenset(
    {
        "footway",
        "path",
        "pedestrian",
        "steps",
        "living_street",
        "residential",
        "service",
        "unclassified",
        "track",
        "road",
    }
)
"""Highway values walked on the way itself (on it, or on untagged sidewalks beside it)."""

WALKABLE_UNLESS_NO_SIDEWALK: frozenset[str] = frozenset(
    {"tertiary", "tertiary_link", "secondary", "secondary_link", "primary", "primary_link"}
)
"""Larger roads: their sidewalks are walked unless ``sidewalk=no``/``none`` says there are none
(sidewalks are rarely tagged, so requiring a tag would cut most towns' main streets out)."""

WALKABLE_ONLY_WITH_SIDEWALK: frozenset[str] = frozenset({"trunk", "trunk_link"})
"""Through roads: walked only with a tagged sidewalk (or ``foot=yes``)."""

FOOT_OPTIONAL: frozenset[str] = frozenset({"cycleway", "bridleway"})
"""Walked only where ``foot`` allows it."""

WALK_KEYS: tuple[str, ...] = ("highway",)
"""The OSM keys a walkable way carries."""

_NO_SIDEWALK = frozenset({"no", "none"})
_FOOT_BRIDGE_BASE = frozenset({"footway", "path", "pedestrian", "steps", "cycleway"})


def walk_kind(tags: Tags) -> str | None:
    """Return the street ``kind`` a way is walked as, or ``None`` when nobody may walk it.

    The kind is the ``highway`` value (``_link`` dropped); a bridge is ``footbridge`` (paths)
    or ``bridge`` (roads), as in the bundled Gusev streets.

    Examples
    --------
    >>> walk_kind({"highway": "footway", "bridge": "yes"})
    'footbridge'
    >>> walk_kind({"highway": "service", "access": "private"}) is None
    True
    >>> walk_kind({"highway": "primary", "sidewalk": "no"}) is None
    True
    >>> walk_kind({"highway": "pedestrian", "area": "yes"}) is None
    True
    """
    highway = tags.get("highway")
    if highway is None or tags.get("area") == "yes":
        return None
    foot = tags.get("foot", "")
    if foot in {"no", "private", "use_sidepath"}:
        return None
    if tags.get("access") in _PRIVATE and foot not in _FOOT_ALLOWED:
        return None
    walked = highway in ALWAYS_WALKABLE or foot in _FOOT_ALLOWED
    if highway in WALKABLE_UNLESS_NO_SIDEWALK:
        walked = walked or not _sidewalk_absent(tags)
    elif highway in WALKABLE_ONLY_WITH_SIDEWALK:
        walked = walked or _sidewalk_present(tags)
    if not walked:
        return None
    base = highway.removesuffix("_link")
    if tags.get("bridge", "no") not in {"no", ""}:
        return "footbridge" if base in _FOOT_BRIDGE_BASE else "bridge"
    return base


def _sidewalk_absent(tags: Tags) -> bool:
    if tags.get("sidewalk") in _NO_SIDEWALK or tags.get("sidewalk:both") in _NO_SIDEWALK:
        return True
    return tags.get("sidewalk:left") in _NO_SIDEWALK and tags.get("sidewalk:right") in _NO_SIDEWALK


def _sidewalk_present(tags: Tags) -> bool:
    sides = (
        tags.get(k, "") for k in ("sidewalk", "sidewalk:both", "sidewalk:left", "sidewalk:right")
    )
    return any(s and s not in _NO_SIDEWALK for s in sides)


# --- Housing --------------------------------------------------------------------------------

HousingType = Literal["apartment", "low_rise", "mixed"]

APARTMENT_BUILDINGS: frozenset[str] = frozenset({"apartments", "dormitory"})
LOW_RISE_BUILDINGS: frozenset[str] = frozenset(
    {"house", "detached", "semidetached_house", "terrace", "bungalow", "farm", "cabin"}
)
MAYBE_RESIDENTIAL_BUILDINGS: frozenset[str] = frozenset({"residential", "yes"})
"""``building=residential`` is always housing; ``building=yes`` only on residential land."""

APARTMENT_FROM_LEVELS = 3
"""A generic residential building with this many levels or more is an apartment block."""

LOW_RISE_MAX_FOOTPRINT_M2 = 250.0
"""A generic building on residential land up to this footprint (and 2 levels) is a house."""

_MIXED_USE_KEYS = ("shop", "amenity", "office", "craft")


def housing_type(
    tags: Tags, *, levels: float | None, footprint_m2: float, on_residential_land: bool
) -> HousingType | None:
    """Return the housing type of a building, or ``None`` when nobody is assumed to live there.

    Parameters
    ----------
    tags
        The building's tags.
    levels
        ``building:levels`` as a number, when tagged.
    footprint_m2
        The building's footprint area.
    on_residential_land
        Whether the building stands on ``landuse=residential`` land.

    Examples
    --------
    >>> housing_type({"building": "apartments"}, levels=5, footprint_m2=900,
    ...              on_residential_land=False)
    'apartment'
    >>> housing_type({"building": "yes"}, levels=None, footprint_m2=120, on_residential_land=True)
    'low_rise'
    >>> housing_type({"building": "yes"}, levels=None, footprint_m2=120,
    ...              on_residential_land=False) is None
    True
    """
    building = tags.get("building", "")
    mixed_use = any(key in tags for key in _MIXED_USE_KEYS)
    if building in APARTMENT_BUILDINGS:
        return "mixed" if mixed_use else "apartment"
    if building in LOW_RISE_BUILDINGS:
        return "low_rise"
    if building not in MAYBE_RESIDENTIAL_BUILDINGS:
        return None
    if building == "yes" and not on_residential_land:
        return None
    if mixed_use:
        return "mixed"
    if levels is not None:
        return "apartment" if levels >= APARTMENT_FROM_LEVELS else "low_rise"
    return "low_rise" if footprint_m2 <= LOW_RISE_MAX_FOOTPRINT_M2 else "apartment"


# --- Areas, places and names ----------------------------------------------------------------

DISTRICT_PLACES: tuple[str, ...] = ("suburb", "quarter", "neighbourhood")
"""``place`` values whose polygons become districts, coarsest first (one level is used)."""

READ_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys((*WALK_KEYS, "building", *FACILITY_KEYS, "landuse", "place"))
)
"""Every OSM key the importer reads; objects without any of them are skipped while streaming."""


def is_residential_land(tags: Tags) -> bool:
    """Return whether an area is residential land (``landuse=residential``)."""
    return tags.get("landuse") == "residential"


def district_place(tags: Tags) -> str | None:
    """Return the ``place`` value if an area is a district candidate, else ``None``."""
    place = tags.get("place")
    return place if place in DISTRICT_PLACES else None


def names(tags: Tags) -> tuple[str, str]:
    """Return ``(name, name_ru)``: English (or local) name and Russian name where tagged.

    Examples
    --------
    >>> names({"name": "Школа № 1", "name:en": "School No. 1"})
    ('School No. 1', 'Школа № 1')
    >>> names({"name": "Kallion kirjasto"})
    ('Kallion kirjasto', '')
    """
    local = tags.get("name", "")
    name_ru = tags.get("name:ru") or (local if _is_cyrillic(local) else "")
    return tags.get("name:en") or local, name_ru


def address(tags: Tags) -> str:
    """Return ``"street housenumber"`` from ``addr:*`` tags, or ``""``."""
    parts = (tags.get("addr:street", ""), tags.get("addr:housenumber", ""))
    return " ".join(p for p in parts if p)


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


GROUNDS_SERVICES: frozenset[str] = frozenset(
    {
        "kindergarten",
        "school",
        "hospital",
        "sports_centre",
        "sports_ground",
        "swimming_pool",
        "house_of_culture",
        "cinema",
        "concert_hall",
        "museum",
    }
)
"""Services usually in buildings of their own: buildings on their mapped grounds house nobody.
(Pharmacies, libraries and clinics often sit on the ground floor of a block of flats, so their
areas do not exclude housing.)"""
