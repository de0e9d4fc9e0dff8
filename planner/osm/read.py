"""Streaming read of an OpenStreetMap extract into walkable lines, areas and points.

Reader: **pyosmium** (PyPI ``osmium``, libosmium 2.23), chosen over the alternatives because

- *speed*: libosmium decodes PBF in C++ and the tag filter (``osmium.filter.KeyFilter``) drops
  every object without an interesting key before Python sees it, so a regional extract streams in
  seconds; node locations are cached in C++ (``flex_mem``), not in Python dicts;
- *memory*: one streaming pass plus the area assembler's relation pass; only the kept objects of
  the bounding box are held in Python (benchmarks/bench_osm_import.py measures both);
- *correctness*: libosmium's area assembler builds multipolygon buildings and grounds from
  relations exactly as the OSM renderers do, tells ways from relations by id, and keeps the node
  ids that say where ways really join (a footbridge over a road shares no node with it);
- *formats*: one reader for ``.osm.pbf``, ``.osm`` and ``.osm.bz2``/``.gz``; an Overpass JSON
  export is turned into an OSM file first (``planner.osm.overpass``) and read the same way.

GDAL's OSM driver (through pyogrio, already installed) reads PBF too, but it flattens tags into a
fixed column set (``other_tags`` as one hstore string), drops node ids (so shared junctions must be
guessed from coordinates), and cannot read Overpass JSON; pyrosm is fast but reads only PBF.
osmnx's XML reader builds whole graphs in Python dicts and is the slowest of all.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import osmium
import shapely

from planner.errors import PlannerError
from planner.osm.tags import READ_KEYS, Tags

Progress = Callable[[float, str], None]
BBox = tuple[float, float, float, float]
"""West, south, east, north in degrees (EPSG:4326)."""

FAR_DEG = 0.5
"""A way or area whose first node lies farther than this (about 30-55 km) outside the box is
skipped before its tags are even read: no walkable way or building is that long, and this cheap
test is what keeps a regional extract fast when the town is a small part of it."""

PROGRESS_EVERY = 50_000
"""Report progress after this many kept objects."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class OsmReadError(PlannerError, ValueError):
    """An OSM extract cannot be read (missing, truncated, or not an OSM file)."""


@dataclass(frozen=True, slots=True)
class OsmLine:
    """A way kept as a line, with its node ids (where ways share a node, they join).

    Attributes
    ----------
    osm_id
        The way id.
    tags
        Its tags.
    node_ids, coords
        The ids and (lon, lat) of the nodes whose location the extract holds, in order.
    """

    osm_id: int
    tags: dict[str, str]
    node_ids: tuple[int, ...]
    coords: tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class OsmFeature:
    """An area (closed way or multipolygon relation) or a node, with a lon/lat geometry.

    Attributes
    ----------
    ref
        ``"node/1"``, ``"way/2"`` or ``"relation/3"``.
    tags
        Its tags.
    geometry
        A shapely Point or (Multi)Polygon in EPSG:4326.
    """

    ref: str
    tags: dict[str, str]
    geometry: shapely.Geometry


@dataclass(slots=True)
class OsmExtract:
    """What was kept from an extract inside the bounding box.

    Attributes
    ----------
    path
        The file read.
    lines, areas, points
        Kept ways, areas and nodes.
    timestamp
        When the data were extracted (ISO 8601, UTC), from the file header, or else the newest
        object kept.
    timestamp_basis
        ``"header"`` or ``"newest object"``.
    incomplete
        Relations that should have been areas but could not be built (a member missing from
        the extract, or broken rings), as ``"relation/…"``.
    objects_seen
        Objects with an interesting key, inside or outside the box.
    """

    path: Path
    lines: list[OsmLine] = field(default_factory=list)
    areas: list[OsmFeature] = field(default_factory=list)
    points: list[OsmFeature] = field(default_factory=list)
    timestamp: str = ""
    timestamp_basis: str = "newest object"
    incomplete: list[str] = field(default_factory=list)
    objects_seen: int = 0


def read_osm(
    path: Path,
    *,
    bbox: BBox,
    keep_line: Callable[[Tags], bool],
    keep_area: Callable[[Tags], bool],
    keep_point: Callable[[Tags], bool],
    progress: Progress | None = None,
) -> OsmExtract:
    """Stream an extract and keep what the predicates want inside ``bbox``.

    Parameters
    ----------
    path
        ``.osm.pbf``, ``.osm``, ``.osm.bz2``/``.osm.gz`` or Overpass JSON (``.json``).
    bbox
        West, south, east, north in degrees; objects wholly outside are dropped while reading.
    keep_line, keep_area, keep_point
        Which ways (as lines), areas and tagged nodes to keep, by their tags.
    progress
        Called with a fraction in [0, 1] (of the reading step) and a message.

    Returns
    -------
    OsmExtract
        The kept objects, the extract's timestamp and the relations that could not be built.

    Raises
    ------
    OsmReadError
        If the file is missing, truncated, corrupt or not OSM data.
    """
    if not path.is_file():
        msg = f"OSM extract {path} does not exist; give the path of a .osm.pbf, .osm or .json file."
        raise OsmReadError(msg)
    with _as_osm_file(path) as (osm_path, overpass_timestamp):
        extract = _read(path, osm_path, bbox, keep_line, keep_area, keep_point, progress)
    if overpass_timestamp:
        extract.timestamp, extract.timestamp_basis = overpass_timestamp, "header"
    return extract


@contextlib.contextmanager
def _as_osm_file(path: Path) -> Iterator[tuple[Path, str]]:
    """Yield a file libosmium reads: the extract itself, or an Overpass JSON converted to PBF."""
    if not _is_json(path):
        yield path, ""
        return
    from planner.osm.overpass import overpass_json_to_osm

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        msg = (
            f"cannot read {path.name} as Overpass JSON ({err}); the file is truncated or not "
            "JSON. Download it again with [out:json] and out geom."
        )
        raise OsmReadError(msg) from err
    with tempfile.TemporaryDirectory(prefix="planner-osm-") as tmp:
        target = Path(tmp) / "overpass.osm.pbf"
        timestamp = overpass_json_to_osm(data, target, name=path.name)
        yield target, timestamp


def _is_json(path: Path) -> bool:
    if path.suffix.lower() in {".json", ".geojson"}:
        return True
    if path.name.lower().endswith((".pbf", ".osm", ".bz2", ".gz", ".o5m", ".opl")):
        return False
    with path.open("rb") as file:
        return file.read(64).lstrip().startswith(b"{")


def _read(
    original: Path,
    osm_path: Path,
    bbox: BBox,
    keep_line: Callable[[Tags], bool],
    keep_area: Callable[[Tags], bool],
    keep_point: Callable[[Tags], bool],
    progress: Progress | None,
) -> OsmExtract:
    report = progress or (lambda _f, _m: None)
    extract = OsmExtract(path=original)
    wkb = osmium.geom.WKBFactory()
    expected_areas: set[int] = set()
    built_areas: set[int] = set()
    newest = _EPOCH
    west, south, east, north = bbox
    near = (west - FAR_DEG, south - FAR_DEG, east + FAR_DEG, north + FAR_DEG)
    try:
        processor = (
            osmium.FileProcessor(str(osm_path))
            .with_locations()
            .with_areas(osmium.filter.KeyFilter(*READ_KEYS))
            .with_filter(osmium.filter.KeyFilter(*READ_KEYS))
        )
        header = processor.header
        stamp = header.get("osmosis_replication_timestamp") or header.get("timestamp")
        if stamp:
            extract.timestamp, extract.timestamp_basis = stamp, "header"
        report(0.0, f"reading {original.name}")
        for obj in processor:
            extract.objects_seen += 1
            if extract.objects_seen % PROGRESS_EVERY == 0:
                report(0.5, f"read {extract.objects_seen:,} tagged objects")
            if isinstance(obj, osmium.osm.Changeset) or not _may_touch(obj, near):
                continue
            tags = {tag.k: tag.v for tag in obj.tags}
            kept = False
            if isinstance(obj, osmium.osm.Node):
                location = obj.location
                if (
                    location.valid()
                    and west <= location.lon <= east
                    and south <= location.lat <= north
                    and keep_point(tags)
                ):
                    point = shapely.Point(location.lon, location.lat)
                    extract.points.append(OsmFeature(f"node/{obj.id}", tags, point))
                    kept = True
            elif isinstance(obj, osmium.osm.Way):
                if keep_line(tags):
                    line = _line(obj, tags, bbox)
                    if line is not None:
                        extract.lines.append(line)
                        kept = True
            elif isinstance(obj, osmium.osm.Relation):
                if tags.get("type") == "multipolygon" and keep_area(tags):
                    expected_areas.add(obj.id)
            elif keep_area(tags):
                if not obj.from_way():
                    built_areas.add(obj.orig_id())
                feature = _area(obj, tags, bbox, wkb)
                if feature is not None:
                    extract.areas.append(feature)
                    kept = True
            if kept and obj.timestamp > newest:
                newest = obj.timestamp
    except RuntimeError as err:
        msg = (
            f"cannot read OSM extract {original.name} ({err}); the file is truncated, corrupt or "
            "not OpenStreetMap data. Download it again (e.g. Geofabrik .osm.pbf) or re-export it."
        )
        raise OsmReadError(msg) from err
    extract.incomplete = [f"relation/{i}" for i in sorted(expected_areas - built_areas)]
    if not extract.timestamp and newest > _EPOCH:
        extract.timestamp = newest.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    report(1.0, f"read {extract.objects_seen:,} tagged objects")
    return extract


def _may_touch(
    obj: osmium.osm.Node | osmium.osm.Way | osmium.osm.Relation | osmium.osm.Area, near: BBox
) -> bool:
    """Cheap pre-test on the first node: ``False`` only when the object is surely far away."""
    if isinstance(obj, osmium.osm.Relation):
        return True
    if isinstance(obj, osmium.osm.Node):
        location = obj.location
    elif isinstance(obj, osmium.osm.Way):
        if len(obj.nodes) == 0:
            return False
        location = obj.nodes[0].location
    else:
        rings = obj.outer_rings()
        ring = next(iter(rings), None)
        if ring is None or len(ring) == 0:
            return False
        location = ring[0].location
    if not location.valid():
        return True
    return near[0] <= location.lon <= near[2] and near[1] <= location.lat <= near[3]


def _line(way: osmium.osm.Way, tags: dict[str, str], bbox: BBox) -> OsmLine | None:
    """Return the way as a line when it touches ``bbox``, skipping nodes the file lacks."""
    node_ids: list[int] = []
    coords: list[tuple[float, float]] = []
    for node in way.nodes:
        if node.location.valid():
            node_ids.append(node.ref)
            coords.append((node.location.lon, node.location.lat))
    if len(coords) < 2 or not _touches(coords, bbox):
        return None
    return OsmLine(way.id, tags, tuple(node_ids), tuple(coords))


def _area(
    area: osmium.osm.Area, tags: dict[str, str], bbox: BBox, wkb: osmium.geom.WKBFactory
) -> OsmFeature | None:
    """Return the area as a feature when its outer rings touch ``bbox``."""
    coords = [
        (node.location.lon, node.location.lat)
        for ring in area.outer_rings()
        for node in ring
        if node.location.valid()
    ]
    if not coords or not _touches(coords, bbox):
        return None
    try:
        geometry = shapely.from_wkb(wkb.create_multipolygon(area))
    except (RuntimeError, shapely.errors.GEOSException):
        return None
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    kind = "way" if area.from_way() else "relation"
    return OsmFeature(f"{kind}/{area.orig_id()}", tags, geometry)


def _touches(coords: list[tuple[float, float]], bbox: BBox) -> bool:
    """Return whether the envelope of ``coords`` meets ``bbox``."""
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    west, south, east, north = bbox
    return min(xs) <= east and max(xs) >= west and min(ys) <= north and max(ys) >= south
