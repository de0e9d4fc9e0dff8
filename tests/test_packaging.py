"""The package as a user gets it: built, installed outside the checkout, run from another folder.

``python -m build`` makes the sdist and the wheel built from it; a second wheel is built straight
from the checkout (what ``pip install .`` and ``pip wheel .`` do). The wheel from the checkout and
the sdist (which pip builds again, with npm and git out of reach) are each installed into a fresh
virtual environment in a temporary folder; from yet another folder, ``planner towns``,
``planner validate gusev``, ``planner analyze gusev`` and the tutorial (docs/tutorial.md) must
succeed and print and write exactly what the checkout does.

How the fresh environments get their dependencies: only the built package is installed into them
(``pip install --no-index --no-deps``). Its declared requirements (``Requires-Dist`` of the built
wheel, followed transitively through the test environment's installed metadata) are linked from
the test environment into a folder that one ``.pth`` line puts on the new environment's path —
those and nothing else, so an import of an undeclared package (a test-only one, Streamlit) fails
there as it would for a user. The ``notebook`` extra's additional packages sit in a second folder
that only the tutorial run adds (``PYTHONPATH``), as if installed with ``[notebook]``. Nothing is
downloaded or copied (the pinned dependencies weigh hundreds of megabytes), the versions are
exactly the pinned ones, and ``pip check`` proves the declared requirements are met. A ``.pth``
*line* does not run ``.pth`` hooks, so the editable install of the checkout stays out of reach and
``import planner`` finds the installed copy: a test asserts it.
"""

from __future__ import annotations

import csv
import email.parser
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

pytestmark = pytest.mark.package

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
BUNDLED = "planner/_bundled/"
ANALYSIS_FILES = (
    "service_summary.csv",
    "district_summary.csv",
    "coverage.csv",
    "gap_zones.csv",
    "requirements.csv",
    "facilities.csv",
)


def _run(
    command: list[str], *, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        command, cwd=cwd, env=env or _clean_env(), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that would point Python or planner at the checkout."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PLANNER_GEODATA", "VIRTUAL_ENV", "PYTHONHOME"}
    }
    return env | extra


@dataclass(frozen=True)
class Built:
    sdist: Path
    wheel_from_sdist: Path
    wheel: Path


@dataclass(frozen=True)
class Installed:
    """A fresh virtual environment holding one installed artefact."""

    name: str
    root: Path

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    @property
    def planner(self) -> Path:
        return self.root / "bin" / "planner"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    dist = tmp_path_factory.mktemp("dist")
    build = [sys.executable, "-m", "build", "--no-isolation"]
    _run([*build, "--outdir", str(dist / "release")], cwd=ROOT)
    # The direct wheel build keeps setuptools' build folder out of the checkout.
    config = dist / "build.cfg"
    config.write_text(f"[build]\nbuild_base = {dist / 'build'}\n", encoding="utf-8")
    env = _clean_env(DIST_EXTRA_CONFIG=str(config))
    _run([*build, "--wheel", "--outdir", str(dist / "direct")], cwd=ROOT, env=env)
    [sdist] = (dist / "release").glob("*.tar.gz")
    [from_sdist] = (dist / "release").glob("*.whl")
    [wheel] = (dist / "direct").glob("*.whl")
    return Built(sdist, from_sdist, wheel)


def _declared_requirements(wheel: Path) -> list[str]:
    """The ``Requires-Dist`` lines of a built wheel."""
    with zipfile.ZipFile(wheel) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        headers = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    return headers.get_all("Requires-Dist") or []


def _closure(requires: list[str], extras: frozenset[str]) -> set[str]:
    """Names of the distributions ``requires`` needs with ``extras``, transitively."""
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(requires, extras)]
    while todo:
        texts, active = todo.pop()
        for text in texts:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker is not None and not any(marker.evaluate({"extra": e}) for e in {"", *active}):
                continue
            key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
            if key not in seen:
                seen.add(key)
                todo.append((metadata.distribution(key[0]).requires or [], key[1]))
    return {name for name, _ in seen}


def _link_distributions(names: set[str], folder: Path) -> Path:
    """Link the top-level files of these installed distributions into ``folder``."""
    folder.mkdir(parents=True)
    for name in sorted(names):
        dist = metadata.distribution(name)
        for top in sorted({file.parts[0] for file in dist.files or []}):
            target = folder / top
            if top in {"..", "__pycache__"} or top.endswith(".pth") or target.is_symlink():
                continue
            target.symlink_to(Path(str(dist.locate_file(top))))
    return folder


@dataclass(frozen=True)
class Dependencies:
    runtime: Path
    notebook: Path
    build: Path


@pytest.fixture(scope="module")
def dependencies(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Dependencies:
    folder = tmp_path_factory.mktemp("dependencies")
    requires = _declared_requirements(built.wheel)
    runtime = _closure(requires, frozenset())
    notebook = _closure(requires, frozenset({"notebook"})) - runtime
    assert "streamlit" not in runtime  # the library does not need the dashboard
    assert "mapclassify" in notebook
    return Dependencies(
        runtime=_link_distributions(runtime, folder / "runtime"),
        notebook=_link_distributions(notebook, folder / "notebook"),
        build=_link_distributions({"setuptools"}, folder / "build"),
    )


def _fresh_env(root: Path, artefact: Path, deps: Dependencies, *, path: str) -> Installed:
    _run([sys.executable, "-m", "venv", "--without-pip", str(root)], cwd=root.parent)
    query = "import sysconfig; print(sysconfig.get_path('purelib'))"
    purelib = Path(_run([str(root / "bin" / "python"), "-c", query], cwd=root).stdout.strip())
    (purelib / "dependencies.pth").write_text(f"{deps.runtime}\n", "utf-8")
    # setuptools is on the path only while pip builds the sdist: it is a build requirement.
    (purelib / "build_dependencies.pth").write_text(f"{deps.build}\n", "utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(root / "bin" / "python"), "install"]
    flags = ["--no-index", "--no-deps", "--ignore-installed", "--no-build-isolation", "--quiet"]
    _run([*pip, *flags, str(artefact)], cwd=root.parent, env=_clean_env(PATH=path))
    (purelib / "build_dependencies.pth").unlink()
    return Installed(artefact.name, root)


@pytest.fixture(scope="module", params=["wheel", "sdist"])
def installed(
    request: pytest.FixtureRequest,
    built: Built,
    dependencies: Dependencies,
    tmp_path_factory: pytest.TempPathFactory,
) -> Installed:
    root = tmp_path_factory.mktemp(f"venv-{request.param}") / "env"
    if request.param == "wheel":
        return _fresh_env(root, built.wheel, dependencies, path=os.environ.get("PATH", ""))
    # Building from the sdist needs neither npm nor git nor a network: only the interpreter.
    return _fresh_env(root, built.sdist, dependencies, path=str(root / "bin"))


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def _names(archive: Path) -> list[str]:
    with zipfile.ZipFile(archive) as wheel:
        return sorted(wheel.namelist())


def _tracked_geodata() -> list[str]:
    listing = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "--", "geodata"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return sorted(name for name in listing if (ROOT / name).is_file())


def test_wheels_ship_the_tracked_geodata_and_the_npm_files(built: Built) -> None:
    names = _names(built.wheel)
    geodata = [n.removeprefix(BUNDLED) for n in names if n.startswith(BUNDLED + "geodata/")]
    assert geodata == _tracked_geodata()
    vendor = [
        n.removeprefix(BUNDLED + "vendor/") for n in names if n.startswith(BUNDLED + "vendor/")
    ]
    manifest = json.loads((ROOT / "static" / "vendor" / "npm-packages.json").read_text("utf-8"))
    assert vendor == sorted([*manifest["files"], "npm-packages.json"])
    assert {"leaflet/LICENSE", "jquery/LICENSE.txt"} <= set(vendor)
    with zipfile.ZipFile(built.wheel) as wheel:
        for name in manifest["files"]:
            packed = wheel.read(BUNDLED + "vendor/" + name)
            assert packed == (ROOT / "static" / "vendor" / name).read_bytes(), name
    # The wheel built from the sdist holds the same files as the one built from the checkout.
    assert _names(built.wheel_from_sdist) == names
    assert not any(name.startswith(("tests/", "app.py", "ui/")) for name in names)


def test_sdist_holds_what_a_wheel_build_needs_and_no_tests(built: Built) -> None:
    import tarfile

    with tarfile.open(built.sdist) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    needed = {
        "pyproject.toml",
        "setup.py",
        "MANIFEST.in",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "package.json",
        "package-lock.json",
        "scripts/frontend_assets.py",
        "scripts/package_data.py",
        "static/vendor/npm-packages.json",
        "static/vendor/leaflet/LICENSE",
        "planner/cli/main.py",
        *_tracked_geodata(),
    }
    assert needed <= names
    assert not any(name.startswith("tests/") for name in names)


def test_twine_check_passes(built: Built) -> None:
    result = _run(
        [sys.executable, "-m", "twine", "check", "--strict", str(built.sdist), str(built.wheel)],
        cwd=ROOT,
    )
    assert result.stdout.count("PASSED") == 2


def test_the_installed_copy_is_the_one_running(installed: Installed, elsewhere: Path) -> None:
    code = (
        "import planner, planner.paths as p, planner.maps.assets as a\n"
        "print(planner.__file__); print(p.bundled_geodata_dir()); print(p.vendor_dir())\n"
        "print(a.require_vendor_files().leaflet_js); print(planner.__version__)"
    )
    lines = _run([str(installed.python), "-c", code], cwd=elsewhere).stdout.splitlines()
    *paths, version = lines
    for path in paths:
        assert Path(path).is_relative_to(installed.root), path
        assert not Path(path).is_relative_to(ROOT)
    assert version == VERSION
    assert _run([str(installed.planner), "--version"], cwd=elsewhere).stdout.strip() == (
        f"planner {VERSION}"
    )
    check = [sys.executable, "-m", "pip", "--python", str(installed.python), "check"]
    _run(check, cwd=elsewhere)
    # Only the declared dependencies are there: the dashboard's are not.
    missing = subprocess.run(
        [str(installed.python), "-c", "import streamlit"],
        cwd=elsewhere,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert "No module named 'streamlit'" in missing.stderr


def _checkout(args: list[str], cwd: Path) -> str:
    return _run([sys.executable, "-m", "planner", *args], cwd=cwd).stdout


def _bundled_dir(python: Path | str, cwd: Path) -> str:
    code = "import planner.paths as p; print(p.bundled_geodata_dir())"
    return _run([str(python), "-c", code], cwd=cwd).stdout.strip()


def _block(listing: str, name: str) -> str:
    """One town's paragraph of ``planner towns``."""
    [block] = [b for b in listing.split("\n\n") if b.startswith(f"{name}: ")]
    return block


def test_towns_and_validate_say_what_the_checkout_says(
    installed: Installed, elsewhere: Path
) -> None:
    ours = _bundled_dir(installed.python, elsewhere)
    theirs = _bundled_dir(sys.executable, elsewhere)
    towns = _run([str(installed.planner), "towns"], cwd=elsewhere).stdout
    # A checkout may hold local towns besides the committed ones: compare the bundled town.
    gusev = _block(towns, "gusev")
    assert gusev.replace(ours, "<geodata>") == _block(
        _checkout(["towns"], elsewhere), "gusev"
    ).replace(theirs, "<geodata>")
    assert gusev.startswith("gusev: Gusev (Гусев), 28,600 residents (2025); bundled with planner")
    assert f"{ours}/gusev" in gusev
    got = _run([str(installed.planner), "validate", "gusev"], cwd=elsewhere).stdout
    want = _checkout(["validate", "gusev"], elsewhere)
    assert got.replace(ours, "<geodata>") == want.replace(theirs, "<geodata>")
    assert got.startswith(f"{ours}/gusev: valid")
    assert "Gusev: population 28,600 (official 28,600)" in got


def test_analyze_gusev_gives_the_checkout_figures(
    installed: Installed, elsewhere: Path, tmp_path: Path
) -> None:
    args = ["analyze", "gusev", "--service", "kindergarten", "--out", "out"]
    got = _run([str(installed.planner), *args], cwd=elsewhere).stdout
    reference = tmp_path / "reference"
    reference.mkdir()
    assert got == _checkout(args, reference)
    summary = (elsewhere / "out" / "service_summary.csv").read_text(encoding="utf-8-sig")
    [row] = list(csv.DictReader(summary.splitlines()))
    assert row["service"] == "kindergarten"
    assert float(row["residents"]) == 28600
    for name in ANALYSIS_FILES:
        produced = (elsewhere / "out" / name).read_bytes()
        assert produced == (reference / "out" / name).read_bytes(), name
    assert (elsewhere / "out" / "analysis.gpkg").stat().st_size > 0


def test_unknown_town_lists_the_bundled_ones(installed: Installed, elsewhere: Path) -> None:
    result = subprocess.run(
        [str(installed.planner), "validate", "atlantis"],
        cwd=elsewhere,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.rstrip().endswith(": gusev.")


def test_the_tutorial_runs_on_the_installed_package(
    installed: Installed, dependencies: Dependencies, elsewhere: Path
) -> None:
    # A notebook user's folder: the page and the runner copied in, nothing else of the checkout.
    for source in (ROOT / "docs" / "tutorial.md", ROOT / "tests" / "tutorial.py"):
        shutil.copy(source, elsewhere / source.name)
    env = _clean_env(PYTHONPATH=str(dependencies.notebook))  # installed with [notebook]
    result = _run([str(installed.python), "tutorial.py", "tutorial.md"], cwd=elsewhere, env=env)
    steps = json.loads(result.stdout)
    assert len(steps) >= 6
    for number, step in enumerate(steps, start=1):
        assert step["printed"] == step["expected"], f"block {number}:\n{step['code']}"
