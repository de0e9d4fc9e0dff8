"""What a built package carries besides its modules: the repository's ``geodata/``.

``setup.py`` copies these files into the build tree (``planner/_bundled/geodata/``) and into the
sdist (``geodata/``); ``geodata/`` itself stays at the repository root, the one source of truth.
Whatever is added there later (scenarios, events, another town) ships without any change here.

Standard library only: it runs inside isolated package builds.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

GEODATA = "geodata"
"""The folder of towns and norm sets, relative to the project root."""

TOWN_FILE = "town.toml"


class PackageDataError(RuntimeError):
    """The package cannot be built with data as the tree stands; the message says why."""


def geodata_files(root: Path) -> list[Path]:
    """Return the geodata files to ship, relative to ``root``, sorted.

    Parameters
    ----------
    root
        A git checkout: the files git tracks under ``geodata/`` (so a local import lying in
        ``geodata/`` is not shipped by accident). Otherwise, e.g. an unpacked sdist: every file
        under ``geodata/`` except hidden files and caches.

    Raises
    ------
    PackageDataError
        If no town folder (``town.toml``) is among them: the package would ship without data.
    """
    if (root / ".git").exists() and shutil.which("git"):
        listing = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--", GEODATA],
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        # A file deleted from the work tree but not yet from git is not shipped.
        found = sorted(
            Path(name) for name in listing.split("\0") if name and (root / name).is_file()
        )
    else:
        found = sorted(
            path.relative_to(root)
            for path in (root / GEODATA).rglob("*")
            if path.is_file()
            and not any(
                part.startswith(".") or part == "__pycache__"
                for part in path.relative_to(root).parts
            )
        )
    if not any(name.name == TOWN_FILE for name in found):
        msg = (
            f"No town folder ({TOWN_FILE}) among the files of {root / GEODATA} "
            "(in a git checkout: the committed ones): the package would ship without data."
        )
        raise PackageDataError(msg)
    return found


def copy_geodata(root: Path, dest: Path) -> int:
    """Replace ``dest`` by a copy of the geodata files of ``root``; return how many were copied.

    ``dest`` takes the place of ``geodata/``: ``geodata/gusev/town.toml`` becomes
    ``dest/gusev/town.toml``. Whatever ``dest`` held before is removed first, so a town deleted
    from ``geodata/`` does not survive in a reused build folder.
    """
    files = geodata_files(root)
    shutil.rmtree(dest, ignore_errors=True)
    for name in files:
        target = dest / name.relative_to(GEODATA)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    return len(files)
