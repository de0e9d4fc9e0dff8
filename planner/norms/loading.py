"""Finding and loading norm sets: by name in the norms folder, or by path to a ``.toml`` file."""

from __future__ import annotations

import tomllib
from pathlib import Path

from planner.errors import DataValidationError, Issue, NormsError
from planner.norms.model import DEFAULT_NORM_SET, NormSet
from planner.norms.schema import build_norm_set, validate_norm_data
from planner.paths import norms_dir

__all__ = ["available_norm_sets", "load_norms"]


def available_norm_sets(folder: Path | None = None) -> list[str]:
    """Return the names of the norm sets (``*.toml`` stems) in ``folder``, sorted.

    Parameters
    ----------
    folder
        Folder of norm sets; defaults to ``planner.paths.norms_dir()``.
    """
    folder = norms_dir() if folder is None else folder
    return sorted(path.stem for path in folder.glob("*.toml")) if folder.is_dir() else []


def load_norms(
    name_or_path: str | Path = DEFAULT_NORM_SET, *, folder: Path | None = None
) -> NormSet:
    """Load and validate a norm set by name or by file path.

    Parameters
    ----------
    name_or_path
        A set name (a ``*.toml`` stem in ``folder``) or a path to a ``.toml`` file.
    folder
        Folder of named sets; defaults to ``planner.paths.norms_dir()``.

    Returns
    -------
    NormSet
        The validated, immutable set.

    Raises
    ------
    NormsError
        The name is unknown (the message lists the available sets) or the file is missing.
    DataValidationError
        The file is not valid TOML or breaks the schema; ``issues`` lists every problem.
    """
    path = _resolve(name_or_path, folder)
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        issue = Issue(str(path), f"Not valid UTF-8 TOML: {err}.", "Fix the syntax at that place.")
        msg = f"Norm set {path} cannot be read"
        raise DataValidationError(msg, [issue]) from err
    issues = validate_norm_data(data, file=str(path), expected_key=path.stem)
    if issues:
        msg = f"Norm set {path} is invalid"
        raise DataValidationError(msg, issues)
    return build_norm_set(data, path)


def _resolve(name_or_path: str | Path, folder: Path | None) -> Path:
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or text.endswith(".toml") or "/" in text or "\\" in text:
        path = Path(name_or_path)
        if not path.is_file():
            msg = f"Norm set file {path} does not exist. Check the path."
            raise NormsError(msg)
        return path
    folder = norms_dir() if folder is None else folder
    path = folder / f"{text}.toml"
    if not path.is_file():
        names = ", ".join(available_norm_sets(folder)) or "none"
        msg = f"Unknown norm set {text!r} in {folder}. Available sets: {names}."
        raise NormsError(msg)
    return path
