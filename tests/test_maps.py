"""The analysis map, rendered to HTML without a browser: local assets, layers, escaping, legend.

``build_analysis_map`` is the one map builder (the dashboard's map page); the town-wide view
(``service=None``) draws every facility by service, which most tests here check.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pytest
from pyproj import Transformer
from shapely.geometry import Point

from planner.analysis import analyze_town
from planner.errors import PlannerError
from planner.maps.analysis import build_analysis_map
from planner.maps.assets import LOCAL_ASSETS, AssetUrls, require_vendor_files, vendor_files
from planner.maps.style import (
    BRIDGE_STYLE,
    DEFAULT_STREET,
    OTHER_CATEGORY_COLOR,
    STREET_STYLES,
    escape_text,
    street_style,
)
from planner.model import Town
from planner.norms import load_norms
from planner.paths import PROJECT_ROOT
from tests.factories import X0, Y0, make_tiny_town, with_facilities

XSS_NAME = "<img src=x onerror=alert(1)>"
TINY_SERVICES = {"kindergarten", "school", "polyclinic", "library"}
TO_LONLAT = Transformer.from_crs("EPSG:32634", "EPSG:4326", always_xy=True)


@pytest.fixture(scope="module")
def norms():
    return load_norms()


def map_town() -> Town:
    """The tiny town plus what only the map tests need.

    A polyclinic F3 of unknown capacity at (0, 200), a planned library F4 of 1,500 reader seats
    at (200, 0), and two street kinds that are styled apart: S1 (Line 0, south half) a footway,
    S2 (Row 0, west half) a bridge. None of it changes a distance: kinds only style the map.
    """
    town = make_tiny_town()
    base = town.facilities.iloc[0]
    extra = gpd.GeoDataFrame(
        [
            base.to_dict()
            | {
                "id": "F3",
                "service": "polyclinic",
                "name": "Polyclinic",
                "name_ru": "Поликлиника",
                "address": "Line 0, 3",
                "capacity": None,
                "capacity_basis": "unknown",
                "provenance": "verified",
                "source": "town register",
                "geometry": Point(X0, Y0 + 200),
            },
            base.to_dict()
            | {
                "id": "F4",
                "service": "library",
                "name": "Town Library",
                "name_ru": "Городская библиотека",
                "address": "Row 0, 4",
                "capacity": 1500.0,
                "status": "planned",
                "geometry": Point(X0 + 200, Y0),
            },
        ],
        crs=town.facilities.crs,
    )
    facilities = gpd.GeoDataFrame(
        [*town.facilities.to_dict("records"), *extra.to_dict("records")], crs=town.facilities.crs
    )
    streets = town.streets.copy()
    streets.loc[streets["id"] == "S1", "kind"] = "footway"
    streets.loc[streets["id"] == "S2", "kind"] = "bridge"
    return replace(with_facilities(town, facilities), streets=streets)


def _town_map(town: Town, **options: object) -> str:
    """The rendered town-wide analysis map (every service) of ``town``."""
    analysis = analyze_town(town, load_norms())
    return build_analysis_map(analysis, service=None, **options).get_root().render()  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def tiny_html() -> str:
    return _town_map(map_town())


def _js_string_after(html: str, prefix: str) -> str:
    """Decode the JSON string literal that follows ``prefix`` in the page's script."""
    match = re.search(re.escape(prefix) + r'\s*("(?:[^"\\]|\\.)*")', html)
    assert match is not None, f"{prefix!r} not found"
    return str(json.loads(match.group(1)))


def _div_icon_htmls(html: str) -> list[str]:
    """The decoded ``html`` option of every ``L.divIcon`` (the district labels)."""
    return [
        json.loads(m) for m in re.findall(r'L\.divIcon\(\{\s*"html": ("(?:[^"\\]|\\.)*")', html)
    ]


def _legend(html: str) -> str:
    return _js_string_after(html, "div.innerHTML =")


def _overlay_names(html: str) -> list[str]:
    block = html[html.index("overlays :") :]
    block = block[: block.index("}")]
    return [json.loads(name) for name in re.findall(r'("(?:[^"\\]|\\.)*")\s*:', block)]


# --- assets -------------------------------------------------------------------------------------


def test_every_script_and_stylesheet_is_local(tiny_html):
    sources = re.findall(r'<script[^>]*\bsrc="([^"]*)"', tiny_html)
    links = re.findall(r'<link[^>]*\bhref="([^"]*)"', tiny_html)
    assert sources == [LOCAL_ASSETS.leaflet_js, LOCAL_ASSETS.jquery_js]
    assert links == [LOCAL_ASSETS.leaflet_css]
    assert all(url.startswith("/app/static/vendor/") for url in sources + links)
    # Nothing else a browser would fetch: no CDN, no tiles, no d3 for branca colormaps.
    for needle in ("cdn.", "code.jquery.com", "d3js.org", "tile.openstreetmap", "bootstrap"):
        assert needle not in tiny_html


def test_asset_base_url_moves_every_asset():
    html = _town_map(map_town(), asset_base_url="file:///opt/vendor/")
    urls = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert urls
    assert all(url.startswith("file:///opt/vendor/") for url in urls)
    assert '"file:///opt/vendor/leaflet/images/"' in html


def test_icon_image_path_is_set_before_any_layer(tiny_html):
    first_layer = min(
        tiny_html.index(token) for token in ("L.geoJson(", "L.circleMarker(", "L.marker(")
    )
    assert tiny_html.index('L.Icon.Default.imagePath = "/app/static/vendor/leaflet/images/"') < (
        first_layer
    )


def test_online_basemap_is_an_optional_layer_off_by_default():
    html = _town_map(map_town(), online_basemap=True)
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in html
    assert "OpenStreetMap (online)" in _overlay_names(html)
    tile_layer = re.search(r"var (tile_layer_\w+) = L\.tileLayer", html)
    assert tile_layer is not None
    assert f"{tile_layer.group(1)}.addTo(" not in html


def test_vendor_files_are_installed_and_mapped_to_urls():
    files = require_vendor_files()
    assert files.folder == PROJECT_ROOT / "static" / "vendor"
    assert files.missing() == []
    local = AssetUrls("/x/").local_files()
    assert local == {
        "/x/leaflet/leaflet.js": files.leaflet_js,
        "/x/leaflet/leaflet.css": files.leaflet_css,
        "/x/jquery/jquery.min.js": files.jquery_js,
    }


def test_missing_vendor_files_say_to_run_setup(tmp_path: Path):
    assert len(vendor_files(tmp_path).missing()) == 10
    with pytest.raises(PlannerError, match=r"scripts/setup\.sh"):
        require_vendor_files(tmp_path)


# --- layers -------------------------------------------------------------------------------------


def test_layer_control_lists_every_layer_and_service(tiny_html):
    assert _overlay_names(tiny_html) == [
        "Town boundary",
        "Districts",
        "Water",
        "Railway",
        "Streets",
        "Residential blocks: walking network",
        "Gap zones",
        "Kindergarten",
        "School",
        "Polyclinic",
        "Library",
    ]


def test_feature_counts_match_the_town(tiny_html):
    # 4 facilities as circle markers; 2 district labels; 7 GeoJSON layers (boundary,
    # districts, water, blocks, railway, streets, gap zones).
    assert tiny_html.count("L.circleMarker(") == 4
    assert tiny_html.count("L.marker(") == 2
    assert tiny_html.count("L.geoJson(") == 7
    assert "folium.Icon" not in tiny_html
    assert "AwesomeMarkers" not in tiny_html


def test_absent_optional_layers_are_not_drawn(norms):
    town = map_town()
    empty = town.water.iloc[0:0]
    bare = replace(town, water=empty, rail=town.rail.iloc[0:0], districts=town.districts.iloc[0:0])
    names = _overlay_names(_town_map(bare))
    assert "Water" not in names
    assert "Railway" not in names
    assert "Districts" not in names
    assert "Streets" in names


def test_facility_marker_is_at_the_reprojected_point(tiny_html):
    lon, lat = TO_LONLAT.transform(X0 + 200, Y0 + 200)  # F2, the kindergarten
    assert f"[{round(lat, 6)}, {round(lon, 6)}]" in tiny_html


def test_map_fits_the_boundary():
    fmap = build_analysis_map(analyze_town(map_town(), load_norms()), service=None)
    (south, west), (north, east) = fmap.get_bounds()
    corners = [TO_LONLAT.transform(X0 + x, Y0 + y) for x in (-50, 250) for y in (-50, 250)]
    assert west == pytest.approx(min(c[0] for c in corners), abs=1e-6)
    assert east == pytest.approx(max(c[0] for c in corners), abs=1e-6)
    assert south == pytest.approx(min(c[1] for c in corners), abs=1e-6)
    assert north == pytest.approx(max(c[1] for c in corners), abs=1e-6)


def test_streets_are_styled_by_kind_and_bridges_stand_out(tiny_html):
    assert street_style("bridge") == BRIDGE_STYLE
    assert street_style("Footway_Bridge") == BRIDGE_STYLE
    assert street_style("footway") == STREET_STYLES["footway"]
    assert street_style("no_such_kind") == DEFAULT_STREET
    assert BRIDGE_STYLE.weight_px > max(s.weight_px for s in STREET_STYLES.values())
    assert f'"color": "{BRIDGE_STYLE.color}"' in tiny_html  # the bridge S2
    assert '"dashArray": "4 3"' in tiny_html  # the footway S1


# --- text: escaping, popups, legend, attribution ------------------------------------------------


def test_escape_text_covers_html_and_template_literals():
    assert escape_text(XSS_NAME) == "&lt;img src=x onerror=alert(1)&gt;"
    assert escape_text("a\"b'c&") == "a&quot;b&#x27;c&amp;"
    assert escape_text("`${x}`\\") == "&#96;&#36;{x}&#96;&#92;"


def test_data_text_is_escaped_everywhere(norms):
    town = map_town()
    facilities = town.facilities.copy()
    facilities.loc[0, "name"] = XSS_NAME
    facilities.loc[0, "name_ru"] = "`${alert(2)}`"
    facilities.loc[0, "address"] = "</script><script>alert(3)</script>"
    districts = town.districts.copy()
    districts.loc[0, "name"] = "<b onmouseover=alert(4)>West</b>"
    town = replace(with_facilities(town, facilities), districts=districts)
    html = _town_map(town)

    assert XSS_NAME not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # popup and tooltip
    assert "`${alert(2)}`" not in html
    assert "&#96;&#36;{alert(2)}&#96;" in html
    assert "alert(3)</script>" not in html
    assert html.count("<script") == html.count("</script>")
    assert "<b onmouseover" not in html
    labels = _div_icon_htmls(html)
    assert (
        '<span class="planner-district-label">&lt;b onmouseover=alert(4)&gt;West&lt;/b&gt;</span>'
        in labels
    )


def test_popup_shows_every_field_with_capacity_unit(tiny_html):
    for text in (
        "Kindergarten 2",
        "Детский сад 2",
        "Line 200, 2",
        "40 places",
        "illustrative",
        "test fixture",
        "1,500 reader seats",  # F4, the library
    ):
        assert text in tiny_html, text
    for field in ("Name", "Name (Russian)", "Address", "Capacity", "Provenance", "Source"):
        assert f'<th class="planner-popup-key">{field}</th>' in tiny_html


def test_unknown_capacity_and_a_service_the_norms_do_not_know():
    town = map_town()
    odd = town.facilities.iloc[[0]].copy()
    odd["id"] = ["F9"]
    odd["service"] = ["observatory"]
    odd["name"] = ["Star tower"]
    odd["capacity"] = [35.0]
    odd["capacity_basis"] = ["estimate"]
    facilities = gpd.GeoDataFrame(
        [*town.facilities.to_dict("records"), *odd.to_dict("records")], crs=town.facilities.crs
    )
    html = _town_map(with_facilities(town, facilities))
    popup = html[html.index("Polyclinic</b>") :]
    assert "<td>unknown</td>" in popup[: popup.index("</table>")]
    assert "<td>40 places (estimate)</td>" in html  # the kindergarten, with its unit
    star = html[html.index("Star tower</b>") :]
    assert "<td>35 (estimate)</td>" in star[: star.index("</table>")]  # no unit: not in the norms
    assert "Observatory" in _overlay_names(html)  # the key in words
    assert OTHER_CATEGORY_COLOR in _legend(html)  # services of unknown category are grey


def test_russian_labels(norms):
    html = _town_map(map_town(), labels="ru")
    names = _overlay_names(html)
    assert "Улицы" in names
    assert "Детский сад" in names
    assert "Поликлиника" in names
    assert "40 мест" in html
    assert "1\u00a0500 читательских мест" in html  # a no-break space between thousands
    assert "<td>неизвестно</td>" in html
    # Statuses and provenance are words of the language, not the data's keys.
    assert "<td>проверено</td>" in html
    assert "<td>действует</td>" in html
    assert "<td>verified</td>" not in html
    assert "<td>existing</td>" not in html
    legend = _legend(html)
    assert "Легенда" in legend
    assert '<span class="planner-district-label">Запад</span>' in _div_icon_htmls(html)


def test_legend_lists_exactly_the_services_drawn(norms):
    town = map_town()
    legend = _legend(_town_map(town))
    assert set(re.findall(r'data-service="([^"]+)"', legend)) == TINY_SERVICES
    assert "Kindergarten (1)" in legend
    assert "dashed outline: planned" in legend  # F4 is planned
    assert "Bridge" in legend
    assert "Railway" in legend

    # Two more kindergartens and no library: the legend follows the data.
    facilities = town.facilities[town.facilities["service"] != "library"].copy()
    extra = facilities[facilities["service"] == "kindergarten"].iloc[[0, 0]].copy()
    extra["id"] = ["F5", "F6"]
    extra["geometry"] = gpd.GeoSeries([Point(X0 + 50, Y0 + 50), Point(X0 + 60, Y0 + 50)])
    facilities = gpd.GeoDataFrame(
        [*facilities.to_dict("records"), *extra.to_dict("records")], crs=facilities.crs
    )
    html = _town_map(with_facilities(town, facilities))
    legend = _legend(html)
    assert set(re.findall(r'data-service="([^"]+)"', legend)) == TINY_SERVICES - {"library"}
    assert "Kindergarten (3)" in legend
    assert "planned" not in legend
    assert "Library" not in _overlay_names(html)


def test_attribution_is_on_the_map(tiny_html):
    attribution = _js_string_after(tiny_html, "attributionControl.addAttribution(")
    assert attribution == "test fixture, no real data"


# ---------------------------------------------------------------------------------------------
# The analysis map (planner.maps.analysis)


@pytest.fixture(scope="module")
def tiny_analysis(norms):
    from planner.analysis import analyze_town

    return analyze_town(map_town(), norms)


def _analysis_html(analysis, **kwargs) -> str:
    from planner.maps.analysis import build_analysis_map

    return build_analysis_map(analysis, **kwargs).get_root().render()


def _legend_colors(html: str) -> set[str]:
    return set(re.findall(r'planner-legend-class" data-color="(#[0-9a-f]{6})"', _legend(html)))


@pytest.mark.parametrize("view", ["network", "radius", "disagree"])
@pytest.mark.parametrize("service", ["kindergarten", "school", None])
def test_analysis_legend_lists_exactly_the_classes_drawn(tiny_analysis, service, view):
    from planner.maps.style import STATUS_COLORS
    from planner.presentation.views import unit_classes

    html = _analysis_html(tiny_analysis, service=service, view=view)
    classes = set(unit_classes(tiny_analysis, service, view))
    drawn_fills = {STATUS_COLORS[c] for c in classes}
    # Every block's fill is in the features; the legend lists those classes and no other.
    assert drawn_fills <= set(re.findall(r'"fill": "(#[0-9a-f]{6})"', html))
    legend = _legend_colors(html)
    assert drawn_fills <= legend
    assert not (set(STATUS_COLORS.values()) - drawn_fills) & legend - _non_status_colors()
    names = _overlay_names(html)
    catchments = any(n.startswith("Walking catchments") for n in names)
    circles = any(n.startswith("Normative radius") for n in names)
    if service is None:
        assert not catchments
        assert not circles
    else:
        assert catchments == (view in ("network", "disagree"))
        assert circles == (view in ("radius", "disagree"))
        assert ("Walking catchments" in _legend(html)) == catchments


def _non_status_colors() -> set[str]:
    from planner.maps.style import LOAD_CLASSES, LOAD_UNKNOWN_COLOR

    return {c for _, _, c in LOAD_CLASSES} | {LOAD_UNKNOWN_COLOR}


def test_analysis_popup_shows_load_and_served_residents(tiny_analysis):
    html = _analysis_html(tiny_analysis, service="kindergarten")
    result = tiny_analysis.service("kindergarten")
    row = result.provision.facilities.iloc[0]
    assert "Load</th>" in html
    assert "Residents served within the norm" in html
    load = f"{row['load']:,.0f} of {row['capacity']:,.0f}"
    assert load in html
    # The marker is coloured by its load class.
    from planner.maps.style import load_class

    assert load_class(float(row["load_share"]))[1] in html


@pytest.mark.parametrize("service", ["kindergarten", None])
def test_analysis_map_in_russian_and_escaped(norms, service):
    from planner.analysis import analyze_town

    town = map_town()
    facilities = town.facilities.copy()
    facilities["name"] = XSS_NAME
    facilities["name_ru"] = XSS_NAME
    facilities["address"] = XSS_NAME
    analysis = analyze_town(with_facilities(town, facilities), norms)
    # F2's 40 kindergarten places are short of the blocks' demand: there are gap zones to draw.
    assert not analysis.all_gap_zones().empty
    html = _analysis_html(analysis, service=service, labels="ru")
    assert XSS_NAME not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Легенда" in _legend(html)
    assert "Зоны дефицита" in _overlay_names(html)


def test_analysis_map_focus_fits_the_given_bounds(tiny_analysis):
    html = _analysis_html(tiny_analysis, service="kindergarten", focus=[[54.5, 22.1], [54.6, 22.2]])
    assert re.search(r"fitBounds\(\s*\[\[54\.5, 22\.1\], \[54\.6, 22\.2\]\]", html)


def test_a_selected_zone_or_district_is_outlined_without_catching_the_mouse():
    from planner.analysis import analyze_town
    from planner.maps.analysis import build_analysis_map
    from planner.maps.selection import picked_area_layer
    from planner.norms import load_norms

    norms = load_norms()
    analysis = analyze_town(map_town(), norms)
    zones = analysis.all_gap_zones()
    assert len(zones)
    zone = str(zones["zone_id"].iloc[0])
    layer = picked_area_layer(analysis, zone=zone, labels="ru")
    assert layer is not None
    assert layer.layer_name == f"Выбрано: {zone}"
    fmap = build_analysis_map(analysis, service=None)
    layer.add_to(fmap)
    html = fmap.get_root().render()
    assert '"interactive": false' in html
    assert html.count('"color": "#ffffff"') >= 1  # the white line over its black casing
    district = str(analysis.town.districts["id"].iloc[0])
    assert picked_area_layer(analysis, district=district) is not None
    assert picked_area_layer(analysis, zone="no-such-zone") is None
    assert picked_area_layer(analysis) is None
