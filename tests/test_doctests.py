"""Every example in a docstring of ``planner`` runs and gives what it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import pytest

import planner


def _modules() -> list[str]:
    # planner.__main__ runs the command line when imported, and has no examples.
    found = pkgutil.walk_packages(planner.__path__, prefix="planner.")
    return sorted(info.name for info in found if not info.name.endswith("__main__"))


def _has_examples(module: ModuleType) -> bool:
    return any(t.examples for t in doctest.DocTestFinder().find(module))


MODULES = [name for name in _modules() if _has_examples(importlib.import_module(name))]


def test_examples_exist_in_several_modules() -> None:
    # Guards the collection itself: a broken walk would silently test nothing.
    assert len(MODULES) >= 5


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
