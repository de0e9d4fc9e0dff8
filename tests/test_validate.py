"""The layer checks of ``planner.validate`` on small frames built here, one rule at a time.

``tests/test_io.py`` runs the same checks through the loader on the broken-file catalogue; here
each function gets the smallest input that breaks exactly one rule, so a failing test names the
rule. Coordinates are metres in EPSG:32634.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, Polygon, box

from planner.errors import Issue
from planner.layers import LAYER_SPECS
from planner.validate import (
    check_facilities,
    check_layer,
    check_population_total,
    check_residential,
    check_residential_in_boundary,
    check_street_components,
    check_street_reach,
)

CRS = "EPSG:32634"
FILE = "layer.geojson"


def _frame(rows: list[dict[str, object]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)


def _block(block_id: str | None = "r1", **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": block_id,
        "population": 100,
        "housing": "apartment",
        "district": "west",
        "provenance": "modelled",
        "geometry": box(0, 0, 50, 50),
    }
    return row | values


def _facility(facility_id: str = "f1", **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": facility_id,
        "service": "kindergarten",
        "name": "K",
        "name_ru": "К",
        "address": "",
        "capacity": 100.0,
        "status": "existing",
        "provenance": "verified",
        "source": "test",
        "geometry": Point(10, 10),
    }
    return row | values


def _where(issues: list[Issue]) -> list[tuple[str | None, str]]:
    return [(i.feature_id, i.message) for i in issues]


# --- check_layer ---------------------------------------------------------------------------------


def test_a_sound_layer_has_no_issues() -> None:
    frame = _frame([_block("r1"), _block("r2", geometry=box(60, 0, 110, 50))])
    assert check_layer(frame, LAYER_SPECS["residential"], FILE) == []


def test_missing_columns_are_one_issue_naming_each() -> None:
    frame = _frame([_block()]).drop(columns=["housing", "district"])
    issues = check_layer(frame, LAYER_SPECS["residential"], FILE)
    assert _where(issues) == [(None, "missing column(s): housing, district.")]
    assert issues[0].file == FILE
    assert "add them to every feature" in issues[0].fix


@pytest.mark.parametrize(
    ("value", "bad"),
    [(120, False), (120.0, False), ("120 people", True), (120.5, True), (True, True), (None, True)],
)
def test_population_must_be_a_whole_number(value: object, bad: bool) -> None:
    frame = _frame([_block(population=value)])
    issues = check_layer(frame, LAYER_SPECS["residential"], FILE)
    expected = [("r1", "column 'population' must hold a whole number.")] if bad else []
    assert _where(issues) == expected


def test_text_columns_reject_numbers() -> None:
    frame = _frame([_block(housing=3)])
    issues = check_layer(frame, LAYER_SPECS["residential"], FILE)
    assert ("r1", "column 'housing' must hold text.") in _where(issues)


def test_duplicate_and_missing_ids_are_named() -> None:
    frame = _frame([_block("r1"), _block("r1"), _block(None), _block("r2")])
    issues = check_layer(frame, LAYER_SPECS["residential"], FILE)
    assert _where(issues) == [
        ("#2", "feature has no id."),
        ("r1", "id 'r1' is used by 2 features."),
    ]


def test_geometry_problems_each_get_their_own_issue() -> None:
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    frame = _frame(
        [
            _block("ok"),
            _block("point", geometry=Point(5, 5)),
            _block("bowtie", geometry=bowtie),
            _block("empty", geometry=Polygon()),
            _block("none", geometry=None),
        ]
    )
    issues = _where(check_layer(frame, LAYER_SPECS["residential"], FILE))
    assert [fid for fid, _ in issues] == ["none", "empty", "point", "bowtie"]
    assert issues[2][1] == "geometry is a Point; this layer holds Polygon or MultiPolygon."
    assert issues[3][1].startswith("geometry is invalid (Self-intersection")


def test_provenance_must_be_one_of_the_five() -> None:
    frame = _frame([_block(provenance="guessed")])
    issues = check_layer(frame, LAYER_SPECS["residential"], FILE)
    assert _where(issues) == [("r1", "provenance 'guessed' is not one of the allowed values.")]
    assert issues[0].fix == "use one of: osm, verified, approximate, modelled, illustrative."


# --- check_residential ---------------------------------------------------------------------------


def test_negative_population_and_unknown_housing_and_district() -> None:
    frame = _frame([_block(population=-5, housing="palace", district="north")])
    issues = check_residential(frame, FILE, district_ids=["west", "east"])
    assert _where(issues) == [
        ("r1", "population is negative (population must be 0 or more): -5."),
        ("r1", "housing 'palace' is not one of the allowed values."),
        ("r1", "district is not an id in districts.geojson."),
    ]
    assert issues[-1].fix == "use one of: east, west."


def test_without_districts_any_district_value_passes() -> None:
    frame = _frame([_block(district="anything")])
    assert check_residential(frame, FILE, district_ids=None) == []


def test_cohorts_must_be_all_or_none() -> None:
    frame = _frame([_block(pop_0_6=7, pop_7_17=13)])
    issues = check_residential(frame, FILE, district_ids=None)
    assert _where(issues) == [
        (None, "only some age-cohort columns are present; missing pop_18_64, pop_65_plus.")
    ]


@pytest.mark.parametrize(("adults", "adds_up"), [(63, True), (62, False), (64, False)])
def test_cohorts_must_add_up_to_the_population(adults: int, adds_up: bool) -> None:
    # 7 + 13 + adults + 17 against a population of 100.
    frame = _frame([_block(pop_0_6=7, pop_7_17=13, pop_18_64=adults, pop_65_plus=17)])
    issues = check_residential(frame, FILE, district_ids=None)
    expected = [] if adds_up else [("r1", "age cohorts do not add up to population.")]
    assert _where(issues) == expected


# --- check_population_total ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "ok"),
    # 0.5 % of 10,000 is 50 people either way.
    [(10_000, True), (10_050, True), (9_950, True), (10_051, False), (9_949, False)],
)
def test_population_total_may_differ_by_half_a_percent(total: float, ok: bool) -> None:
    issues = check_population_total(total, 10_000, FILE)
    assert (issues == []) is ok


def test_population_total_message_gives_both_figures_and_the_gap() -> None:
    (issue,) = check_population_total(11_000, 10_000, FILE)
    assert issue.message == (
        "residential population adds up to 11,000, but town.toml gives 10,000 "
        "(a gap of 10.0%; at most 0.5% is allowed)."
    )


# --- check_facilities ----------------------------------------------------------------------------


def test_facility_values_are_checked_against_the_norm_set_and_lists() -> None:
    frame = _frame(
        [
            _facility("f1", service="spaceport"),
            _facility("f2", capacity=-1.0),
            _facility("f3", status="demolished"),
        ]
    )
    issues = check_facilities(frame, FILE, services={"kindergarten": None}, boundary=None)
    assert _where(issues) == [
        ("f1", "service 'spaceport' is not one of the allowed values."),
        ("f2", "capacity is negative (capacity must be 0 or more): -1."),
        ("f3", "status 'demolished' is not one of the allowed values."),
    ]


def test_without_a_norm_set_any_service_passes() -> None:
    frame = _frame([_facility(service="spaceport")])
    assert check_facilities(frame, FILE, services=None, boundary=None) == []


@pytest.mark.parametrize(
    ("basis", "flagged"), [(None, True), ("estimate", True), ("unknown", False)]
)
def test_an_empty_capacity_must_be_declared_unknown(basis: str | None, flagged: bool) -> None:
    row = _facility(capacity=None)
    if basis is not None:
        row["capacity_basis"] = basis
    issues = check_facilities(_frame([row]), FILE, services=None, boundary=None)
    assert (_where(issues) == [("f1", "capacity is empty.")]) is flagged


def test_facilities_outside_the_boundary_are_named() -> None:
    frame = _frame(
        [_facility("in", geometry=Point(10, 10)), _facility("out", geometry=Point(99, 9))]
    )
    issues = check_facilities(frame, FILE, services=None, boundary=box(0, 0, 50, 50))
    assert _where(issues) == [("out", "facility lies outside the town boundary.")]


def test_a_facility_on_the_boundary_line_counts_as_inside() -> None:
    frame = _frame([_facility(geometry=Point(50, 10))])
    assert check_facilities(frame, FILE, services=None, boundary=box(0, 0, 50, 50)) == []


# --- check_street_components ---------------------------------------------------------------------


def _streets(*lines: tuple[str, LineString]) -> gpd.GeoDataFrame:
    return _frame(
        [
            {"id": sid, "kind": "residential", "name": "", "provenance": "modelled", "geometry": g}
            for sid, g in lines
        ]
    )


def test_one_connected_network_has_no_warning() -> None:
    streets = _streets(
        ("a", LineString([(0, 0), (100, 0)])), ("b", LineString([(100, 0), (100, 100)]))
    )
    assert check_street_components(streets, FILE) == []


def test_each_cut_off_piece_is_one_warning_naming_its_streets() -> None:
    streets = _streets(
        ("main1", LineString([(0, 0), (100, 0)])),
        ("main2", LineString([(100, 0), (200, 0)])),
        ("main3", LineString([(200, 0), (300, 0)])),
        ("island1", LineString([(0, 50), (10, 50)])),
        ("island2", LineString([(10, 50), (20, 50)])),
        ("speck", LineString([(0, 90), (5, 90)])),
    )
    issues = check_street_components(streets, FILE)
    assert [(i.feature_id, i.severity) for i in issues] == [
        ("island1", "warning"),
        ("speck", "warning"),
    ]
    # Nodes: the main line has 4, the island 3, the speck 2: 9 in all.
    assert issues[0].message.startswith(
        "street(s) island1, island2 form a piece of network not connected to the main one "
        "(3 of 9 nodes)"
    )


def test_a_long_list_of_cut_off_streets_is_shortened() -> None:
    # The main network is the largest piece by nodes: 11 against the chain's 8.
    main = [(f"m{i}", LineString([(i * 100, 0), (i * 100 + 100, 0)])) for i in range(10)]
    chain = [(f"c{i}", LineString([(i * 10, 50), (i * 10 + 10, 50)])) for i in range(7)]
    (issue,) = check_street_components(_streets(*main, *chain), FILE)
    assert "street(s) c0, c1, c2, c3, c4 and 2 more form a piece" in issue.message


def test_infinite_numbers_are_refused_by_name() -> None:
    rows = [_facility("f1", capacity=float("inf")), _facility("f2", capacity=-float("inf"))]
    issues = check_layer(_frame(rows), LAYER_SPECS["facilities"], FILE)
    infinite = [i for i in issues if "holds an infinite number" in i.message]
    assert [i.feature_id for i in infinite] == ["f1", "f2"]
    assert 'capacity_basis "unknown"' in infinite[0].fix


TOWN = box(0, 0, 1000, 1000)


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (box(100, 100, 200, 200), []),
        # 1,000 m east of the town's edge at x = 1,000 m
        (box(2000, 0, 2100, 100), [("error", "outside the town boundary (1,000 m away)")]),
        # 4 km² against the town's 1 km²
        (box(-500, -500, 1500, 1500), [("error", "covers 4.0 km², more than the whole town")]),
        # x = 900..1,300: 300 of 400 m outside
        (box(900, 0, 1300, 100), [("warning", "75% of the residential unit lies outside")]),
        # x = 800..1,100: 100 of 300 m outside: a third, no issue
        (box(800, 0, 1100, 100), []),
    ],
)
def test_residential_units_against_the_boundary(
    block: Polygon, expected: list[tuple[str, str]]
) -> None:
    issues = check_residential_in_boundary(_frame([_block(geometry=block)]), FILE, boundary=TOWN)
    assert len(issues) == len(expected)
    for issue, (severity, phrase) in zip(issues, expected, strict=True):
        assert issue.severity == severity
        assert phrase in issue.message
        assert issue.feature_id == "r1"


def test_homes_and_facilities_beyond_the_streets_reach_are_counted() -> None:
    streets = _streets(("s1", LineString([(0, 0), (100, 0)])))
    blocks = _frame(
        [
            _block("near", geometry=box(0, 10, 20, 30)),  # centre (10, 20): 20 m
            _block("far", population=70, geometry=box(0, 290, 20, 310)),  # centre (10, 300): 300 m
            _block("farther", population=30, geometry=box(390, 390, 410, 410)),  # 500 m
        ]
    )
    facilities = _frame([_facility("f1", geometry=Point(50, 200))])  # 200 m: within 250 m
    (issue,) = check_street_reach(streets, {"residential": blocks, "facilities": facilities}, FILE)
    assert issue.severity == "warning"
    # the farther block's centre (400, 400) to the street's end (100, 0): √(300² + 400²) = 500 m
    assert "2 of 3 residential unit(s) with 100 residents lie more than 250 m" in issue.message
    assert "(farthest 500 m): far, farther" in issue.message
