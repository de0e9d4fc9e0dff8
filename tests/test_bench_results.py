"""Benchmarks share benchmarks/results.md: a run of one replaces only its own section."""

from __future__ import annotations

import doctest
from pathlib import Path

from benchmarks import results_file
from benchmarks.results_file import markers, write_section


def test_examples() -> None:
    result = doctest.testmod(results_file)
    assert result.attempted > 0
    assert result.failed == 0


def test_a_section_is_replaced_and_the_others_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "results.md"
    write_section(path, "analysis", "# Engine\n\nold analysis")
    write_section(path, "exports", "## Exports\n\nexports figures")
    path.write_text(path.read_text(encoding="utf-8") + "\n## Hand-written notes\n", "utf-8")
    write_section(path, "analysis", "# Engine\n\nnew analysis")
    text = path.read_text(encoding="utf-8")
    assert "new analysis" in text
    assert "old analysis" not in text
    assert "exports figures" in text
    assert text.endswith("## Hand-written notes\n")
    assert text.index(markers("analysis")[1]) < text.index(markers("exports")[0])


def test_every_benchmark_section_of_the_repository_file_is_marked() -> None:
    text = (Path(results_file.__file__).parent / "results.md").read_text(encoding="utf-8")
    for name in ("analysis", "exports", "scenarios"):
        begin, end = markers(name)
        assert text.count(begin) == 1, name
        assert text.count(end) == 1, name
        assert text.index(begin) < text.index(end)
