"""Proposals from a file as survey tools export them: CSV (a table) or GeoJSON (points).

Column (or property) names are matched case-insensitively against ``ALIASES``, in English and
Russian, so the export of a typical survey tool (a map-based survey, a form with a map question)
reads without editing: ``lon``/``longitude``/``lng``/``x``/``долгота``, ``lat``/``latitude``/
``y``/``широта``, ``category``/``категория``, ``text``/``comment``/``description``/
``предложение``/``комментарий``, ``contact``/``email``/``phone``/``контакт``, ``date``/
``submitted``/``created``/``timestamp``/``дата``, ``votes``/``likes``/``голоса``, ``status``,
``id``. A GeoJSON file gives the point from its geometry (lon/lat, RFC 7946). A category may be a
service key, its English or Russian label in the norm set, or ``event``. Missing ids are made from
the content (``proposal_id``), so importing the same file twice adds nothing twice.

Every problem names the file, the row (CSV: as a spreadsheet numbers it, the header is row 1;
GeoJSON: feature n) and the field; a file with any error imports nothing.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import shape

from planner.config import DISPLAY_CRS
from planner.errors import Issue
from planner.participation.proposals import (
    EVENT_CATEGORY,
    Proposal,
    proposal_id,
    proposal_problems,
)

__all__ = ["ALIASES", "category_key", "parse_proposals", "read_proposals", "town_outline"]

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "uid", "response_id", "номер"),
    "lon": ("lon", "longitude", "lng", "long", "x", "долгота"),
    "lat": ("lat", "latitude", "y", "широта"),
    "category": ("category", "type", "service", "категория", "тип"),
    "text": ("text", "comment", "description", "proposal", "message", "предложение",
             "комментарий", "текст", "описание"),
    "contact": ("contact", "email", "e-mail", "phone", "контакт", "контакты", "телефон"),
    "date": ("date", "submitted", "created", "created_at", "timestamp", "дата"),
    "votes": ("votes", "likes", "support", "голоса", "голосов"),
    "status": ("status", "статус"),
}  # fmt: skip
"""Accepted names of each field (lower case)."""


def category_key(value: str, labels: Mapping[str, str]) -> str:
    """Return the category a text names: a key, a label (any case) or ``event``; else the text.

    Parameters
    ----------
    value
        What the file says.
    labels
        Lower-cased label or key → service key (English and Russian labels of the norm set).
    """
    text = value.strip()
    lowered = text.casefold()
    if lowered in {EVENT_CATEGORY, "events", "мероприятие", "мероприятия", "событие"}:
        return EVENT_CATEGORY
    return labels.get(lowered, text)


def read_proposals(
    path: Path,
    *,
    services: Mapping[str, tuple[str, str]],
    town: str = "",
    boundary: shapely.Geometry | None = None,
) -> tuple[list[Proposal], list[Issue]]:
    """Read proposals from a CSV or GeoJSON file.

    Parameters
    ----------
    path
        A ``.csv``, ``.geojson`` or ``.json`` file.
    services
        Service key → (English label, Russian label) of the norm set.
    town
        The town's name, stored with every proposal.
    boundary
        The town's outline in lon/lat (``town_outline``); a point outside it is an error.

    Returns
    -------
    proposals
        The proposals (empty when any issue is an error).
    issues
        Every problem found, naming the file, the row or feature and the field.
    """
    label = path.name
    try:
        data = path.read_bytes()
    except OSError as err:
        return [], [Issue(label, f"cannot be read ({err.strerror}).", "check the path.")]
    return parse_proposals(data, label=label, services=services, town=town, boundary=boundary)


def town_outline(boundary: gpd.GeoDataFrame) -> shapely.Geometry:
    """Return a town's boundary layer as one shape in lon/lat (EPSG:4326)."""
    return shapely.union_all(boundary.to_crs(DISPLAY_CRS).geometry.to_numpy())


def parse_proposals(
    data: bytes,
    *,
    label: str,
    services: Mapping[str, tuple[str, str]],
    town: str = "",
    boundary: shapely.Geometry | None = None,
) -> tuple[list[Proposal], list[Issue]]:
    """Parse the bytes of a proposals file (see ``read_proposals``); the format from ``label``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return [], [Issue(label, f"is not UTF-8 text ({err.reason}).", "export it again as UTF-8.")]
    labels = {k.casefold(): k for k in services}
    for key, (english, russian) in services.items():
        labels.setdefault(english.casefold(), key)
        labels.setdefault(russian.casefold(), key)
    if label.lower().endswith((".geojson", ".json")):
        records, issues = _geojson_records(text, label)
        where = "feature"
    elif label.lower().endswith(".csv"):
        records, issues = _csv_records(text, label)
        where = "row"
    else:
        return [], [Issue(label, "is neither .csv nor .geojson.", "export CSV or GeoJSON.")]
    proposals: list[Proposal] = []
    seen: dict[str, int] = {}
    for number, record in records:
        proposal, problems = _proposal(record, labels, source=label, town=town)
        if proposal is not None:
            problems += proposal_problems(proposal, services)
            point = shapely.Point(proposal.lon, proposal.lat)
            if boundary is not None and not problems and not boundary.covers(point):
                problems.append(
                    ("lon/lat", f"({proposal.lon}, {proposal.lat}) lies outside the town")
                )
        for field, message in problems:
            issues.append(
                Issue(
                    label,
                    f"{where} {number}, field {field!r}: {message}.",
                    _FIXES.get(field, "correct the value."),
                    feature_id=proposal.id if proposal is not None else None,
                )
            )
        if proposal is None or problems:
            continue
        first = seen.setdefault(proposal.id, number)
        if first != number:
            issues.append(
                Issue(
                    label,
                    f"{where} {number}, field 'id': {proposal.id!r} is already the id of "
                    f"{where} {first}.",
                    "give every proposal its own id, or leave the id column out.",
                    feature_id=proposal.id,
                )
            )
            continue
        proposals.append(proposal)
    if any(i.severity == "error" for i in issues):
        return [], issues
    return proposals, issues


_FIXES = {
    "lon": "give the longitude in degrees (EPSG:4326), e.g. 22.2.",
    "lat": "give the latitude in degrees (EPSG:4326), e.g. 54.59.",
    "category": "use a service key or label of the norm set, or 'event'.",
    "status": "use new, accepted, rejected or done.",
    "votes": "give a whole number ≥ 0.",
    "date": "write the date as YYYY-MM-DD (a date-time is fine too).",
    "text": "shorten it.",
    "lon/lat": "check the point (longitude first) and the town the file belongs to.",
}


def _columns(names: list[str]) -> dict[str, str]:
    """Map each field to the first column that names it."""
    found: dict[str, str] = {}
    lowered = {n.strip().casefold(): n for n in names}
    for field, aliases in ALIASES.items():
        for alias in aliases:
            if alias in lowered:
                found[field] = lowered[alias]
                break
    return found


def _csv_records(text: str, label: str) -> tuple[list[tuple[int, dict[str, Any]]], list[Issue]]:
    lines = text.splitlines()
    if not lines:
        return [], [Issue(label, "is empty.", "export the survey answers with a header row.")]
    separator = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=separator)
    columns = _columns(list(reader.fieldnames or []))
    missing = [f for f in ("lon", "lat", "category") if f not in columns]
    if missing:
        return [], [
            Issue(
                label,
                f"has no column for {', '.join(missing)} (columns: "
                f"{', '.join(reader.fieldnames or [])}).",
                "name them lon, lat and category (or longitude, latitude, type; долгота, "
                "широта, категория).",
            )
        ]
    records = []
    try:
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            records.append(
                (reader.line_num, {f: (row.get(c) or "").strip() for f, c in columns.items()})
            )
    except csv.Error as err:
        return [], [Issue(label, f"row {reader.line_num} is not valid CSV ({err}).", "fix it.")]
    return records, []


def _geojson_records(text: str, label: str) -> tuple[list[tuple[int, dict[str, Any]]], list[Issue]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        return [], [Issue(label, f"is not JSON ({err.msg}, line {err.lineno}).", "fix it.")]
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        return [], [Issue(label, "is not a GeoJSON FeatureCollection.", "export GeoJSON.")]
    records: list[tuple[int, dict[str, Any]]] = []
    issues: list[Issue] = []
    for number, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") or {}
        columns = _columns(list(properties))
        record = {f: properties.get(c) for f, c in columns.items()}
        try:
            point = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
            issues.append(
                Issue(
                    label, f"feature {number}, field 'geometry': is not a point.", "draw a point."
                )
            )
            continue
        if point.geom_type != "Point" or point.is_empty:
            issues.append(
                Issue(
                    label,
                    f"feature {number}, field 'geometry': is a {point.geom_type}, not a point.",
                    "export proposals as points.",
                )
            )
            continue
        record["lon"], record["lat"] = point.x, point.y
        records.append((number, record))
    return records, issues


def _proposal(
    record: Mapping[str, Any], labels: Mapping[str, str], *, source: str, town: str
) -> tuple[Proposal | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    lon = _float(record.get("lon"))
    lat = _float(record.get("lat"))
    if lon is None:
        problems.append(("lon", f"{record.get('lon')!r} is not a number"))
    if lat is None:
        problems.append(("lat", f"{record.get('lat')!r} is not a number"))
    votes_text = str(record.get("votes") or "0").strip()
    try:
        votes = int(float(votes_text))
    except ValueError:
        problems.append(("votes", f"{votes_text!r} is not a whole number"))
        votes = 0
    submitted = _date(str(record.get("date") or ""))
    if submitted is None:
        problems.append(("date", f"{record.get('date')!r} is not a date"))
    if problems or lon is None or lat is None or submitted is None:
        return None, problems
    category = category_key(str(record.get("category") or ""), labels)
    text = str(record.get("text") or "").strip()
    ident = str(record.get("id") or "").strip() or proposal_id(lon, lat, category, text, submitted)
    return (
        Proposal(
            id=ident,
            lon=lon,
            lat=lat,
            category=category,
            text=text,
            submitted=submitted,
            contact=str(record.get("contact") or "").strip(),
            votes=votes,
            status=str(record.get("status") or "new").strip().lower() or "new",
            source=source,
            town=town,
        ),
        [],
    )


def _float(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value or "").strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def _date(text: str) -> str | None:
    """Return YYYY-MM-DD of a date or date-time text; today when empty; ``None`` when invalid."""
    text = text.strip()
    if not text:
        return date.today().isoformat()
    for parse in (date.fromisoformat, lambda t: datetime.fromisoformat(t).date()):
        try:
            return parse(text).isoformat()
        except ValueError:
            continue
    for pattern in ("%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None
