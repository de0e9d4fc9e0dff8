"""The walking network: an undirected graph of street vertices with edge lengths in metres.

Nodes are the distinct vertices of the street lines (rounded to a centimetre grid, so lines that
share a coordinate share a node); edges join consecutive vertices of a line. Building it from
vertices rather than from line endpoints means an imported OpenStreetMap way that passes through
a junction node is joined there even when the way is not split.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely
from scipy import sparse
from scipy.sparse import csgraph

from planner.crs import require_projected
from planner.errors import NetworkError

NODE_GRID_M = 0.01
"""Vertices closer than this grid (1 cm) are one node: removes float noise, joins nothing else."""


@dataclass(frozen=True, slots=True)
class WalkGraph:
    """An undirected walking graph.

    Attributes
    ----------
    node_xy
        Node coordinates, shape (n, 2), in the streets' metric CRS.
    edges
        Edge endpoints, shape (m, 2), ``edges[:, 0] < edges[:, 1]``.
    edge_length_m
        Edge lengths in metres, shape (m,).
    edge_street_pos
        Position (row number) in the streets frame of the street each edge belongs to.
    adjacency
        Symmetric CSR matrix of edge lengths in metres (the shortest edge where several join
        the same two nodes).
    component
        Connected-component label of each node, shape (n,).
    crs
        The CRS of ``node_xy``.
    """

    node_xy: npt.NDArray[np.float64]
    edges: npt.NDArray[np.int64]
    edge_length_m: npt.NDArray[np.float64]
    edge_street_pos: npt.NDArray[np.int64]
    adjacency: sparse.csr_array
    component: npt.NDArray[np.int64]
    crs: str

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.node_xy.shape[0])

    @property
    def n_components(self) -> int:
        """Number of connected components."""
        return int(self.component.max()) + 1 if self.n_nodes else 0

    def component_sizes(self) -> npt.NDArray[np.int64]:
        """Return the number of nodes in each component, indexed by component label."""
        return np.bincount(self.component).astype(np.int64)


def build_walk_graph(streets: gpd.GeoDataFrame) -> WalkGraph:
    """Build the undirected walking graph from a streets layer.

    Parameters
    ----------
    streets
        Line geometries (LineString or MultiLineString) in a projected, metric CRS.

    Returns
    -------
    WalkGraph
        Nodes, edges with lengths in metres, and connected components.

    Raises
    ------
    CrsError
        If ``streets`` is not in a projected CRS.
    NetworkError
        If the layer has no line with a length.
    """
    require_projected(streets, "streets")
    geoms = streets.geometry.to_numpy()
    parts, part_pos = shapely.get_parts(geoms, return_index=True)
    coords, vertex_part = shapely.get_coordinates(parts, return_index=True)
    if len(coords) < 2:
        msg = "The streets layer has no line to walk on. Add street lines to streets.geojson."
        raise NetworkError(msg)
    keys = np.round(coords / NODE_GRID_M).astype(np.int64)
    unique_keys, node_of_vertex = np.unique(keys, axis=0, return_inverse=True)
    node_of_vertex = node_of_vertex.reshape(-1)
    node_xy = unique_keys.astype(np.float64) * NODE_GRID_M

    # Consecutive vertices of the same part form an edge.
    same_part = vertex_part[:-1] == vertex_part[1:]
    u = node_of_vertex[:-1][same_part]
    v = node_of_vertex[1:][same_part]
    length_m = np.hypot(*(coords[1:][same_part] - coords[:-1][same_part]).T)
    street_pos = part_pos[vertex_part[:-1][same_part]]
    keep = u != v
    u, v, length_m, street_pos = u[keep], v[keep], length_m[keep], street_pos[keep]
    if len(u) == 0:
        msg = "The streets layer has no line with a length. Check streets.geojson geometries."
        raise NetworkError(msg)
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    edges = np.column_stack([lo, hi]).astype(np.int64)

    n = len(node_xy)
    # Where two lines join the same pair of nodes keep the shorter one (a CSR built from COO
    # would add them up instead).
    order = np.lexsort((length_m, hi, lo))
    pair_first = np.ones(len(order), dtype=bool)
    pair_first[1:] = (lo[order][1:] != lo[order][:-1]) | (hi[order][1:] != hi[order][:-1])
    best = order[pair_first]
    rows = np.concatenate([lo[best], hi[best]])
    cols = np.concatenate([hi[best], lo[best]])
    data = np.concatenate([length_m[best], length_m[best]])
    adjacency = sparse.csr_array((data, (rows, cols)), shape=(n, n))
    _, labels = csgraph.connected_components(adjacency, directed=False)
    return WalkGraph(
        node_xy=node_xy,
        edges=edges,
        edge_length_m=length_m,
        edge_street_pos=street_pos.astype(np.int64),
        adjacency=adjacency,
        component=labels.astype(np.int64),
        crs=str(streets.crs),
    )
