"""Where bundled files live: geodata, norm sets and the locally served front-end files."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The source tree root (holds ``app.py``, ``geodata/`` and ``static/``)."""


def default_geodata_dir() -> Path:
    """Return the folder holding town folders and ``norms/`` (override with ``PLANNER_GEODATA``)."""
    override = os.environ.get("PLANNER_GEODATA")
    return Path(override) if override else PROJECT_ROOT / "geodata"


def default_town_dir() -> Path:
    """Return the bundled Gusev town folder."""
    return default_geodata_dir() / "gusev"


def norms_dir() -> Path:
    """Return the folder of normative sets (``*.toml``)."""
    return default_geodata_dir() / "norms"


def vendor_dir() -> Path:
    """Return ``static/vendor``: Leaflet and jQuery copied from npm at setup (never committed)."""
    return PROJECT_ROOT / "static" / "vendor"
