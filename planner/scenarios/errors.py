"""Problems in a scenario: each names the scenario, the edit (by position and id) and the field."""

from __future__ import annotations

from dataclasses import dataclass

from planner.errors import PlannerError, Severity


@dataclass(frozen=True, slots=True)
class ScenarioIssue:
    """One problem found in a scenario.

    Attributes
    ----------
    scenario
        The scenario's name (or its file when the name itself is missing).
    message
        What is wrong.
    fix
        How to fix it.
    edit_index
        Position of the edit, counting from 1 as a person reads the file; None for the
        scenario's own fields.
    edit_op, edit_id
        The edit's kind (``add_facility`` ...) and the id it adds or targets, when known.
    field
        The field that is wrong, when the problem is one field's.
    severity
        ``"error"`` refuses the scenario; ``"warning"`` is reported and the scenario applies.
    """

    scenario: str
    message: str
    fix: str
    edit_index: int | None = None
    edit_op: str | None = None
    edit_id: str | None = None
    field: str | None = None
    severity: Severity = "error"

    @property
    def where(self) -> str:
        """Return where the problem is: scenario, edit and field."""
        parts = [f"scenario {self.scenario!r}"]
        if self.edit_index is not None:
            what = " ".join(
                x for x in (self.edit_op, repr(self.edit_id) if self.edit_id else None) if x
            )
            parts.append(f"edit {self.edit_index}" + (f" ({what})" if what else ""))
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message} Fix: {self.fix}"


class ScenarioError(PlannerError, ValueError):
    """A scenario is malformed or does not fit the town; ``issues`` lists every problem."""

    def __init__(self, issues: list[ScenarioIssue]) -> None:
        self.issues = list(issues)
        errors = [i for i in self.issues if i.severity == "error"]
        first = errors[0] if errors else (self.issues[0] if self.issues else None)
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}" if first else "the scenario is not valid.")
