"""How maps look and read: colours, line styles, density classes, interface text, escaping.

Pure data and small functions shared by ``planner.maps`` (layers) and ``planner.map_elements``
(legend and page elements); exports and static figures can use the same colours.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from branca.colormap import StepColormap

MapLabels = Literal["en", "ru"]

CATEGORY_COLORS: dict[str, str] = {
    "education": "#1f77b4",
    "health": "#d62728",
    "culture": "#9467bd",
    "sport": "#2ca02c",
}
"""Fill colour of facility markers by norm category (Tableau 10 hues)."""

OTHER_CATEGORY_COLOR = "#7f7f7f"
"""Markers of services the norm set does not know (or when no norm set is given)."""

CLOSED_FACILITY_COLOR = "#bdbdbd"

DENSITY_BREAKS_PER_HA: tuple[float, ...] = (0.0, 25.0, 50.0, 100.0, 200.0)
"""Lower bounds of the residential density classes, in residents per hectare.

Fixed breaks (rather than quantiles) keep colours comparable between towns and scenarios:
below 25/ha is detached housing, 100-200/ha mid-rise blocks, above 200/ha dense apartments.
"""

DENSITY_COLORS: tuple[str, ...] = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
"""ColorBrewer YlOrRd, one colour per class of ``DENSITY_BREAKS_PER_HA``."""

COORDINATE_DECIMALS = 6
"""Lon/lat decimals kept in the map (1e-6 deg is about 0.1 m): smaller pages, no visible change."""


@dataclass(frozen=True, slots=True)
class LineStyle:
    """How a line is drawn: colour, width in pixels and an SVG dash pattern (``None``: solid)."""

    color: str
    weight_px: float
    dash: str | None = None


STREET_STYLES: dict[str, LineStyle] = {
    "motorway": LineStyle("#e15759", 5),
    "trunk": LineStyle("#e15759", 5),
    "primary": LineStyle("#f28e2b", 4.5),
    "secondary": LineStyle("#f1b04c", 4),
    "tertiary": LineStyle("#f7d070", 3.5),
    "residential": LineStyle("#ffffff", 3),
    "unclassified": LineStyle("#ffffff", 3),
    "living_street": LineStyle("#ffffff", 3),
    "service": LineStyle("#ffffff", 2),
    "pedestrian": LineStyle("#c9a27e", 2.5),
    "footway": LineStyle("#8c6d4f", 1.5, "4 3"),
    "path": LineStyle("#8c6d4f", 1.5, "4 3"),
    "cycleway": LineStyle("#4e79a7", 1.5, "4 3"),
    "steps": LineStyle("#8c6d4f", 2, "1 3"),
    "crossing": LineStyle("#8c6d4f", 2, "2 2"),
}
"""Street styles by ``kind`` (OSM highway values); other kinds are drawn as ``DEFAULT_STREET``."""

DEFAULT_STREET = LineStyle("#ffffff", 2.5)
BRIDGE_STYLE = LineStyle("#111111", 6)
"""Bridges stand out (black, wide): they are where the river and railway can be crossed."""

WATER_COLOR = "#6baed6"
RAIL_STYLE = LineStyle("#3d3d3d", 3, "10 5")
BOUNDARY_COLOR = "#333333"

_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "boundary": "Town boundary",
        "districts": "Districts",
        "residential": "Residential blocks (density)",
        "streets": "Streets",
        "water": "Water",
        "rail": "Railway",
        "basemap": "OpenStreetMap (online)",
        "legend": "Legend",
        "facilities": "Facilities",
        "density": "Residents per hectare",
        "lines": "Lines",
        "bridge": "Bridge",
        "planned": "dashed outline: planned",
        "closed": "grey: closed",
        "name": "Name",
        "name_ru": "Name (Russian)",
        "service": "Service",
        "address": "Address",
        "capacity": "Capacity",
        "status": "Status",
        "provenance": "Provenance",
        "source": "Source",
        "note": "Note",
        "unknown": "unknown",
        "block": "Block",
        "population": "Residents",
        "housing": "Housing",
        "district": "District",
        "kind": "Kind",
        "street": "Street",
    },
    "ru": {
        "boundary": "Граница города",
        "districts": "Районы",
        "residential": "Жилые кварталы (плотность)",
        "streets": "Улицы",
        "water": "Водные объекты",
        "rail": "Железная дорога",
        "basemap": "OpenStreetMap (онлайн)",
        "legend": "Легенда",
        "facilities": "Учреждения",
        "density": "Жителей на гектар",
        "lines": "Линии",
        "bridge": "Мост",
        "planned": "пунктир: планируемое",
        "closed": "серый: закрыто",
        "name": "Название",
        "name_ru": "Название (рус.)",
        "service": "Услуга",
        "address": "Адрес",
        "capacity": "Вместимость",
        "status": "Статус",
        "provenance": "Происхождение",
        "source": "Источник",
        "note": "Примечание",
        "unknown": "неизвестно",
        "block": "Квартал",
        "population": "Жителей",
        "housing": "Застройка",
        "district": "Район",
        "kind": "Тип",
        "street": "Улица",
    },
}


def map_text(labels: MapLabels) -> Mapping[str, str]:
    """Return the map's interface strings (layer names, legend, popup fields) in a language."""
    return _TEXT[labels]


def escape_text(value: object) -> str:
    """Return ``value`` as text that is safe inside folium's HTML and JavaScript templates.

    ``html.escape`` neutralises tags and quotes; backticks, ``$`` and backslashes become
    character references too, because folium inserts popup and tooltip HTML into JavaScript
    template literals, where they would end the string or start an expression.

    Examples
    --------
    >>> escape_text("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> escape_text("`${x}`")
    '&#96;&#36;{x}&#96;'
    """
    text = html.escape(str(value), quote=True)
    return text.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def density_colormap() -> StepColormap:
    """Return the step colormap of residential density (residents per hectare).

    Classes start at ``DENSITY_BREAKS_PER_HA``; values above the last break take the last
    colour. Only the colour function is used: a branca colormap added to a map would make
    st_folium load d3 from a CDN, so the legend is drawn by ``planner.map_elements`` instead.
    """
    top = DENSITY_BREAKS_PER_HA[-1] * 2
    return StepColormap(
        list(DENSITY_COLORS),
        index=[*DENSITY_BREAKS_PER_HA, top],
        vmin=DENSITY_BREAKS_PER_HA[0],
        vmax=top,
        caption="Residents per hectare",
    )


def density_classes(labels: MapLabels) -> list[tuple[str, str]]:
    """Return the legend entries of the density classes: ``(range label, colour)`` pairs.

    Examples
    --------
    >>> density_classes("en")[:2]
    [('0–25', '#ffffb2'), ('25–50', '#fecc5c')]
    """
    separator = " " if labels == "ru" else ","

    def fmt(value: float) -> str:
        return f"{value:,.0f}".replace(",", separator)

    ranges = [f"{fmt(lo)}–{fmt(hi)}" for lo, hi in itertools.pairwise(DENSITY_BREAKS_PER_HA)]
    ranges.append(f"≥ {fmt(DENSITY_BREAKS_PER_HA[-1])}")
    return list(zip(ranges, DENSITY_COLORS, strict=True))


def is_bridge(kind: str) -> bool:
    """Return whether a street ``kind`` is a bridge (``bridge``, ``footway_bridge``, ...)."""
    return "bridge" in kind.lower()


def street_style(kind: str) -> LineStyle:
    """Return the style of a street ``kind``: bridges first, then ``STREET_STYLES``."""
    if is_bridge(kind):
        return BRIDGE_STYLE
    return STREET_STYLES.get(kind.lower(), DEFAULT_STREET)


def line_style_options(style: LineStyle) -> dict[str, Any]:
    """Return Leaflet path options (``color``, ``weight``, ``dashArray``) for a line style."""
    result: dict[str, Any] = {"color": style.color, "weight": style.weight_px, "opacity": 0.95}
    if style.dash:
        result["dashArray"] = style.dash
    return result


def format_count(value: float, labels: MapLabels) -> str:
    """Return a whole number with a thousands separator (``,`` in English, a space in Russian).

    Examples
    --------
    >>> format_count(20000, "en"), format_count(20000, "ru")
    ('20,000', '20 000')
    """
    text = f"{value:,.0f}"
    return text.replace(",", " ") if labels == "ru" else text
