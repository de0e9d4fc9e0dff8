"""The synthetic benchmark town: N tiled, connected copies of Gusev (benchmarks/)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely

from benchmarks.synthetic_town import (
    LINKS_PER_SIDE,
    build_synthetic_town,
    grid_shape,
    size_class,
    write_town,
)
from planner.io import load_town
from planner.model import Town
from planner.network import build_walk_graph
from planner.norms import load_norms

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def town_x2(gusev_town: Town) -> Town:
    return build_synthetic_town(2, gusev_town)


def test_grid_shape() -> None:
    assert grid_shape(1) == (1, 1)
    assert grid_shape(2) == (1, 2)
    assert grid_shape(5) == (2, 3)
    assert grid_shape(10) == (3, 4)
    assert grid_shape(20) == (4, 5)
    with pytest.raises(ValueError, match="at least 1"):
        grid_shape(0)


def test_size_class() -> None:
    assert size_class(28_600) == "small"
    assert size_class(57_200) == "medium"
    assert size_class(143_000) == "big"
    assert size_class(572_000) == "large"


def test_population_and_counts_double(gusev_town: Town, town_x2: Town) -> None:
    assert town_x2.meta.population == 2 * gusev_town.meta.population
    assert town_x2.residential["population"].sum() == 2 * gusev_town.residential["population"].sum()
    for name in ("residential", "facilities", "districts", "water", "rail"):
        assert len(town_x2.layer(name)) == 2 * len(gusev_town.layer(name)), name
    # Two copies side by side share one side: LINKS_PER_SIDE connecting streets.
    assert len(town_x2.streets) == 2 * len(gusev_town.streets) + LINKS_PER_SIDE
    assert len(town_x2.boundary) == 1


def test_ids_unique_and_district_references_kept(town_x2: Town) -> None:
    for name in ("residential", "facilities", "streets", "districts"):
        assert town_x2.layer(name)["id"].is_unique, name
    assert set(town_x2.residential["district"]) <= set(town_x2.districts["id"])
    # A unit's district is a district of the same copy.
    prefix = town_x2.residential["id"].str[:4]
    assert (town_x2.residential["district"].str[:4] == prefix).all()


def test_copies_are_translated_not_overlapping(gusev_town: Town, town_x2: Town) -> None:
    n = len(gusev_town.residential)
    first = town_x2.residential.geometry.to_numpy()[:n]
    second = town_x2.residential.geometry.to_numpy()[n:]
    shift = shapely.get_coordinates(second) - shapely.get_coordinates(first)
    # One rigid translation, eastwards, with no overlap of the copies.
    assert np.allclose(shift, shift[0])
    assert shift[0, 1] == 0.0
    width = gusev_town.residential.total_bounds[2] - gusev_town.residential.total_bounds[0]
    assert shift[0, 0] > width
    assert np.allclose(shapely.area(first), shapely.area(second))


def test_one_connected_street_network(gusev_town: Town, town_x2: Town) -> None:
    base = build_walk_graph(gusev_town.streets)
    graph = build_walk_graph(town_x2.streets)
    assert graph.n_components == 1
    # The connecting streets end on existing street vertices: no new nodes.
    assert graph.n_nodes == 2 * base.n_nodes


def test_twenty_copies_connected(gusev_town: Town) -> None:
    town = build_synthetic_town(20, gusev_town)
    assert town.meta.population == 572_000
    assert len(town.residential) == 20 * len(gusev_town.residential)
    assert build_walk_graph(town.streets).n_components == 1


def test_deterministic(gusev_town: Town, town_x2: Town) -> None:
    again = build_synthetic_town(2, gusev_town)
    for name in ("residential", "facilities", "streets", "boundary"):
        left, right = town_x2.layer(name), again.layer(name)
        assert left.drop(columns="geometry").equals(right.drop(columns="geometry")), name
        assert left.geometry.geom_equals_exact(right.geometry, tolerance=0).all(), name


def test_written_folder_passes_the_loader_checks(town_x2: Town, tmp_path: Path) -> None:
    folder = write_town(town_x2, tmp_path / "gusev-x2")
    loaded = load_town(folder, norms=load_norms())
    assert loaded.meta.population == town_x2.meta.population
    assert len(loaded.residential) == len(town_x2.residential)
    assert not [w for w in loaded.warnings if "not connected" in w.message]
    assert build_walk_graph(loaded.streets).n_components == 1
