"""The one tiny town: the committed folder is its definition, and its facts check by hand.

``tests.factories.tiny_layers()`` defines the town; ``tests/data/make_test_data.py`` writes it (and
the broken-file catalogue derived from it) to ``tests/data/``. Here the generator runs into a
temporary folder and every committed file must come out byte for byte, and the folder must load as
the same town that ``make_tiny_town()`` builds in memory.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from planner.io import load_town
from planner.layers import COHORT_COLUMNS, LAYER_SPECS
from planner.model import Town
from tests.factories import TINY_POPULATION, make_tiny_town
from tests.testdata import DATA_DIR, TINY_TOWN_DIR


def _generator_main():  # the script lives outside any package
    spec = importlib.util.spec_from_file_location("make_test_data", DATA_DIR / "make_test_data.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix in {".geojson", ".toml"}
    }


def test_the_generator_writes_exactly_the_committed_files(tmp_path: Path) -> None:
    _generator_main()(tmp_path)
    written = _files(tmp_path)
    committed = {
        name: data
        for name, data in _files(DATA_DIR).items()
        if name.startswith(("tiny_town/", "broken/"))
    }
    assert sorted(written) == sorted(committed)
    changed = sorted(name for name in written if written[name] != committed[name])
    assert not changed, f"run tests/data/make_test_data.py and commit: {changed}"


def test_the_folder_loads_as_the_town_built_in_memory() -> None:
    loaded, built = load_town(TINY_TOWN_DIR), make_tiny_town()
    assert loaded.meta == built.meta
    assert loaded.warnings == ()
    for name in LAYER_SPECS:
        a = loaded.layer(name).set_index("id").sort_index()
        b = built.layer(name).set_index("id").sort_index()
        assert list(a.index) == list(b.index), name
        columns = [c for c in b.columns if c != "geometry"]
        assert a[columns].astype(str).equals(b[columns].astype(str)), name
        # Lon/lat with 7 decimals and back: within a centimetre.
        assert (a.geometry.hausdorff_distance(b.geometry) < 0.01).all(), name


@pytest.fixture(scope="module")
def town() -> Town:
    return make_tiny_town()


def test_population_and_cohorts_by_hand(town: Town) -> None:
    residential = town.residential.set_index("id")
    assert residential["population"].to_dict() == {"R1": 100, "R2": 200, "R3": 300, "R4": 400}
    assert residential["population"].sum() == TINY_POPULATION == town.meta.population
    # R4: 7 % of 400 = 28, 13 % = 52, 17 % = 68, the rest 252.
    assert residential.loc["R4", list(COHORT_COLUMNS)].tolist() == [28, 52, 252, 68]
    assert (residential[list(COHORT_COLUMNS)].sum(axis=1) == residential["population"]).all()


def test_geometry_by_hand(town: Town) -> None:
    areas_ha = (town.residential.set_index("id").area / 10_000).round(6)
    assert set(areas_ha) == {0.64}  # 80 m x 80 m
    assert town.boundary.area.iloc[0] == pytest.approx(300 * 300)
    assert town.streets.length.sum() == pytest.approx(12 * 100)  # 3 x 3 grid, 100 m apart
    assert set(town.streets["kind"]) == {"residential"}
    # The stream and the railway are for display: no street crosses either.
    assert not town.streets.intersects(town.water.geometry.iloc[0]).any()
    assert not town.streets.intersects(town.rail.geometry.iloc[0]).any()
    assert town.districts.set_index("id").area.to_dict() == pytest.approx(
        {"west": 150 * 300, "east": 150 * 300}
    )
