"""One section of a shared benchmark results file, replaced in place.

Several benchmarks report into ``benchmarks/results.md``. Each owns the text between its own
markers (``<!-- NAME:begin -->`` ... ``<!-- NAME:end -->``) and replaces only that, so a run of one
benchmark never drops another's figures. A file without the markers gets the section appended.
"""

from __future__ import annotations

from pathlib import Path

from planner.fileio import write_atomic


def markers(name: str) -> tuple[str, str]:
    """Return the begin and end markers of the section ``name``."""
    return f"<!-- {name}:begin -->", f"<!-- {name}:end -->"


def replace_section(text: str, name: str, body: str) -> str:
    """Return ``text`` with the section ``name`` holding ``body`` (appended if absent).

    Examples
    --------
    >>> doc = "# T\\n\\n<!-- a:begin -->\\nold\\n<!-- a:end -->\\n\\nkept\\n"
    >>> print(replace_section(doc, "a", "new"))
    # T
    <BLANKLINE>
    <!-- a:begin -->
    new
    <!-- a:end -->
    <BLANKLINE>
    kept
    <BLANKLINE>
    >>> replace_section("kept\\n", "b", "x")
    'kept\\n\\n<!-- b:begin -->\\nx\\n<!-- b:end -->\\n'
    """
    begin, end = markers(name)
    section = f"{begin}\n{body.strip(chr(10))}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        return head + section + rest.split(end, 1)[1]
    return text.rstrip("\n") + "\n\n" + section + "\n"


def write_section(path: Path, name: str, body: str) -> None:
    """Replace the section ``name`` of the results file ``path`` (made if missing), atomically."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    new = replace_section(text, name, body).lstrip("\n")
    write_atomic(path, lambda tmp: tmp.write_text(new, encoding="utf-8"))
