"""A static map of a scenario's gains and losses for one service (PNG), drawn with matplotlib.

The basemap is the town's own layers (boundary, water, railway, streets), so the map needs no
internet and shows the same model the analysis used. Homes are coloured by their ``change``
(``planner.scenarios.compare``); the facilities of the service, new and closed streets are
drawn on top; the title, legend and attribution come from the text catalogue.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")  # no display: files only

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from planner.fileio import write_atomic
from planner.maps.scenario import CHANGE_COLOURS
from planner.presentation.catalogue import Lang, t
from planner.presentation.words import service_label, town_attribution
from planner.scenarios.compare import ScenarioComparison

__all__ = ["CHANGE_COLOURS", "changed_services", "save_comparison_map"]


def changed_services(comparison: ScenarioComparison) -> list[str]:
    """Return the services where some home or facility changes."""
    units = comparison.units
    moved = units[units["change"] != "unchanged"]["service"]
    facilities = comparison.facilities
    touched = facilities[facilities["change"] != "unchanged"]["service"]
    keys = set(moved) | set(touched)
    return [k for k in comparison.service_keys if k in keys]


def save_comparison_map(
    comparison: ScenarioComparison,
    service: str,
    path: Path,
    *,
    lang: Lang = "en",
    width_in: float = 10.0,
    dpi: int = 130,
) -> Path:
    """Draw the gained / lost map of one service and write it as a PNG, atomically."""
    town = comparison.applied.town
    units = comparison.unit_layer(service)
    facilities = comparison.facility_layer(service)
    streets = comparison.street_layer()
    minx, miny, maxx, maxy = town.boundary.total_bounds
    height_in = width_in * (maxy - miny) / (maxx - minx) + 1.6
    fig, ax = plt.subplots(figsize=(width_in, height_in))
    ax.set_axis_off()
    ax.set_aspect("equal")
    pad = 0.02 * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    town.boundary.boundary.plot(ax=ax, color="#555555", linewidth=1.0, zorder=1)
    if len(town.water):
        town.water.plot(ax=ax, color="#a6cee3", linewidth=0, zorder=2)
    town.streets.plot(ax=ax, color="#b0b0b0", linewidth=0.4, zorder=3)
    if len(town.rail):
        town.rail.plot(ax=ax, color="#444444", linewidth=1.2, linestyle="--", zorder=3)
    handles: list[Patch | Line2D] = []
    for change, colour in CHANGE_COLOURS.items():
        part = units[units["change"] == change]
        if len(part):
            part.plot(ax=ax, color=colour, edgecolor="#666666", linewidth=0.2, zorder=4)
            handles.append(
                Patch(
                    facecolor=colour,
                    edgecolor="#666666",
                    label=f"{t(f'scenario.change.{change}', lang)} ({len(part)})",
                )
            )
    for change, colour, dash in (("added", "#2166ac", "-"), ("closed", "#b2182b", ":")):
        part = streets[streets["change"] == change]
        if len(part):
            part.plot(ax=ax, zorder=5, color=colour, linewidth=2.6, linestyle=dash)
            handles.append(
                Line2D(
                    [],
                    [],
                    color=colour,
                    linewidth=2.6,
                    linestyle=dash,  # type: ignore[arg-type]
                    label=t(f"scenario.street.{change}", lang),
                )
            )
    markers = {
        "unchanged": ("o", "#222222", 28),
        "capacity": ("o", "#222222", 28),
        "status": ("o", "#222222", 28),
        "reopened": ("o", "#222222", 28),
        "moved": ("D", "#f1a340", 60),
        "added": ("*", "#fdb863", 260),
        "closed": ("X", "#b2182b", 80),
        "removed": ("X", "#b2182b", 80),
    }
    shown: set[str] = set()
    for change in facilities["change"].unique():
        marker, colour, size = markers.get(str(change), ("o", "#222222", 28))
        part = facilities[facilities["change"] == change]
        ax.scatter(
            part.geometry.x,
            part.geometry.y,
            marker=marker,
            s=size,
            c=colour,
            edgecolors="black",
            linewidths=0.7,
            zorder=6,
        )
        label_key = "unchanged" if marker == "o" else str(change)
        if label_key not in shown:
            shown.add(label_key)
            handles.append(
                Line2D(
                    [],
                    [],
                    marker=marker,
                    color="none",
                    markerfacecolor=colour,
                    markeredgecolor="black",
                    markersize=(size**0.5) * 0.9,
                    label=t(f"scenario.fchange.{label_key}", lang),
                )
            )
    row = next(r for r in comparison.services.to_dict("records") if r["service"] == service)
    label = service_label(comparison.scenario.norms, service, lang)
    norm = comparison.scenario.norms.service(service)
    ax.set_title(
        t("scenario.title", lang, scenario=comparison.applied.scenario.name, service=label)
        + "\n"
        + t(
            "scenario.subtitle",
            lang,
            limit=f"{norm.walk_limit_m or 0:g}",
            gained=int(row["units_gained"]),
            lost=int(row["units_lost"]),
        ),
        fontsize=11,
        loc="left",
    )
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=True, framealpha=0.9)
    fig.text(
        0.01,
        0.01,
        t("scenario.modelled_note", lang, attribution=town_attribution(town.meta, lang)),
        fontsize=6.5,
        color="#444444",
        wrap=True,
    )
    fig.tight_layout()

    def write(tmp: Path) -> None:
        fig.savefig(tmp, dpi=dpi, format="png")

    try:
        return write_atomic(path, write)
    finally:
        plt.close(fig)
