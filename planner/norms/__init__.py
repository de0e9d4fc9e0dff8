"""Norm sets: the planning norms as data (model, schema validation, loading).

Import from here: ``from planner.norms import NormSet, load_norms``. Inside the package the
modules import each other directly (model <- schema <- loading), so there is no cycle.
"""

from planner.norms import model
from planner.norms.loading import available_norm_sets, load_norms
from planner.norms.model import *  # noqa: F403  (the model's public names, by its __all__)

__all__ = [*model.__all__, "available_norm_sets", "load_norms"]  # noqa: PLE0604
