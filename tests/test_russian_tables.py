"""Russian mode without a browser: display tables, numbers per locale, map popups, definitions.

``st.dataframe`` draws its cells on a canvas, so ``tests/test_browser_russian.py`` cannot read
them: the tables are checked here, as the pages build them, on the bundled Gusev town. Columns
that quote data or sources as written (names, addresses, sources, norm documents and clauses,
links) keep their original language; every other cell must be Russian.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from planner.analysis import TownAnalysis, analyze_town
from planner.maps.analysis import build_analysis_map
from planner.maps.style import FULL_LOAD_SHARE
from planner.model import Town
from planner.presentation import tables
from planner.presentation.words import NBSP, t

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
QUOTED_COLUMNS = ("col.name", "col.address", "col.source", "col.document", "col.link")
"""Columns that show data or sources as written."""
CITATION_COLUMNS = ("col.clause", "col.reason")
"""Columns whose words are Russian and whose parenthesised citation is quoted as written."""
ALLOWED = frozenset({"OpenStreetMap", "GS", "A", "B", "C"})


@pytest.fixture(scope="module")
def gusev_analysis(gusev_town: Town) -> TownAnalysis:
    from planner.norms import load_norms

    return analyze_town(gusev_town, load_norms())


def _english(text: str) -> list[str]:
    return [w for w in LATIN_WORD.findall(re.sub(r"https?://\S+", " ", text)) if w not in ALLOWED]


def _outside_citation(text: str) -> str:
    """The text without its citation: "(…)" groups, outermost, and a bare citation."""
    depth, kept = 0, []
    for char in text:
        depth += char == "("
        if depth == 0:
            kept.append(char)
        depth -= char == ")" and depth > 0
    return "".join(kept)


def _russian_tables(analysis: TownAnalysis) -> dict[str, pd.DataFrame]:
    required, not_required = tables.requirement_tables(analysis, "ru")
    return {
        "scorecard": tables.scorecard(analysis, "ru").drop(columns=["key", "status_key"]),
        "districts": tables.district_table(analysis, None, "ru"),
        "districts_one": tables.district_table(analysis, "kindergarten", "ru"),
        "gaps": tables.gaps_table(analysis, None, None, "ru").drop(columns="zone_id"),
        "required": required,
        "not_required": not_required,
        "overloaded": tables.overloaded_table(analysis, None, "ru"),
        "facilities": tables.facilities_table(analysis, "ru"),
        "provenance": tables.provenance_table(analysis.town, "ru"),
        "norms": tables.norms_table(analysis.norms, "ru"),
    }


def test_russian_tables_have_no_english_outside_quotations(gusev_analysis: TownAnalysis):
    quoted = {t(key, "ru") for key in QUOTED_COLUMNS}
    cited = {t(key, "ru") for key in CITATION_COLUMNS}
    stray = []
    for name, frame in _russian_tables(gusev_analysis).items():
        assert not [c for c in frame.columns if _english(str(c)) and c != "OpenStreetMap"], name
        for column in frame.columns:
            if column in quoted:
                continue
            for value in frame[column]:
                if not isinstance(value, str):
                    continue
                shown = _outside_citation(value) if column in cited else value
                if column == t("col.clause", "ru") and name != "not_required":
                    continue  # the gap and requirement clauses are citations as a whole
                stray += [f"{name}.{column}: {word} in {value!r}" for word in _english(shown)]
    assert stray == []


def test_the_why_column_is_russian_with_its_citation_quoted(gusev_analysis: TownAnalysis):
    _, not_required = tables.requirement_tables(gusev_analysis, "ru")
    reasons = list(not_required[t("col.reason", "ru")])
    assert reasons
    for reason in reasons:
        assert re.match(r"^[а-яё]", reason), reason
        assert not _english(_outside_citation(reason)), reason


def test_provenance_names_layers_in_russian(gusev_analysis: TownAnalysis):
    frame = tables.provenance_table(gusev_analysis.town, "ru")
    layers = set(frame[t("col.layer", "ru")])
    assert {"жилые кварталы", "улицы", "учреждения", "Все слои"} <= layers


@pytest.mark.parametrize(
    ("lang", "number", "share"),
    [("en", "28,600", "29.9%"), ("ru", f"28{NBSP}600", f"29,9{NBSP}%")],
)
def test_numbers_in_tables_are_written_per_locale(lang, number, share):
    frame = pd.DataFrame(
        {"residents": [28600.0, float("nan")], "share": [0.2987, 1.0], "min": [6.66, 12.0]}
    )
    html = tables.locale_styler(frame, lang, shares=["share"], decimals={"min": 1}).to_html()
    assert f">{number}<" in html
    assert f">{share}<" in html
    assert ">–<" in html  # a missing number
    assert ">6.7<" in html if lang == "en" else ">6,7<" in html
    assert "28600" not in html
    assert "29.87" not in html


def test_full_and_overloaded_are_counted_each_by_its_definition(gusev_analysis: TownAnalysis):
    result = gusev_analysis.service("kindergarten")
    assert result.provision is not None
    shares = result.provision.facilities["load_share"].astype(float)
    full = tables.full_facilities(gusev_analysis, "kindergarten")
    assert full == int((shares >= FULL_LOAD_SHARE).sum())
    card = tables.scorecard(gusev_analysis, "en").set_index("key")
    assert card.loc["kindergarten", t("col.full", "en")] == full
    assert card.loc["kindergarten", t("col.overloaded", "en")] == len(result.overloaded)
    # The two words name different things, and each says so where it is shown.
    assert t("def.full", "en") != t("def.overloaded", "en")
    assert "every place taken" in t("load.full", "en")
    assert tables.full_facilities(gusev_analysis, "pharmacy") == 0  # no demand rule


def test_residents_not_served_are_defined_as_not_within_the_norm(gusev_analysis: TownAnalysis):
    """The gap zones' residents are those not served *within the norm*: summed over the zones
    they equal the overview's "beyond the norm" plus "not served at all" parts of the bar."""
    result = gusev_analysis.service("kindergarten")
    zones = result.gap_zones
    breakdown = tables.coverage_breakdown(result, "en").set_index("class")["residents"]
    outside = breakdown["beyond_norm"] + breakdown["unserved"]
    assert zones["unmet_residents"].sum() == pytest.approx(outside, abs=len(zones) + 1)
    assert "within the norm" in t("col.unmet_residents", "en")
    assert "в нормативе" in t("col.unmet_residents", "ru")
    assert t("status.unserved", "en") == "not served at all"


def test_russian_map_popups_and_controls_have_no_english(gusev_analysis: TownAnalysis):
    html = build_analysis_map(gusev_analysis, service="kindergarten", labels="ru").get_root()
    page = html.render()
    popups = re.findall(r'<table class=\\?"planner-popup-table\\?">(.*?)</table>', page)
    assert popups
    for popup in popups:
        cells = re.findall(r"<th[^>]*>(.*?)</th><td>(.*?)</td>", popup)
        for key, value in cells:
            assert not _english(key), key
            if key in ("Источник", "Адрес", "Название", "Примечание"):
                continue  # data text, quoted as written
            assert not _english(value), (key, value)
    assert "(оценка)" in page or "оценка" not in page
    assert f'"zoom_in": {json.dumps("Приблизить")}' in page
    assert f'"metres": {json.dumps("{value} м")}' in page
    assert "imperial: false" in page
