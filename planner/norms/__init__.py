"""Norm sets: the planning norms as data (model, schema validation, loading).

Import from here: ``from planner.norms import NormSet, load_norms``. Inside the package the
modules import each other directly (model <- schema <- loading), so there is no cycle.
"""

from planner.norms.loading import available_norm_sets, load_norms
from planner.norms.model import (
    DEFAULT_NORM_SET,
    PACES,
    SERVICE_KEYS,
    Category,
    Confidence,
    DemandRule,
    FrozenMap,
    MinCount,
    NormSet,
    Pace,
    ServiceNorm,
    Source,
)

__all__ = [
    "DEFAULT_NORM_SET",
    "PACES",
    "SERVICE_KEYS",
    "Category",
    "Confidence",
    "DemandRule",
    "FrozenMap",
    "MinCount",
    "NormSet",
    "Pace",
    "ServiceNorm",
    "Source",
    "available_norm_sets",
    "load_norms",
]
