"""Interface text: every key in both languages, placeholders consistent, Russian really Russian."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from planner.maps.style import STATUS_COLORS
from planner.paths import PROJECT_ROOT
from planner.presentation.catalogue import STRINGS, fmt_number, fmt_share, map_text, t

CYRILLIC = re.compile("[а-яА-ЯёЁ]")
LATIN_ONLY_RU = {
    # Proper names and symbols that read the same in Russian.
    "provenance.osm",
    "col.rank",  # №
    "gaps.project",  # {count} × {size} {unit}
}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_key_has_both_languages_with_the_same_placeholders(key):
    english, russian = STRINGS[key]
    assert english.strip()
    assert russian.strip()
    assert _fields(english) == _fields(russian)
    if key not in LATIN_ONLY_RU:
        assert CYRILLIC.search(russian), f"{key}: Russian text has no Cyrillic: {russian!r}"


def test_every_coverage_class_has_a_label():
    for key in STATUS_COLORS:
        assert f"status.{key}" in STRINGS


def test_every_key_used_in_the_code_exists():
    """Literal keys passed to t(...) in the UI and maps are all defined."""
    used: set[str] = set()
    files = [*Path(PROJECT_ROOT, "ui").rglob("*.py"), PROJECT_ROOT / "app.py"]
    files += [*Path(PROJECT_ROOT, "planner").rglob("*.py")]
    for path in files:
        used |= set(re.findall(r'\bt\(\s*"([a-z_]+\.[a-z_./]+)"', path.read_text(encoding="utf-8")))
    assert used, "no t(...) calls found"
    assert used - set(STRINGS) == set()


def test_lookup_and_formatting():
    assert t("page.map", "en") == "Map"
    assert t("page.map", "ru") == "Карта"
    assert t("warnings", "ru", count=3) == "Предупреждений по данным: 3"
    assert map_text("ru")["streets"] == "Улицы"
    assert "map.streets" not in map_text("en")
    assert fmt_number(28600, "en") == "28,600"
    assert fmt_number(28600, "ru") == "28 600"
    assert fmt_number(float("nan"), "en") == "–"
    assert fmt_share(0.297, "ru") == "30 %"
    with pytest.raises(KeyError):
        t("no.such.key", "en")
