"""The file format of a norm set (``geodata/norms/*.toml``): its validator and its builder.

``validate_norm_data`` walks the parsed TOML once and returns every problem it finds as an
``Issue`` (unknown keys, missing fields, wrong types, values out of range, missing sources), so
a user fixes the whole file in one pass. ``build_norm_set`` turns accepted data into the
``planner.norms`` dataclasses. Every key name of the file format lives in this module.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast, get_args

from planner.config import DEFAULT_WALK_SPEED_M_MIN, ELDERLY_WALK_SPEED_M_MIN
from planner.errors import Issue
from planner.layers import COHORT_COLUMNS
from planner.norms.model import (
    Category,
    Confidence,
    DemandRule,
    FrozenMap,
    MinCount,
    NormSet,
    ServiceNorm,
    Source,
)

Kind = Literal["str", "number", "int", "table", "list"]

CATEGORIES: tuple[str, ...] = get_args(Category)
"""Allowed ``category`` values of a service."""

CONFIDENCES: tuple[str, ...] = get_args(Confidence)
"""Source confidence grades: A read in the document, B secondary, C practice (docs/norms.md)."""

SOURCE_GROUPS: tuple[str, ...] = ("radius", "demand", "min_count", "project_sizes")
"""Value groups of a service that each need a ``[services.<key>.sources.<group>]`` table."""

SET_SOURCE_GROUPS: tuple[str, ...] = ("walk_speed", "elderly_walk_speed")
"""Value groups of the set itself that need a ``[sources.<group>]`` table."""

RADIUS_ALTERNATIVES: tuple[str, ...] = (
    "radius_low_rise_m",
    "radius_strict_m",
    "radius_tolerance_m",
)
"""Optional alternative radii of a service, reported beside ``radius_m``."""

WALK_LIMIT_TOLERANCE_MIN = 1.0
"""Largest gap allowed between ``walk_limit_min`` and ``walk_limit_m / walk_speed_m_min``."""

_SERVICE_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class _Field:
    kind: Kind
    required: bool = False


_SET_FIELDS: dict[str, _Field] = {
    "key": _Field("str", required=True),
    "title": _Field("str", required=True),
    "title_ru": _Field("str", required=True),
    "description": _Field("str", required=True),
    "walk_speed_m_min": _Field("number", required=True),
    "elderly_walk_speed_m_min": _Field("number"),
    "sources": _Field("table"),  # required per value group, like a service's sources
    "services": _Field("table", required=True),
}
_SERVICE_FIELDS: dict[str, _Field] = {
    "label": _Field("str", required=True),
    "label_ru": _Field("str", required=True),
    "category": _Field("str", required=True),
    "radius_m": _Field("number"),
    **{name: _Field("number") for name in RADIUS_ALTERNATIVES},
    "walk_limit_m": _Field("number"),
    "walk_limit_min": _Field("number"),
    "capacity_unit": _Field("str", required=True),
    "capacity_unit_ru": _Field("str", required=True),
    "demand": _Field("table"),
    "min_counts": _Field("list"),
    "required_from_population": _Field("int"),
    "project_sizes": _Field("list"),
    "sources": _Field("table"),  # required per value group present, checked in _Checker.sources
}
_DEMAND_FIELDS: dict[str, _Field] = {
    "per_1000": _Field("number"),
    "cohort": _Field("str"),
    "cohort_share": _Field("number"),
    "coverage_share": _Field("number"),
}
_MIN_COUNT_FIELDS: dict[str, _Field] = {
    "min_population": _Field("int", required=True),
    "count": _Field("int", required=True),
}
_SOURCE_FIELDS: dict[str, _Field] = {
    "document": _Field("str", required=True),
    "clause": _Field("str", required=True),
    "url": _Field("str"),
    "confidence": _Field("str", required=True),
    "note": _Field("str"),
    "document_ru": _Field("str"),
    "clause_ru": _Field("str"),
}
_RADIUS_FIELDS = ("radius_m", *RADIUS_ALTERNATIVES, "walk_limit_m", "walk_limit_min")
_KIND_NAMES: dict[Kind, str] = {
    "str": "a non-empty string",
    "number": "a number",
    "int": "an integer",
    "table": "a table",
    "list": "an array",
}


def validate_norm_data(
    data: Mapping[str, Any], *, file: str, expected_key: str | None = None
) -> list[Issue]:
    """Return every problem in a parsed norm-set file (an empty list when it is valid).

    Parameters
    ----------
    data
        The parsed TOML document.
    file
        The file name used in the issues.
    expected_key
        The file stem; the set's ``key`` must equal it, so a set is loaded by the name it declares.

    Returns
    -------
    list[Issue]
        One ``Issue`` per problem, ``feature_id`` set to the service key for service problems.
    """
    check = _Checker(file)
    top = check.table(data, _SET_FIELDS, "", None)
    key = top.get("key")
    if isinstance(key, str) and expected_key is not None and key != expected_key:
        check.add(
            None,
            f"key = {key!r} differs from the file name {expected_key!r}.",
            f"Set key = {expected_key!r} or rename the file to {key}.toml.",
        )
    speed = check.positive(top, "walk_speed_m_min", None, "metres per minute")
    check.positive(top, "elderly_walk_speed_m_min", None, "metres per minute")
    groups = ["walk_speed"] + (["elderly_walk_speed"] if "elderly_walk_speed_m_min" in top else [])
    check.sources(top.get("sources"), SET_SOURCE_GROUPS, groups, "sources", None)
    services = top.get("services")
    if isinstance(services, Mapping):
        if not services:
            check.add(None, "[services] is empty.", "Add at least one [services.<key>] table.")
        for service_key, body in services.items():
            check.service(str(service_key), body, speed or DEFAULT_WALK_SPEED_M_MIN)
    return check.issues


class _Checker:
    """Collects issues for one file; each method checks one part and never raises."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[Issue] = []

    def add(self, feature_id: str | None, message: str, fix: str) -> None:
        self.issues.append(Issue(self.file, message, fix, feature_id=feature_id))

    def table(
        self, value: object, fields: Mapping[str, _Field], where: str, feature_id: str | None
    ) -> dict[str, Any]:
        """Check keys and types of one table; return only its well-typed entries."""
        label = where or "the top level"
        if not isinstance(value, Mapping):
            self.add(feature_id, f"{label} is not a table.", f"Write {label} as a TOML table.")
            return {}
        good: dict[str, Any] = {}
        for name, item in value.items():
            path = f"{where}.{name}" if where else str(name)
            spec = fields.get(str(name))
            if spec is None:
                self.add(
                    feature_id,
                    f"Unknown key {path!r}.",
                    f"Remove it or use one of: {', '.join(fields)}.",
                )
            elif not _is_kind(item, spec.kind):
                self.add(
                    feature_id,
                    f"{path} is {item!r}; it must be {_KIND_NAMES[spec.kind]}.",
                    f"Write {path} as {_KIND_NAMES[spec.kind]}.",
                )
            else:
                good[str(name)] = item
        for name, spec in fields.items():
            if spec.required and name not in value:
                path = f"{where}.{name}" if where else name
                self.add(feature_id, f"Missing required field {path!r}.", f"Add {path} to {label}.")
        return good

    def positive(
        self, table: Mapping[str, Any], name: str, feature_id: str | None, unit: str
    ) -> float | None:
        """Return ``table[name]`` when it is a positive number, else report it and return None."""
        value = table.get(name)
        if value is None:
            return None
        if value <= 0:
            where = f"services.{feature_id}.{name}" if feature_id else name
            self.add(
                feature_id,
                f"{where} is {value}; it must be positive.",
                f"Set {name} to a positive number of {unit}, or remove it if the norm has none.",
            )
            return None
        return float(value)

    def service(self, key: str, body: object, speed_m_min: float) -> None:
        where = f"services.{key}"
        if not _SERVICE_KEY_RE.match(key):
            self.add(
                key,
                f"Service key {key!r} is not snake_case.",
                "Use lower-case letters, digits and underscores, as in the facilities layer.",
            )
        svc = self.table(body, _SERVICE_FIELDS, where, key)
        if "category" in svc and svc["category"] not in CATEGORIES:
            self.add(
                key,
                f"{where}.category is {svc['category']!r}.",
                f"Use one of: {', '.join(CATEGORIES)}.",
            )
        for name in ("radius_m", *RADIUS_ALTERNATIVES, "walk_limit_m"):
            self.positive(svc, name, key, "metres")
        self.positive(svc, "walk_limit_min", key, "minutes")
        if "radius_m" not in svc and "radius_m" not in _as_mapping(body):
            for name in RADIUS_ALTERNATIVES:
                if name in svc:
                    self.add(
                        key,
                        f"{where}.{name} is given without radius_m.",
                        "Add the main radius_m, or remove the alternative.",
                    )
        self.walk_limit(key, svc, speed_m_min)
        groups = [g for g in _present_groups(svc) if g != "demand"]
        if "demand" in svc and self.demand(key, svc["demand"]):
            groups.append("demand")
        self.min_counts(key, svc)
        self.project_sizes(key, svc.get("project_sizes"))
        self.sources(svc.get("sources"), SOURCE_GROUPS, groups, f"{where}.sources", key)

    def walk_limit(self, key: str, svc: Mapping[str, Any], speed_m_min: float) -> None:
        limit_m, limit_min = svc.get("walk_limit_m"), svc.get("walk_limit_min")
        if (limit_m is None) != (limit_min is None):
            self.add(
                key,
                f"services.{key} has only one of walk_limit_m and walk_limit_min.",
                "Give both (metres and minutes) or neither.",
            )
        elif limit_m is not None and limit_min is not None:
            expected_min = limit_m / speed_m_min
            if abs(limit_min - expected_min) > WALK_LIMIT_TOLERANCE_MIN:
                self.add(
                    key,
                    f"services.{key}.walk_limit_min = {limit_min} but walk_limit_m = {limit_m} "
                    f"takes {expected_min:.1f} min at {speed_m_min:g} m/min.",
                    f"Set walk_limit_min to about {round(expected_min)} or correct walk_limit_m.",
                )

    def demand(self, key: str, value: object) -> bool:
        """Check the demand table; return whether it defines a demand rule."""
        where = f"services.{key}.demand"
        demand = self.table(value, _DEMAND_FIELDS, where, key)
        per_1000 = demand.get("per_1000")
        if per_1000 is not None and per_1000 < 0:
            self.add(
                key,
                f"{where}.per_1000 is {per_1000}; it must not be negative.",
                "Set per_1000 to the capacity units needed per 1,000 residents (0 or more).",
            )
        cohort = demand.get("cohort")
        if cohort is not None and cohort not in COHORT_COLUMNS:
            self.add(
                key,
                f"{where}.cohort {cohort!r} is not a cohort column.",
                f"Use one of: {', '.join(COHORT_COLUMNS)}.",
            )
        for name in ("cohort_share", "coverage_share"):
            share = demand.get(name)
            if share is not None and not 0.0 <= share <= 1.0:
                self.add(
                    key,
                    f"{where}.{name} is {share}; it is outside [0, 1].",
                    f"Set {name} to a share between 0 and 1 (85 % is 0.85).",
                )
            if share is not None and "cohort" not in _as_mapping(value):
                self.add(key, f"{where}.{name} has no cohort.", f"Add cohort or remove {name}.")
        if "cohort" in _as_mapping(value) and "per_1000" not in _as_mapping(value):
            self.add(
                key,
                f"{where} has a cohort but no per_1000.",
                "Add per_1000: the fallback used where residential units have no age data.",
            )
        return bool({"per_1000", "cohort"} & set(_as_mapping(value)))

    def min_counts(self, key: str, svc: Mapping[str, Any]) -> None:
        for index, rule in enumerate(svc.get("min_counts", [])):
            where = f"services.{key}.min_counts[{index}]"
            good = self.table(rule, _MIN_COUNT_FIELDS, where, key)
            if good.get("min_population", 0) < 0:
                self.add(key, f"{where}.min_population is negative.", "Use 0 or more residents.")
            if good.get("count", 1) < 1:
                self.add(key, f"{where}.count is below 1.", "Use 1 or more, or drop the rule.")
        start = svc.get("required_from_population")
        if start is not None and start < 1:
            self.add(
                key,
                f"services.{key}.required_from_population is {start}.",
                "Use a positive number of residents, or remove it.",
            )

    def project_sizes(self, key: str, sizes: list[Any] | None) -> None:
        if sizes is None:
            return
        ok = all(_is_kind(s, "int") and s > 0 for s in sizes)
        if not sizes or not ok or any(a >= b for a, b in itertools.pairwise(sizes)):
            self.add(
                key,
                f"services.{key}.project_sizes is {sizes!r}.",
                "List positive integers in strictly ascending order, e.g. [80, 180, 320].",
            )

    def sources(
        self,
        value: object,
        allowed: tuple[str, ...],
        needed: list[str],
        where: str,
        feature_id: str | None,
    ) -> None:
        table = _as_mapping(value)
        for group, body in table.items():
            if group not in allowed:
                self.add(
                    feature_id,
                    f"Unknown source group {where}.{group}.",
                    f"Use one of: {', '.join(allowed)}.",
                )
                continue
            source = self.table(body, _SOURCE_FIELDS, f"{where}.{group}", feature_id)
            grade = source.get("confidence")
            if grade is not None and grade not in CONFIDENCES:
                self.add(
                    feature_id,
                    f"{where}.{group}.confidence is {grade!r}.",
                    "Use A (read in the document), B (secondary sources agree) or C (practice).",
                )
        for group in needed:
            if group not in table:
                self.add(
                    feature_id,
                    f"The {group} values have no source ({where}.{group} is missing).",
                    f"Add [{where}.{group}] with document, clause, url and confidence.",
                )


def build_norm_set(data: Mapping[str, Any], path: Path) -> NormSet:
    """Build a ``NormSet`` from data that ``validate_norm_data`` accepted without issues."""
    services = FrozenMap((key, _build_service(key, body)) for key, body in data["services"].items())
    return NormSet(
        key=data["key"],
        title=data["title"],
        title_ru=data["title_ru"],
        description=data["description"],
        walk_speed_m_min=float(data["walk_speed_m_min"]),
        elderly_walk_speed_m_min=float(
            data.get("elderly_walk_speed_m_min", ELDERLY_WALK_SPEED_M_MIN)
        ),
        services=services,
        source_file=path,
        sources=_build_sources(data["sources"]),
    )


def _build_service(key: str, body: Mapping[str, Any]) -> ServiceNorm:
    demand = body.get("demand", {})
    return ServiceNorm(
        key=key,
        label=body["label"],
        label_ru=body["label_ru"],
        category=cast("Category", body["category"]),
        radius_m=_float_or_none(body.get("radius_m")),
        walk_limit_m=_float_or_none(body.get("walk_limit_m")),
        walk_limit_min=_float_or_none(body.get("walk_limit_min")),
        capacity_unit=body["capacity_unit"],
        capacity_unit_ru=body["capacity_unit_ru"],
        demand=DemandRule(
            per_1000=_float_or_none(demand.get("per_1000")),
            cohort=demand.get("cohort"),
            cohort_share=float(demand.get("cohort_share", 1.0)),
            coverage_share=float(demand.get("coverage_share", 1.0)),
        ),
        min_counts=tuple(
            MinCount(rule["min_population"], rule["count"]) for rule in body.get("min_counts", [])
        ),
        required_from_population=body.get("required_from_population"),
        project_sizes=tuple(body.get("project_sizes", ())),
        sources=_build_sources(body.get("sources", {})),
        radius_low_rise_m=_float_or_none(body.get("radius_low_rise_m")),
        radius_strict_m=_float_or_none(body.get("radius_strict_m")),
        radius_tolerance_m=_float_or_none(body.get("radius_tolerance_m")),
    )


def _build_sources(table: Mapping[str, Mapping[str, Any]]) -> FrozenMap[str, Source]:
    return FrozenMap(
        (
            group,
            Source(
                document=body["document"],
                clause=body["clause"],
                url=body.get("url"),
                confidence=cast("Confidence", body["confidence"]),
                note=body.get("note", ""),
                document_ru=body.get("document_ru", ""),
                clause_ru=body.get("clause_ru", ""),
            ),
        )
        for group, body in table.items()
    )


def _float_or_none(value: float | None) -> float | None:
    return None if value is None else float(value)


def _present_groups(svc: Mapping[str, Any]) -> list[str]:
    """Return the value groups present in a service table (in ``SOURCE_GROUPS`` order)."""
    present = {
        "radius": any(name in svc for name in _RADIUS_FIELDS),
        "demand": "demand" in svc,
        "min_count": bool(svc.get("min_counts")) or "required_from_population" in svc,
        "project_sizes": "project_sizes" in svc,
    }
    return [group for group in SOURCE_GROUPS if present[group]]


def _as_mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _is_kind(value: object, kind: Kind) -> bool:
    # bool is a subclass of int in Python, but `radius_m = true` is a typo, not a radius.
    if kind == "str":
        return isinstance(value, str) and bool(value.strip())
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return math.isfinite(value)  # TOML allows nan and inf; neither is a norm
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "table":
        return isinstance(value, Mapping)
    return isinstance(value, list)
