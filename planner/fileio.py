"""Atomic writing of single files and of whole sets of files.

A reader never sees half a file or a mix of two runs' files, and a failed or killed writer
leaves the previous result in place. Every writer of ``planner`` (analysis results, town folders,
exports) goes through this module, so the guarantees and the error messages are the same
everywhere.

API
---
``atomic_path(target)``
    Context manager yielding a path to write *instead of* ``target`` (same name, inside a
    private staging folder beside ``target``); on success the file replaces ``target`` in one
    ``rename``. Writers that choose a format by suffix (GDAL) work unchanged.
``write_atomic(target, write)``
    ``atomic_path`` for a callable: ``write(path)`` then move into place.
``atomic_folder(target, manifest=..., expected=...)``
    Context manager yielding an empty staging folder beside ``target``. Write the whole set of
    files into it; on success ``manifest.json`` (the given manifest plus the size and SHA-256 of
    every file) is added and the staging folder *becomes* ``target`` in one step (Linux
    ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames under a lock, undone by the next writer
    if interrupted between them). A run never mixes its files with another run's: the folder is
    replaced as a whole, so it must hold only files planner wrote (an earlier run's set, or the
    ``expected`` names of a run from before manifests existed); anything else is refused, never
    deleted.
``read_manifest(folder)``
    The manifest of a result folder, or ``None``.
``clean_stale(target)``
    Remove the staging folders that killed writers left beside ``target`` (called by the two
    context managers; a staging folder is known to be abandoned when no process holds its lock).
``OutputError``
    Raised for every fault of the output location, with one line saying what is wrong and what
    to do: a file where a folder should be (or under it), no permission, a read-only file system,
    a full disk ("no space left"), foreign files in a result folder.

Guarantees hold against killed processes and concurrent writers on one machine (several runs
into one folder end with one complete set: the last to finish). Files are not ``fsync``-ed, so a
power cut may lose the newest result; it does not mix sets.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any, NoReturn

from planner.errors import PlannerError

try:  # POSIX: liveness locks on staging folders, and a lock for the fallback swap
    import fcntl

    HAVE_LOCKS = True
except ImportError:  # pragma: no cover - Windows
    HAVE_LOCKS = False

MANIFEST_NAME = "manifest.json"
"""The file that names a result folder's run: options, inputs hash, time and files."""

TOOL_NAME = "gusev-planner"
"""Written into every manifest, so a folder planner wrote can be told from any other."""

STALE_AFTER_S = 24 * 3600.0
"""Without POSIX locks, a staging folder this old is taken to be abandoned."""

STALE_NEW_S = 3600.0
"""A staging folder still under its ``.new`` name this long after creation was never used."""

_STAGING_MARK = ".planner-"
_STAGING_NAME = re.compile(r"^\.(.+)\.planner-\d+-[0-9a-f]+\.(?:tmp|new|old)$")
_NAME_CHARS = 80
_HASH_CHUNK = 1 << 20
_PROBE_BYTES = 1 << 20


class OutputError(PlannerError, OSError):
    """The output location cannot take the result; the message says why and what to do."""


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path to write instead of ``target``; on success it replaces ``target``.

    The path has ``target``'s name, inside a private staging folder beside ``target``. On an
    exception the staging folder is removed and ``target`` is untouched; an ``OSError`` (and any
    failure on a full disk) becomes an ``OutputError``.

    Raises
    ------
    OutputError
        If ``target`` is a folder, or its folder cannot be created or written.
    """
    target = _checked_path(target)
    if target.is_dir():
        msg = f"{target} is a folder; give a file name to write (or remove the folder)."
        raise OutputError(msg)
    with _staging(target) as stage:
        tmp = stage / target.name
        try:
            yield tmp
            if not tmp.exists():
                msg = f"nothing was written for {target}."
                raise OutputError(msg)
            tmp.replace(target)
        except BaseException as err:
            _reraise(err, target)


def write_atomic(target: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(path)`` on a temporary path and move the result to ``target``.

    Returns
    -------
    pathlib.Path
        ``target``.
    """
    with atomic_path(target) as tmp:
        write(tmp)
    return target


@contextlib.contextmanager
def atomic_folder(
    target: Path | str,
    *,
    manifest: Mapping[str, Any] | None = None,
    expected: Collection[str] = (),
    keep: Callable[[Path], bool] | None = None,
) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces the folder ``target`` as a whole.

    Parameters
    ----------
    target
        The result folder (created with its parents if missing).
    manifest
        What the run was (command, options, inputs hash, ...): written as ``manifest.json`` with
        ``tool``, ``written`` (UTC time) and ``files`` added. ``None`` writes no manifest (town
        folders, whose README says where they come from).
    expected
        Names of the files a run writes: an existing folder without a manifest is replaced only
        when it holds nothing but these (the output of a run from before manifests existed).
    keep
        For folders that are not plain result sets (a town folder replaced by a new import):
        entries of the existing ``target`` for which ``keep(entry)`` is true are copied into the
        staging folder before it is yielded, and ``target`` may then hold anything.

    Yields
    ------
    pathlib.Path
        The staging folder to write into.

    Raises
    ------
    OutputError
        If ``target`` is a file or lies under one, cannot be written (permission, read-only file
        system, no space left), or holds files no planner run wrote.
    """
    target = _checked_path(target)
    if keep is None:
        _check_replaceable(target, expected)
    elif target.exists() and not target.is_dir():
        msg = f"{target} is a file; give a folder."
        raise OutputError(msg)
    with _staging(target) as stage:
        try:
            if keep is not None and target.is_dir():
                _copy_kept(target, stage, keep)
            yield stage
            if manifest is not None:
                _write_manifest(stage, manifest)
            _swap_in(stage, target)
        except BaseException as err:
            _reraise(err, target)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """Return the manifest of a result folder written by planner, or ``None``."""
    path = folder / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("tool") == TOOL_NAME else None


def clean_stale(target: Path) -> list[Path]:
    """Remove what killed writers left beside ``target``; return the paths removed.

    A staging folder is abandoned when no process holds its lock (POSIX) or, without locks, when
    it is older than ``STALE_AFTER_S``. When a writer died between the two renames of the
    fallback swap, ``target`` is missing and its previous contents wait under a backup name:
    they are put back.
    """
    parent = target.parent
    if not parent.is_dir():
        return []
    removed: list[Path] = []
    pattern = f".{_short(target.name)}{_STAGING_MARK}*"
    for path in sorted(parent.glob(pattern)):
        abandoned = (path.suffix == ".tmp" and path.is_dir() and _abandoned(path)) or (
            path.suffix == ".new" and _older_than(path, STALE_NEW_S)
        )
        if abandoned:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    backups = sorted(parent.glob(f"{pattern}.old"))
    if backups:
        with _fallback_lock(target):
            for path in backups:
                if not path.exists():
                    continue
                if not target.exists():
                    path.rename(target)  # an interrupted fallback swap: restore the previous set
                else:
                    shutil.rmtree(path, ignore_errors=True)
                    removed.append(path)
    return removed


def describe_os_error(err: OSError, path: Path | None = None) -> str:
    """Return one line saying what an ``OSError`` means for writing ``path`` and what to do."""
    where = path if path is not None else (Path(err.filename) if err.filename else None)
    where = None if where is None else public_path(where)
    shown = str(where) if where is not None else "the output"
    code = err.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left on the device holding {shown}; free some space or write elsewhere."
    if code == errno.EROFS:
        return f"{shown} is on a read-only file system; write somewhere else."
    if code in (errno.EACCES, errno.EPERM):
        return f"permission denied writing {shown}; choose a folder you can write to."
    if code == errno.ENOTDIR:
        blocker = _file_in_the_way(where) if where is not None else None
        if blocker is not None:
            return f"{blocker} is a file, so nothing can be written under it; choose a folder."
        return f"part of {shown} is a file, not a folder; choose a folder."
    if code == errno.EISDIR:
        return f"{shown} is a folder where a file should be; remove it or write elsewhere."
    if code == errno.ENAMETOOLONG:
        return f"the path {shown} is too long; choose a shorter one."
    reason = err.strerror or str(err)
    return f"cannot write {shown}: {reason}."


def public_path(path: Path) -> Path:
    """Return ``path`` with staging folders named as the targets they stand for.

    A file written inside a result set's staging folder is, to the user, a file of the result
    folder: messages name that.
    """
    parts = [_STAGING_NAME.sub(r"\1", part) for part in path.parts]
    return Path(*parts) if parts else path


def _checked_path(target: Path | str) -> Path:
    if isinstance(target, str) and not target.strip():
        msg = "the output path is empty; give a file or folder name."
        raise OutputError(msg)
    return Path(os.path.abspath(target))  # noqa: PTH100 - keep symlinks as the user named them


def _check_replaceable(target: Path, expected: Collection[str]) -> None:
    """Refuse a ``target`` that is a file or holds anything a planner run did not write."""
    if not target.exists():
        blocker = _file_in_the_way(target)
        if blocker is not None:
            msg = f"{blocker} is a file, so no folder can be made under it; choose a folder."
            raise OutputError(msg)
        return
    if not target.is_dir():
        msg = f"{target} is a file; give a folder for the results."
        raise OutputError(msg)
    entries = [p for p in target.iterdir() if not _is_leftover(p)]
    manifest = read_manifest(target)
    allowed = set(expected)
    if manifest is not None:
        allowed = set(manifest.get("files", {})) | {MANIFEST_NAME}
    foreign = sorted(p.name for p in entries if p.name not in allowed or not p.is_file())
    if not foreign:
        return
    folders = [name for name in foreign if (target / name).is_dir() and name in allowed]
    if folders:
        msg = (
            f"{target / folders[0]} is a folder where planner writes a file; remove it or give "
            "another folder."
        )
        raise OutputError(msg)
    shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
    msg = (
        f"{target} holds files planner did not write ({shown}); give a new or empty folder "
        "(each run replaces the whole folder)."
    )
    raise OutputError(msg)


def _is_leftover(path: Path) -> bool:
    """Hidden temporary files of earlier versions' per-file writes (``.name.xxxxxxxx.ext``)."""
    return path.name.startswith(".") and path.is_file() and path.name.count(".") >= 3


@contextlib.contextmanager
def _staging(target: Path) -> Iterator[Path]:
    """Create a locked, private staging folder beside ``target``; remove it afterwards.

    It is made under a ``.new`` name, locked, then renamed to ``.tmp``: a cleaner that finds a
    ``.tmp`` folder unlocked knows its writer is gone (no window between creation and lock).
    """
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(describe_os_error(err, parent)) from err
    clean_stale(target)
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    fresh = parent / f".{_short(target.name)}{_STAGING_MARK}{token}.new"
    try:
        fresh.mkdir()
        fd = _lock_dir(fresh)
        stage = fresh.with_suffix(".tmp")
        fresh.rename(stage)
    except OSError as err:
        shutil.rmtree(fresh, ignore_errors=True)
        raise OutputError(describe_os_error(err, parent)) from err
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        if fd is not None:
            os.close(fd)


def _lock_dir(path: Path) -> int | None:
    """Hold an exclusive lock on ``path`` until the returned descriptor closes (POSIX)."""
    if not HAVE_LOCKS:  # pragma: no cover - Windows
        return None
    fd = os.open(path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def _abandoned(path: Path) -> bool:
    """Whether no live process holds the lock of a staging folder."""
    if not HAVE_LOCKS:  # pragma: no cover - Windows
        return _older_than(path, STALE_AFTER_S)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live writer holds it
    finally:
        os.close(fd)
    return True


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:
        return False


@contextlib.contextmanager
def _fallback_lock(target: Path) -> Iterator[None]:
    """Serialise the two-rename swap and its recovery (a lock file, only where it is needed)."""
    if not HAVE_LOCKS:  # pragma: no cover - Windows
        yield
        return
    lock = target.parent / f".{_short(target.name)}.planner.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _swap_in(stage: Path, target: Path) -> None:
    """Make ``stage`` become ``target`` in one step; the previous ``target`` ends up in ``stage``.

    Concurrent writers each swap their own folder in; the last one wins, and every state in
    between is one complete set.
    """
    for _ in range(100):
        if target.exists():
            try:
                if _rename_exchange(stage, target):
                    return
            except FileNotFoundError:
                continue  # another writer's swap is under way; look again
            with _fallback_lock(target):
                backup = stage.with_suffix(".old")
                target.rename(backup)
                stage.rename(target)
                backup.rename(stage)
            return
        try:
            stage.rename(target)
        except OSError as err:
            if err.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
            continue  # another writer got there first: exchange with its set instead
        stage.mkdir()  # so the caller's clean-up has its folder back
        return
    msg = f"{target} kept changing while this run tried to replace it; run again."
    raise OutputError(msg)


def _rename_exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux ``renameat2(RENAME_EXCHANGE)``; False if unsupported.

    ``os`` has no binding for it (Python 3.11), hence ctypes; other platforms, and file systems
    without the flag, take the two-rename path under a lock.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(
        ctypes.c_int(at_fdcwd),
        ctypes.c_char_p(os.fsencode(a)),
        ctypes.c_int(at_fdcwd),
        ctypes.c_char_p(os.fsencode(b)),
        ctypes.c_uint(rename_exchange),
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    if code == errno.ENOENT:
        raise FileNotFoundError(code, os.strerror(code), str(b))
    raise OSError(code, os.strerror(code), str(b))


def _write_manifest(stage: Path, manifest: Mapping[str, Any]) -> None:
    files = {
        path.name: {"bytes": path.stat().st_size, "sha256": file_sha256(path)}
        for path in sorted(stage.iterdir())
        if path.is_file() and path.name != MANIFEST_NAME
    }
    data = {
        "tool": TOOL_NAME,
        **manifest,
        "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "files": files,
    }
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    (stage / MANIFEST_NAME).write_text(text, encoding="utf-8")


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes (hex)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_kept(source: Path, stage: Path, keep: Callable[[Path], bool]) -> None:
    for entry in source.iterdir():
        if not keep(entry):
            continue
        if entry.is_dir():
            shutil.copytree(entry, stage / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, stage / entry.name, follow_symlinks=False)


def _reraise(err: BaseException, target: Path) -> NoReturn:
    explained = _explained(err, target)
    if explained is err:
        raise err
    raise explained from err


def _explained(err: BaseException, target: Path) -> BaseException:
    """Turn a failed write into an ``OutputError`` when the cause is the output location."""
    if isinstance(err, OutputError) or not isinstance(err, Exception):
        return err
    if isinstance(err, OSError) and err.errno is not None:
        return OutputError(describe_os_error(err, target))
    if _disk_full(target.parent):  # GDAL and others report a full disk in their own words
        return OutputError(describe_os_error(OSError(errno.ENOSPC, "full"), target.parent))
    return err


def _disk_full(folder: Path) -> bool:
    """Whether ``folder`` cannot take another megabyte (probed by writing it)."""
    probe = folder / f".{_STAGING_MARK.strip('.-')}-probe-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        with probe.open("wb") as handle:
            handle.write(b"\0" * _PROBE_BYTES)
    except OSError as err:
        return err.errno in (errno.ENOSPC, errno.EDQUOT)
    finally:
        probe.unlink(missing_ok=True)
    return False


def _file_in_the_way(path: Path) -> Path | None:
    """Return the deepest existing ancestor of ``path`` that is a file, if any."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate if not candidate.is_dir() else None
    return None


def _short(name: str) -> str:
    return name[:_NAME_CHARS]
