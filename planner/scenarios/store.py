"""Saved scenarios in an embedded SQLite database that many processes may write at once.

The database also holds residents' proposals (``planner.participation.store``); its schema is
versioned and migrated on opening (``MIGRATIONS``). The default database is
``$XDG_DATA_HOME/gusev-planner/scenarios.sqlite`` (``XDG_DATA_HOME``
defaults to ``~/.local/share``). It runs in write-ahead-log mode (readers never block the writer),
every change is one ``BEGIN IMMEDIATE`` transaction (writers queue for up to ``BUSY_TIMEOUT_S``
instead of failing), and names are unique (case-insensitively), so two people saving under the
same name get a clear message instead of overwriting each other. A scenario is stored as its
TOML text (the same format as files), with its author, times, the data hash of the town it was
run on, and its summary results as JSON.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from planner.errors import PlannerError
from planner.scenarios.edits import Scenario
from planner.scenarios.toml_format import scenario_from_toml, scenario_to_toml

__all__ = [
    "BUSY_TIMEOUT_S",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SavedScenario",
    "ScenarioStore",
    "SqliteStore",
    "StoreError",
    "default_db_path",
]

BUSY_TIMEOUT_S = 30.0
"""How long a writer waits for another one before giving up."""

SCHEMA_VERSION = 2
"""The database's ``PRAGMA user_version`` after every migration below has run."""

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE IF NOT EXISTS scenarios (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    author TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    document TEXT NOT NULL,
    edit_count INTEGER NOT NULL,
    town_name TEXT NOT NULL DEFAULT '',
    town_hash TEXT NOT NULL DEFAULT '',
    summary TEXT
)""",
    ),
    2: (
        """CREATE TABLE IF NOT EXISTS proposals (
    id TEXT PRIMARY KEY CHECK (length(trim(id)) > 0),
    town_name TEXT NOT NULL DEFAULT '',
    lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    category TEXT NOT NULL CHECK (length(trim(category)) > 0),
    text TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    submitted TEXT NOT NULL,
    votes INTEGER NOT NULL DEFAULT 0 CHECK (votes >= 0),
    status TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'accepted', 'rejected', 'done')),
    source TEXT NOT NULL DEFAULT '',
    scenario TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)""",
        "CREATE INDEX IF NOT EXISTS proposals_town ON proposals (town_name, status)",
    ),
}
"""Schema steps by version: a database at version n runs the steps n+1 .. ``SCHEMA_VERSION``
in one transaction when it is opened, so a file written by an older planner is brought up to date
and keeps its data (version 2 added residents' proposals beside the scenarios)."""


class StoreError(PlannerError):
    """The database cannot do what was asked (name taken, no such scenario, unreadable file)."""


@dataclass(frozen=True, slots=True)
class SavedScenario:
    """A scenario as stored.

    Attributes
    ----------
    name, author
        Its unique name and its author.
    created_at, updated_at
        ISO 8601 times in UTC.
    scenario
        The scenario itself.
    town_name, town_hash
        The town and the data hash (``town_data_hash``) its summary was computed on ("" if none).
    summary
        The comparison's summary (``ScenarioComparison.summary()``), or None.
    """

    name: str
    author: str
    created_at: str
    updated_at: str
    scenario: Scenario
    town_name: str
    town_hash: str
    summary: dict[str, Any] | None


def default_db_path() -> Path:
    """Return ``$XDG_DATA_HOME/gusev-planner/scenarios.sqlite`` (``~/.local/share`` by default)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "gusev-planner" / "scenarios.sqlite"


class SqliteStore:
    """The planner's database file (scenarios and proposals); each method opens a short connection.

    Opening brings the schema up to ``SCHEMA_VERSION`` (``MIGRATIONS``) in one ``BEGIN IMMEDIATE``
    transaction, so two processes opening an old file at once migrate it once.

    Parameters
    ----------
    path
        The database file (created with its folder when missing); default ``default_db_path()``.

    Raises
    ------
    StoreError
        If the file is not a readable SQLite database, or was written by a newer planner.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.execute("PRAGMA journal_mode=WAL")
            with self._write() as db:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    msg = (
                        f"The scenario database {self.path} was written by a newer planner "
                        f"(schema {version}); upgrade the planner or use another --db."
                    )
                    raise StoreError(msg)
                for step in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in MIGRATIONS[step]:
                        db.execute(statement)
                if version < SCHEMA_VERSION:
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as err:
            msg = f"Cannot open the scenario database {self.path} ({err}); give another --db."
            raise StoreError(msg) from None

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            yield db
        finally:
            db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")


class ScenarioStore(SqliteStore):
    """Saved scenarios in the planner's database (``SqliteStore``).

    Parameters
    ----------
    path
        The database file (created with its folder when missing); default ``default_db_path()``.
    """

    # -- writing ---------------------------------------------------------------------------
    def save(
        self,
        scenario: Scenario,
        *,
        author: str | None = None,
        town_name: str = "",
        town_hash: str = "",
        summary: dict[str, Any] | None = None,
        replace_existing: bool = False,
    ) -> SavedScenario:
        """Save a scenario under its name.

        Parameters
        ----------
        scenario
            The scenario (its ``name`` is the key).
        author
            Who saves it (default: the scenario's author).
        town_name, town_hash, summary
            The town and data hash the summary results were computed on, and those results.
        replace_existing
            Overwrite a scenario of the same name (its creation time is kept).

        Raises
        ------
        StoreError
            If the name is taken and ``replace_existing`` is False.
        """
        now = _now()
        who = scenario.author if author is None else author
        document = scenario_to_toml(replace(scenario, author=who))
        values = (who, document, len(scenario.edits), town_name, town_hash, _json(summary))
        with self._write() as db:
            row = db.execute(
                "SELECT name, author, updated_at FROM scenarios WHERE name = ?", (scenario.name,)
            ).fetchone()
            if row is not None and not replace_existing:
                by = f" by {row[1]}" if row[1] else ""
                msg = (
                    f"A scenario named {row[0]!r} already exists in {self.path} (saved{by} at "
                    f"{row[2]}); choose another name, or replace it explicitly."
                )
                raise StoreError(msg)
            if row is None:
                db.execute(
                    "INSERT INTO scenarios (name, author, created_at, updated_at, document, "
                    "edit_count, town_name, town_hash, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (scenario.name, values[0], now, now, *values[1:]),
                )
            else:
                db.execute(
                    "UPDATE scenarios SET author = ?, document = ?, edit_count = ?, town_name = ?, "
                    "town_hash = ?, summary = ?, updated_at = ? WHERE name = ?",
                    (*values, now, scenario.name),
                )
        return self.get(scenario.name)

    def rename(self, old: str, new: str) -> SavedScenario:
        """Rename a saved scenario (the name inside its document too)."""
        with self._write() as db:
            saved = self._get(db, old)
            if old.casefold() != new.casefold():
                self._require_free(db, new)
            document = scenario_to_toml(saved.scenario.renamed(new))
            db.execute(
                "UPDATE scenarios SET name = ?, document = ?, updated_at = ? WHERE name = ?",
                (new, document, _now(), old),
            )
        return self.get(new)

    def duplicate(self, name: str, new: str, *, author: str | None = None) -> SavedScenario:
        """Copy a saved scenario under a new name (new times; summary kept)."""
        with self._write() as db:
            saved = self._get(db, name)
            self._require_free(db, new)
            now = _now()
            who = saved.author if author is None else author
            copy = replace(saved.scenario.renamed(new), author=who)
            db.execute(
                "INSERT INTO scenarios (name, author, created_at, updated_at, document, "
                "edit_count, town_name, town_hash, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new,
                    who,
                    now,
                    now,
                    scenario_to_toml(copy),
                    len(copy.edits),
                    saved.town_name,
                    saved.town_hash,
                    _json(saved.summary),
                ),
            )
        return self.get(new)

    def delete(self, name: str) -> None:
        """Delete a saved scenario."""
        with self._write() as db:
            self._get(db, name)
            db.execute("DELETE FROM scenarios WHERE name = ?", (name,))

    # -- reading ---------------------------------------------------------------------------
    def get(self, name: str) -> SavedScenario:
        """Return a saved scenario by name (case-insensitive)."""
        with self._connect() as db:
            return self._get(db, name)

    def all(self) -> list[SavedScenario]:
        """Return every saved scenario, most recently updated first."""
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM scenarios ORDER BY updated_at DESC, name"
            ).fetchall()
        return [_saved(row) for row in rows]

    def names(self) -> list[str]:
        """Return the saved names, alphabetically."""
        with self._connect() as db:
            return [r[0] for r in db.execute("SELECT name FROM scenarios ORDER BY name")]

    def _get(self, db: sqlite3.Connection, name: str) -> SavedScenario:
        row = db.execute(f"SELECT {_COLUMNS} FROM scenarios WHERE name = ?", (name,)).fetchone()
        if row is None:
            known = [r[0] for r in db.execute("SELECT name FROM scenarios ORDER BY name LIMIT 10")]
            hint = f" Saved: {', '.join(known)}." if known else " The database is empty."
            msg = f"No scenario named {name!r} in {self.path}.{hint}"
            raise StoreError(msg)
        return _saved(row)

    def _require_free(self, db: sqlite3.Connection, name: str) -> None:
        if db.execute("SELECT 1 FROM scenarios WHERE name = ?", (name,)).fetchone():
            msg = f"A scenario named {name!r} already exists in {self.path}; choose another name."
            raise StoreError(msg)


_COLUMNS = "name, author, created_at, updated_at, document, town_name, town_hash, summary"


def _saved(row: tuple[Any, ...]) -> SavedScenario:
    name, author, created, updated, document, town_name, town_hash, summary = row
    return SavedScenario(
        name=name,
        author=author,
        created_at=created,
        updated_at=updated,
        scenario=scenario_from_toml(document, source=f"saved scenario {name!r}"),
        town_name=town_name,
        town_hash=town_hash,
        summary=json.loads(summary) if summary else None,
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, allow_nan=False)
