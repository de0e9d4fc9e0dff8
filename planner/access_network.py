"""Origins and destinations attached to the walking graph, and shortest walking distances on it.

Each point (a residential unit's representative point, a facility) is attached to the nearest
point of the nearest street edge: that edge is split at the snapped point (several points on one
edge make a sorted chain) and the point itself becomes a leaf node joined to the street by a
connector edge as long as the point-to-street distance. So a distance between an origin and a
destination is connector + along the streets + connector, exactly, with no rounding to the
nearest street vertex.

Node numbering in the augmented graph: the base graph's nodes ``0 .. n_base_nodes - 1``, then the
snapped points that split an edge, then the leaf nodes. A point that lies on a street (connector
of zero length) has no leaf: its node is the snapped node itself, so the graph never holds a
zero-length edge that a sparse-matrix operation could silently drop.

A point nearly equally near several streets (within ``TIE_TOLERANCE_M`` of the nearest) is
attached to each of them, and the shortest walk picks: rounding never decides which side of a
block a home is reached from. Connectors run one way (street to home, facility to street): every
search starts at facilities, and no walk can pass through a home or a facility to get from one
street to another.

Shortest paths run on the CSR matrix with ``scipy.sparse.csgraph.dijkstra`` in directed mode
(street pieces are stored in both directions, connectors in one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from pyproj import CRS
from scipy import sparse
from scipy.sparse import csgraph

from planner.config import FAR_CONNECTOR_M
from planner.crs import require_projected
from planner.errors import CrsError, NetworkError
from planner.network import WalkGraph, build_walk_graph

if TYPE_CHECKING:
    from planner.model import Town

__all__ = [
    "DEFAULT_FAR_CONNECTOR_M",
    "AccessNetwork",
    "Attachment",
    "build_access_network",
    "build_town_access_network",
    "label_pairs",
    "nearest_destination",
    "node_distances",
    "origin_destination_pairs",
    "town_destinations",
    "town_origins",
    "walk_path",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

DEFAULT_FAR_CONNECTOR_M = FAR_CONNECTOR_M
"""A point farther than this from any street is listed in ``AccessNetwork.far_points``."""

SNAP_TOLERANCE_M = 1e-9
"""A snapped point closer than this to an edge end is that end; a shorter connector is none."""

TIE_TOLERANCE_M = 1.0
"""A point is attached to its nearest street and to every street at most this much farther:
near-ties (a block midway between two streets; 0.14 mm on a real extract) are not decided by
rounding, the shortest walk picks. 1 m is below the precision of a drawn block or an estimated
facility position."""

MIN_CONNECTOR_M = 1e-6
"""Length given to the connector of a point that lies on a street it is attached to, when it is
attached to another street too (a sparse matrix cannot hold an edge of length 0)."""

_CHUNK_BYTES = 64 * 2**20
"""Memory budget of one block of a dense distance matrix (rows x nodes x 8 bytes)."""


@dataclass(frozen=True, slots=True, eq=False)
class Attachment:
    """One side of an access network (its origins or its destinations) attached to the streets.

    Every array is indexed by *position*: ``ids[i]`` is the id of the i-th point, ``node[i]`` its
    node in ``AccessNetwork.adjacency``, and so on.

    Attributes
    ----------
    kind
        ``"origin"`` or ``"destination"`` (used in error messages and ``far_points``).
    ids
        Ids of the points (the index of the GeoSeries they came from).
    xy
        The points' own coordinates, shape (k, 2).
    node
        The node standing for each point (its leaf, or the snapped node when on a street).
    snap_node
        The node on the street each point is attached to.
    snap_xy
        The nearest point of the street network to each point, shape (k, 2).
    edge
        Position in ``AccessNetwork.edge_nodes`` of the edge each point snapped to.
    along_m
        Distance of the snapped point from ``edge_nodes[edge, 0]`` along that edge, metres.
    connector_m
        Length of the connector from the point to its snapped point, metres.
    n_streets
        How many streets the point is attached to: 1, or more where other streets lie within
        ``TIE_TOLERANCE_M`` of the nearest (the fields above describe the nearest one).
    """

    kind: str
    ids: npt.NDArray[np.object_]
    xy: FloatArray
    node: IntArray
    snap_node: IntArray
    snap_xy: FloatArray
    edge: IntArray
    along_m: FloatArray
    connector_m: FloatArray
    n_streets: IntArray

    def __len__(self) -> int:
        return len(self.ids)

    def positions(self, ids: npt.ArrayLike) -> IntArray:
        """Return the positions of points given by id.

        Raises
        ------
        NetworkError
            If an id is not a point of this side (the network was built for other data).
        """
        return _positions(self.ids, ids, self.kind)


@dataclass(frozen=True, slots=True)
class WalkPath:
    """The shortest walk from a residential unit to a facility on the access network.

    Attributes
    ----------
    unit_id, facility_id
        The two ends.
    line
        The walk as a line from the unit's point to the facility's point, in the network's
        CRS: connector, street pieces, connector (street pieces are straight between the
        streets' own vertices, so the line follows the streets exactly).
    distance_m
        Its length on the network, metres (equals the analysis' ``distance_m``).
    straight_m
        The straight-line distance between the two points, metres.
    """

    unit_id: str
    facility_id: str
    line: shapely.LineString
    distance_m: float
    straight_m: float


@dataclass(frozen=True, slots=True, eq=False)
class AccessNetwork:
    """The walking graph augmented with origins and destinations.

    Attributes
    ----------
    graph
        The base walking graph the network was built on.
    adjacency
        CSR matrix of edge lengths in metres over all nodes (base, snapped, leaves): street
        pieces in both directions, connectors one way (street -> home, facility -> street), so
        searches start at facilities and no walk passes through a home or a facility.
    node_xy
        Coordinates of every node, shape (n_nodes, 2).
    n_base_nodes
        Number of nodes of the base graph (they keep their numbers).
    edge_nodes, edge_length_m
        The distinct base edges points were snapped to (``edge_nodes[:, 0] < edge_nodes[:, 1]``,
        sorted) and their lengths; ``Attachment.edge`` indexes into them.
    origins, destinations
        How the origins (residential units) and the destinations (facilities) are attached.
    far_points
        Points farther than ``far_connector_m`` from any street: columns ``kind``
        ("origin"/"destination"), ``id``, ``connector_m``.
    far_connector_m
        The threshold used for ``far_points``.
    """

    graph: WalkGraph
    adjacency: sparse.csr_array
    node_xy: FloatArray
    n_base_nodes: int
    edge_nodes: IntArray
    edge_length_m: FloatArray
    origins: Attachment
    destinations: Attachment
    far_points: pd.DataFrame
    far_connector_m: float

    @property
    def n_nodes(self) -> int:
        """Number of nodes of the augmented graph."""
        return int(self.node_xy.shape[0])

    @property
    def reverse_adjacency(self) -> sparse.csr_array:
        """The graph walked the other way: for searches that start at origins (homes).

        Its connectors run home -> street and street -> facility, so again no walk passes through
        a home or a facility; a distance from a home to a facility on it equals the distance from
        that facility to the home on ``adjacency``.
        """
        return sparse.csr_array(self.adjacency.T)


def _positions(known: npt.NDArray[np.object_], ids: npt.ArrayLike, what: str) -> IntArray:
    wanted = np.asarray(ids, dtype=object).reshape(-1)
    found = pd.Index(known).get_indexer(pd.Index(wanted))
    if (found < 0).any():
        missing = ", ".join(str(x) for x in wanted[found < 0][:5])
        msg = (
            f"Unknown {what} id(s): {missing}. The access network was built for other data; "
            "rebuild it with build_access_network from the current layers."
        )
        raise NetworkError(msg)
    return found.astype(np.int64)


def _point_coords(
    points: gpd.GeoSeries, what: str, crs: str
) -> tuple[npt.NDArray[np.object_], FloatArray]:
    """Return the ids and xy of a GeoSeries of points, checking CRS, type and ids."""
    require_projected(points, what)
    if points.crs != CRS.from_user_input(crs):
        msg = (
            f"{what} are in {points.crs} but the streets are in {crs}. "
            "Reproject with .to_crs(...) so both use the same CRS."
        )
        raise CrsError(msg)
    geoms = points.to_numpy()
    bad = ~(shapely.get_type_id(geoms) == shapely.GeometryType.POINT) | shapely.is_empty(geoms)
    if bad.any():
        ids = ", ".join(str(x) for x in points.index[bad][:5])
        msg = (
            f"{what} must be non-empty points; not so for id(s) {ids}. "
            "Use .representative_point() for polygons."
        )
        raise NetworkError(msg)
    if points.index.has_duplicates:
        ids = ", ".join(str(x) for x in points.index[points.index.duplicated()][:5])
        msg = f"{what} have duplicate ids: {ids}. Give every feature a unique id."
        raise NetworkError(msg)
    xy = shapely.get_coordinates(geoms).astype(np.float64).reshape(-1, 2)
    return np.asarray(points.index, dtype=object), xy


def _near_edges(
    a: FloatArray, b: FloatArray, points_xy: FloatArray, tolerance_m: float
) -> tuple[IntArray, IntArray]:
    """Return (point, edge) pairs: each point's nearest edge and those within the tolerance.

    Sorted by point, then distance, then edge, so each point's first pair is its nearest edge
    (the lowest edge number among equal distances).
    """
    n_points = len(points_xy)
    if not n_points:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    segments = shapely.linestrings(np.stack([a, b], axis=1))
    points = shapely.points(points_xy)
    tree = shapely.STRtree(segments)
    (near_point, _), near_m = tree.query_nearest(points, all_matches=True, return_distance=True)
    nearest_m = np.full(n_points, np.inf)
    np.minimum.at(nearest_m, near_point, near_m)
    point, edge = tree.query(points, predicate="dwithin", distance=nearest_m + tolerance_m)
    distance_m = shapely.distance(points[point], segments[edge])
    close = distance_m <= nearest_m[point] + tolerance_m
    point, edge, distance_m = point[close], edge[close], distance_m[close]
    order = np.lexsort((edge, distance_m, point))
    return point[order].astype(np.int64), edge[order].astype(np.int64)


def _base_edges(graph: WalkGraph) -> tuple[IntArray, IntArray, FloatArray]:
    """Return the distinct base edges (u < v, sorted) with the length the adjacency uses."""
    upper = sparse.triu(graph.adjacency, k=1, format="coo")
    u = np.asarray(upper.row, dtype=np.int64)
    v = np.asarray(upper.col, dtype=np.int64)
    length = np.asarray(upper.data, dtype=np.float64)
    order = np.lexsort((v, u))
    return u[order], v[order], length[order]


def build_access_network(
    graph: WalkGraph,
    origins: gpd.GeoSeries,
    destinations: gpd.GeoSeries,
    *,
    far_connector_m: float = DEFAULT_FAR_CONNECTOR_M,
    tie_tolerance_m: float = TIE_TOLERANCE_M,
) -> AccessNetwork:
    """Attach origins and destinations to the walking graph.

    Parameters
    ----------
    graph
        The base walking graph (``planner.network.build_walk_graph``).
    origins, destinations
        Points in the graph's CRS, indexed by unique ids.
    far_connector_m
        Points farther than this from any street are still attached but listed in
        ``far_points`` so that callers can report "entrance far from any street".
    tie_tolerance_m
        A point is attached to its nearest street and to every other street at most this much
        farther away, each by its own connector; the shortest walk then uses whichever serves
        it. Connectors run one way (street to home, facility to street), so no walk passes
        through a home or a facility.

    Returns
    -------
    AccessNetwork
        The augmented graph. Its ``Attachment`` fields describe each point's nearest street;
        among equidistant nearest edges the one whose end nodes come first (nodes are numbered
        in x, then y order), so the result does not depend on the order of the input layers.

    Raises
    ------
    CrsError
        If the points are not in the graph's projected CRS.
    NetworkError
        If a geometry is not a non-empty point or ids repeat.
    """
    origin_ids, origin_xy = _point_coords(origins, "origins", graph.crs)
    destination_ids, destination_xy = _point_coords(destinations, "destinations", graph.crs)
    points_xy = np.vstack([origin_xy, destination_xy])
    n_points = len(points_xy)
    n_o = len(origin_ids)
    u, v, length_m = _base_edges(graph)
    node_xy = graph.node_xy
    n_base = graph.n_nodes

    # 1. Attachments: per point its nearest edge and every edge within tie_tolerance_m of it,
    #    nearest first (equal distances: the edge whose end nodes come first).
    point, edge = _near_edges(node_xy[u], node_xy[v], points_xy, tie_tolerance_m)

    # 2. Project each point onto each of its edges (the segment's own parameter t in [0, 1]).
    a, b = node_xy[u[edge]], node_xy[v[edge]]
    d = b - a
    len2 = np.einsum("ij,ij->i", d, d)
    t = np.clip(np.einsum("ij,ij->i", points_xy[point] - a, d) / len2, 0.0, 1.0)
    snap_xy = a + t[:, None] * d
    connector_m = np.hypot(*(points_xy[point] - snap_xy).T)
    # Along-edge position measured on the graph's own edge length, so the split pieces add up
    # to exactly the length the base graph uses.
    along_m = t * length_m[edge]
    at_start = along_m <= SNAP_TOLERANCE_M
    at_end = length_m[edge] - along_m <= SNAP_TOLERANCE_M
    along_m = np.where(at_start, 0.0, np.where(at_end, length_m[edge], along_m))
    snap_xy = np.where(at_start[:, None], a, np.where(at_end[:, None], b, snap_xy))
    snap_node = np.where(at_start, u[edge], v[edge]).astype(np.int64)
    # Two edges meeting where a point snaps (a junction) are one attachment, not two.
    place = np.where(at_start | at_end, snap_node, n_base + edge)
    _, first = np.unique(np.column_stack([point, place]), axis=0, return_index=True)
    keep = np.sort(first)
    point, edge, snap_xy, connector_m = point[keep], edge[keep], snap_xy[keep], connector_m[keep]
    along_m, snap_node = along_m[keep], snap_node[keep]
    interior = (along_m > 0.0) & (along_m < length_m[edge])
    primary = np.searchsorted(point, np.arange(n_points))  # the nearest attachment of each point
    n_streets = np.diff(np.append(primary, len(point)))

    # 3. Split nodes: one per distinct (edge, along) among interior snaps, sorted along edges.
    idx = np.flatnonzero(interior)
    keys = np.column_stack([edge[idx].astype(np.float64), along_m[idx]])
    split_keys, split_of = np.unique(keys, axis=0, return_inverse=True)
    split_of = split_of.reshape(-1)
    split_edge = split_keys[:, 0].astype(np.int64)
    split_along = split_keys[:, 1]
    n_split = len(split_keys)
    split_node = n_base + np.arange(n_split, dtype=np.int64)
    snap_node[idx] = split_node[split_of]
    t_split = split_along / length_m[split_edge]
    su, sv = node_xy[u[split_edge]], node_xy[v[split_edge]]
    split_xy = su + t_split[:, None] * (sv - su)
    snap_xy[idx] = split_xy[split_of]

    # Chains: u -> s1 -> s2 -> ... -> v for every split edge (np.unique sorted by edge, along).
    new_edge_start = np.ones(n_split, dtype=bool)
    new_edge_start[1:] = split_edge[1:] != split_edge[:-1]
    new_edge_end = np.ones(n_split, dtype=bool)
    new_edge_end[:-1] = split_edge[:-1] != split_edge[1:]
    prev_node = np.where(new_edge_start, u[split_edge], np.roll(split_node, 1))
    prev_along = np.where(new_edge_start, 0.0, np.roll(split_along, 1))
    chain_from = np.concatenate([prev_node, split_node[new_edge_end]])
    chain_to = np.concatenate([split_node, v[split_edge[new_edge_end]]])
    chain_m = np.concatenate(
        [
            split_along - prev_along,
            length_m[split_edge[new_edge_end]] - split_along[new_edge_end],
        ]
    )

    # 4. Leaves: a point off the street, or attached to several streets, gets its own node and
    #    a connector to each of its streets.
    has_leaf = (connector_m[primary] > SNAP_TOLERANCE_M) | (n_streets > 1)
    n_leaves = int(has_leaf.sum())
    leaf_of = np.full(n_points, -1, dtype=np.int64)
    leaf_of[has_leaf] = n_base + n_split + np.arange(n_leaves, dtype=np.int64)
    point_node = snap_node[primary].copy()
    point_node[has_leaf] = leaf_of[has_leaf]
    linked = has_leaf[point]
    link_m = np.maximum(connector_m[linked], MIN_CONNECTOR_M)
    link_street, link_leaf = snap_node[linked], leaf_of[point[linked]]
    from_origin = point[linked] < n_o

    # 5. The augmented adjacency, in one go: streets (kept base edges and chains) both ways;
    #    connectors one way — street to home, facility to street — so that every search (they
    #    all start at facilities) ends at a home and no walk passes through a home or a facility.
    keep_edge = np.ones(len(u), dtype=bool)
    keep_edge[split_edge] = False
    street_from = np.concatenate([u[keep_edge], chain_from])
    street_to = np.concatenate([v[keep_edge], chain_to])
    street_m = np.concatenate([length_m[keep_edge], chain_m])
    rows = np.concatenate([street_from, street_to, np.where(from_origin, link_street, link_leaf)])
    cols = np.concatenate([street_to, street_from, np.where(from_origin, link_leaf, link_street)])
    data = np.concatenate([street_m, street_m, link_m])
    n_nodes = n_base + n_split + n_leaves
    adjacency = sparse.csr_array((data, (rows, cols)), shape=(n_nodes, n_nodes))
    all_xy = np.vstack([node_xy, split_xy, points_xy[has_leaf]])
    connector_m = np.where(connector_m[primary] > SNAP_TOLERANCE_M, connector_m[primary], 0.0)
    snap_node = snap_node[primary]
    snap_xy = snap_xy[primary]
    edge = edge[primary]
    along_m = along_m[primary]

    kinds = np.array(["origin"] * n_o + ["destination"] * len(destination_ids), dtype=object)
    all_ids = np.concatenate([origin_ids, destination_ids])
    far = connector_m > far_connector_m
    far_points = pd.DataFrame(
        {"kind": kinds[far], "id": all_ids[far], "connector_m": connector_m[far]}
    )

    def side(kind: str, ids: npt.NDArray[np.object_], xy: FloatArray, part: slice) -> Attachment:
        return Attachment(
            kind=kind,
            ids=ids,
            xy=xy,
            node=point_node[part],
            snap_node=snap_node[part],
            snap_xy=snap_xy[part],
            edge=edge[part],
            along_m=along_m[part],
            connector_m=connector_m[part],
            n_streets=n_streets[part],
        )

    return AccessNetwork(
        graph=graph,
        adjacency=adjacency,
        node_xy=all_xy,
        n_base_nodes=n_base,
        edge_nodes=np.column_stack([u, v]),
        edge_length_m=length_m,
        origins=side("origin", origin_ids, origin_xy, slice(0, n_o)),
        destinations=side("destination", destination_ids, destination_xy, slice(n_o, n_points)),
        far_points=far_points,
        far_connector_m=float(far_connector_m),
    )


def town_origins(town: Town) -> gpd.GeoSeries:
    """Return the residential units' representative points, indexed by unit id."""
    res = town.residential
    return gpd.GeoSeries(
        res.geometry.representative_point().to_numpy(),
        index=pd.Index(res["id"].to_numpy(dtype=object), name="id"),
        crs=res.crs,
    )


def town_destinations(town: Town) -> gpd.GeoSeries:
    """Return every facility (any status) as a point, indexed by facility id."""
    fac = town.facilities
    geoms = fac.geometry.to_numpy()
    is_point = shapely.get_type_id(geoms) == shapely.GeometryType.POINT
    points = np.where(is_point, geoms, shapely.point_on_surface(geoms))
    return gpd.GeoSeries(
        points, index=pd.Index(fac["id"].to_numpy(dtype=object), name="id"), crs=fac.crs
    )


def build_town_access_network(
    town: Town,
    graph: WalkGraph | None = None,
    *,
    far_connector_m: float = DEFAULT_FAR_CONNECTOR_M,
) -> AccessNetwork:
    """Build the access network of a town: residential units to all facilities (any status).

    Parameters
    ----------
    town
        The loaded town.
    graph
        The town's walking graph if already built (else built from ``town.streets``).
    far_connector_m
        See ``build_access_network``.
    """
    graph = build_walk_graph(town.streets) if graph is None else graph
    return build_access_network(
        graph, town_origins(town), town_destinations(town), far_connector_m=far_connector_m
    )


def _dest_nodes(net: AccessNetwork, dest_positions: npt.ArrayLike) -> tuple[IntArray, IntArray]:
    positions = np.asarray(dest_positions, dtype=np.int64).reshape(-1)
    n_destinations = len(net.destinations)
    if positions.size and (positions.min() < 0 or positions.max() >= n_destinations):
        msg = (
            f"Destination positions must lie in 0..{n_destinations - 1}; "
            "use net.destinations.positions(ids) to get them."
        )
        raise NetworkError(msg)
    return positions, net.destinations.node[positions]


def _limit(limit_m: float | None) -> float:
    if limit_m is None:
        return np.inf
    if not limit_m >= 0:
        msg = f"The distance limit must be a non-negative number of metres, got {limit_m}."
        raise NetworkError(msg)
    return float(limit_m)


def nearest_destination(
    net: AccessNetwork, dest_positions: npt.ArrayLike, *, limit_m: float | None = None
) -> tuple[IntArray, FloatArray]:
    """Return every origin's nearest destination among some, in one multi-source search.

    Parameters
    ----------
    net
        The access network.
    dest_positions
        Positions (into ``net.destinations.ids``) of the destinations to consider, e.g. the
        existing facilities of one service.
    limit_m
        Optional search bound: origins farther than this get no destination.

    Returns
    -------
    nearest_pos : numpy.ndarray
        Per origin, the position (into ``net.destinations.ids``) of the nearest destination, -1
        when none is reachable. Among destinations sharing a node the first given wins.
    distance_m : numpy.ndarray
        Per origin, the network distance to it in metres (connectors included), ``inf`` when
        none is reachable.
    """
    positions, nodes = _dest_nodes(net, dest_positions)
    n_o = len(net.origins)
    nearest_pos = np.full(n_o, -1, dtype=np.int64)
    distance_m = np.full(n_o, np.inf)
    if not len(nodes) or not n_o:
        return nearest_pos, distance_m
    dist, _, sources = csgraph.dijkstra(
        net.adjacency,
        directed=True,
        indices=nodes,
        min_only=True,
        return_predecessors=True,
        limit=_limit(limit_m),
    )
    source = sources[net.origins.node]
    reached = source >= 0
    unique_nodes, first = np.unique(nodes, return_index=True)
    nearest_pos[reached] = positions[first[np.searchsorted(unique_nodes, source[reached])]]
    distance_m[reached] = dist[net.origins.node[reached]]
    return nearest_pos, distance_m


def _distance_blocks(
    net: AccessNetwork, nodes: IntArray, limit: float
) -> list[tuple[int, FloatArray]]:
    """Bounded Dijkstra from ``nodes`` in blocks that keep each dense result under budget."""
    rows_per_block = max(1, _CHUNK_BYTES // (8 * max(net.n_nodes, 1)))
    blocks = []
    for start in range(0, len(nodes), rows_per_block):
        dist = csgraph.dijkstra(
            net.adjacency, directed=True, indices=nodes[start : start + rows_per_block], limit=limit
        )
        blocks.append((start, np.asarray(dist, dtype=np.float64)))
    return blocks


def origin_destination_pairs(
    net: AccessNetwork, dest_positions: npt.ArrayLike, *, limit_m: float | None
) -> pd.DataFrame:
    """Return every (origin, destination) pair within a network distance.

    Parameters
    ----------
    net
        The access network.
    dest_positions
        Positions (into ``net.destinations.ids``) of the destinations.
    limit_m
        Largest distance kept (inclusive), metres; None keeps every reachable pair.

    Returns
    -------
    pandas.DataFrame
        Columns ``origin_pos``, ``destination_pos`` (positions into ``net.origins.ids`` and
        ``net.destinations.ids``) and ``distance_m``, sorted by origin, distance, destination.
    """
    positions, nodes = _dest_nodes(net, dest_positions)
    limit = _limit(limit_m)
    o_parts: list[IntArray] = []
    d_parts: list[IntArray] = []
    m_parts: list[FloatArray] = []
    if len(net.origins):
        for start, dist in _distance_blocks(net, nodes, limit):
            sub = dist[:, net.origins.node]
            rows, cols = np.nonzero(np.isfinite(sub) & (sub <= limit))
            o_parts.append(cols.astype(np.int64))
            d_parts.append(positions[start + rows])
            m_parts.append(sub[rows, cols])
    origin_pos = np.concatenate(o_parts) if o_parts else np.zeros(0, dtype=np.int64)
    destination_pos = np.concatenate(d_parts) if d_parts else np.zeros(0, dtype=np.int64)
    distance_m = np.concatenate(m_parts) if m_parts else np.zeros(0)
    order = np.lexsort((destination_pos, distance_m, origin_pos))
    return pd.DataFrame(
        {
            "origin_pos": origin_pos[order],
            "destination_pos": destination_pos[order],
            "distance_m": distance_m[order],
        }
    )


def label_pairs(net: AccessNetwork, pairs: pd.DataFrame) -> pd.DataFrame:
    """Return pairs with ids: columns ``unit_id``, ``facility_id``, ``distance_m``.

    Parameters
    ----------
    net
        The network the pairs were computed on.
    pairs
        The output of ``origin_destination_pairs``.
    """
    return pd.DataFrame(
        {
            "unit_id": net.origins.ids[pairs["origin_pos"].to_numpy()],
            "facility_id": net.destinations.ids[pairs["destination_pos"].to_numpy()],
            "distance_m": pairs["distance_m"].to_numpy(),
        }
    )


def node_distances(
    net: AccessNetwork, dest_positions: npt.ArrayLike, *, limit_m: float | None
) -> FloatArray:
    """Return the distance from each given destination to every node (for catchments).

    Parameters
    ----------
    net
        The access network.
    dest_positions
        Positions (into ``net.destinations.ids``) of the destinations.
    limit_m
        Search bound in metres; nodes farther away are ``inf``. None searches everything.

    Returns
    -------
    numpy.ndarray
        Shape (len(dest_positions), net.n_nodes), metres.
    """
    _, nodes = _dest_nodes(net, dest_positions)
    limit = _limit(limit_m)
    if not len(nodes):
        return np.zeros((0, net.n_nodes))
    dist = csgraph.dijkstra(net.adjacency, directed=True, indices=nodes, limit=limit)
    return np.asarray(dist, dtype=np.float64).reshape(len(nodes), net.n_nodes)


def walk_path(net: AccessNetwork, unit_id: str, facility_id: str) -> WalkPath | None:
    """Return the shortest walk from a residential unit to a facility, as a line.

    Parameters
    ----------
    net
        The access network the analysis used (``TownAnalysis.network``).
    unit_id, facility_id
        Ids of an origin and a destination of ``net``.

    Returns
    -------
    WalkPath or None
        The walk, or ``None`` when the facility cannot be reached from the unit (another
        component of the street network).

    Raises
    ------
    NetworkError
        If either id is not a point of the network.
    """
    origin = int(net.origins.positions([unit_id])[0])
    destination = int(net.destinations.positions([facility_id])[0])
    start = int(net.destinations.node[destination])
    end = int(net.origins.node[origin])
    # One search from the facility, as every search runs (connectors point street -> home).
    dist, predecessors = csgraph.dijkstra(
        net.adjacency, directed=True, indices=start, return_predecessors=True
    )
    if not np.isfinite(dist[end]):
        return None
    nodes = [end]
    while nodes[-1] != start:
        nodes.append(int(predecessors[nodes[-1]]))
    # From the facility's node the walk is read backwards: the unit's point comes first.
    xy = [net.origins.xy[origin], *net.node_xy[nodes], net.destinations.xy[destination]]
    coords = np.asarray(xy, dtype=np.float64)
    keep = np.ones(len(coords), dtype=bool)
    keep[1:] = np.any(coords[1:] != coords[:-1], axis=1)  # the points are their own nodes
    coords = coords[keep]
    if len(coords) == 1:
        coords = np.vstack([coords, coords])
    straight_m = float(np.hypot(*(net.destinations.xy[destination] - net.origins.xy[origin])))
    return WalkPath(
        unit_id=str(unit_id),
        facility_id=str(facility_id),
        line=shapely.LineString(coords),
        distance_m=float(dist[end]),
        straight_m=straight_m,
    )
