"""Atomic writes (``planner.fileio``): a reader sees the old file or the new one, never half."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.fileio import atomic_path, write_atomic


def test_a_successful_write_replaces_the_target_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "out" / "table.csv"  # the folder is created
    with atomic_path(target) as tmp:
        assert tmp.parent == target.parent
        assert tmp.suffix == ".csv"  # writers that pick a format by suffix still work
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
