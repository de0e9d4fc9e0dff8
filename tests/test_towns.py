"""Towns by name: bundled towns, PLANNER_GEODATA folders, paths winning over names, the CLI."""

from __future__ import annotations

import json
import shutil
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.errors import DataValidationError
from planner.io import check_town, load_town
from planner.norms import available_norm_sets, load_norms
from planner.paths import bundled_geodata_dir, default_town_dir, geodata_dirs
from planner.towns import TownNotFoundError, known_towns, resolve_town
from tests.testdata import BROKEN_DIR, TINY_TOWN_DIR


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory outside the checkout, without PLANNER_GEODATA."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("PLANNER_GEODATA", raising=False)
    return cwd


def _user_geodata(root: Path, *names: str) -> Path:
    """A geodata folder holding a copy of the tiny town under each name."""
    for name in names:
        shutil.copytree(TINY_TOWN_DIR, root / name)
    return root


def test_bundled_town_by_name_from_any_folder(elsewhere: Path) -> None:
    folder = resolve_town("gusev")
    assert folder == bundled_geodata_dir() / "gusev"
    meta = tomllib.loads((folder / "town.toml").read_text(encoding="utf-8"))
    assert (meta["name"], meta["population"]) == ("Gusev", 28600)
    [gusev] = [town for town in known_towns() if town.name == "gusev"]
    assert gusev.bundled
    assert not gusev.shadows_bundled
    assert default_town_dir() == folder


def test_only_folders_with_town_toml_are_towns(elsewhere: Path) -> None:
    names = [town.name for town in known_towns()]
    assert "gusev" in names
    assert "norms" not in names  # a sibling folder without town.toml


def test_an_existing_path_wins_over_a_name(elsewhere: Path) -> None:
    shutil.copytree(TINY_TOWN_DIR, elsewhere / "gusev")
    assert resolve_town("gusev") == Path("gusev")
    assert load_town("gusev").meta.name == "Tiny"
    assert load_town(Path("gusev")).meta.name == "Tiny"


def test_user_geodata_comes_first_and_adds_towns(
    elsewhere: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _user_geodata(tmp_path / "first", "tinyville", "gusev")
    second = _user_geodata(tmp_path / "second", "tinyville", "otherton")
    monkeypatch.setenv("PLANNER_GEODATA", f"{first}:{second}")
    assert geodata_dirs() == [first, second, bundled_geodata_dir()]
    towns = {town.name: town for town in known_towns()}
    assert towns["tinyville"].folder == first / "tinyville"  # the first folder of a name wins
    assert towns["otherton"].folder == second / "otherton"
    assert towns["gusev"].folder == first / "gusev"
    assert towns["gusev"].shadows_bundled
    assert not towns["tinyville"].shadows_bundled
    assert not any(town.bundled for town in towns.values())
    assert load_town("gusev").meta.name == "Tiny"
    assert default_town_dir() == first / "gusev"


def test_unknown_name_lists_the_towns(elsewhere: Path) -> None:
    with pytest.raises(TownNotFoundError, match=r"'atlantis' is not a folder.*: gusev\.$"):
        resolve_town("atlantis")
    town, issues = check_town("atlantis")
    assert town is None
    [issue] = issues
    assert issue.file == "atlantis"
    assert "gusev" in issue.fix
    with pytest.raises(DataValidationError, match="nor the name of a known town"):
        load_town("atlantis")


@pytest.mark.parametrize("command", ["validate", "analyze", "gaps"])
def test_cli_unknown_town_is_one_line(
    elsewhere: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [command, "atlantis"] + (["--out", "out"] if command == "analyze" else [])
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("planner: error: 'atlantis' is not a folder")
    assert captured.err.count("\n") == 1
    assert captured.err.rstrip().endswith(": gusev.")
    assert not (elsewhere / "out").exists()


def test_cli_name_and_path_give_the_same_output(
    elsewhere: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    geodata = _user_geodata(tmp_path / "geodata", "tinyville")
    monkeypatch.setenv("PLANNER_GEODATA", str(geodata))
    assert main(["gaps", "tinyville"]) == 0
    by_name = capsys.readouterr().out
    assert main(["gaps", str(geodata / "tinyville")]) == 0
    assert capsys.readouterr().out == by_name
    assert "Gaps in Tiny" in by_name


def test_cli_towns_lists_bundled_and_user_towns(
    elsewhere: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    geodata = _user_geodata(tmp_path / "geodata", "tinyville", "broken")
    for path in (BROKEN_DIR / "duplicate_ids").iterdir():
        shutil.copy(path, geodata / "broken" / path.name)
    (geodata / "tinyville" / "scenarios").mkdir()
    for name in ("school.toml", "a_park.toml", "notes.txt"):
        (geodata / "tinyville" / "scenarios" / name).write_text("", encoding="utf-8")
    monkeypatch.setenv("PLANNER_GEODATA", str(geodata))
    assert main(["towns"]) == 0
    out = capsys.readouterr().out
    folder = geodata / "tinyville" / "scenarios"
    assert (
        "    Scenarios (by name, e.g. `planner scenario run tinyville a_park --out out/`; "
        f"files in {folder}): a_park, school\n"
    ) in out
    assert "Scenarios" not in out.split("broken:")[1].split("\n\n")[0]
    assert "gusev: Gusev (Гусев), 28,600 residents (2025); bundled with planner" in out
    assert "tinyville: Tiny (Крошечный), 1,000 residents (2025); user folder" in out
    # Counted straight from the GeoJSON files: every feature of every layer has a provenance.
    counts = Counter(
        feature["properties"]["provenance"]
        for path in TINY_TOWN_DIR.glob("*.geojson")
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]
    )
    assert set(counts) == {"modelled", "illustrative"}
    total = sum(counts.values())
    shares = ", ".join(f"{p} {counts[p] / total:.1%}" for p in ("modelled", "illustrative"))
    tiny = out.split("tinyville:")[1]
    assert f"Provenance of all features: {shares}" in tiny
    assert "Modelled (modelled + illustrative): 100.0% of features, 100.0% of residents" in tiny
    assert "broken: cannot be loaded (1 error(s))" in out
    assert "`planner validate broken` lists the problems" in out
    assert out.index("broken:") < out.index("gusev:") < out.index("tinyville:")
    assert "Norm sets: fifteen_minute_city, sp42_small_town" in out


def test_user_norm_sets_override_and_extend_the_bundled_ones(
    elsewhere: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = load_norms("sp42_small_town")
    norms = tmp_path / "geodata" / "norms"
    norms.mkdir(parents=True)
    shutil.copy(bundled.source_file, norms / "sp42_small_town.toml")
    text = (bundled.source_file.parent / "fifteen_minute_city.toml").read_text(encoding="utf-8")
    (norms / "my_city.toml").write_text(
        text.replace('key = "fifteen_minute_city"', 'key = "my_city"'), encoding="utf-8"
    )
    monkeypatch.setenv("PLANNER_GEODATA", str(tmp_path / "geodata"))
    assert load_norms("sp42_small_town").source_file == norms / "sp42_small_town.toml"
    assert load_norms("fifteen_minute_city").source_file.parent == bundled.source_file.parent
    assert load_norms("my_city").key == "my_city"
    assert available_norm_sets() == ["fifteen_minute_city", "my_city", "sp42_small_town"]
