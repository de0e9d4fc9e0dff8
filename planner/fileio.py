"""Atomic file writing: a reader never sees half a file, and a failed write leaves none."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one step.

    The temporary file keeps ``target``'s suffix, so writers that choose a format by suffix
    (GDAL) still work. On an exception the temporary file is removed and ``target`` is untouched.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # writers such as GDAL refuse to overwrite an existing (empty) file
    try:
        yield tmp
        tmp.replace(target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_atomic(target: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(path)`` on a temporary path and move the result to ``target``."""
    with atomic_path(target) as tmp:
        write(tmp)
    return target
