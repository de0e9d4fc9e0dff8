"""Towns by name: the town folders of the geodata folders, and turning a name or path into a folder.

Wherever a town folder is accepted (the CLI's ``town`` argument, ``load_town``, the dashboard's
folder box), the name of a known town works too: ``planner analyze gusev --out out/``. A path that
exists always wins over a name; a name is looked up in ``planner.paths.geodata_dirs()`` (the
folders of ``PLANNER_GEODATA`` first, then the geodata bundled with planner).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner.errors import PlannerError
from planner.paths import bundled_geodata_dir, geodata_dirs

TOWN_FILE = "town.toml"
"""The file that makes a folder a town folder."""


class TownNotFoundError(PlannerError, ValueError):
    """The argument is neither an existing path nor the name of a known town.

    Attributes
    ----------
    given
        What the user gave.
    problem, fix
        What is wrong and how to fix it (the message is both).
    """

    def __init__(self, given: str, problem: str, fix: str) -> None:
        self.given = given
        self.problem = problem
        self.fix = fix
        super().__init__(f"{given!r} {problem} {fix}")


@dataclass(frozen=True, slots=True)
class KnownTown:
    """A town folder found by name.

    Attributes
    ----------
    name
        The folder's name, which is what a user types (``gusev``).
    folder
        The town folder.
    bundled
        ``True`` for the geodata shipped with planner, ``False`` for a ``PLANNER_GEODATA`` folder.
    shadows_bundled
        ``True`` when a user folder of this name hides a bundled town of the same name.
    """

    name: str
    folder: Path
    bundled: bool
    shadows_bundled: bool = False


def known_towns() -> list[KnownTown]:
    """Return the towns reachable by name, sorted by name; the first folder of a name wins.

    A town is a sub-folder of a geodata folder holding ``town.toml``.
    """
    bundled_root = bundled_geodata_dir()
    found: dict[str, KnownTown] = {}
    for root in geodata_dirs():
        if not root.is_dir():
            continue
        is_bundled = root == bundled_root
        for folder in sorted(root.iterdir()):
            if not (folder / TOWN_FILE).is_file():
                continue
            if folder.name in found:
                if is_bundled and not found[folder.name].bundled:
                    earlier = found[folder.name]
                    found[folder.name] = KnownTown(earlier.name, earlier.folder, False, True)
                continue
            found[folder.name] = KnownTown(folder.name, folder, is_bundled)
    return [found[name] for name in sorted(found)]


def resolve_town(town: str | Path) -> Path:
    """Return the folder of a town given as a path or by name.

    Parameters
    ----------
    town
        A path to a town folder, or the name of a known town (``gusev``). A path that exists wins
        over a name.

    Returns
    -------
    Path
        The path as given when it exists (checking it is a valid town is the loader's job), else
        the folder of the named town.

    Raises
    ------
    TownNotFoundError
        Neither: the message lists the towns known by name.
    """
    path = Path(town)
    if path.exists():
        return path
    text = str(town)
    by_name = {entry.name: entry.folder for entry in known_towns()}
    if text in by_name:
        return by_name[text]
    names = ", ".join(by_name) or "none found"
    raise TownNotFoundError(
        text,
        "is not a folder, nor the name of a known town.",
        f"Give the path of a town folder holding {TOWN_FILE}, or the name of a town "
        f"(`planner towns` lists them): {names}.",
    )
