"""Finding and loading norm sets: by name in the norms folders, or by path to a ``.toml`` file.

Names are looked up in ``planner.paths.norms_dirs()``: the ``norms/`` folders of
``PLANNER_GEODATA`` first, then the bundled one, so a user's set overrides a bundled set of the
same name.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from planner.errors import DataValidationError, Issue, NormsError
from planner.norms.model import DEFAULT_NORM_SET, NormSet
from planner.norms.schema import build_norm_set, validate_norm_data
from planner.paths import norms_dirs
from planner.text_files import decode_utf8

__all__ = ["available_norm_sets", "load_norms"]


def available_norm_sets(folder: Path | None = None) -> list[str]:
    """Return the names of the norm sets (``*.toml`` stems) in ``folder``, sorted.

    Parameters
    ----------
    folder
        Folder of norm sets; by default every folder of ``planner.paths.norms_dirs()``.
    """
    folders = norms_dirs() if folder is None else [folder]
    return _set_names(folders)


def load_norms(
    name_or_path: str | Path = DEFAULT_NORM_SET, *, folder: Path | None = None
) -> NormSet:
    """Load and validate a norm set by name or by file path.

    Parameters
    ----------
    name_or_path
        A set name (a ``*.toml`` stem in ``folder``) or a path to a ``.toml`` file.
    folder
        Folder of named sets; by default the folders of ``planner.paths.norms_dirs()``.

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
    text, problem = decode_utf8(path.read_bytes(), str(path))
    if text is None:
        msg = f"Norm set {path} cannot be read"
        raise DataValidationError(msg, [] if problem is None else [problem])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        issue = Issue(str(path), f"Not valid TOML: {err}.", "Fix the syntax at that place.")
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
    folders = norms_dirs() if folder is None else [folder]
    for path in (candidate / f"{text}.toml" for candidate in folders):
        if path.is_file():
            return path
    names = ", ".join(_set_names(folders)) or "none"
    where = ", ".join(str(candidate) for candidate in folders) or "no norms folder"
    msg = f"Unknown norm set {text!r} in {where}. Available sets: {names}."
    raise NormsError(msg)


def _set_names(folders: list[Path]) -> list[str]:
    """Return the sorted, distinct ``*.toml`` stems of the folders that exist."""
    return sorted({path.stem for f in folders if f.is_dir() for path in f.glob("*.toml")})
