"""What a result was computed from: the run manifest and the hash of its inputs.

Every result set (``planner analyze --out``, and the exports) names the tool version, the
command and its options, and a SHA-256 of the input files (the town folder's ``town.toml`` and
layers, the norm set file), so anyone can tell whether a result still matches its data and
reproduce it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner import __version__
from planner.fileio import file_sha256
from planner.towns import TOWN_FILE

if TYPE_CHECKING:
    from planner.norms import NormSet


def town_files(folder: Path) -> list[Path]:
    """Return the files a town folder's data are read from, in name order.

    ``town.toml``, every layer file (shapefile side files included) and the events files: every
    data file directly in the folder. Not its README, nor sub-folders such as ``scenarios/``
    (a scenario file is an input of its own, hashed where it is used).
    """
    return [
        path
        for path in sorted(folder.iterdir())
        if path.is_file()
        and not path.name.startswith(".")
        and (path.name == TOWN_FILE or path.suffix.lower() in DATA_SUFFIXES)
    ]


DATA_SUFFIXES = frozenset(
    {".geojson", ".gpkg", ".fgb", ".shp", ".shx", ".dbf", ".prj", ".cpg", ".csv", ".ics"}
)
"""Suffixes of the data files a town folder may hold (layers and events)."""


def digest_files(files: Mapping[str, Path]) -> str:
    """Return one SHA-256 over named files (name and content hash of each, in name order)."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\0{file_sha256(files[name])}\n".encode())
    return digest.hexdigest()


def run_manifest(
    command: str,
    options: Mapping[str, Any],
    *,
    town_folder: Path,
    norms: NormSet | None,
    extra_inputs: Iterable[Path] = (),
) -> dict[str, Any]:
    """Return the manifest of a run: tool version, command, options and the inputs' hashes.

    Parameters
    ----------
    command
        The command or export that ran (e.g. ``"analyze"``).
    options
        Its options, JSON-ready (service keys, walking speed, ...).
    town_folder
        The town folder read.
    norms
        The norm set used (its file is hashed), if any.
    extra_inputs
        Other files the result depends on (e.g. a scenario file).

    Returns
    -------
    dict
        ``version``, ``command``, ``options``, ``inputs`` (per file: its SHA-256) and
        ``inputs_sha256`` (one hash over all of them).
    """
    named = {f"town/{path.name}": path for path in town_files(town_folder)}
    if norms is not None:
        named[f"norms/{norms.source_file.name}"] = norms.source_file
    for path in extra_inputs:
        named[f"extra/{path.name}"] = path
    return {
        "version": __version__,
        "command": command,
        "options": dict(options),
        "town_folder": str(town_folder),
        "norm_set": None if norms is None else norms.key,
        "inputs": {name: file_sha256(path) for name, path in sorted(named.items())},
        "inputs_sha256": digest_files(named),
    }
