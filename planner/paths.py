"""Where bundled files live: geodata (towns and norm sets) and the locally served front-end files.

Two layouts hold them:

- **an installed wheel**: the build copies the repository's ``geodata/`` and the npm front-end
  files into the package as ``planner/_bundled/geodata`` and ``planner/_bundled/vendor``
  (``setup.py``); they are found with ``importlib.resources``;
- **a source checkout** (including an editable install): ``geodata/`` and ``static/vendor/`` beside
  ``planner/``, the latter filled by ``scripts/setup.sh``.

The package's own copy wins when it exists (only a built package has one); user folders named in
``PLANNER_GEODATA`` come before either when towns and norm sets are looked up by name.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The source tree root (``app.py``, ``geodata/``, ``static/``) when run from a checkout."""

GEODATA_ENV = "PLANNER_GEODATA"
"""Environment variable: user geodata folders (``os.pathsep``-separated), searched first."""

DEFAULT_TOWN = "gusev"
"""The bundled town used when none is given."""


def _package_data(name: str) -> Path | None:
    """Return ``planner/_bundled/<name>`` of an installed package, or ``None`` in a checkout.

    Wheels are always unpacked on disk, so the resource is a real folder (zip imports are not
    supported: GDAL and the norm loader need file paths).
    """
    resource = files("planner").joinpath("_bundled", name)
    return Path(str(resource)) if resource.is_dir() else None


def bundled_geodata_dir() -> Path:
    """Return the geodata that comes with planner: the package's copy, else ``geodata/``."""
    return _package_data("geodata") or PROJECT_ROOT / "geodata"


def geodata_dirs() -> list[Path]:
    """Return the folders searched for towns and norm sets by name, first match first.

    The folders of ``PLANNER_GEODATA`` (in order) come before the bundled geodata, so a user's
    town or norm set of the same name overrides the bundled one.
    """
    override = os.environ.get(GEODATA_ENV, "")
    user = [Path(part) for part in override.split(os.pathsep) if part.strip()]
    return [*user, bundled_geodata_dir()]


def default_geodata_dir() -> Path:
    """Return the first geodata folder: ``PLANNER_GEODATA``'s first entry, else the bundled one."""
    return geodata_dirs()[0]


def default_town_dir() -> Path:
    """Return the folder of the default town (``gusev``), a user's copy before the bundled one."""
    for folder in geodata_dirs():
        if (folder / DEFAULT_TOWN).is_dir():
            return folder / DEFAULT_TOWN
    return bundled_geodata_dir() / DEFAULT_TOWN


def norms_dirs() -> list[Path]:
    """Return every existing ``norms/`` folder of ``geodata_dirs()``, in search order."""
    return [folder / "norms" for folder in geodata_dirs() if (folder / "norms").is_dir()]


def vendor_dir() -> Path:
    """Return the folder of Leaflet and jQuery (from npm, never committed).

    The package's copy in an installed wheel; ``static/vendor`` (filled by ``scripts/setup.sh``,
    served by the dashboard) in a checkout.
    """
    return _package_data("vendor") or PROJECT_ROOT / "static" / "vendor"
