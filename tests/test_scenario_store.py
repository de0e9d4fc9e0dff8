"""The SQLite scenario store: round trips, name rules, and 20 processes saving at once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from planner.scenarios import AddFacility, CloseFacility, Scenario
from planner.scenarios.store import ScenarioStore, StoreError, default_db_path

SCENARIO = Scenario(
    "North kindergarten",
    edits=(
        AddFacility(id="k1", service="kindergarten", lon=22.2, lat=54.6, capacity=180),
        CloseFacility(facility_id="k0"),
    ),
    description="a test",
    author="Anna",
)


def test_save_and_read_back(tmp_path: Path):
    store = ScenarioStore(tmp_path / "s.sqlite")
    saved = store.save(SCENARIO, town_name="Line", town_hash="abc", summary={"x": 1.5})
    again = ScenarioStore(tmp_path / "s.sqlite").get("north KINDERGARTEN")
    assert again.scenario == SCENARIO == saved.scenario
    assert (again.author, again.town_name, again.town_hash, again.summary) == (
        "Anna", "Line", "abc", {"x": 1.5}
    )  # fmt: skip
    assert again.created_at == again.updated_at


def test_a_taken_name_is_refused_with_who_saved_it(tmp_path: Path):
    store = ScenarioStore(tmp_path / "s.sqlite")
    store.save(SCENARIO)
    with pytest.raises(StoreError, match=r"'North kindergarten' already exists .*saved by Anna"):
        store.save(SCENARIO.renamed("NORTH kindergarten"))
    updated = store.save(SCENARIO.with_edit(CloseFacility(facility_id="k9")), replace_existing=True)
    assert len(updated.scenario.edits) == 3
    assert updated.updated_at >= updated.created_at


def test_rename_duplicate_delete(tmp_path: Path):
    store = ScenarioStore(tmp_path / "s.sqlite")
    store.save(SCENARIO)
    store.rename("North kindergarten", "Plan A")
    copy = store.duplicate("Plan A", "Plan B", author="Boris")
    assert copy.scenario.name == "Plan B"
    assert copy.author == "Boris"
    assert store.get("Plan A").scenario.name == "Plan A"
    with pytest.raises(StoreError, match="already exists"):
        store.rename("Plan A", "Plan B")
    store.delete("Plan A")
    assert store.names() == ["Plan B"]
    with pytest.raises(StoreError, match=r"No scenario named 'Plan A'.*Saved: Plan B"):
        store.get("Plan A")


def test_the_default_database_follows_xdg_data_home(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "gusev-planner" / "scenarios.sqlite"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_db_path() == Path.home() / ".local/share/gusev-planner/scenarios.sqlite"


def test_a_file_that_is_not_a_database_is_reported(tmp_path: Path):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database, just text " * 100)
    with pytest.raises(StoreError, match="Cannot open the scenario database"):
        ScenarioStore(bad)


def _save_one(args: tuple[str, int]) -> str:
    path, i = args
    store = ScenarioStore(path)
    try:
        store.save(Scenario(f"plan {i}", edits=(CloseFacility(facility_id=f"k{i}"),)))
        store.save(Scenario("contested", edits=(CloseFacility(facility_id=f"k{i}"),)))
    except StoreError:
        return "conflict"
    return "saved"


def test_twenty_processes_saving_at_once_lose_nothing(tmp_path: Path):
    path = str(tmp_path / "s.sqlite")
    ScenarioStore(path)
    with multiprocessing.get_context("fork").Pool(20) as pool:
        results = pool.map(_save_one, [(path, i) for i in range(20)])
    store = ScenarioStore(path)
    names = set(store.names())
    assert {f"plan {i}" for i in range(20)} <= names
    # Exactly one process won the contested name; the other 19 got the conflict message.
    assert results.count("saved") == 1
    assert results.count("conflict") == 19
    assert len(names) == 21
    for i in range(20):
        assert store.get(f"plan {i}").scenario.edits == (CloseFacility(facility_id=f"k{i}"),)
