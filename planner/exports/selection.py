"""What an export covers: the analysis narrowed to the chosen service.

The dashboard holds one analysis of every service and exports the one on screen; the CLI's
``--service S`` analyses only ``S``. Both go through ``for_service``, so an export holds the same
rows either way and the two give byte-identical files.
"""

from __future__ import annotations

import dataclasses

from planner.analysis import TownAnalysis

__all__ = ["for_service"]


def for_service(analysis: TownAnalysis, service: str | None) -> TownAnalysis:
    """Return ``analysis`` with only ``service`` (all services when ``None``).

    Raises
    ------
    NormsError
        If ``service`` was not analysed (the message lists those that were).
    """
    if service is None:
        return analysis
    result = analysis.service(service)
    coverage = analysis.coverage[analysis.coverage["service"] == service].reset_index(drop=True)
    return dataclasses.replace(analysis, services={service: result}, coverage=coverage)
