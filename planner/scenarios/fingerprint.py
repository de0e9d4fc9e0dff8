"""A town folder's data hash: which data a saved scenario and its results belong to."""

from __future__ import annotations

import hashlib
from pathlib import Path

from planner.io import LAYER_SUFFIXES
from planner.layers import LAYER_SPECS
from planner.towns import TOWN_FILE

__all__ = ["town_data_hash"]


def town_data_hash(folder: Path | str) -> str:
    """Return the SHA-256 of ``town.toml`` and every layer file of a town folder.

    Files are taken in a fixed order with their names, so renaming or editing any layer changes
    the hash, and other files in the folder (README, scenarios) do not.
    """
    folder = Path(folder)
    digest = hashlib.sha256()
    names = [TOWN_FILE] + [f"{name}{suffix}" for name in LAYER_SPECS for suffix in LAYER_SUFFIXES]
    for name in names:
        path = folder / name
        if path.is_file():
            digest.update(name.encode() + b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()
