"""The dashboard's shared analysis cache: one computation for every session, bounded in size."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from ui import state

APP = Path(__file__).resolve().parent.parent / "app.py"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Count (and slow down a little) every analysis the dashboard computes."""
    from planner.analysis import analyze_town as real

    calls: list[float] = []

    def analyse(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs["walk_speed_m_min"])
        time.sleep(0.2)  # long enough for concurrent sessions to overlap
        return real(*args, **kwargs)

    state.clear_town_caches()
    monkeypatch.setattr("ui.state.analyze_town", analyse)
    yield calls
    state.clear_town_caches()


def test_sessions_share_one_analysis(tiny_town_dir: Path, counted: list[float]) -> None:
    for _ in range(3):  # three sessions, one after the other
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.session_state["town_dir"] = str(tiny_town_dir)
        at.run()
        assert not at.exception, at.exception
    assert counted == [75.0]


def test_concurrent_sessions_compute_it_once(tiny_town_dir: Path, counted: list[float]) -> None:
    results: list[object] = []
    barrier = threading.Barrier(6)

    def session() -> None:
        barrier.wait()
        results.append(state.get_analysis(str(tiny_town_dir), "sp42_small_town", 75.0, False))

    threads = [threading.Thread(target=session) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counted == [75.0]
    assert all(result is results[0] for result in results)


def test_the_cache_keeps_at_most_max_analyses(tiny_town_dir: Path, counted: list[float]) -> None:
    speeds = [60.0 + i for i in range(state.MAX_ANALYSES + 1)]
    for speed in speeds:
        state.get_analysis(str(tiny_town_dir), "sp42_small_town", speed, False)
    # The newest ones are still there; the oldest was dropped and is computed again.
    state.get_analysis(str(tiny_town_dir), "sp42_small_town", speeds[-1], False)
    assert counted == speeds
    state.get_analysis(str(tiny_town_dir), "sp42_small_town", speeds[0], False)
    assert counted == [*speeds, speeds[0]]
