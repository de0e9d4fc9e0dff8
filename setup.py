"""Package build hook: bundle the town data and the maps' front-end files into the package.

Everything about the package is declared in ``pyproject.toml``; this file only extends two of
setuptools' commands, so that a wheel works without the repository:

- ``build_py`` (every wheel build) copies ``geodata/`` into the *build tree* as
  ``planner/_bundled/geodata/`` (``scripts/package_data.py``) and the npm front-end files, with
  their licences, as ``planner/_bundled/vendor/`` (``scripts/frontend_assets.py``);
  ``planner.paths`` finds both with ``importlib.resources``. Nothing is written into the source
  tree. An editable install skips this: it reads the checkout's ``geodata/`` and ``static/vendor/``.
- ``sdist`` adds ``geodata/`` and ``static/vendor/`` to the source archive, so that a wheel builds
  from it without npm or network.

Why a hook and not a declarative ``package-dir`` mapping of ``geodata/``: a mapping cannot take
files from npm, would make every data folder a would-be Python package (setuptools warns about
each), and would ship whatever untracked files lie in ``geodata/``.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "scripts"))

from frontend_assets import bundle_assets  # noqa: E402
from package_data import GEODATA, copy_geodata  # noqa: E402

BUNDLED = Path("planner", "_bundled")
"""Where the package data goes inside the package (``planner.paths`` reads it from there)."""


class BuildPyWithData(build_py):
    """``build_py`` that also puts geodata and the front-end files into the build tree."""

    def run(self) -> None:
        """Build the Python modules, then add the package data (not for editable installs)."""
        super().run()
        if self.editable_mode:
            return
        bundle = Path(self.build_lib) / BUNDLED
        count = copy_geodata(ROOT, bundle / GEODATA)
        source = bundle_assets(ROOT, bundle / "vendor")
        self.announce(f"bundled {count} geodata files; front-end files from {source}", logging.INFO)


class SdistWithData(sdist):
    """``sdist`` that adds geodata and the front-end files to the source archive."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        """Lay out the archive's files, then add ``geodata/`` and ``static/vendor/``."""
        super().make_release_tree(base_dir, files)
        count = copy_geodata(ROOT, Path(base_dir, GEODATA))
        source = bundle_assets(ROOT, Path(base_dir, "static", "vendor"))
        self.announce(f"added {count} geodata files; front-end files from {source}", logging.INFO)


if __name__ == "__main__":  # how setuptools' build backend runs this file
    setup(cmdclass={"build_py": BuildPyWithData, "sdist": SdistWithData})
