"""Turn an Overpass API JSON export into an OSM file that libosmium reads.

Overpass ``out geom`` gives ways their coordinates inline and relation members their own
geometry, often without the member ways as separate elements. Writing them out as ordinary
nodes, ways and relations lets one reader (``planner.osm.read``) and one area assembler serve
every input format. Member coordinates without a node id get a synthetic id per distinct
coordinate, so consecutive member ways of a ring still join at their shared end points.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import osmium

from planner.errors import PlannerError

_COORD_DECIMALS = 7


class OverpassFormatError(PlannerError, ValueError):
    """A JSON file is not an Overpass API export."""


def overpass_json_to_osm(data: object, target: Path, *, name: str) -> str:
    """Write the elements of an Overpass JSON export as an OSM file.

    Parameters
    ----------
    data
        The parsed JSON (a dict with ``elements``).
    target
        The OSM file to write (format by suffix, e.g. ``.osm.pbf``).
    name
        The export's file name, for error messages.

    Returns
    -------
    str
        The export's ``osm3s.timestamp_osm_base`` (ISO 8601), or ``""``.

    Raises
    ------
    OverpassFormatError
        If ``data`` has no ``elements`` list.
    """
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        msg = (
            f"{name} is JSON but not an Overpass export (no 'elements' list); export with "
            "[out:json] and 'out geom', or give a .osm.pbf file."
        )
        raise OverpassFormatError(msg)
    elements = [e for e in data["elements"] if isinstance(e, dict)]
    nodes: dict[int, tuple[float, float, dict[str, str]]] = {}
    by_coord: dict[tuple[float, float], int] = {}
    for element in elements:
        if element.get("type") == "node" and "lat" in element and "lon" in element:
            lon, lat = float(element["lon"]), float(element["lat"])
            nodes[int(element["id"])] = (lon, lat, _tags(element))
            by_coord.setdefault(_key(lon, lat), int(element["id"]))
    # Synthetic ids start above every id the export mentions, so none collides with a real node.
    mentioned = [int(e.get("id", 0)) for e in elements]
    mentioned += [int(r) for e in elements for r in e.get("nodes", [])]
    next_id = max([0, *mentioned]) + 1

    def node_for(point: dict[str, Any], ref: int | None) -> int:
        nonlocal next_id
        lon, lat = float(point["lon"]), float(point["lat"])
        if ref is not None:
            nodes.setdefault(ref, (lon, lat, {}))
            by_coord.setdefault(_key(lon, lat), ref)
            return ref
        key = _key(lon, lat)
        if key not in by_coord:
            by_coord[key] = next_id
            nodes[next_id] = (lon, lat, {})
            next_id += 1
        return by_coord[key]

    ways: dict[int, tuple[list[int], dict[str, str]]] = {}
    for element in elements:
        if element.get("type") == "way":
            ways[int(element["id"])] = (_way_nodes(element, node_for), _tags(element))
    relations: dict[int, tuple[list[tuple[str, int, str]], dict[str, str]]] = {}
    for element in elements:
        if element.get("type") != "relation":
            continue
        members = []
        for member in element.get("members", []):
            kind, ref = str(member.get("type", "")), int(member.get("ref", 0))
            if kind == "way" and ref not in ways and member.get("geometry"):
                ways[ref] = (_way_nodes(member, node_for), {})
            if kind in {"node", "way", "relation"}:
                members.append((kind[0], ref, str(member.get("role", ""))))
        relations[int(element["id"])] = (members, _tags(element))
    target.parent.mkdir(parents=True, exist_ok=True)
    with osmium.SimpleWriter(str(target), overwrite=True) as writer:
        for node_id in sorted(nodes):
            lon, lat, tags = nodes[node_id]
            writer.add_node(osmium.osm.mutable.Node(id=node_id, location=(lon, lat), tags=tags))
        for way_id in sorted(ways):
            refs, tags = ways[way_id]
            writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs, tags=tags))
        for rel_id in sorted(relations):
            members, tags = relations[rel_id]
            writer.add_relation(osmium.osm.mutable.Relation(id=rel_id, members=members, tags=tags))
    osm3s = data.get("osm3s")
    return str(osm3s.get("timestamp_osm_base", "")) if isinstance(osm3s, dict) else ""


def _way_nodes(
    element: dict[str, Any], node_for: Callable[[dict[str, Any], int | None], int]
) -> list[int]:
    """Return a way's node ids, creating nodes from inline ``geometry`` where given."""
    refs = [int(r) for r in element.get("nodes", [])]
    geometry = element.get("geometry") or []
    if not geometry:
        return refs
    if len(refs) != len(geometry):
        refs = []
    out = []
    for i, point in enumerate(geometry):
        if point is None:  # a node outside the query's bounding box
            continue
        out.append(node_for(point, refs[i] if refs else None))
    return out


def _tags(element: dict[str, Any]) -> dict[str, str]:
    tags = element.get("tags") or {}
    return {str(k): str(v) for k, v in tags.items()}


def _key(lon: float, lat: float) -> tuple[float, float]:
    return round(lon, _COORD_DECIMALS), round(lat, _COORD_DECIMALS)
