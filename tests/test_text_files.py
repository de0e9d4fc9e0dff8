"""Text input files before parsing: encodings, empty files, structure, NaN coordinates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.text_files import decode_utf8, geojson_text_issues, non_numeric_coordinates

COLLECTION = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"id": "a"}, "geometry": None},
        {"type": "Feature", "properties": {"id": "b"}, "geometry": {"type": "Point"}},
    ],
}


def test_utf8_with_or_without_bom_decodes() -> None:
    assert decode_utf8("Гусев".encode(), "f") == ("Гусев", None)
    assert decode_utf8(b"\xef\xbb\xbf" + "Гусев".encode(), "f") == ("Гусев", None)


@pytest.mark.parametrize(
    ("raw", "phrase"),
    [
        ("Гусев".encode("utf-16"), "is saved as UTF-16"),
        ("{}".encode("utf-16-le"), "is saved as UTF-16"),  # no BOM: the NUL bytes give it away
        ("Гусев".encode("cp1251"), "byte 0xc3 at position 0"),
    ],
)
def test_other_encodings_are_named(raw: bytes, phrase: str) -> None:
    text, issue = decode_utf8(raw, "town.toml")
    assert text is None
    assert issue is not None
    assert phrase in issue.message
    assert "iconv" in issue.fix


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"", "is empty (0 bytes)"),
        (b"  \n\t ", "holds only blank space"),
        (b'{"type": "Feature", "properties": {}, "geometry": null}', "holds a single Feature"),
        (b'{"type": "Polygon", "coordinates": []}', "holds a bare Polygon geometry"),
        (b"[1, 2]", "its top level is 'list'"),
        (b'{"type": "Feature", "properties": {', "is not valid JSON"),
    ],
)
def test_geojson_structure_faults(tmp_path: Path, content: bytes, phrase: str) -> None:
    path = tmp_path / "x.geojson"
    path.write_bytes(content)
    (issue,) = geojson_text_issues(path, "x.geojson")
    assert phrase in issue.message


def test_a_feature_collection_passes(tmp_path: Path) -> None:
    path = tmp_path / "x.geojson"
    path.write_text(json.dumps(COLLECTION), encoding="utf-8")
    assert geojson_text_issues(path, "x.geojson") == []
    assert non_numeric_coordinates(path) == {}


def test_non_numbers_are_found_per_feature(tmp_path: Path) -> None:
    data = json.loads(json.dumps(COLLECTION))
    data["features"][1]["geometry"] = {"type": "Point", "coordinates": [22.2, float("nan")]}
    data["features"].append(
        {
            "type": "Feature",
            "properties": {"id": "c"},
            "geometry": {"type": "LineString", "coordinates": [[0, 0], [float("inf"), 1]]},
        }
    )
    path = tmp_path / "x.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")  # writes NaN and Infinity
    assert non_numeric_coordinates(path) == {1: "NaN", 2: "Infinity"}
