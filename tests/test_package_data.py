"""The build's data steps on small made-up trees: geodata files to ship, npm front-end files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))  # as setup.py imports them
from frontend_assets import (  # noqa: E402
    MANIFEST,
    FrontendAssetsError,
    bundle_assets,
    copy_assets,
    current_files,
    locked_packages,
)
from package_data import PackageDataError, copy_geodata, geodata_files  # noqa: E402

LOCK = {
    "lockfileVersion": 3,
    "packages": {
        "": {"dependencies": {"leaflet": "9.9.9", "jquery": "8.8.8", "leaflet-draw": "7.7.7"}},
        "node_modules/leaflet": {"version": "9.9.9", "integrity": "sha512-L", "license": "BSD"},
        "node_modules/jquery": {"version": "8.8.8", "integrity": "sha512-J", "license": "MIT"},
        "node_modules/leaflet-draw": {
            "version": "7.7.7",
            "integrity": "sha512-D",
            "license": "MIT",
        },
    },
}
FILES = [
    "jquery/LICENSE.txt",
    "jquery/jquery.min.js",
    "leaflet-draw/images/spritesheet.svg",
    "leaflet-draw/leaflet.draw.css",
    "leaflet-draw/leaflet.draw.js",
    "leaflet/LICENSE",
    "leaflet/images/a.png",
    "leaflet/images/b.png",
    "leaflet/leaflet.css",
    "leaflet/leaflet.js",
]


def _write(path: Path, text: str = "x") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _project(root: Path) -> Path:
    """A project with a lockfile and a node_modules holding the pinned versions."""
    (root / "package.json").parent.mkdir(parents=True, exist_ok=True)
    (root / "package.json").write_text("{}", encoding="utf-8")
    (root / "package-lock.json").write_text(json.dumps(LOCK), encoding="utf-8")
    nm = root / "node_modules"
    for name, version in (("leaflet", "9.9.9"), ("jquery", "8.8.8"), ("leaflet-draw", "7.7.7")):
        _write(nm / name / "package.json", json.dumps({"name": name, "version": version}))
    for rel in ("dist/leaflet.js", "dist/leaflet.css", "LICENSE", "dist/leaflet-src.js"):
        _write(nm / "leaflet" / rel, f"leaflet {rel}")
    for png in ("a.png", "b.png"):
        _write(nm / "leaflet" / "dist" / "images" / png, png)
    for rel in ("dist/jquery.min.js", "dist/jquery.js", "LICENSE.txt"):
        _write(nm / "jquery" / rel, f"jquery {rel}")
    for rel in (
        "leaflet.draw.js",
        "leaflet.draw.css",
        "leaflet.draw-src.js",
        "images/spritesheet.svg",
    ):
        _write(nm / "leaflet-draw" / "dist" / rel, f"draw {rel}")
    return root


def test_copy_takes_the_listed_files_with_licences_and_records_the_packages(tmp_path: Path):
    project = _project(tmp_path / "p")
    dest = tmp_path / "vendor"
    copy_assets(project / "node_modules", dest, locked_packages(project))
    files = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert files == sorted([*FILES, MANIFEST])  # not leaflet-src.js, not jquery.js
    assert (dest / "leaflet" / "LICENSE").read_text() == "leaflet LICENSE"
    manifest = json.loads((dest / MANIFEST).read_text())
    assert manifest["packages"]["leaflet"] == {
        "version": "9.9.9",
        "integrity": "sha512-L",
        "license": "BSD",
    }
    assert manifest["files"] == FILES
    assert current_files(dest, locked_packages(project)) == FILES


def test_copy_refuses_node_modules_of_another_version(tmp_path: Path):
    project = _project(tmp_path / "p")
    _write(project / "node_modules" / "jquery" / "package.json", '{"version": "3.0.0"}')
    dest = tmp_path / "vendor"
    _write(dest / "old.txt")
    with pytest.raises(FrontendAssetsError, match=r"holds version 3\.0\.0.*pins 8\.8\.8"):
        copy_assets(project / "node_modules", dest, locked_packages(project))
    assert (dest / "old.txt").exists()  # the previous copy is left as it was


def test_a_vendor_folder_is_stale_when_the_lockfile_moves_on_or_a_file_is_gone(tmp_path: Path):
    project = _project(tmp_path / "p")
    dest = tmp_path / "vendor"
    copy_assets(project / "node_modules", dest, locked_packages(project))
    newer = json.loads(json.dumps(LOCK))
    newer["packages"]["node_modules/leaflet"]["version"] = "10.0.0"
    (project / "package-lock.json").write_text(json.dumps(newer), encoding="utf-8")
    assert current_files(dest, locked_packages(project)) is None
    (project / "package-lock.json").write_text(json.dumps(LOCK), encoding="utf-8")
    assert current_files(dest, locked_packages(project)) == FILES
    (dest / "leaflet" / "images" / "a.png").unlink()
    assert current_files(dest, locked_packages(project)) is None


def test_bundle_copies_a_current_static_vendor_without_npm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    project = _project(tmp_path / "p")
    static = project / "static" / "vendor"
    copy_assets(project / "node_modules", static, locked_packages(project))
    _write(static / "unlisted.js")  # not from npm: not shipped
    shutil.rmtree(project / "node_modules")
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    dest = tmp_path / "bundle"
    assert bundle_assets(project, dest) == "static/vendor"
    assert sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file()) == sorted(
        [*FILES, MANIFEST]
    )


def test_bundle_without_a_current_copy_and_without_npm_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    project = _project(tmp_path / "p")
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(FrontendAssetsError, match=r"npm is not installed.*apt-get install npm"):
        bundle_assets(project, tmp_path / "bundle")


def test_missing_lockfile_is_a_clear_error(tmp_path: Path):
    with pytest.raises(FrontendAssetsError, match=r"package-lock\.json is missing"):
        locked_packages(tmp_path)


def test_real_lockfile_pins_leaflet_jquery_and_leaflet_draw():
    locked = locked_packages(ROOT)
    assert set(locked) == {"leaflet", "jquery", "leaflet-draw"}
    assert locked["leaflet"]["license"] == "BSD-2-Clause"
    assert locked["jquery"]["license"] == "MIT"
    assert locked["leaflet-draw"]["license"] == "MIT"


# --- geodata ------------------------------------------------------------------------------------


def _geodata(root: Path) -> None:
    _write(root / "geodata" / "town_a" / "town.toml")
    _write(root / "geodata" / "town_a" / "scenarios" / "plan.toml")
    _write(root / "geodata" / "norms" / "set.toml")
    _write(root / "geodata" / ".hidden")
    _write(root / "geodata" / "town_a" / "__pycache__" / "x.pyc")


def test_outside_git_every_geodata_file_ships_but_hidden_ones(tmp_path: Path):
    _geodata(tmp_path)
    assert geodata_files(tmp_path) == [
        Path("geodata/norms/set.toml"),
        Path("geodata/town_a/scenarios/plan.toml"),
        Path("geodata/town_a/town.toml"),
    ]
    dest = tmp_path / "out" / "geodata"
    _write(dest / "removed_town" / "town.toml")  # left over from an earlier build
    assert copy_geodata(tmp_path, dest) == 3
    assert (dest / "town_a" / "scenarios" / "plan.toml").is_file()
    assert not (dest / "removed_town").exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_in_a_git_checkout_only_tracked_geodata_ships(tmp_path: Path):
    _geodata(tmp_path)
    _write(tmp_path / "geodata" / "local_import" / "town.toml")  # never committed

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", "geodata/town_a/town.toml", "geodata/norms/set.toml")
    assert geodata_files(tmp_path) == [
        Path("geodata/norms/set.toml"),
        Path("geodata/town_a/town.toml"),
    ]


def test_no_town_means_no_package(tmp_path: Path):
    _write(tmp_path / "geodata" / "norms" / "set.toml")
    with pytest.raises(PackageDataError, match="would ship without data"):
        geodata_files(tmp_path)
