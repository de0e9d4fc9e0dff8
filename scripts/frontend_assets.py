"""The third-party front-end files the maps need at run time, from the npm registry.

Leaflet draws every map; folium's popups need jQuery; Leaflet.draw gives the Scenarios page its
drawing tools. They are never committed: ``package.json`` and ``package-lock.json`` pin them, and
this module is the one list of the files taken from each npm package, used in both places they go:

- ``scripts/setup.sh`` runs ``npm ci`` and then this script, which copies the files from
  ``node_modules/`` to ``static/vendor/`` (the folder the dashboard serves);
- the package build (``setup.py``) puts them into the wheel as ``planner/_bundled/vendor/``,
  copied from ``static/vendor/`` when that matches ``package-lock.json``, otherwise from a fresh
  ``npm ci`` in a temporary folder (npm's cache makes that work offline once it has run).

Each copy holds the packages' licence files and ``npm-packages.json``: the name, version, integrity
hash and licence of every package it came from, which is also how a copy is known to be current.

Standard library only: it runs before the virtual environment exists and inside isolated builds.

Usage::

    python3 scripts/frontend_assets.py node_modules static/vendor
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGES: dict[str, tuple[tuple[str, str], ...]] = {
    "leaflet": (
        ("dist/leaflet.js", "leaflet"),
        ("dist/leaflet.css", "leaflet"),
        ("dist/images/*.png", "leaflet/images"),
        ("LICENSE", "leaflet"),
    ),
    "jquery": (
        ("dist/jquery.min.js", "jquery"),
        ("LICENSE.txt", "jquery"),
    ),
    # The drawing tools of the Scenarios page (folium's Draw plugin). The npm package has no
    # licence file: its licence (MIT) is in package-lock.json and npm-packages.json, and the
    # copyright notice heads leaflet.draw.js.
    "leaflet-draw": (
        ("dist/leaflet.draw.js", "leaflet-draw"),
        ("dist/leaflet.draw.css", "leaflet-draw"),
        ("dist/images/spritesheet*", "leaflet-draw/images"),
    ),
}
"""Per npm package: (file or glob inside the package, destination folder in the vendor folder)."""

MANIFEST = "npm-packages.json"
"""The file in a vendor folder recording the npm packages (and files) it holds."""

_LOCK_FIELDS = ("version", "integrity", "license")


class FrontendAssetsError(RuntimeError):
    """The front-end files cannot be provided; the message says what to do."""


def locked_packages(project: Path) -> dict[str, dict[str, str]]:
    """Return name, version, integrity and licence of each package as ``package-lock.json`` pins it.

    Parameters
    ----------
    project
        The folder holding ``package.json`` and ``package-lock.json``.

    Raises
    ------
    FrontendAssetsError
        If the lockfile is missing or does not pin one of ``PACKAGES``.
    """
    lockfile = project / "package-lock.json"
    try:
        entries = json.loads(lockfile.read_text(encoding="utf-8"))["packages"]
        return {
            name: {field: str(entries[f"node_modules/{name}"][field]) for field in _LOCK_FIELDS}
            for name in PACKAGES
        }
    except (OSError, ValueError, KeyError) as err:
        msg = f"{lockfile} is missing or does not pin {', '.join(PACKAGES)} ({err!r})."
        raise FrontendAssetsError(msg) from err


def copy_assets(node_modules: Path, dest: Path, locked: dict[str, dict[str, str]]) -> None:
    """Copy the files of ``PACKAGES`` from an npm install into a fresh vendor folder.

    The folder is written beside ``dest`` and then moved into place, so a failure leaves the
    previous copy (or none), never half of one.

    Parameters
    ----------
    node_modules
        The ``node_modules`` folder of an ``npm ci`` of ``package-lock.json``.
    dest
        The vendor folder to (re)create.
    locked
        ``locked_packages()`` of the project: the installed versions must match it.
    """
    for name, pinned in locked.items():
        installed = _installed_version(node_modules / name)
        if installed != pinned["version"]:
            msg = (
                f"{node_modules / name} holds version {installed or 'none'}, package-lock.json "
                f"pins {pinned['version']}: run `npm ci` first."
            )
            raise FrontendAssetsError(msg)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    try:
        copied: list[str] = []
        for name, files in PACKAGES.items():
            for pattern, folder in files:
                sources = sorted((node_modules / name).glob(pattern))
                if not sources:
                    msg = f"{node_modules / name / pattern} not found in the npm package."
                    raise FrontendAssetsError(msg)
                (staging / folder).mkdir(parents=True, exist_ok=True)
                for source in sources:
                    shutil.copyfile(source, staging / folder / source.name)
                    copied.append(f"{folder}/{source.name}")
        manifest = {
            "source": "the npm registry, pinned by package-lock.json",
            "packages": locked,
            "files": sorted(copied),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        shutil.rmtree(dest, ignore_errors=True)
        staging.rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def current_files(vendor: Path, locked: dict[str, dict[str, str]]) -> list[str] | None:
    """Return the files of a vendor folder made from the pinned packages, or ``None``.

    ``None`` when the folder is missing, incomplete, or made from other versions than the
    lockfile pins (its ``npm-packages.json`` says which).
    """
    try:
        manifest = json.loads((vendor / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = [str(name) for name in manifest.get("files", [])]
    complete = bool(files) and all((vendor / name).is_file() for name in files)
    return files if complete and manifest.get("packages") == locked else None


def _installed_version(package: Path) -> str | None:
    """Return the version in an installed npm package's ``package.json``, if any."""
    try:
        return str(json.loads((package / "package.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


def npm_install(project: Path, workdir: Path) -> Path:
    """Run ``npm ci`` of the project's lockfile in ``workdir``; return its ``node_modules``.

    Raises
    ------
    FrontendAssetsError
        If npm is missing or fails (no network and nothing in npm's cache).
    """
    npm = shutil.which("npm")
    if npm is None:
        msg = (
            "Building planner needs Leaflet and jQuery from the npm registry, and npm is not "
            "installed: install npm (Debian: apt-get install npm) or run scripts/setup.sh, "
            "which fills static/vendor/."
        )
        raise FrontendAssetsError(msg)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(project / name, workdir / name)
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"]
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        msg = f"`npm ci` failed (it needs the npm registry or npm's cache): {last}"
        raise FrontendAssetsError(msg)
    return workdir / "node_modules"


def bundle_assets(project: Path, dest: Path) -> str:
    """Put the front-end files into ``dest`` for a package build; return where they came from.

    Parameters
    ----------
    project
        The source tree (a checkout or an unpacked sdist) with ``package-lock.json``.
    dest
        The vendor folder to create (e.g. ``build/lib/planner/_bundled/vendor``).

    Returns
    -------
    str
        ``"static/vendor"`` when the project's copy was current, else ``"npm ci"``.
    """
    locked = locked_packages(project)
    ready = project / "static" / "vendor"
    files = current_files(ready, locked)
    if files is not None:
        shutil.rmtree(dest, ignore_errors=True)
        for name in [*files, MANIFEST]:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ready / name, dest / name)
        return "static/vendor"
    with tempfile.TemporaryDirectory(prefix="planner-npm-") as workdir:
        copy_assets(npm_install(project, Path(workdir)), dest, locked)
    return "npm ci"


def main(argv: list[str]) -> int:
    """Copy the files from ``argv[0]`` (node_modules) to ``argv[1]`` (the vendor folder)."""
    if len(argv) != 2:
        print("usage: frontend_assets.py NODE_MODULES VENDOR_DIR", file=sys.stderr)
        return 2
    project = Path(__file__).resolve().parent.parent
    try:
        copy_assets(Path(argv[0]), Path(argv[1]), locked_packages(project))
    except FrontendAssetsError as err:
        print(f"frontend_assets: error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
