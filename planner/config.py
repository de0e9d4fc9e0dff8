"""Project-wide constants with units in their names."""

from __future__ import annotations

ANALYSIS_CRS = "EPSG:32634"
"""UTM zone 34N: the metric CRS for Gusev (22.2 deg E lies in 18-24 deg E)."""

DISPLAY_CRS = "EPSG:4326"
"""WGS 84 lon/lat: only at the display boundary (maps, lon/lat columns)."""

DEFAULT_WALK_SPEED_M_MIN = 75.0
"""4.5 km/h, the adult walking pace assumed by the norms research (docs/norms.md §4)."""

ELDERLY_WALK_SPEED_M_MIN = 50.0
"""3 km/h, the pace for small children and elderly walkers (docs/norms.md §4)."""

FAR_CONNECTOR_M = 250.0
"""A home or facility farther than this from any street is reported: the network misses it."""

POPULATION_TOLERANCE = 0.005
"""Largest relative gap allowed between the residential total and the official population."""

OSM_ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0"
