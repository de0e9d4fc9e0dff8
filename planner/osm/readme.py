"""The README of an imported town folder: where the data come from, how, and the licence."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from planner.config import OSM_ATTRIBUTION

if TYPE_CHECKING:
    from planner.osm.options import ImportOptions, ImportReport


def town_readme(report: ImportReport, options: ImportOptions, extract: Path, source: str) -> str:
    """Return the Markdown README of a town folder written by ``planner import-osm``."""
    a = options.assumptions
    counts = "\n".join(f"| {name} | {n:,} |" for name, n in report.layer_counts.items())
    services = ", ".join(f"{k} {v}" for k, v in report.facilities_by_service.items()) or "none"
    scaled = (
        f"scaled by {report.scale_factor:.3f} to the official total {options.population:,}"
        if options.population
        else "not scaled: no official total was given (`--population`)"
    )
    lines = [
        f"# {options.name}: imported from OpenStreetMap",
        "",
        f"Written by `planner import-osm` from `{extract.name}` ({source}).",
        f"Data as of **{report.timestamp or 'unknown'}** ({report.timestamp_basis}).",
        "Re-run the import to refresh it; do not edit the files by hand.",
        "",
        "| layer | features |",
        "|---|---:|",
        counts,
        "",
        "## How each layer was made",
        "",
        f"- **streets**: walkable OSM ways (planner/osm/tags.py `walk_kind`), split where they "
        f"share a node, cut to the boundary plus {options.margin_m:g} m; "
        f"{report.street_components} connected piece(s), the largest holding "
        f"{report.largest_component_share:.1%} of the junctions.",
        f"- **residential**: buildings people live in (`housing_type`); residents = "
        f"{a.describe()}; total estimate {report.estimated_population:,.0f}, {scaled}; "
        f"{report.untagged_levels:,} building(s) had no `building:levels` tag and got the "
        f"default. Age cohorts from shares {', '.join(f'{s:g}' for s in a.cohort_shares)}.",
        f"- **facilities**: OSM tags mapped to services (`FACILITY_RULES`): {services}; "
        f"{report.capacity_estimates} capacity value(s) are estimates (`capacity_basis`).",
        "- **districts**: OSM place=suburb/quarter/neighbourhood polygons, else the whole town.",
        "",
        "Every OSM feature has `provenance` = `osm`, its OSM id (`way/123`) in `id` and",
        "`source`, and the extract's date in `source`.",
    ]
    if report.incomplete_relations:
        shown = ", ".join(report.incomplete_relations[:10])
        lines += [
            "",
            f"Not imported: {len(report.incomplete_relations)} multipolygon relation(s) whose "
            f"members the extract lacks ({shown}).",
        ]
    lines += [
        "",
        "## Licence and attribution",
        "",
        f"Map data **{OSM_ATTRIBUTION}** (https://www.openstreetmap.org/copyright). Every map,",
        'export or report that shows these data must carry "© OpenStreetMap contributors";',
        "this folder is a derived database under the ODbL's share-alike terms.",
        "Resident counts per building are estimates by Gusev Planner.",
        "",
    ]
    return "\n".join(lines)
