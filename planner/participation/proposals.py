"""A resident's proposal: a point, what is asked for, free text, and where it stands.

The category is a service key of the norm set (``kindergarten``: "a kindergarten here") or
``event`` (a cultural event or programme: "a film club for teenagers"). The contact is personal
data: it is stored for staff to answer, and never exported unless asked for explicitly.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "EVENT_CATEGORY",
    "PROPOSAL_STATUSES",
    "Proposal",
    "proposal_id",
    "proposal_problems",
]

EVENT_CATEGORY = "event"
"""The category of a proposal asking for an event or programme rather than a facility."""

PROPOSAL_STATUSES: tuple[str, ...] = ("new", "accepted", "rejected", "done")
"""Where a proposal stands: new (not yet looked at), accepted, rejected, done (built or held)."""

MAX_TEXT_CHARS = 5000
"""Longest free text kept (a survey answer, not a document)."""


@dataclass(frozen=True, slots=True)
class Proposal:
    """One resident's proposal.

    Attributes
    ----------
    id
        Unique id (the survey's own, or ``proposal_id`` of the content).
    lon, lat
        The point, degrees (EPSG:4326).
    category
        A service key of the norm set, or ``EVENT_CATEGORY``.
    text
        What the resident wrote (shown escaped, always).
    submitted
        The date it was made, ``YYYY-MM-DD``.
    contact
        How to reach the resident ("" when not given); never exported unless asked.
    votes
        Support from other residents (≥ 0).
    status
        One of ``PROPOSAL_STATUSES``.
    source
        Where it came from: the file it was imported from, or ``staff``.
    town
        The town's name (one database serves several towns).
    scenario
        The name of the scenario made from it ("" when none).
    """

    id: str
    lon: float
    lat: float
    category: str
    text: str = ""
    submitted: str = field(default_factory=lambda: date.today().isoformat())
    contact: str = ""
    votes: int = 0
    status: str = "new"
    source: str = ""
    town: str = ""
    scenario: str = ""


def proposal_id(lon: float, lat: float, category: str, text: str, submitted: str) -> str:
    """Return a stable id from a proposal's content, so importing a file twice adds nothing twice.

    Examples
    --------
    >>> proposal_id(22.2, 54.6, "kindergarten", "Here, please", "2026-10-01")
    'p-47346a0635'
    """
    key = f"{lon:.6f}|{lat:.6f}|{category}|{text.strip()}|{submitted}"
    return "p-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


def proposal_problems(proposal: Proposal, services: Collection[str]) -> list[tuple[str, str]]:
    """Return what is wrong with a proposal, as (field, message) pairs; empty when it is fine.

    Parameters
    ----------
    proposal
        The proposal.
    services
        The service keys of the norm set (``EVENT_CATEGORY`` is always allowed).
    """
    problems: list[tuple[str, str]] = []
    if not proposal.id.strip():
        problems.append(("id", "is empty"))
    if not (math.isfinite(proposal.lon) and -180 <= proposal.lon <= 180):
        problems.append(("lon", f"{proposal.lon!r} is not a longitude in degrees"))
    if not (math.isfinite(proposal.lat) and -90 <= proposal.lat <= 90):
        problems.append(("lat", f"{proposal.lat!r} is not a latitude in degrees"))
    if proposal.category != EVENT_CATEGORY and proposal.category not in services:
        known = ", ".join([*sorted(services), EVENT_CATEGORY])
        problems.append(("category", f"{proposal.category!r} is not one of {known}"))
    if proposal.status not in PROPOSAL_STATUSES:
        problems.append(
            ("status", f"{proposal.status!r} is not one of {', '.join(PROPOSAL_STATUSES)}")
        )
    if proposal.votes < 0:
        problems.append(("votes", f"{proposal.votes} is negative"))
    if len(proposal.text) > MAX_TEXT_CHARS:
        problems.append(("text", f"is longer than {MAX_TEXT_CHARS} characters"))
    try:
        date.fromisoformat(proposal.submitted)
    except ValueError:
        problems.append(("date", f"{proposal.submitted!r} is not a date (YYYY-MM-DD)"))
    return problems
