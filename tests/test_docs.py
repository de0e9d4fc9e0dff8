"""The documentation keeps up with the code and the repository stands alone.

- ``docs/architecture.md`` names every module file of ``planner/`` and no file that does not exist;
- ``docs/norms.md`` explains every source a norm set cites (each URL) and every service;
- nothing in the repository points to files outside it (the research notes the project was built
  from live elsewhere; what the project needs from them is in ``docs/`` in its own words).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
NORM_FILES = sorted((ROOT / "geodata" / "norms").glob("*.toml"))

MODULE_MENTION = re.compile(r"`(planner/[\w/]+\.py)`")


def _module_files() -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / "planner").rglob("*.py")}


def test_architecture_names_every_module_file_on_disk() -> None:
    named = set(MODULE_MENTION.findall((DOCS / "architecture.md").read_text(encoding="utf-8")))
    missing = sorted(_module_files() - named)
    assert not missing, (
        f"{', '.join(missing)} not in docs/architecture.md: add one line per module to its "
        "module map (what it is for, in a few words)."
    )


def test_architecture_names_no_module_that_does_not_exist() -> None:
    named = set(MODULE_MENTION.findall((DOCS / "architecture.md").read_text(encoding="utf-8")))
    stale = sorted(named - _module_files())
    assert not stale, f"docs/architecture.md names {', '.join(stale)}, which no longer exist."


def test_the_module_pattern_finds_mentions_and_ignores_prose() -> None:
    text = "- `planner/io.py` reads; `planner/maps/base.py` draws; planner/x.py is not a mention"
    assert MODULE_MENTION.findall(text) == ["planner/io.py", "planner/maps/base.py"]


# --- norms ------------------------------------------------------------------------------------


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _cited_urls(path: Path) -> set[str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    urls: set[str] = set()
    for text in _strings(data):
        urls.update(u.rstrip(".") for u in re.findall(r"https?://[^\s),]+", text))
    return urls


@pytest.mark.parametrize("path", NORM_FILES, ids=lambda p: p.stem)
def test_norms_doc_explains_every_source_a_norm_set_cites(path: Path) -> None:
    doc = (DOCS / "norms.md").read_text(encoding="utf-8")
    urls = _cited_urls(path)
    assert len(urls) >= 2  # the parser found the citations at all
    missing = sorted(u for u in urls if u not in doc)
    assert not missing, f"{path.name} cites sources docs/norms.md does not explain: {missing}"


@pytest.mark.parametrize("path", NORM_FILES, ids=lambda p: p.stem)
def test_norms_doc_covers_every_service_and_the_file_itself(path: Path) -> None:
    doc = (DOCS / "norms.md").read_text(encoding="utf-8")
    services = tomllib.loads(path.read_text(encoding="utf-8"))["services"]
    assert path.name in doc
    missing = sorted(key for key in services if f"`{key}`" not in doc)
    assert not missing, f"docs/norms.md has no entry for {missing} of {path.name}"


def test_url_parser_stops_at_brackets_commas_and_full_stops() -> None:
    text = "see (https://a.example/x/1), https://b.example/y. and https://c.example/z,d"
    found = {u.rstrip(".") for u in re.findall(r"https?://[^\s),]+", text)}
    assert found == {"https://a.example/x/1", "https://b.example/y", "https://c.example/z"}


# --- self-contained ---------------------------------------------------------------------------

SKIP_DIRS = {
    ".git",
    ".venv",
    "node_modules",
    "vendor",
    "test-artifacts",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    ".setup-stamps",
    "out",
}
TEXT_SUFFIXES = {".py", ".md", ".toml", ".geojson", ".json", ".sh", ".txt", ".cfg", ".osm", ""}

# The name of the folder of research notes this project was built from, assembled so that this
# guard does not itself name a place outside the repository.
_NOTES = "sha" + "red"
OUTSIDE = re.compile(
    rf"DESIGN\.md|gusev-facts|\.\./{_NOTES}|/work/{_NOTES}|{_NOTES}/(?:reference|geodata-sources)"
    r"|(?<![\w/-])(?:peers|stack|style|cartography)\.md"
)
"""References to the research notes and folders this project was built from, outside the repo."""

BARE_NORMS_NOTE = re.compile(r"(?<![\w/-])norms\.md")
"""``norms.md`` without ``docs/``: fine as a relative link inside docs/, ambiguous elsewhere."""


def _repository_text_files() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*")):
        parts = path.relative_to(ROOT).parts
        if any(part in SKIP_DIRS or part.endswith(".egg-info") for part in parts[:-1]):
            continue
        if path.is_file() and path.suffix in TEXT_SUFFIXES and path != Path(__file__):
            yield path


def test_nothing_refers_to_files_outside_the_repository() -> None:
    offenders = []
    for path in _repository_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        relative = path.relative_to(ROOT).as_posix()
        for pattern in (OUTSIDE,) if relative.startswith("docs/") else (OUTSIDE, BARE_NORMS_NOTE):
            offenders += [f"{relative}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not offenders, "refer to the repository's own docs/ instead:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("see DESIGN.md §4", True),
        (f"from ../{_NOTES}/geodata-sources/x.geojson", True),
        ("(gusev-facts.md §3)", True),
        ("stack.md, section 3", True),
        ("see docs/norms.md §3", False),
        ("see docs/architecture.md", False),
        ("a stylesheet: map-style.md", False),
    ],
)
def test_the_outside_pattern_flags_exactly_the_external_notes(text: str, flagged: bool) -> None:
    assert bool(OUTSIDE.search(text)) is flagged


def test_the_bare_norms_pattern_accepts_the_docs_path_only() -> None:
    assert BARE_NORMS_NOTE.search("(norms.md section 4)")
    assert not BARE_NORMS_NOTE.search("(docs/norms.md §4)")


def test_the_walk_covers_code_data_and_docs_and_skips_installed_files() -> None:
    seen = {p.relative_to(ROOT).as_posix() for p in _repository_text_files()}
    for expected in ("README.md", "planner/io.py", "geodata/gusev/README.md", "docs/norms.md"):
        assert expected in seen
    assert not any(s.startswith((".venv/", "node_modules/", "static/vendor/")) for s in seen)
