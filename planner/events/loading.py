"""A town folder's events: ``events.csv`` and/or ``events.ics``, checked against its facilities.

Both files are optional and may sit side by side (a hand-kept table beside a venue's exported
calendar); their events are put together. Checks across files: ids unique over both, every venue
a facility of the town, and a warning for events at a closed facility (they are kept in the
table but no resident can attend them, so the programme access leaves them out).
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

import pandas as pd

from planner.errors import Issue
from planner.events.csv_format import read_events_csv
from planner.events.ics_format import VenueIndex, read_events_ics
from planner.events.table import empty_events, place
from planner.layers import EVENT_FILES

__all__ = ["event_files", "read_events"]


def event_files(folder: Path) -> list[Path]:
    """Return the events files present in a town folder, in ``EVENT_FILES`` order."""
    return [folder / name for name in EVENT_FILES if (folder / name).is_file()]


def read_events(
    folder: Path, *, timezone: tzinfo | None, facilities: pd.DataFrame | None
) -> tuple[pd.DataFrame, list[Issue]]:
    """Read and check every events file of a town folder.

    Parameters
    ----------
    folder
        The town folder.
    timezone
        The town's time zone (``None`` if ``town.toml`` names none).
    facilities
        The facilities layer (``id``, ``name``, ``name_ru``, ``address``, ``status``), to check
        venues against; ``None`` when it could not be read (venues are then not checked).

    Returns
    -------
    events
        The events of every file (an empty table when there are none, or on any error).
    issues
        Every problem, each naming its file, row (or calendar entry) and field.
    """
    issues: list[Issue] = []
    frames: list[pd.DataFrame] = []
    venues = VenueIndex.from_facilities(facilities)
    for path in event_files(folder):
        if path.suffix == ".csv":
            frame, found = read_events_csv(path, timezone=timezone)
        else:
            frame, found = read_events_ics(path, timezone=timezone, venues=venues)
        issues += found
        if frame is not None:
            frames.append(frame)
    if not frames:
        return empty_events(), issues
    events = pd.concat(frames, ignore_index=True)
    issues += _duplicate_ids(events)
    if facilities is not None and "id" in facilities.columns:
        issues += _venue_checks(events, facilities)
    if any(i.severity == "error" for i in issues):
        return empty_events(), issues
    return events, issues


def _duplicate_ids(events: pd.DataFrame) -> list[Issue]:
    twice = events[events["id"].duplicated(keep="first")]
    issues = []
    for event_id, file, line in zip(twice["id"], twice["file"], twice["line"], strict=True):
        first = events[events["id"] == event_id].iloc[0]
        issues.append(
            Issue(
                str(file),
                f"{place(str(file), int(line))}, field 'id': {event_id!r} is already the id of "
                f"{place(str(first['file']), int(first['line']))} of {first['file']}.",
                "give every event its own id across events.csv and events.ics.",
                feature_id=str(event_id),
            )
        )
    return issues


def _venue_checks(events: pd.DataFrame, facilities: pd.DataFrame) -> list[Issue]:
    ids = facilities["id"].astype(str)
    status = dict(
        zip(ids, facilities.get("status", pd.Series("", index=facilities.index)), strict=True)
    )
    examples = ", ".join(list(ids[:3]))
    issues = []
    for event_id, venue, file, line in zip(
        events["id"], events["venue"], events["file"], events["line"], strict=True
    ):
        if venue not in status:
            issues.append(
                Issue(
                    str(file),
                    f"{place(str(file), int(line))}, field 'venue': {venue!r} is not a facility "
                    "of this town.",
                    f"use the id of a facility in facilities.geojson (e.g. {examples}).",
                    feature_id=str(event_id),
                )
            )
        elif status[venue] == "closed":
            issues.append(
                Issue(
                    str(file),
                    f"{place(str(file), int(line))}, field 'venue': {venue!r} is closed; its "
                    "events are left out of the programme access.",
                    "move the events to an open venue, or remove them.",
                    feature_id=str(event_id),
                    severity="warning",
                )
            )
    return issues
