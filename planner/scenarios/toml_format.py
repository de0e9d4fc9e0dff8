"""Scenario files: human-readable TOML with a ``version``, read with every problem reported.

A file holds ``version``, ``name``, optionally ``description``, ``author`` and ``town``, and an
array of ``[[edits]]`` tables, each with an ``op`` (``add_facility``, ``move_facility``,
``remove_facility``, ``close_facility``, ``change_facility``, ``add_housing``, ``add_street``,
``close_street``) and that edit's fields (``planner.scenarios.edits``). docs/scenarios.md
documents every field with an example; ``geodata/gusev/scenarios/`` holds real ones.

The writer is a small emitter of this fixed schema rather than a general TOML library, so a
coordinate pair stays on one line (``point = [22.2, 54.6]``) and a file stays readable; every
value it writes is read back identically by ``tomllib`` (a round-trip test checks it).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from planner.fileio import write_atomic
from planner.norms import FrozenMap
from planner.scenarios.edits import EDIT_TYPES, Edit, Scenario
from planner.scenarios.errors import ScenarioError, ScenarioIssue
from planner.scenarios.validate import edit_problems

__all__ = [
    "FORMAT_VERSION",
    "read_scenario",
    "scenario_from_dict",
    "scenario_from_toml",
    "scenario_to_dict",
    "scenario_to_toml",
    "write_scenario",
]

FORMAT_VERSION = 1
"""The scenario file format this version of the planner reads and writes."""

Kind = Literal["str", "number", "int", "lonlat", "line", "ring", "table"]

_FIELD_KINDS: dict[str, Kind] = {
    "id": "str",
    "service": "str",
    "lon": "number",
    "lat": "number",
    "capacity": "number",
    "name": "str",
    "name_ru": "str",
    "address": "str",
    "status": "str",
    "provenance": "str",
    "source": "str",
    "note": "str",
    "facility_id": "str",
    "polygon": "ring",
    "point": "lonlat",
    "residents": "int",
    "flats": "int",
    "household_size": "number",
    "cohorts": "table",
    "cohort_shares": "table",
    "housing": "str",
    "district": "str",
    "line": "line",
    "kind": "str",
    "snap_m": "number",
    "street_id": "str",
}
_KIND_WORDS: dict[Kind, str] = {
    "str": "text in quotes",
    "number": "a number",
    "int": "a whole number",
    "lonlat": "a [longitude, latitude] pair in degrees",
    "line": "a list of at least two [longitude, latitude] pairs",
    "ring": "a list of at least three [longitude, latitude] pairs",
    "table": "a table of numbers by age cohort, e.g. { pop_0_6 = 0.1, ... }",
}
_TOP_KEYS = ("version", "name", "description", "author", "town", "edits")


def read_scenario(path: Path | str) -> Scenario:
    """Read and check a scenario file.

    Parameters
    ----------
    path
        A ``.toml`` scenario file.

    Returns
    -------
    Scenario
        The scenario, its edits checked for everything that needs no town (kinds, negative
        sizes, allowed values); ``planner.scenarios.apply_scenario`` checks the rest.

    Raises
    ------
    ScenarioError
        If the file is missing, unreadable, not TOML, or any field is wrong; ``.issues`` lists
        every problem, each naming the scenario, the edit and the field.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(
            [
                ScenarioIssue(
                    path.name,
                    f"file {path} does not exist.",
                    "give the path of a .toml scenario file.",
                )
            ]
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(
            [
                ScenarioIssue(
                    path.name, f"file {path} cannot be read ({err}).", "save it as UTF-8 text."
                )
            ]
        ) from None
    return scenario_from_toml(text, source=path.name)


def scenario_from_toml(text: str, *, source: str = "scenario") -> Scenario:
    """Parse scenario TOML text (see ``read_scenario``); ``source`` names it in messages."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(
            [
                ScenarioIssue(
                    source, f"is not valid TOML ({err}).", "correct the syntax (https://toml.io)."
                )
            ]
        ) from None
    return scenario_from_dict(raw, source=source)


def scenario_from_dict(raw: Mapping[str, Any], *, source: str = "scenario") -> Scenario:
    """Build a scenario from parsed TOML (or JSON) data, reporting every problem at once."""
    name = raw.get("name")
    label = name if isinstance(name, str) and name.strip() else source
    issues: list[ScenarioIssue] = []

    def problem(message: str, fix: str, field: str | None = None) -> None:
        issues.append(ScenarioIssue(label, message, fix, field=field))

    version = raw.get("version")
    if version is None:
        problem("has no version.", f"add version = {FORMAT_VERSION} at the top.", "version")
    elif not isinstance(version, int) or isinstance(version, bool):
        problem(
            f"version must be a whole number, not {version!r}.",
            f"write version = {FORMAT_VERSION}.",
            "version",
        )
    elif version > FORMAT_VERSION or version < 1:
        problem(
            f"version {version} is not a format this planner reads (it reads {FORMAT_VERSION}).",
            "upgrade the planner, or write the file in format version 1.",
            "version",
        )
    if not isinstance(name, str) or not name.strip():
        problem("has no name.", 'add name = "..." (a name people recognise).', "name")
    for key in ("description", "author", "town"):
        if key in raw and not isinstance(raw[key], str):
            problem(f"{key} must be text, not {raw[key]!r}.", f'write {key} = "...".', key)
    for key in sorted(set(raw) - set(_TOP_KEYS)):
        problem(f"unknown key {key!r}.", _unknown_fix(key, _TOP_KEYS), key)
    edits_raw = raw.get("edits", [])
    if not isinstance(edits_raw, list) or not all(isinstance(e, dict) for e in edits_raw):
        problem(
            "edits must be an array of tables ([[edits]] blocks).",
            "write each edit as an [[edits]] block.",
            "edits",
        )
        edits_raw = []
    edits: list[Edit] = []
    for index, item in enumerate(edits_raw, start=1):
        edit, edit_issues = _parse_edit(item, label, index)
        issues += edit_issues
        if edit is not None:
            edits.append(edit)
    if any(i.severity == "error" for i in issues):
        raise ScenarioError(issues)
    return Scenario(
        name=str(name).strip(),
        edits=tuple(edits),
        description=str(raw.get("description", "")),
        author=str(raw.get("author", "")),
        town=str(raw.get("town", "")),
    )


def _parse_edit(
    item: Mapping[str, Any], scenario: str, index: int
) -> tuple[Edit | None, list[ScenarioIssue]]:
    op = item.get("op")
    ident = item.get("id", item.get("facility_id", item.get("street_id")))
    ident = ident if isinstance(ident, str) else None
    issues: list[ScenarioIssue] = []

    def problem(message: str, fix: str, field: str | None) -> None:
        issues.append(
            ScenarioIssue(
                scenario,
                message,
                fix,
                edit_index=index,
                edit_op=op if isinstance(op, str) else None,
                edit_id=ident,
                field=field,
            )
        )

    if op not in EDIT_TYPES:
        shown = "no op" if op is None else f"unknown op {op!r}"
        problem(f"has {shown}.", f"set op to one of: {', '.join(EDIT_TYPES)}.", "op")
        return None, issues
    cls = EDIT_TYPES[op]
    names = [f.name for f in dataclasses.fields(cls)]
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        required = (
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        )
        if field.name not in item:
            if required:
                problem(
                    f"{op} needs {field.name}.",
                    f"add {field.name} ({_KIND_WORDS[_FIELD_KINDS[field.name]]}).",
                    field.name,
                )
            continue
        value, message = _convert(item[field.name], _FIELD_KINDS[field.name])
        if message is not None:
            problem(
                message,
                f"write {field.name} as {_KIND_WORDS[_FIELD_KINDS[field.name]]}.",
                field.name,
            )
        else:
            values[field.name] = value
    for key in sorted(set(item) - {*names, "op"}):
        problem(f"{op} has no field {key!r}.", _unknown_fix(key, names), key)
    if issues:
        return None, issues
    edit: Edit = cls(**values)
    for field_name, message, fix in edit_problems(edit):
        problem(message, fix, field_name)
    return (None if issues else edit), issues


def _convert(value: object, kind: Kind) -> tuple[object, str | None]:
    """Return the value in the model's type, or an error message."""
    if kind == "str":
        return (value, None) if isinstance(value, str) else (None, f"must be text, not {value!r}.")
    if kind in ("number", "int"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, f"must be a number, not {value!r}."
        if kind == "int" and not (isinstance(value, int) or float(value).is_integer()):
            return None, f"must be a whole number, not {value!r}."
        if not math.isfinite(float(value)):
            return None, f"must be a finite number, not {value!r}."
        return (int(value) if kind == "int" else float(value)), None
    if kind == "table":
        if not isinstance(value, dict) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()
        ):
            return None, f"must be a table of numbers, not {value!r}."
        return FrozenMap((str(k), float(v)) for k, v in value.items()), None
    if kind == "lonlat":
        pair = _lonlat(value)
        return (
            (pair, None)
            if pair is not None
            else (None, f"must be a [longitude, latitude] pair in degrees, not {value!r}.")
        )
    minimum = 2 if kind == "line" else 3
    if not isinstance(value, list) or len(value) < minimum:
        return None, f"must list at least {minimum} [longitude, latitude] points."
    pairs = [_lonlat(v) for v in value]
    if any(p is None for p in pairs):
        bad = next(i for i, p in enumerate(pairs, start=1) if p is None)
        return (
            None,
            f"point {bad} is not a [longitude, latitude] pair in degrees ({value[bad - 1]!r}).",
        )
    return tuple(pairs), None


def _lonlat(value: object) -> tuple[float, float] | None:
    if not (isinstance(value, list | tuple) and len(value) == 2):
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        return None
    lon, lat = float(value[0]), float(value[1])
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        return None
    return (lon, lat)


def _unknown_fix(key: str, known: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"{hint}Known: {', '.join(known)}."


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """Return the scenario as plain data (what the TOML file holds); defaults are left out."""
    doc: dict[str, Any] = {"version": FORMAT_VERSION, "name": scenario.name}
    for key in ("description", "author", "town"):
        if getattr(scenario, key):
            doc[key] = getattr(scenario, key)
    edits = []
    for edit in scenario.edits:
        item: dict[str, Any] = {"op": edit.op}
        for field in dataclasses.fields(edit):
            value = getattr(edit, field.name)
            required = (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            )
            default = field.default if field.default is not dataclasses.MISSING else None
            if (
                value is None
                or (not required and value == default)
                or (isinstance(value, FrozenMap) and not value)
            ):
                continue
            item[field.name] = _plain(value)
        edits.append(item)
    doc["edits"] = edits
    return doc


def _plain(value: object) -> object:
    if isinstance(value, FrozenMap):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def scenario_to_toml(scenario: Scenario) -> str:
    """Return the scenario as TOML text that ``scenario_from_toml`` reads back unchanged."""
    doc = scenario_to_dict(scenario)
    lines = [f"version = {doc['version']}"]
    for key in ("name", "description", "author", "town"):
        if key in doc:
            lines.append(f"{key} = {_toml_value(doc[key])}")
    for edit in doc["edits"]:
        lines += ["", "[[edits]]"]
        tables = {k: v for k, v in edit.items() if isinstance(v, dict)}
        for key, value in edit.items():
            if key not in tables:
                lines.append(f"{key} = {_toml_value(value)}")
        for key, value in tables.items():
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"Scenario values must be finite numbers, got {value}."
            raise ValueError(msg)
        return repr(value)
    if isinstance(value, str):
        # A JSON string is a valid TOML basic string (same escapes, \uXXXX for control chars).
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
        )
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    msg = f"Cannot write {value!r} to a scenario file."
    raise TypeError(msg)


def _toml_key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key, ensure_ascii=False)


def write_scenario(path: Path | str, scenario: Scenario) -> Path:
    """Write the scenario as a TOML file, atomically; return the path."""
    text = scenario_to_toml(scenario)
    return write_atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))


SCENARIOS_FOLDER = "scenarios"
"""The sub-folder of a town folder that holds its own scenario files (``<name>.toml``)."""


def town_scenarios(town_dir: Path) -> list[str]:
    """Return the names of the scenario files a town folder carries (``scenarios/*.toml``)."""
    folder = Path(town_dir) / SCENARIOS_FOLDER
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.toml") if path.is_file())


def resolve_scenario(town_dir: Path, given: str | Path) -> Path:
    """Return a scenario file given as a path or by the name of one of the town's scenarios.

    ``planner scenario run gusev technopolis_gs`` then works from any folder, an installed
    package included, the same way a bundled town works by name.

    Parameters
    ----------
    town_dir
        The town's folder (already resolved).
    given
        A path to a ``.toml`` file, or the name of a file in ``<town_dir>/scenarios/`` with or
        without its ``.toml`` suffix. A path that exists wins over a name.

    Returns
    -------
    Path
        The file. When it is neither, ``given`` is returned unchanged, so that reading it reports
        the missing file (the scenario reader's message, which names the file); a bare name
        that matches no scenario raises instead, listing the town's scenarios.

    Raises
    ------
    ScenarioError
        ``given`` is a bare name (no folder, no suffix other than ``.toml``) that is not a file
        and not one of the town's scenarios (invalid input, like a missing scenario file).
    """
    path = Path(given)
    if path.exists():
        return path
    looks_like_name = path.parent == Path() and path.suffix in ("", ".toml")
    if not looks_like_name:
        return path
    candidate = Path(town_dir) / SCENARIOS_FOLDER / f"{path.stem}.toml"
    if candidate.is_file():
        return candidate
    names = ", ".join(town_scenarios(town_dir)) or "none"
    raise ScenarioError(
        [
            ScenarioIssue(
                str(given),
                f"{str(given)!r} is not a scenario file, nor the name of one of the town's "
                "scenarios.",
                f"give the path of a .toml scenario file, or one of the town's scenario names: "
                f"{names}.",
            )
        ]
    )
