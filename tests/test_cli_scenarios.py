"""The scenario and optimize commands end to end: files written, one-line errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from planner.cli.main import main

TOML = """version = 1
name = "Close the kindergarten"
[[edits]]
op = "close_facility"
facility_id = "{fid}"
"""


def _scenario(tmp_path: Path, fid: str) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(TOML.format(fid=fid), encoding="utf-8")
    return path


def test_run_writes_the_comparison_and_json(tiny_town_dir: Path, tmp_path: Path, capsys):
    file = _scenario(tmp_path, "F2")
    out = tmp_path / "out"
    assert (
        main(["scenario", "run", str(tiny_town_dir), str(file), "--out", str(out), "--json"]) == 0
    )
    summary = json.loads(capsys.readouterr().out)
    kg = next(s for s in summary["services"] if s["service"] == "kindergarten")
    assert kg["facilities_after"] == kg["facilities_before"] - 1
    assert kg["served_within_after"] == 0.0
    for name in ("comparison.gpkg", "service_changes.csv", "unit_changes.csv", "scenario.toml",
                 "map_kindergarten.png"):  # fmt: skip
        assert (out / name).is_file(), name


def test_a_scenario_that_does_not_fit_prints_one_line_and_exits_1(tiny_town_dir, tmp_path, capsys):
    file = _scenario(tmp_path, "F99")
    code = main(["scenario", "run", str(tiny_town_dir), str(file), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert "\n" not in err
    assert "edit 1 (close_facility 'F99'), field 'facility_id'" in err


def test_save_list_show_rename_duplicate_export_import_delete(tiny_town_dir, tmp_path, capsys):
    db = ["--db", str(tmp_path / "s.sqlite")]
    file = _scenario(tmp_path, "F2")
    assert (
        main(["scenario", "save", str(file), "--town", str(tiny_town_dir), "--author", "Anna", *db])
        == 0
    )
    assert main(["scenario", "save", str(file), "--town", str(tiny_town_dir), *db]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["scenario", "rename", "Close the kindergarten", "Plan A", *db]) == 0
    assert main(["scenario", "duplicate", "Plan A", "Plan B", *db]) == 0
    assert main(["scenario", "export", "Plan B", str(tmp_path / "b.toml"), *db]) == 0
    assert main(["scenario", "import", str(tmp_path / "b.toml"), "--name", "Plan C", *db]) == 0
    assert main(["scenario", "delete", "Plan A", *db]) == 0
    capsys.readouterr()
    assert main(["scenario", "list", "--json", *db]) == 0
    names = [row["name"] for row in json.loads(capsys.readouterr().out)]
    assert sorted(names) == ["Plan B", "Plan C"]
    assert main(["scenario", "show", "Plan B", "--json", *db]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["author"] == "Anna"
    assert shown["summary"]["scenario"] == "Close the kindergarten"
    assert len(shown["town_hash"]) == 64


def test_optimize_proposes_and_saves(tiny_town_dir, tmp_path, capsys):
    db = str(tmp_path / "s.sqlite")
    args = ["optimize", str(tiny_town_dir), "--service", "kindergarten", "--k", "1",
            "--spacing-m", "50", "--cover", "--json", "--save", "opt", "--db", db]  # fmt: skip
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["exact"]["status"] == "optimal"
    assert result["exact"]["gap"] == 0.0
    assert result["exact"]["objective_served_within"] >= result["greedy"]["objective_served_within"]
    assert main(["scenario", "show", "opt", "--db", db]) == 0
    assert main(["optimize", str(tiny_town_dir), "--service", "museum", "--k", "1"]) == 2


def test_a_towns_own_scenario_runs_by_name_from_any_folder(
    tiny_town_dir: Path, tmp_path: Path, capsys, monkeypatch
):
    (tiny_town_dir / "scenarios").mkdir()
    _scenario(tiny_town_dir / "scenarios", "F2").rename(tiny_town_dir / "scenarios" / "close.toml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no file called "close" here: the name is the town's scenario
    runs = []
    for given in ("close", "close.toml"):
        out = tmp_path / f"out-{given}"
        args = ["scenario", "run", str(tiny_town_dir), given, "--out", str(out), "--json"]
        assert main(args) == 0
        runs.append(json.loads(capsys.readouterr().out))
    assert runs[0] == runs[1]
    assert runs[0]["scenario"] == "Close the kindergarten"


def test_a_path_in_the_working_folder_wins_over_a_scenario_name(
    tiny_town_dir: Path, tmp_path: Path, capsys, monkeypatch
):
    (tiny_town_dir / "scenarios").mkdir()
    _scenario(tiny_town_dir / "scenarios", "F99").rename(tiny_town_dir / "scenarios" / "s.toml")
    monkeypatch.chdir(tmp_path)
    _scenario(tmp_path, "F2")  # ./s.toml: a valid scenario, unlike the town's s.toml
    assert main(["scenario", "run", str(tiny_town_dir), "s.toml", "--out", "out", "--json"]) == 0


def test_an_unknown_scenario_name_is_one_line_listing_the_towns_scenarios(
    tiny_town_dir: Path, tmp_path: Path, capsys, monkeypatch
):
    (tiny_town_dir / "scenarios").mkdir()
    _scenario(tiny_town_dir / "scenarios", "F2").rename(tiny_town_dir / "scenarios" / "close.toml")
    monkeypatch.chdir(tmp_path)
    for command in (
        ["scenario", "run", str(tiny_town_dir), "clsoe", "--out", "out"],
        ["export", str(tiny_town_dir), "--format", "csv", "--scenario", "clsoe", "--out", "x.zip"],
    ):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert "'clsoe' is not a scenario file" in err
        assert err.rstrip().endswith("scenario names: close.")
        assert not (tmp_path / "out").exists()
        assert not (tmp_path / "x.zip").exists()
