"""Atomic files and result sets: never half a file, never two runs mixed, nothing left behind."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from planner.fileio import (
    MANIFEST_NAME,
    OutputError,
    atomic_folder,
    atomic_path,
    clean_stale,
    describe_os_error,
    file_sha256,
    read_manifest,
    write_atomic,
)
from tests.factories import bad_output_folder

REPO = Path(__file__).resolve().parent.parent


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _write_set(folder: Path, run: str, names: tuple[str, ...] = ("a.txt", "b.txt")) -> None:
    for name in names:
        (folder / name).write_text(run, encoding="utf-8")


def test_a_successful_write_replaces_the_target_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "out" / "table.csv"  # the folder is created
    with atomic_path(target) as tmp:
        assert tmp.parent.parent == target.parent  # in a private staging folder beside it
        assert tmp.name == "table.csv"  # writers that pick a format by suffix still work
        assert not tmp.exists()  # GDAL refuses to overwrite an existing file
        assert not target.exists()  # nothing is visible before the end
        tmp.write_text("a,b\n", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "a,b\n"
    assert [p.name for p in target.parent.iterdir()] == ["table.csv"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_text("old\n", encoding="utf-8")

    def fail(path: Path) -> None:
        path.write_text("half", encoding="utf-8")
        msg = "disk full"
        raise OSError(msg)

    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, fail)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_write_atomic_returns_the_target(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    assert write_atomic(target, lambda p: p.write_text("x", encoding="utf-8")) == target
    assert target.read_text(encoding="utf-8") == "x"


def test_atomic_path_replaces_on_success_and_keeps_the_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old", encoding="utf-8")
    seen: list[Path] = []

    def fail_half_way(tmp: Path) -> None:
        seen.append(tmp)
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError

    with pytest.raises(RuntimeError):
        write_atomic(target, fail_half_way)
    assert seen[0].name == "report.csv"
    assert seen[0].parent != tmp_path  # a private staging folder
    assert target.read_text(encoding="utf-8") == "old"
    assert write_atomic(target, lambda p: p.write_text("new", encoding="utf-8")) == target
    assert target.read_text(encoding="utf-8") == "new"
    assert _hidden(tmp_path) == []


def test_atomic_path_refuses_a_folder_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "map.html").mkdir()
    with pytest.raises(OutputError, match="is a folder"), atomic_path(tmp_path / "map.html"):
        pass


def test_folder_is_replaced_as_a_whole_with_a_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with atomic_folder(out, manifest={"command": "first"}) as stage:
        _write_set(stage, "1", ("a.txt", "b.txt", "only-first.txt"))
    with atomic_folder(out, manifest={"command": "second"}) as stage:
        _write_set(stage, "2")
        assert (out / "a.txt").read_text(encoding="utf-8") != "2"  # not visible before
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt", MANIFEST_NAME]
    manifest = read_manifest(out)
    assert manifest is not None
    assert manifest["command"] == "second"
    assert manifest["files"]["a.txt"] == {"bytes": 1, "sha256": file_sha256(out / "a.txt")}
    assert _hidden(tmp_path) == []


def test_failed_run_keeps_the_previous_set(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with atomic_folder(out, manifest={"command": "good"}) as stage:
        _write_set(stage, "good")

    def half_a_set() -> None:
        with atomic_folder(out, manifest={}) as stage:
            _write_set(stage, "bad", ("a.txt",))
            _ = 1 / 0

    with pytest.raises(ZeroDivisionError):
        half_a_set()
    assert (out / "a.txt").read_text(encoding="utf-8") == "good"
    assert (out / "b.txt").read_text(encoding="utf-8") == "good"
    assert _hidden(tmp_path) == []


@pytest.mark.parametrize(
    ("case", "phrase"),
    [
        ("file", "is a file; give a folder"),
        ("under_file", "is a file, so no folder can be made under it"),
        ("foreign", "holds files planner did not write (notes.txt)"),
        ("gpkg_dir", "analysis.gpkg is a folder where planner writes a file"),
        ("extra_beside_manifest", "holds files planner did not write (extra.txt)"),
    ],
)
def test_unsafe_targets_are_refused_and_left_alone(tmp_path: Path, case: str, phrase: str) -> None:
    if case == "extra_beside_manifest":
        out = tmp_path / "out"
        with atomic_folder(out, manifest={}) as stage:
            _write_set(stage, "1")
        (out / "extra.txt").write_text("mine", encoding="utf-8")
    else:
        out = bad_output_folder(tmp_path, case)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    with (
        pytest.raises(OutputError, match=re.escape(phrase)),
        atomic_folder(out, manifest={}, expected=("analysis.gpkg",)),
    ):
        pass
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_an_old_result_without_manifest_is_replaceable(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "analysis.gpkg").write_bytes(b"v1")
    (out / ".analysis.k3j2h1g0.gpkg").write_bytes(b"temp of a killed old-style write")
    with atomic_folder(out, manifest={}, expected=("analysis.gpkg", "coverage.csv")) as stage:
        (stage / "coverage.csv").write_text("v2", encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["coverage.csv", MANIFEST_NAME]


def test_keep_copies_chosen_entries_into_the_new_folder(tmp_path: Path) -> None:
    town = tmp_path / "town"
    (town / "scenarios").mkdir(parents=True)
    (town / "scenarios" / "plan.toml").write_text("x = 1", encoding="utf-8")
    (town / "streets.geojson").write_text("old", encoding="utf-8")
    with atomic_folder(town, keep=lambda entry: entry.name == "scenarios") as stage:
        (stage / "streets.geojson").write_text("new", encoding="utf-8")
    assert (town / "scenarios" / "plan.toml").read_text(encoding="utf-8") == "x = 1"
    assert (town / "streets.geojson").read_text(encoding="utf-8") == "new"
    assert not (town / MANIFEST_NAME).exists()


def test_empty_path_is_refused() -> None:
    with (
        pytest.raises(OutputError, match="the output path is empty"),
        atomic_folder("", manifest={}),
    ):
        pass


@pytest.mark.parametrize(
    ("code", "phrase"),
    [
        (errno.ENOSPC, "no space left on the device holding"),
        (errno.EROFS, "is on a read-only file system"),
        (errno.EACCES, "permission denied writing"),
        (errno.EISDIR, "is a folder where a file should be"),
    ],
)
def test_os_errors_become_one_specific_line(tmp_path: Path, code: int, phrase: str) -> None:
    text = describe_os_error(OSError(code, os.strerror(code)), tmp_path / "out")
    assert phrase in text
    assert str(tmp_path / "out") in text
    assert "\n" not in text


_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from planner.fileio import atomic_folder

    out, run, pause_s = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    with atomic_folder(out, manifest={"run": run}) as stage:
        for name in ("a.txt", "b.txt", "c.txt"):
            (stage / name).write_text(run, encoding="utf-8")
            time.sleep(pause_s)
        print("staged", flush=True)
        time.sleep(pause_s)
    """
)


def _writer(out: Path, run: str, pause_s: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(out), run, str(pause_s)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )


def _assert_one_complete_set(out: Path) -> str:
    manifest = read_manifest(out)
    assert manifest is not None
    run = str(manifest["run"])
    assert sorted(manifest["files"]) == ["a.txt", "b.txt", "c.txt"]
    for name, info in manifest["files"].items():
        assert (out / name).read_text(encoding="utf-8") == run
        assert file_sha256(out / name) == info["sha256"]
    return run


def test_concurrent_writers_end_with_one_complete_set(tmp_path: Path) -> None:
    out = tmp_path / "out"
    writers = [_writer(out, f"run-{i}", 0.05) for i in range(6)]
    for process in writers:
        process.communicate(timeout=120)
        assert process.returncode == 0
    assert _assert_one_complete_set(out) in {f"run-{i}" for i in range(6)}
    assert _hidden(tmp_path) == []


def test_a_killed_writer_leaves_the_previous_set_and_its_staging_is_cleaned(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    first = _writer(out, "first", 0.0)
    first.communicate(timeout=60)
    assert first.returncode == 0
    killed = _writer(out, "killed", 30.0)
    assert killed.stdout is not None
    # Killed while staging (between two files), long before swapping in.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(tmp_path.glob(".out.planner-*.tmp")):
        time.sleep(0.05)
    time.sleep(0.2)
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=60)
    assert _assert_one_complete_set(out) == "first"
    left = list(tmp_path.glob(".out.planner-*.tmp"))
    assert len(left) == 1, "the killed writer's staging folder is still there"
    assert clean_stale(out) == left
    assert _hidden(tmp_path) == []


def test_a_live_writers_staging_is_not_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "out"
    slow = _writer(out, "slow", 0.5)
    assert slow.stdout is not None
    assert slow.stdout.readline().strip() == "staged"
    (staging,) = tmp_path.glob(".out.planner-*.tmp")
    assert clean_stale(out) == []
    assert staging.is_dir()
    slow.communicate(timeout=60)
    assert slow.returncode == 0
    assert _assert_one_complete_set(out) == "slow"


_READER = textwrap.dedent(
    """
    import json, os, sys, time
    out, stop_after_s = sys.argv[1], float(sys.argv[2])
    seen, mixed = set(), 0
    end = time.monotonic() + stop_after_s
    while time.monotonic() < end:
        try:
            fd = os.open(out, os.O_RDONLY)  # one look at the folder: the set it holds now
        except FileNotFoundError:
            continue
        def read(name):
            with open(name, encoding="utf-8", opener=lambda p, f: os.open(p, f, dir_fd=fd)) as h:
                return h.read()
        try:
            runs = {read(n) for n in ("a.txt", "b.txt", "c.txt")}
            manifest = json.loads(read("manifest.json"))["run"]
        except FileNotFoundError:
            continue  # the set looked at was swapped out and is being deleted: look again
        finally:
            os.close(fd)
        mixed += len(runs | {manifest}) != 1
        seen |= runs
    print(json.dumps({"mixed": mixed, "seen": sorted(seen)}))
    """
)


def test_a_reader_never_sees_a_mix(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _writer(out, "run-0", 0.0).communicate(timeout=60)
    reader = subprocess.Popen(
        [sys.executable, "-c", _READER, str(out), "6"], stdout=subprocess.PIPE, text=True
    )
    writers = [_writer(out, f"run-{i}", 0.01) for i in range(1, 9)]
    for process in writers:
        process.communicate(timeout=120)
        assert process.returncode == 0
    stdout, _ = reader.communicate(timeout=120)
    result = json.loads(stdout)
    assert result["mixed"] == 0
    assert len(result["seen"]) >= 2, "the reader should have seen the folder change"
