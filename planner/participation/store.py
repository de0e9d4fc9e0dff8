"""Residents' proposals in the planner's database, beside the saved scenarios.

The same SQLite file as ``planner.scenarios.store`` (schema version 2 added the ``proposals``
table; an older file is migrated when opened), the same write-ahead log and one transaction per
change, so staff at several desks can enter and update proposals at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime

from planner.participation.proposals import PROPOSAL_STATUSES, Proposal
from planner.scenarios.store import SqliteStore, StoreError

__all__ = ["ImportCounts", "ProposalStore"]

_FIELDS = tuple(f.name for f in fields(Proposal))
_COLUMNS = ", ".join("town_name" if f == "town" else f for f in _FIELDS)


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """What one import did.

    Attributes
    ----------
    added, updated, unchanged
        Proposals that were new; whose id existed and were replaced; whose id existed and were
        left as they were.
    """

    added: int
    updated: int
    unchanged: int


class ProposalStore(SqliteStore):
    """Proposals in the planner's database (one file; see ``SqliteStore``)."""

    def add(self, proposals: Iterable[Proposal], *, replace: bool = False) -> ImportCounts:
        """Store proposals; an id already stored is left alone unless ``replace``.

        Replacing keeps what staff decided: the stored status and scenario stay unless the new
        proposal's status is not ``new``.
        """
        now = _now()
        added = updated = unchanged = 0
        with self._write() as db:
            for proposal in proposals:
                row = db.execute(
                    "SELECT status, scenario FROM proposals WHERE id = ?", (proposal.id,)
                ).fetchone()
                if row is None:
                    db.execute(
                        f"INSERT INTO proposals ({_COLUMNS}, created_at, updated_at) "
                        f"VALUES ({', '.join('?' * len(_FIELDS))}, ?, ?)",
                        (*astuple(proposal), now, now),
                    )
                    added += 1
                elif replace:
                    status = proposal.status if proposal.status != "new" else row[0]
                    db.execute(
                        "UPDATE proposals SET lon = ?, lat = ?, category = ?, text = ?, "
                        "submitted = ?, contact = ?, votes = ?, status = ?, source = ?, "
                        "town_name = ?, updated_at = ? WHERE id = ?",
                        (
                            proposal.lon,
                            proposal.lat,
                            proposal.category,
                            proposal.text,
                            proposal.submitted,
                            proposal.contact,
                            proposal.votes,
                            status,
                            proposal.source,
                            proposal.town,
                            now,
                            proposal.id,
                        ),
                    )
                    updated += 1
                else:
                    unchanged += 1
        return ImportCounts(added, updated, unchanged)

    def get(self, proposal_id: str) -> Proposal:
        """Return one proposal.

        Raises
        ------
        StoreError
            If there is no proposal with that id.
        """
        with self._connect() as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM proposals WHERE id = ?", (proposal_id,)
            ).fetchone()
        if row is None:
            msg = (
                f"No proposal {proposal_id!r} in {self.path}; `planner proposals list` shows them."
            )
            raise StoreError(msg)
        return Proposal(*row)

    def all(
        self,
        *,
        town: str | None = None,
        statuses: Sequence[str] = (),
        categories: Sequence[str] = (),
    ) -> list[Proposal]:
        """Return proposals, most supported first, then newest; filtered when asked."""
        where, values = [], []
        if town is not None:
            where.append("town_name = ?")
            values.append(town)
        for column, chosen in (("status", statuses), ("category", categories)):
            if chosen:
                where.append(f"{column} IN ({', '.join('?' * len(chosen))})")
                values += list(chosen)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM proposals{clause} ORDER BY votes DESC, submitted DESC, id",
                values,
            ).fetchall()
        return [Proposal(*row) for row in rows]

    def set_status(self, proposal_id: str, status: str) -> Proposal:
        """Change where a proposal stands.

        Raises
        ------
        StoreError
            If the status is not one of ``PROPOSAL_STATUSES`` or the id is unknown.
        """
        if status not in PROPOSAL_STATUSES:
            msg = f"Status {status!r} is not one of {', '.join(PROPOSAL_STATUSES)}."
            raise StoreError(msg)
        self._update(proposal_id, "status", status)
        return self.get(proposal_id)

    def link_scenario(self, proposal_id: str, scenario_name: str) -> Proposal:
        """Record the scenario made from a proposal."""
        self._update(proposal_id, "scenario", scenario_name)
        return self.get(proposal_id)

    def delete(self, proposal_id: str) -> None:
        """Delete a proposal."""
        with self._write() as db:
            if db.execute("DELETE FROM proposals WHERE id = ?", (proposal_id,)).rowcount == 0:
                msg = f"No proposal {proposal_id!r} in {self.path}."
                raise StoreError(msg)

    def _update(self, proposal_id: str, column: str, value: str) -> None:
        with self._write() as db:
            cursor = db.execute(
                f"UPDATE proposals SET {column} = ?, updated_at = ? WHERE id = ?",
                (value, _now(), proposal_id),
            )
            if cursor.rowcount == 0:
                msg = f"No proposal {proposal_id!r} in {self.path}."
                raise StoreError(msg)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
