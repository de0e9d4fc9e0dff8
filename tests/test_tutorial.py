"""docs/tutorial.md runs as it stands and prints what it shows; what it builds holds together.

The same page runs from an installed package in tests/test_packaging.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import folium
import pytest

from tests.tutorial import Step, run, steps_of

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "docs" / "tutorial.md"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tutorial(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Step], dict[str, Any]]:
    namespace: dict[str, Any] = {"__name__": "__tutorial__"}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("notebook"))  # a user's folder, not the checkout
        patch.delenv("PLANNER_GEODATA", raising=False)
        steps = run(TUTORIAL.read_text(encoding="utf-8"), namespace)
    return steps, namespace


def test_every_block_prints_what_the_page_shows(tutorial: tuple[list[Step], dict[str, Any]]):
    steps, _ = tutorial
    assert len(steps) >= 6
    shown = [step for step in steps if step.expected is not None]
    assert len(shown) == len(steps)  # every block's output is on the page
    for number, step in enumerate(steps, start=1):
        assert step.printed == step.expected, f"block {number}:\n{step.code}"


def test_the_comparison_only_adds(tutorial: tuple[list[Step], dict[str, Any]]):
    _, ns = tutorial
    change = ns["comparison"].services.iloc[0]
    # A new facility can only shorten the nearest walk, and added capacity can only let the
    # exact assignment serve more within the norm; the demand is the same town's.
    assert change.covered_network_after >= change.covered_network_before
    assert change.served_within_after >= change.served_within_before
    assert change.demand_after == pytest.approx(change.demand_before)
    assert change.residents_after == change.residents_before == 28600
    assert change.units_gained > 0
    # The scenario built a new town: the loaded one still has its eight kindergartens.
    assert (ns["town"].facilities["service"] == "kindergarten").sum() == 8
    applied = ns["comparison"].applied.town.facilities
    assert (applied["service"] == "kindergarten").sum() == 9
    new = applied.set_index("id").loc["new-kindergarten-1"]
    assert new.capacity == max(ns["norm"].project_sizes)
    # ... standing in the chosen block.
    block = ns["homes"].set_index("id").geometry[ns["homes"].loc[ns["best"], "id"]]
    assert block.distance(new.geometry) < 1.0


def test_the_homes_table_adds_up(tutorial: tuple[list[Step], dict[str, Any]]):
    _, ns = tutorial
    homes, figures = ns["homes"], ns["figures"]
    assert homes["population"].sum() == ns["town"].meta.population
    assert homes["short"].sum() == pytest.approx(figures.unmet_places)
    assert homes.crs == ns["town"].residential.crs


def test_explore_returns_a_folium_map_with_both_layers(tutorial: tuple[list[Step], dict[str, Any]]):
    _, ns = tutorial
    m = ns["m"]
    assert isinstance(m, folium.Map)
    html = m.get_root().render()
    assert "New kindergarten" in html  # the facility layer's tooltip
    changes = set(ns["blocks"]["change"])
    assert "gained" in changes
    for colour, change in (("#1a9850", "gained"), ("#d9d9d9", "unchanged")):
        assert (colour in html) == (change in changes)
    geojson = [child for child in m._children.values() if isinstance(child, folium.GeoJson)]
    assert len(geojson) == 2
    assert geojson[0].layer_name == "blocks"
    assert geojson[1].layer_name == "kindergartens"


def test_a_text_block_must_follow_a_python_block():
    page = "```python\nprint(1)\n```\n\n```text\n1\n```\n\nWords.\n\n```python\nx = 2\n```\n"
    assert steps_of(page) == [Step("print(1)\n", "1\n"), Step("x = 2\n", None)]
    with pytest.raises(ValueError, match="line 1: a ```text block"):
        steps_of("```text\norphan\n```\n")
    with pytest.raises(ValueError, match="line 5"):
        steps_of("```python\nx = 1\n```\nWords in between.\n```text\n1\n```\n")
    assert steps_of("```sh\nls\n```\n") == []  # shown, not run
    with pytest.raises(ValueError, match="line 7"):
        steps_of("```python\nx = 1\n```\n```sh\nls\n```\n```text\n1\n```\n")
