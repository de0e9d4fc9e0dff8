"""Reading what the ``planner`` command printed to stderr in tests."""

from __future__ import annotations

import re

PROGRESS = re.compile(r"^\[[^\]]*%\] ")
"""A progress line (``[ 10%] measuring walking distances``): printed once a step takes over a
second, so it may or may not appear on a loaded machine."""


def error_lines(stderr: str) -> list[str]:
    """Return the lines of ``stderr`` that are not progress lines."""
    return [line for line in stderr.splitlines() if not PROGRESS.match(line)]


def one_error_line(stderr: str) -> str:
    """Return the only non-progress line of ``stderr``, failing unless there is exactly one."""
    lines = error_lines(stderr)
    assert len(lines) == 1, f"expected one line, got {lines!r}"
    assert "Traceback" not in stderr
    assert lines[0].startswith("planner")
    return lines[0]
