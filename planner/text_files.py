"""Input text files looked at before they are parsed: layers (GeoJSON) and TOML files.

GDAL's own messages for a file it cannot use are written for GDAL users ("not recognized as being
in a supported file format ... prefix the file path with '<DRIVER>:'"), and some faults it does
not see at all: a single Feature is read as a one-feature layer, NaN coordinates become an empty
point. These checks name the fault and the fix: an empty file, UTF-16 or another non-UTF-8
encoding, text that is not JSON, JSON that is not a FeatureCollection, and coordinates that are
not numbers.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from planner.errors import Issue

_FEATURE_COLLECTION = re.compile(rb'"type"\s*:\s*"FeatureCollection"')
_NOT_A_NUMBER = re.compile(rb"\b(?:NaN|-?Infinity)\b")
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_SNIFF_BYTES = 4096
_GEOMETRY_TYPES = frozenset(
    {
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    }
)
_UTF8_FIX = (
    "save it as UTF-8 (in QGIS or a text editor choose the encoding UTF-8; or convert it with "
    "iconv -f {source} -t UTF-8)."
)


def decode_utf8(raw: bytes, file: str) -> tuple[str | None, Issue | None]:
    """Decode a UTF-8 text file (a byte-order mark is allowed and dropped).

    Returns
    -------
    text, issue
        The text, or ``None`` and an error saying which encoding it seems to be in and how to
        convert it.
    """
    if raw[:_SNIFF_BYTES].startswith(_UTF16_32_BOMS) or b"\x00" in raw[:_SNIFF_BYTES]:
        return None, Issue(
            file,
            "is saved as UTF-16 (or UTF-32); it must be UTF-8.",
            _UTF8_FIX.format(source="UTF-16"),
        )
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as err:
        return None, Issue(
            file,
            f"is not UTF-8 text (byte 0x{raw[err.start]:02x} at position {err.start:,} cannot "
            "be read); it must be UTF-8.",
            _UTF8_FIX.format(source="CP1251") + " CP1251 is the usual Windows Cyrillic.",
        )


def geojson_text_issues(path: Path, file: str) -> list[Issue]:
    """Return what makes a GeoJSON file unreadable as a layer, before GDAL tries.

    Parameters
    ----------
    path
        The ``.geojson`` file.
    file
        Its name in messages.

    Returns
    -------
    list of Issue
        At most one error; empty when the file is a UTF-8 FeatureCollection (or cannot be
        read at all, which the caller reports).
    """
    try:
        raw = path.read_bytes()
    except OSError:
        return []
    if not raw.strip():
        what = "is empty (0 bytes)" if not raw else "holds only blank space"
        return [Issue(file, f"{what}.", "write the layer into it, or remove the file.")]
    text, problem = decode_utf8(raw, file)
    if text is None:
        return [] if problem is None else [problem]
    if _FEATURE_COLLECTION.search(raw):
        return []
    try:
        data = json.loads(text)
    except ValueError as err:
        return [Issue(file, f"is not valid JSON ({err}).", "correct the syntax at that place.")]
    kind = data.get("type") if isinstance(data, dict) else type(data).__name__
    if kind == "Feature":
        message = "holds a single Feature, not a FeatureCollection."
    elif kind in _GEOMETRY_TYPES:
        message = f"holds a bare {kind} geometry, not a FeatureCollection of features."
    else:
        message = f"is JSON but not GeoJSON (its top level is {str(kind)[:40]!r})."
    return [
        Issue(
            file,
            message,
            'wrap the features: {"type": "FeatureCollection", "features": [ ... ]}, each '
            'feature {"type": "Feature", "properties": {...}, "geometry": {...}}.',
        )
    ]


def non_numeric_coordinates(path: Path) -> dict[int, str]:
    """Return, per feature position, which non-number a GeoJSON feature's coordinates hold.

    Python's ``json`` writes NaN and infinities as the bare words ``NaN`` and ``Infinity``,
    which are not JSON; GDAL turns a NaN point into an empty one. Only files holding such a word
    are parsed.

    Returns
    -------
    dict
        Feature position (0-based, file order) to ``"NaN"`` or ``"Infinity"``.
    """
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    if not _NOT_A_NUMBER.search(raw):
        return {}
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except ValueError:
        return {}
    features = data.get("features", []) if isinstance(data, dict) else []
    found: dict[int, str] = {}
    for position, feature in enumerate(features):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if isinstance(geometry, dict):
            bad = _first_non_number(geometry.get("coordinates"))
            if bad is not None:
                found[position] = bad
    return found


def _first_non_number(value: object) -> str | None:
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return "Infinity" if math.isinf(value) else None
    if isinstance(value, list):
        for item in value:
            bad = _first_non_number(item)
            if bad is not None:
                return bad
    return None
