"""Shared fixtures: the tiny hand-checkable town, the bundled Gusev town, and a network guard."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from planner.io import load_town
from planner.model import Town
from planner.paths import default_town_dir
from tests.testdata import TINY_TOWN_DIR

# CI runs the property tests on a fixed sequence of examples, so a run passes or fails the same
# way every time; locally they explore new examples on every run.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True, scope="session")
def _no_internet() -> Iterator[None]:
    """Make any connection to a non-loopback address fail loudly: the tool works offline."""
    original = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            try:
                loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = False
            if not loopback:
                msg = f"test tried to reach {address!r}; tests must not use the network"
                raise RuntimeError(msg)
        return original(self, address)

    socket.socket.connect = guarded  # type: ignore[method-assign,assignment]
    yield
    socket.socket.connect = original  # type: ignore[method-assign]


@pytest.fixture
def tiny_town_dir(tmp_path: Path) -> Path:
    """A writable copy of the tiny town folder (drawn in tests/factories.py)."""
    target = tmp_path / "tiny_town"
    shutil.copytree(TINY_TOWN_DIR, target)
    return target


@pytest.fixture
def tiny_town(tiny_town_dir: Path) -> Town:
    """The tiny town, loaded and validated against the default norm set."""
    from planner.norms import load_norms

    return load_town(tiny_town_dir, norms=load_norms())


@pytest.fixture(scope="session")
def gusev_town() -> Town:
    """The bundled Gusev model, loaded once per test session."""
    from planner.norms import load_norms

    return load_town(default_town_dir(), norms=load_norms())
