"""The command line's error contract: one specific line, exit 1 (invalid data) or 2, no traceback.

Covers the output folder (a file, under a file, unwritable, read-only, full, a folder where a file
goes, empty), a reader that leaves early (broken pipe), usage errors, unexpected errors, killed
runs, and the import-osm options that used to be accepted or checked too late.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.exports.data import RESULT_FILES
from planner.fileio import MANIFEST_NAME, file_sha256, read_manifest
from tests.cli_support import error_lines, one_error_line
from tests.factories import bad_output_folder

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("case", "phrase"),
    [
        ("file", "is a file; give a folder for the results"),
        ("under_file", "blocker is a file, so no folder can be made under it"),
        ("gpkg_dir", "analysis.gpkg is a folder where planner writes a file"),
        ("foreign", "holds files planner did not write (notes.txt)"),
    ],
)
def test_bad_output_folder_is_one_line_exit_2(
    tiny_town_dir: Path, tmp_path: Path, capsys, case: str, phrase: str
) -> None:
    out = bad_output_folder(tmp_path, case)
    assert main(["analyze", str(tiny_town_dir), "--service", "school", "--out", str(out)]) == 2
    assert phrase in one_error_line(capsys.readouterr().err)


def test_empty_out_is_refused_not_the_current_folder(
    tiny_town_dir: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as info:
        main(["analyze", str(tiny_town_dir), "--out", ""])
    assert info.value.code == 2
    err = one_error_line(capsys.readouterr().err)
    assert "argument --out: the path is empty" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny_town"]


@pytest.mark.parametrize(
    ("code", "phrase"),
    [
        (errno.EACCES, "permission denied writing"),
        (errno.EROFS, "is on a read-only file system"),
        (errno.ENOSPC, "no space left on the device holding"),
    ],
)
def test_unwritable_output_folder(
    tiny_town_dir: Path, tmp_path: Path, monkeypatch, capsys, code: int, phrase: str
) -> None:
    # The test suite may run as root, for whom permissions do not apply: the kernel's answer for
    # folders under tmp_path/"locked" is simulated, everything else is real.
    locked = tmp_path / "locked"
    locked.mkdir()
    real_mkdir = os.mkdir

    def refusing_mkdir(path: object, *args: object, **kwargs: object) -> None:
        if str(path).startswith(str(locked)):
            raise OSError(code, os.strerror(code), str(path))
        real_mkdir(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "mkdir", refusing_mkdir)
    out = locked / "out"
    assert main(["analyze", str(tiny_town_dir), "--service", "school", "--out", str(out)]) == 2
    err = one_error_line(capsys.readouterr().err)
    assert phrase in err
    assert str(locked) in err


def test_disk_full_while_gdal_writes_says_no_space(
    tiny_town_dir: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    """GDAL reports a full disk in its own words (e.g. "Failed to commit transaction")."""
    import geopandas as gpd
    import pyogrio

    from planner import fileio

    def failing_write(*args: object, **kwargs: object) -> None:
        msg = "sqlite3_exec(INSERT INTO gpkg_contents ...) failed: no such table"
        raise pyogrio.errors.DataSourceError(msg)

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", failing_write)
    # The disk is full: the probe write that follows a failure gets ENOSPC.
    monkeypatch.setattr(fileio, "_PROBE_BYTES", 1)
    real_open = Path.open

    def full_open(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        if "probe" in self.name and "w" in mode:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_open(self, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", full_open)
    out = tmp_path / "out"
    assert main(["analyze", str(tiny_town_dir), "--service", "school", "--out", str(out)]) == 2
    err = one_error_line(capsys.readouterr().err)
    assert f"no space left on the device holding {out}" in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny_town"]


def test_broken_pipe_exits_quietly(tiny_town_dir: Path) -> None:
    """``planner gaps ... | head -1``: the reader is gone before planner writes."""
    process = subprocess.Popen(
        [sys.executable, "-m", "planner", "gaps", str(tiny_town_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()
    err = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=120) == 2
    assert error_lines(err.decode()) == []  # quiet: no message, no traceback


def test_broken_pipe_in_process(tiny_town_dir: Path, monkeypatch, capsys) -> None:
    class GonePipe:
        def write(self, text: str) -> int:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", GonePipe())
    assert main(["gaps", str(tiny_town_dir)]) == 2
    assert error_lines(capsys.readouterr().err) == []


def test_usage_error_is_one_line(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["analyze", "--no-such-option"])
    assert info.value.code == 2
    err = one_error_line(capsys.readouterr().err)
    assert "unrecognized arguments: --no-such-option" in err or "required" in err


def test_unexpected_error_is_one_line_and_v_shows_the_traceback(
    tiny_town_dir: Path, monkeypatch, capsys
) -> None:
    import importlib

    cli = importlib.import_module("planner.cli.main")

    def boom(args: object) -> int:
        msg = "something nobody expected"
        raise RuntimeError(msg)

    monkeypatch.setattr(cli, "_cmd_gaps", boom)
    assert main(["gaps", str(tiny_town_dir)]) == 2
    err = one_error_line(capsys.readouterr().err)
    assert "internal error (RuntimeError: something nobody expected)" in err
    assert "-v" in err
    assert main(["-v", "gaps", str(tiny_town_dir)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert "boom" in err


def test_a_result_folder_names_its_run(tiny_town_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["analyze", str(tiny_town_dir), "--service", "school", "--elderly", "--out", str(out)]
    assert main(args) == 0
    manifest = read_manifest(out)
    assert manifest is not None
    assert manifest["command"] == "analyze"
    assert manifest["options"]["services"] == ["school"]
    assert manifest["options"]["walk_speed_m_min"] == 50.0
    assert manifest["inputs"]["town/residential.geojson"] == file_sha256(
        tiny_town_dir / "residential.geojson"
    )
    assert sorted(manifest["files"]) == sorted(RESULT_FILES)
    # A second run with other options replaces the whole set: no kindergarten-only leftovers.
    assert (
        main(["analyze", str(tiny_town_dir), "--service", "kindergarten", "--out", str(out)]) == 0
    )
    manifest = read_manifest(out)
    assert manifest is not None
    assert manifest["options"]["services"] == ["kindergarten"]
    coverage = (out / "coverage.csv").read_text(encoding="utf-8-sig")
    assert ",school," not in coverage
    assert ",kindergarten," in coverage


def _complete_result(out: Path) -> dict[str, object]:
    manifest = read_manifest(out)
    assert manifest is not None, f"{out} has no manifest: {sorted(out.iterdir())}"
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([*manifest["files"], MANIFEST_NAME])
    for name, info in manifest["files"].items():
        assert file_sha256(out / name) == info["sha256"], f"{name} does not match its manifest"
    return manifest


@pytest.mark.parametrize("kill_after_s", [0.5, 1.2, 2.0, 3.0])
def test_killing_analyze_leaves_the_previous_or_the_new_set(
    tiny_town_dir: Path, tmp_path: Path, kill_after_s: float
) -> None:
    out = tmp_path / "out"
    assert main(["analyze", str(tiny_town_dir), "--service", "school", "--out", str(out)]) == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "planner", "analyze", str(tiny_town_dir), "--out", str(out)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(kill_after_s)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    services = _complete_result(out)["options"]["services"]  # type: ignore[index]
    assert services == ["school"] or len(services) == 6
    # The next run cleans whatever the killed one left and writes its own complete set.
    assert main(["analyze", str(tiny_town_dir), "--service", "pharmacy", "--out", str(out)]) == 0
    assert _complete_result(out)["options"]["services"] == ["pharmacy"]  # type: ignore[index]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tiny_town"]


def test_concurrent_analyze_runs_end_with_one_complete_set(
    tiny_town_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    services = ["school", "kindergarten", "pharmacy", "polyclinic"]
    command = [sys.executable, "-m", "planner", "analyze", str(tiny_town_dir), "--out", str(out)]
    runs = [
        subprocess.Popen(
            [*command, "--service", service],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for service in services
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    options = _complete_result(out)["options"]
    assert isinstance(options, dict)
    (service,) = options["services"]
    assert service in services
    coverage = (out / "coverage.csv").read_text(encoding="utf-8-sig")
    assert {line.split(",")[1] for line in coverage.splitlines()[1:]} == {service}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tiny_town"]


def test_coverage_csv_row_service_column_is_second(tiny_town_dir: Path, tmp_path: Path) -> None:
    """The concurrency test above reads the service from the second CSV column."""
    out = tmp_path / "out"
    assert main(["analyze", str(tiny_town_dir), "--service", "school", "--out", str(out)]) == 0
    header = (out / "coverage.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(",")[1] == "service"


@pytest.mark.parametrize(
    ("option", "value", "phrase"),
    [
        ("--margin-m", "-100", "argument --margin-m: '-100' must be 0 or more"),
        ("--margin-m", "nan", "argument --margin-m: 'nan' is not a finite number"),
        ("--living-area-m2", "inf", "'inf' is not a finite number"),
        ("--residential-share", "0", "'0' must be greater than 0"),
    ],
)
def test_import_osm_refuses_bad_numbers(
    tmp_path: Path, capsys, option: str, value: str, phrase: str
) -> None:
    args = ["import-osm", "x.osm.pbf", "--bbox", "22.1,54.5,22.3,54.7", "--name", "X"]
    with pytest.raises(SystemExit) as info:
        main([*args, "--out", str(tmp_path / "t"), option, value])
    assert info.value.code == 2
    assert phrase in one_error_line(capsys.readouterr().err)


def test_missing_keep_facilities_is_reported_before_reading_the_extract(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    from planner.osm import importer

    def must_not_read(*args: object, **kwargs: object) -> None:
        msg = "the extract was read before the options were checked"
        raise AssertionError(msg)

    monkeypatch.setattr(importer, "read_osm", must_not_read)
    extract = REPO / "tests" / "data" / "osm" / "edge_cases.osm"
    code = main(
        [
            "import-osm",
            str(extract),
            "--bbox",
            "22.1,54.5,22.3,54.7",
            "--name",
            "X",
            "--out",
            str(tmp_path / "t"),
            "--keep-facilities",
            str(tmp_path / "curated.geojson"),
        ]
    )
    assert code == 2
    err = one_error_line(capsys.readouterr().err)
    assert "--keep-facilities" in err
    assert "curated.geojson does not exist" in err
    assert not (tmp_path / "t").exists()


def test_manifest_is_valid_json_with_the_inputs_hash(tiny_town_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["analyze", str(tiny_town_dir), "--service", "school", "--out", str(out)]) == 0
    first = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["inputs_sha256"]
    (tiny_town_dir / "town.toml").write_text(
        (tiny_town_dir / "town.toml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    assert main(["analyze", str(tiny_town_dir), "--service", "school", "--out", str(out)]) == 0
    second = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["inputs_sha256"]
    assert first != second, "a changed input changes the inputs hash"


@pytest.fixture
def full_disk(tmp_path: Path):
    """A real 64 KiB file system (tmpfs), where the suite may mount one (as root); else skip."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root; the simulated test covers this")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        check=False,
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here; the simulated test covers this")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False, capture_output=True)


def test_really_full_disk_says_no_space(tiny_town_dir: Path, full_disk: Path, capsys) -> None:
    out = full_disk / "out"
    assert main(["analyze", str(tiny_town_dir), "--out", str(out)]) == 2
    err = one_error_line(capsys.readouterr().err)
    assert f"no space left on the device holding {out}" in err
    assert list(full_disk.iterdir()) == []
