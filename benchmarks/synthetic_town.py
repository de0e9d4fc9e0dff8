"""A synthetic town N times Gusev's size, for benchmarks: tiled copies of the bundled model.

Copies of ``geodata/gusev`` are laid out on a grid (``ceil(sqrt(N))`` columns, filled row by
row) with a small gap between them, and every copy is joined to its right and lower neighbours
by a few straight connecting streets, so the walking network is one component. Every id gets a
copy prefix (``x07-res-0001``), district references follow, the boundaries are merged into one
feature and the official population is N times Gusev's. The result is deterministic: the same N
gives the same town, feature for feature.

Usage as a script (writes a town folder that ``planner analyze`` and ``load_town`` read)::

    .venv/bin/python -m benchmarks.synthetic_town 20 --out /tmp/gusev-x20
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from planner.io import load_town
from planner.layers import LAYER_SPECS
from planner.model import Town, TownMeta
from planner.paths import default_town_dir

GAP_M = 250.0
"""Empty strip between neighbouring copies (metres); connecting streets cross it."""

LINKS_PER_SIDE = 3
"""Connecting streets between two neighbouring copies (one per band of the shared side)."""

_EXTENT_LAYERS = ("boundary", "residential", "facilities", "streets", "districts")
"""Layers whose extent sets the grid stride (water and rail are clipped strips that may reach a
little into the gap or a neighbour: harmless, neither enters the analysis)."""

_ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "residential": ("id", "district"),
    "districts": ("id",),
    "facilities": ("id",),
    "streets": ("id",),
    "water": ("id",),
    "rail": ("id",),
}
"""Columns that hold ids (or references to ids) and get the copy prefix."""


def grid_shape(n_copies: int) -> tuple[int, int]:
    """Return (rows, columns) of the copy grid: ``ceil(sqrt(n))`` columns, filled row by row."""
    if n_copies < 1:
        msg = f"The number of copies must be at least 1, got {n_copies}."
        raise ValueError(msg)
    cols = math.ceil(math.sqrt(n_copies))
    return math.ceil(n_copies / cols), cols


def build_synthetic_town(n_copies: int, base: Town | None = None) -> Town:
    """Return a town made of ``n_copies`` tiled, connected copies of ``base``.

    Parameters
    ----------
    n_copies
        How many copies (1 gives a town equal to ``base`` with prefixed ids).
    base
        The town to copy; default the bundled Gusev model (``planner.io.load_town``).

    Returns
    -------
    Town
        Layers in ``base.meta.crs``; population ``n_copies`` times the base; streets include
        ``(rows * (cols - 1) + (rows - 1) * cols) * LINKS_PER_SIDE`` connecting streets at most
        (fewer in a partly filled last row).
    """
    base = load_town(default_town_dir()) if base is None else base
    _, cols = grid_shape(n_copies)
    xmin, ymin, xmax, ymax = _extent(base)
    stride = np.array([xmax - xmin + GAP_M, ymax - ymin + GAP_M])
    # Copy k sits in row k // cols (rows go south), column k % cols.
    offsets = [
        np.array([(k % cols) * stride[0], -(k // cols) * stride[1]]) for k in range(n_copies)
    ]
    layers = {
        name: _tile(base.layer(name), offsets, name)
        for name in ("residential", "facilities", "water", "rail", "districts")
    }
    streets = _tile(base.streets, offsets, "streets")
    links = _links(base.streets, offsets, cols)
    layers["streets"] = gpd.GeoDataFrame(
        pd.concat([streets, links], ignore_index=True), crs=base.streets.crs
    )
    layers["boundary"] = _boundary(base, offsets)
    meta = _meta(base.meta, n_copies)
    return Town(
        folder=base.folder.parent / f"{base.folder.name}-x{n_copies}-synthetic",
        meta=meta,
        warnings=(),
        **{name: frame.reset_index(drop=True) for name, frame in layers.items()},
    )


def write_town(town: Town, folder: Path) -> Path:
    """Write ``town`` as a town folder (``town.toml`` + EPSG:4326 GeoJSON layers).

    Returns
    -------
    Path
        ``folder``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name in LAYER_SPECS:
        frame = town.layer(name)
        if len(frame):
            frame.to_crs("EPSG:4326").to_file(folder / f"{name}.geojson", driver="GeoJSON")
    meta = {
        "name": town.meta.name,
        "name_ru": town.meta.name_ru,
        "population": town.meta.population,
        "population_year": town.meta.population_year,
        "population_source": town.meta.population_source,
        "crs": town.meta.crs,
        "size_class": town.meta.size_class,
        "attribution": town.meta.attribution,
        "default_norms": town.meta.default_norms,
    }
    lines = ["# Synthetic benchmark town written by benchmarks/synthetic_town.py.", ""]
    lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    (folder / "town.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def size_class(population: int) -> str:
    """Return the SP 42.13330.2016 settlement size class of a population."""
    for limit, name in ((50_000, "small"), (100_000, "medium"), (250_000, "big")):
        if population <= limit:
            return name
    return "large" if population <= 1_000_000 else "largest"


def _extent(town: Town) -> tuple[float, float, float, float]:
    bounds = np.array([town.layer(name).total_bounds for name in _EXTENT_LAYERS])
    return (
        float(bounds[:, 0].min()),
        float(bounds[:, 1].min()),
        float(bounds[:, 2].max()),
        float(bounds[:, 3].max()),
    )


def _shift(geoms: npt.NDArray[np.object_], offset: npt.NDArray[np.float64]) -> np.ndarray:
    # The same float addition is used for the connecting streets' ends, so they land exactly
    # on the copied street vertices and the graph joins them there.
    return np.asarray(shapely.transform(geoms, lambda xy: xy + offset), dtype=object)


def _tile(
    frame: gpd.GeoDataFrame, offsets: list[npt.NDArray[np.float64]], name: str
) -> gpd.GeoDataFrame:
    geoms = frame.geometry.to_numpy()
    copies = []
    for k, offset in enumerate(offsets):
        part = pd.DataFrame(frame.drop(columns=frame.geometry.name)).copy()
        for column in _ID_COLUMNS.get(name, ()):
            if column in part.columns:
                part[column] = f"x{k:02d}-" + part[column].astype(str)
        part["geometry"] = _shift(geoms, offset)
        copies.append(part)
    if not copies:
        return frame.iloc[:0].copy()
    return gpd.GeoDataFrame(pd.concat(copies, ignore_index=True), crs=frame.crs)


def _street_vertices(streets: gpd.GeoDataFrame) -> npt.NDArray[np.float64]:
    coords = shapely.get_coordinates(streets.geometry.to_numpy())
    return np.asarray(np.unique(coords, axis=0), dtype=np.float64)


def _ports(
    xy: npt.NDArray[np.float64], axis: int, *, take_max: bool
) -> list[npt.NDArray[np.float64]]:
    """Return the outermost street vertex along ``axis`` in each of LINKS_PER_SIDE bands.

    The bands split the other axis's range evenly, so a side's links are spread along it.
    """
    other = 1 - axis
    lo, hi = float(xy[:, other].min()), float(xy[:, other].max())
    edges = np.linspace(lo, hi, LINKS_PER_SIDE + 1)
    band = np.clip(np.searchsorted(edges, xy[:, other], side="right") - 1, 0, LINKS_PER_SIDE - 1)
    ports = []
    for b in range(LINKS_PER_SIDE):
        cand = np.flatnonzero(band == b)
        if not len(cand):
            continue
        values = xy[cand, axis]
        pick = cand[int(np.argmax(values) if take_max else np.argmin(values))]
        ports.append(xy[pick])
    return ports


def _links(
    streets: gpd.GeoDataFrame, offsets: list[npt.NDArray[np.float64]], cols: int
) -> gpd.GeoDataFrame:
    """Return the connecting streets between each copy and its east and south neighbours."""
    xy = _street_vertices(streets)
    east = _ports(xy, 0, take_max=True)
    west = _ports(xy, 0, take_max=False)
    south = _ports(xy, 1, take_max=False)
    north = _ports(xy, 1, take_max=True)
    records: list[dict[str, object]] = []
    n = len(offsets)
    for k in range(n):
        right = k + 1 if (k + 1) % cols and k + 1 < n else None
        below = k + cols if k + cols < n else None
        pairs = [(right, east, west, "e"), (below, south, north, "s")]
        for other, out_ports, in_ports, side in pairs:
            if other is None:
                continue
            for b, (p, q) in enumerate(zip(out_ports, in_ports, strict=False)):
                start = p + offsets[k]
                end = q + offsets[other]
                records.append(
                    {
                        "id": f"link-x{k:02d}-{side}{b}",
                        "kind": "secondary",
                        "name": f"Synthetic link {k}-{other}",
                        "provenance": "illustrative",
                        "geometry": shapely.linestrings(np.array([start, end])),
                    }
                )
    return gpd.GeoDataFrame(
        pd.DataFrame.from_records(
            records, columns=["id", "kind", "name", "provenance", "geometry"]
        ),
        geometry="geometry",
        crs=streets.crs,
    )


def _boundary(base: Town, offsets: list[npt.NDArray[np.float64]]) -> gpd.GeoDataFrame:
    shapes = [_shift(base.boundary.geometry.to_numpy(), offset) for offset in offsets]
    merged = shapely.union_all(np.concatenate(shapes))
    row = base.boundary.iloc[:1].drop(columns=base.boundary.geometry.name).copy()
    row["id"] = "boundary-synthetic"
    row["name"] = f"{base.meta.name} x{len(offsets)} (synthetic)"
    row["provenance"] = "illustrative"
    row["source"] = "benchmarks/synthetic_town.py: union of tiled copies"
    row["geometry"] = [merged]
    return gpd.GeoDataFrame(row.reset_index(drop=True), geometry="geometry", crs=base.boundary.crs)


def _meta(meta: TownMeta, n_copies: int) -> TownMeta:
    population = meta.population * n_copies
    return replace(
        meta,
        name=f"{meta.name} x{n_copies} (synthetic)",
        name_ru=f"{meta.name_ru} x{n_copies} (синтетический)",
        population=population,
        population_source=(
            f"synthetic: {n_copies} tiled copies of {meta.name} ({meta.population} each)"
        ),
        size_class=size_class(population),
    )


def main(argv: list[str] | None = None) -> int:
    """Build a synthetic town and write it as a town folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("copies", type=int, help="N: how many copies of Gusev (e.g. 20)")
    parser.add_argument("--out", type=Path, required=True, help="town folder to write")
    args = parser.parse_args(argv)
    town = build_synthetic_town(args.copies)
    write_town(town, args.out)
    print(
        f"{town.meta.name}: {len(town.residential)} residential units, "
        f"{town.meta.population:,} residents, {len(town.streets)} streets -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
