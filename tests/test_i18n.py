"""The translation catalogue: every key in both languages, placeholders consistent, Russian really
Russian, and every key the code uses defined (literal ``t("...")`` calls and the keys that
``planner.presentation.words`` builds from engine keys, checked in tests/test_words.py)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from planner.maps.style import STATUS_COLORS
from planner.paths import PROJECT_ROOT
from planner.presentation.catalogue import STRINGS, UNIT_FORMS_EN, UNIT_FORMS_RU, map_text, t

CYRILLIC = re.compile("[а-яА-ЯёЁ]")
LATIN_ONLY_RU = {
    # Proper names and symbols that read the same in Russian.
    "provenance.osm",
    "col.rank",  # №
    "gaps.project",  # {count} × {size}
    "gaps.projects",  # {projects} — {service}
}
KEY = r"([a-z_]+\.[a-z_./]+)"


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


def _used_keys() -> set[str]:
    used: set[str] = set()
    files = [*Path(PROJECT_ROOT, "ui").rglob("*.py"), PROJECT_ROOT / "app.py"]
    files += [*Path(PROJECT_ROOT, "planner").rglob("*.py")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bt\(\s*"' + KEY + '"', text))  # t("key", ...)
        # A key chosen by a conditional: t("a" if x else "b", ...) or key = "a" if x else "b".
        for pair in re.findall('"' + KEY + r'"\s+if\s[^\n]+?\selse\s+"' + KEY + '"', text):
            used |= set(pair)
    return used


def test_every_key_used_in_the_code_exists():
    used = _used_keys()
    assert len(used) > 100, "the scan found too few t(...) calls"
    assert {"ex.side_within", "ex.side_beyond", "cli.far_home", "cli.far_facility"} <= used
    assert used - set(STRINGS) == set()


def test_every_unit_form_agrees_with_the_norm_sets_text():
    """Each Russian unit has its four forms, the many-form being the norm sets' own text."""
    for many, forms in UNIT_FORMS_RU.items():
        assert len(forms) == 4
        assert forms[2] == many
        assert all(CYRILLIC.search(f) for f in forms)
    for plural, (singular, plural_again) in UNIT_FORMS_EN.items():
        assert plural_again == plural
        assert singular != plural


def test_lookup():
    assert t("page.map", "en") == "Map"
    assert t("page.map", "ru") == "Карта"
    assert t("warnings", "ru", count=3) == "Предупреждений по данным: 3"
    assert map_text("ru")["streets"] == "Улицы"
    assert "map.streets" not in map_text("en")
    with pytest.raises(KeyError):
        t("no.such.key", "en")
