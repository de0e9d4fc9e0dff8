"""Run the code blocks of a Markdown tutorial in order and collect what each one prints.

A ```python block may be followed directly by a ```text block: the output the page shows for
it. ``tests/test_tutorial.py`` runs ``docs/tutorial.md`` in the test process;
``tests/test_packaging.py`` runs this file as a script with an installed package's interpreter,
from another folder, so that ``import planner`` there finds the installed package (only the
standard library is imported here)::

    python tests/tutorial.py docs/tutorial.md     # prints a JSON list of the steps
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Step:
    """One code block: its code, the output the page shows (if any) and what it printed."""

    code: str
    expected: str | None
    printed: str = ""


def steps_of(markdown: str) -> list[Step]:
    """Return the page's code blocks, each with the ```text block right after it, if any.

    Raises
    ------
    ValueError
        A ```text block that does not directly follow a ```python block (it would be checked
        against nothing). Blocks of other languages (``sh``, ``toml``) are shown, not run.
    """
    steps: list[Step] = []
    previous_end = -1
    for match in _FENCE.finditer(markdown):
        kind, body = match.group(1), match.group(2)
        adjacent = markdown[previous_end : match.start()].strip() == "" and previous_end >= 0
        if kind == "python":
            steps.append(Step(body, None))
        elif kind == "text" and steps and steps[-1].expected is None and adjacent:
            steps[-1] = Step(steps[-1].code, body)
        elif kind != "text":  # a shell command or a file shown to the reader: not run
            pass
        else:
            line = markdown.count("\n", 0, match.start()) + 1
            msg = f"line {line}: a ```{kind} block that is not the output of a ```python block"
            raise ValueError(msg)
        previous_end = match.end() if kind == "python" else -1  # text follows python only
    return steps


def run(markdown: str, namespace: dict[str, Any]) -> list[Step]:
    """Execute the page's code blocks in order in ``namespace``; return them with their output."""
    done: list[Step] = []
    for number, step in enumerate(steps_of(markdown), start=1):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(step.code, f"<tutorial block {number}>", "exec"), namespace)
        done.append(Step(step.code, step.expected, printed.getvalue()))
    return done


if __name__ == "__main__":
    page = Path(sys.argv[1]).read_text(encoding="utf-8")
    result = run(page, {"__name__": "__tutorial__"})
    sys.stdout.write(json.dumps([asdict(step) for step in result]))
