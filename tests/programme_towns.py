"""A line town with one venue, for programme-access answers checked by hand.

Metres in EPSG:32634 from ``(X0, Y0)`` of the scenario line towns (``tests.scenario_towns``).
One street along y = 0 from x = 0 to 3,100. Every home is
a 20 m square standing on the street, its representative point 10 m north of it, 1,000 residents
(200 children, 640 adults, 160 elderly). The venue ``V`` (house of culture) stands 10 m south of
the street at x = 0, so a home at x walks 10 + x + 10 metres to it. At the test pace of
100 m/min, 15 minutes reach 1,500 m and 30 minutes 3,000 m:

=====  ======  ========  =========  ==========  ========
home   x (m)   walk (m)  ≤ 15 min   ≤ 30 min    district
=====  ======  ========  =========  ==========  ========
H1     500     520       yes        yes         d1
H2     1,400   1,420     yes        yes         d1
H3     1,490   1,510     no         yes         d1
H4     2,900   2,920     no         yes         d2
H5     2,990   3,010     no         no          d2
=====  ======  ========  =========  ==========  ========

``L`` is a library at x = 3,100 (10 m south) with no events, ``S`` a school (not a cultural
service) at x = 1,000. February 2027 has exactly four of each weekday (it starts on a Monday).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point, box

from planner.events.csv_format import parse_events_csv
from planner.model import Town
from tests.factories import CRS, tiny_meta
from tests.scenario_towns import X0, Y0, _home

PACE_M_MIN = 100.0
HOMES = {"H1": 500.0, "H2": 1400.0, "H3": 1490.0, "H4": 2900.0, "H5": 2990.0}
EVENTS_HEADER = (
    "id,venue,title,category,audience,start,duration_min,rrule,exdate,rdate,capacity,price,"
    "provenance,source"
)
CONCERTS = (
    'concerts,V,Concert,concert,all,2027-02-02T18:00,,"FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270228",,,'
    "50,paid,modelled,test"
)
"""Eight concerts for all in February 2027 (Tuesdays and Thursdays), 50 seats each."""
CHILDREN = (
    "studio,V,Studio,workshop,children,2027-02-06T11:00,,FREQ=WEEKLY;BYDAY=SA;UNTIL=20270228,,,"
    "20,free,modelled,test"
)
"""Four children's workshops in February 2027 (Saturdays), 20 seats each."""


def _frame(rows: list[dict[str, object]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=CRS)


def _facility(ident: str, service: str, x: float, status: str = "existing") -> dict[str, object]:
    return {
        "id": ident,
        "service": service,
        "name": ident,
        "name_ru": ident,
        "address": "",
        "capacity": 100.0,
        "status": status,
        "provenance": "modelled",
        "source": "test",
        "geometry": Point(X0 + x, Y0 - 10),
    }


def events_table(*rows: str) -> pd.DataFrame:
    """The events of some CSV rows, read by the real CSV reader in Kaliningrad time."""
    from planner.events.times import zone

    text = EVENTS_HEADER + "\n" + "\n".join(rows) + "\n"
    frame, issues = parse_events_csv(text, timezone=zone("Europe/Kaliningrad"), label="events.csv")
    assert frame is not None, issues
    return frame


def programme_town(
    *event_rows: str, extra_facilities: list[dict[str, object]] | None = None
) -> Town:
    """The line town with the given events (CSV rows)."""
    residential = _frame(
        [{**_home(ident, x), "district": "d1" if x < 2000 else "d2"} for ident, x in HOMES.items()]
    )
    facilities = _frame(
        [
            _facility("V", "house_of_culture", 0.0),
            _facility("L", "library", 3100.0),
            _facility("S", "school", 1000.0),
            *(extra_facilities or []),
        ]
    )
    outline = box(X0 - 100, Y0 - 200, X0 + 3200, Y0 + 200)
    boundary = _frame(
        [
            {
                "id": "b",
                "name": "Line",
                "provenance": "modelled",
                "source": "test",
                "geometry": outline,
            }
        ]
    )
    districts = _frame(
        [
            {"id": "d1", "name": "West", "name_ru": "Запад", "provenance": "modelled",
             "geometry": box(X0 - 100, Y0 - 200, X0 + 2000, Y0 + 200)},
            {"id": "d2", "name": "East", "name_ru": "Восток", "provenance": "modelled",
             "geometry": box(X0 + 2000, Y0 - 200, X0 + 3200, Y0 + 200)},
        ]
    )  # fmt: skip
    streets = _frame(
        [{"id": "s1", "kind": "residential", "name": "", "provenance": "modelled",
          "geometry": LineString([(X0, Y0), (X0 + 3100, Y0)])}]
    )  # fmt: skip
    empty = gpd.GeoDataFrame(
        {"id": [], "name": [], "provenance": []}, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS
    )
    meta = replace(tiny_meta(name="Line", population=5000), timezone="Europe/Kaliningrad")
    return Town(
        folder=Path("line"),
        meta=meta,
        boundary=boundary,
        residential=residential,
        facilities=facilities,
        streets=streets,
        water=empty,
        rail=empty,
        districts=districts,
        events=events_table(*event_rows),
    )
