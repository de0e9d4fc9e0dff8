"""The walking graph: nodes from shared vertices, metric edge lengths, components."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, MultiLineString

from planner.errors import CrsError, NetworkError
from planner.network import build_walk_graph


def _streets(*lines: LineString | MultiLineString, crs: str = "EPSG:32634") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": [f"s{i}" for i in range(len(lines))]}, geometry=list(lines), crs=crs
    )


def test_shared_vertex_joins_lines_even_mid_way() -> None:
    # An L of two lines plus a line that passes through (50, 0) without being split there.
    streets = _streets(
        LineString([(0, 0), (50, 0), (100, 0)]),
        LineString([(50, 0), (50, 80)]),
        LineString([(300, 0), (300, 30)]),
    )
    graph = build_walk_graph(streets)
    assert graph.n_nodes == 6
    assert graph.n_components == 2
    assert sorted(graph.component_sizes().tolist()) == [2, 4]
    assert graph.adjacency.sum() == pytest.approx(2 * (100 + 80 + 30))
    assert graph.edge_street_pos.tolist() == [0, 0, 1, 2]


def test_parallel_edges_keep_the_shorter_length() -> None:
    streets = _streets(
        LineString([(0, 0), (100, 0)]),
        LineString([(0, 0), (100, 0)]),
        MultiLineString([[(0, 0), (0, 10)], [(0, 10), (0, 20)]]),
    )
    graph = build_walk_graph(streets)
    adjacency = graph.adjacency.toarray()
    assert adjacency.max() == pytest.approx(100.0)
    assert (adjacency > 0).sum() == 2 * 3  # 3 distinct undirected edges
    assert np.allclose(adjacency, adjacency.T)


def test_geographic_crs_is_refused() -> None:
    with pytest.raises(CrsError, match="geographic CRS in degrees"):
        build_walk_graph(_streets(LineString([(22.0, 54.0), (22.1, 54.0)]), crs="EPSG:4326"))


def test_no_lines_is_a_network_error() -> None:
    with pytest.raises(NetworkError, match="no line"):
        build_walk_graph(_streets())
