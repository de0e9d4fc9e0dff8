"""A proposal of a service turned into a scenario: "a kindergarten here" becomes ``AddFacility``.

The new facility stands at the proposal's point, with the smallest standard project size of the
service's norm (``project_sizes``; unknown capacity when the norm has none, or give one), status
``existing`` (so the comparison shows what it would change) and provenance ``illustrative`` (a
proposal, not a plan). Its note keeps the proposal's id and text, so the scenario says where it
came from. A proposal of an event asks for a programme, not a building: it has no facility edit.
"""

from __future__ import annotations

from planner.errors import PlannerError
from planner.norms import NormSet
from planner.participation.proposals import EVENT_CATEGORY, Proposal
from planner.scenarios.edits import AddFacility, Scenario

__all__ = ["proposal_edit", "proposal_scenario"]

NOTE_TEXT_CHARS = 300
"""How much of the resident's text the facility's note keeps."""


def proposal_edit(
    proposal: Proposal, norms: NormSet, *, capacity: float | None = None
) -> AddFacility:
    """Return the edit that builds what a proposal asks for at its point.

    Parameters
    ----------
    proposal
        A proposal whose category is a service key.
    norms
        The norm set (the service's standard project sizes).
    capacity
        The capacity to give it; default the smallest standard project size.

    Raises
    ------
    PlannerError
        If the proposal asks for an event, or for a service the norm set does not know.
    """
    if proposal.category == EVENT_CATEGORY:
        msg = (
            f"Proposal {proposal.id!r} asks for an event, not a facility: it has no scenario "
            "edit. Look at the programme access of the venues near it instead."
        )
        raise PlannerError(msg)
    norm = norms.service(proposal.category)
    if capacity is None and norm.project_sizes:
        capacity = float(min(norm.project_sizes))
    text = (
        proposal.text
        if len(proposal.text) <= NOTE_TEXT_CHARS
        else (proposal.text[: NOTE_TEXT_CHARS - 1] + "…")
    )
    return AddFacility(
        id=f"proposal-{proposal.id}",
        service=norm.key,
        lon=round(proposal.lon, 7),
        lat=round(proposal.lat, 7),
        capacity=capacity,
        name=f"Proposed {norm.label.lower()}",
        name_ru=f"Предложение: {norm.label_ru.lower()}",
        provenance="illustrative",
        source=f"residents' proposal {proposal.id} ({proposal.submitted}, {proposal.votes} votes)",
        note=f"Residents' proposal {proposal.id}: {text}",
    )


def proposal_scenario(
    proposal: Proposal,
    norms: NormSet,
    *,
    capacity: float | None = None,
    name: str | None = None,
    author: str = "",
) -> Scenario:
    """Return a one-edit scenario building what a proposal asks for (``proposal_edit``)."""
    edit = proposal_edit(proposal, norms, capacity=capacity)
    return Scenario(
        name=name or f"Proposal {proposal.id}: {edit.service}",
        edits=(edit,),
        description=f"Built from residents' proposal {proposal.id} ({proposal.votes} votes).",
        author=author,
        town=proposal.town,
    )
