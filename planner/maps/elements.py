"""Custom Leaflet elements of the town map: legend, attribution, icon path and page CSS.

They are branca ``MacroElement``s whose scripts run inside the map's own script, so they work
the same in st_folium's iframe, in ``Map.save()`` output and in a standalone export. All data
text reaching them must already be escaped (``planner.maps.style.escape_text``); they insert
their strings with Jinja's ``tojson`` filter, which also escapes ``<``, ``>`` and ``&`` for
``<script>`` blocks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from planner.maps.style import (
    GAP_COLOR,
    GAP_HATCH_ID,
    MAP_BACKGROUND,
    LineStyle,
    MapLabels,
    escape_text,
)
from planner.presentation.words import (
    capacity_unit,
    facility_status,
    fmt_number,
    pick,
    provenance,
)

if TYPE_CHECKING:
    from planner.norms import NormSet


@dataclass(frozen=True, slots=True)
class DrawnService:
    """A service drawn on the map, as the legend lists it.

    Attributes
    ----------
    key
        The service key (``kindergarten``, ...).
    label
        Its display name in the map's language.
    category
        Its norm category (``education``, ``health``, ``culture``, ``sport`` or ``other``).
    color
        The marker fill colour.
    count
        Number of facilities drawn.
    """

    key: str
    label: str
    category: str
    color: str
    count: int


@dataclass(frozen=True, slots=True)
class Swatch:
    """One legend entry of a class drawn on the map.

    Attributes
    ----------
    label
        Its text (escaped by the legend).
    color
        Fill or outline colour.
    shape
        ``"square"`` (filled area), ``"circle"`` (marker), ``"hollow"`` (marker, dashed
        outline), ``"outline"`` (area outline), ``"dashed"`` (dashed area outline) or
        ``"hatch"`` (hatched area).
    """

    label: str
    color: str
    shape: str = "square"


def legend_html(
    text: Mapping[str, str],
    *,
    services: Sequence[DrawnService],
    status_notes: Sequence[str],
    lines: Sequence[tuple[str, LineStyle]],
    sections: Sequence[tuple[str, Sequence[Swatch]]] = (),
) -> str:
    """Return the legend's HTML (every label escaped here).

    Parameters
    ----------
    text
        Interface strings (``planner.maps.style.map_text``).
    services
        The services drawn, in order; exactly these are listed.
    status_notes
        Notes on marker styles for facility statuses present (planned, closed).
    lines
        ``(label, style)`` of the line layers drawn.
    sections
        ``(title, swatches)`` of classed layers (coverage classes, loads, areas), listed first.
    """
    title = escape_text(text["legend"])
    parts = [f'<details open><summary class="planner-legend-title">{title}</summary>']
    for section_title, swatches in sections:
        if not swatches:
            continue
        parts.append(_section(section_title))
        parts.extend(
            f'<div class="planner-legend-row planner-legend-class" data-color="{sw.color}">'
            f"{_swatch(sw)}{escape_text(sw.label)}</div>"
            for sw in swatches
        )
    if services:
        parts.append(_section(text["facilities"]))
        parts.extend(
            f'<div class="planner-legend-row planner-legend-service" '
            f'data-service="{escape_text(s.key)}"><span class="planner-swatch '
            f'planner-swatch-circle" style="background:{s.color}"></span>'
            f"{escape_text(s.label)} ({s.count})</div>"
            for s in services
        )
        if status_notes:
            parts.append(
                f'<div class="planner-legend-note">{escape_text("; ".join(status_notes))}</div>'
            )
    if lines:
        parts.append(_section(text["lines"]))
        parts.append('<div class="planner-legend-grid">')
        parts.extend(
            f'<div class="planner-legend-row">{_line_swatch(style)}{escape_text(label)}</div>'
            for label, style in lines
        )
        parts.append("</div>")
    parts.append("</details>")
    return "".join(parts)


class IconImagePath(MacroElement):
    """Sets ``L.Icon.Default.imagePath`` to the local images folder.

    Add it as the map's first child so it runs before any marker exists: otherwise Leaflet's
    auto-detection reads the path from the loaded CSS, which inside st_folium's iframe may not
    have loaded yet, and then requests the marker images from a wrong URL.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.Icon.Default.imagePath = {{ this.images_url|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self, images_url: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "IconImagePath"
        self.images_url = images_url


LEGEND_WIDTH_PX = 230
"""Widest the open legend gets (CSS ``max-width``); a map fitted with this much padding on the
left keeps the town clear of it."""

LEGEND_COLLAPSE_BELOW_PX = 500
"""Maps narrower than this (phones, narrow columns) start with the legend closed."""


class PlannerStyles(MacroElement):
    """CSS of the legend, district labels and popups, and the gap zones' hatch pattern.

    The CSS goes in the page header; the hatch is an SVG ``<pattern>`` added to the document
    once (gap zones are filled with ``url(#planner-gap-hatch)``, see ``style.GAP_ZONE_STYLE``).
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            .leaflet-container { background: {{ this.background }}; }
            /* No focus rectangle on shapes after a click: Leaflet makes paths focusable. */
            .leaflet-container .leaflet-interactive:focus,
            .leaflet-container path:focus, .leaflet-container:focus { outline: none; }
            .planner-legend { background: rgba(255,255,255,0.94); padding: 4px 8px;
                font: 11.5px/1.3 "DejaVu Sans", Arial, sans-serif; color: #222;
                border-radius: 5px; box-shadow: 0 1px 5px rgba(0,0,0,0.35);
                max-height: 55vh; overflow-y: auto; max-width: {{ this.legend_width }}px;
                box-sizing: border-box; }
            .planner-legend summary { font-weight: bold; cursor: pointer; }
            .planner-legend details:not([open]) summary { padding: 1px 0; }
            .planner-legend-section { font-weight: bold; margin-top: 5px; }
            .planner-legend-row { display: flex; align-items: center; gap: 6px; }
            .planner-legend-note { color: #555; font-style: italic; }
            .planner-swatch { display: inline-block; width: 14px; height: 11px;
                border: 1px solid #555; flex: none; }
            .planner-swatch-circle { border-radius: 50%; width: 11px; border-color: #222; }
            .planner-swatch-hatch { background: repeating-linear-gradient(45deg,
                {{ this.gap_color }} 0 2px, transparent 2px 5px); }
            .planner-swatch-line { flex: none; }
            .planner-legend-grid { display: grid; grid-template-columns: 1fr 1fr;
                column-gap: 8px; }
            .planner-district-icon { background: none; border: none; }
            .planner-district-label { display: block; text-align: center; font: bold 13px
                "DejaVu Sans", Arial, sans-serif; color: #333; white-space: nowrap;
                text-shadow: 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; }
            /* Popups as wide as their content (up to the max width), never a fixed box. */
            .leaflet-popup-content { width: auto !important; min-width: 180px;
                margin: 10px 14px; }
            .planner-popup { max-width: 320px; }
            .planner-popup-table { border-collapse: collapse; }
            .planner-popup-table th { text-align: left; padding-right: 8px; color: #555;
                vertical-align: top; font-weight: normal; white-space: nowrap; }
            .planner-popup-table td { overflow-wrap: anywhere; }
            .leaflet-control-scale-line { background: rgba(255,255,255,0.8); }
            .leaflet-container .leaflet-control-attribution { font-size: 10px; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            if (!document.getElementById({{ this.hatch_id|tojson }})) {
                document.body.insertAdjacentHTML("beforeend", {{ this.hatch_svg|tojson }});
            }
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "PlannerStyles"
        self.background = MAP_BACKGROUND
        self.legend_width = LEGEND_WIDTH_PX
        self.gap_color = GAP_COLOR
        self.hatch_id = GAP_HATCH_ID
        self.hatch_svg = (
            '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
            f'<pattern id="{GAP_HATCH_ID}" patternUnits="userSpaceOnUse" width="8" height="8" '
            'patternTransform="rotate(45)">'
            f'<line x1="0" y1="0" x2="0" y2="8" stroke="{GAP_COLOR}" stroke-width="1.2" '
            'stroke-opacity="0.7"/></pattern></defs></svg>'
        )


class Legend(MacroElement):
    """A Leaflet control (bottom left) holding the legend's HTML (from ``legend_html``).

    The legend is a ``<details>`` element: a click on its title folds it. It starts closed on
    maps narrower than ``LEGEND_COLLAPSE_BELOW_PX`` (a phone), open otherwise.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: "bottomleft"});
            {{ this.get_name() }}.onAdd = function (map) {
                var div = L.DomUtil.create("div", "planner-legend leaflet-control");
                div.innerHTML = {{ this.legend_html|tojson }};
                var details = div.querySelector("details");
                if (details && map.getSize().x < {{ this.collapse_below }}) {
                    details.open = false;
                }
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, legend_html: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Legend"
        self.legend_html = legend_html
        self.collapse_below = LEGEND_COLLAPSE_BELOW_PX


class Attribution(MacroElement):
    """Adds a line (escaped here) to Leaflet's attribution control, bottom right."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.attributionControl.addAttribution(
                {{ this.attribution_html|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, attribution: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Attribution"
        self.attribution_html = escape_text(attribution)


class MapControls(MacroElement):
    """Leaflet's own controls in the map's language, and a metric-only scale.

    Leaflet writes "Zoom in", "Zoom out", "Layers" and the scale's "m"/"km" in English; this
    sets the titles (and ARIA labels) of the zoom buttons and the layer control's toggle in the
    map's language, and adds a scale bar without imperial units whose unit words come from the
    catalogue. Add it before the layer control (``new_map`` does).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (map, words) {
                var zoom = map.zoomControl;
                if (zoom) {
                    [[zoom._zoomInButton, words.zoom_in], [zoom._zoomOutButton, words.zoom_out]]
                        .forEach(function (pair) {
                            if (pair[0]) {
                                pair[0].title = pair[1];
                                pair[0].setAttribute("aria-label", pair[1]);
                            }
                        });
                }
                // The layer control may be made after this runs (or again later): its toggle
                // gets the title when Leaflet builds it.
                var layers = L.Control.Layers.prototype;
                if (!layers._plannerInitLayout) {
                    layers._plannerInitLayout = layers._initLayout;
                    layers._initLayout = function () {
                        this._plannerInitLayout();
                        var link = this._layersLink;
                        var title = L.plannerLayersTitle;
                        if (link && title) {
                            link.title = title;
                            link.setAttribute("aria-label", title);
                        }
                    };
                }
                L.plannerLayersTitle = words.layers;
                // Leaflet's own prefix (its link and flag), with the link's title translated.
                var attribution = map.attributionControl;
                if (attribution && typeof attribution.options.prefix === "string") {
                    attribution.setPrefix(attribution.options.prefix.replace(
                        /title="[^"]*"/, 'title="' + words.leaflet + '"'));
                }
                var Scale = L.Control.Scale.extend({
                    _updateMetric: function (maxMeters) {
                        var meters = this._getRoundNum(maxMeters);
                        var label = meters < 1000 ? words.metres.replace("{value}", meters)
                            : words.kilometres.replace("{value}", meters / 1000);
                        this._updateScale(this._mScale, label, meters / maxMeters);
                    }
                });
                new Scale({imperial: false, metric: true, maxWidth: 120}).addTo(map);
            })({{ this._parent.get_name() }}, {{ this.words|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, words: Mapping[str, str]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "MapControls"
        self.words = {
            key: escape_text(words[key])
            for key in ("zoom_in", "zoom_out", "layers", "metres", "kilometres", "leaflet")
        }


def _swatch(swatch: Swatch) -> str:
    color = swatch.color
    styles = {
        "square": f"background:{color}",
        "circle": f"background:{color}",
        "outline": f"background:none;border:2px solid {color}",
        "dashed": f"background:none;border:2px dashed {color}",
        "hatch": f"border:1.5px solid {color}",
        "hollow": f"background:{color};border-style:dashed",
    }
    extra = {"circle": " planner-swatch-circle", "hollow": " planner-swatch-circle"}
    extra["hatch"] = " planner-swatch-hatch"
    circle = extra.get(swatch.shape, "")
    style = styles.get(swatch.shape, styles["square"])
    return f'<span class="planner-swatch{circle}" style="{style}"></span>'


def _section(title: str) -> str:
    return f'<div class="planner-legend-section">{escape_text(title)}</div>'


def _line_swatch(style: LineStyle) -> str:
    """Return a small SVG line drawn like the layer (white streets need the grey background)."""
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    width = max(1.5, min(6.0, style.weight_px))
    return (
        '<svg class="planner-swatch-line" width="24" height="12" aria-hidden="true">'
        '<rect width="24" height="12" fill="#dddddd"/>'
        f'<line x1="1" y1="6" x2="23" y2="6" stroke="{style.color}" '
        f'stroke-width="{width}"{dash}/></svg>'
    )


def facility_popup(
    row: pd.Series,
    label: str,
    text: Mapping[str, str],
    labels: MapLabels,
    norms: NormSet | None,
    extra: Sequence[tuple[str, str]] = (),
) -> str:
    """Return a facility's popup HTML: every data field escaped here.

    ``extra`` holds further ``(field, value)`` rows (values already escaped), shown after the
    capacity (e.g. the load from the analysis).
    """
    title = pick(labels, row["name"], row["name_ru"] or row["name"])
    # English shows both names (the Russian one is how residents know it); Russian shows the
    # Russian name only, so no English text appears in a Russian popup.
    names = pick(
        labels,
        [(text["name"], escape_text(row["name"])), (text["name_ru"], escape_text(row["name_ru"]))],
        [(text["name"], escape_text(title))],
    )
    fields: list[tuple[str, str]] = [
        *names,
        (text["service"], escape_text(label)),
        (text["address"], escape_text(row["address"])),
        (text["capacity"], capacity_text(row, text, labels, norms)),
        *extra,
        (text["status"], escape_text(facility_status(str(row["status"]), labels))),
        (text["provenance"], escape_text(provenance(str(row["provenance"]), labels))),
        (text["source"], escape_text(row["source"])),
    ]
    note = row.get("note")
    if isinstance(note, str) and note.strip():
        fields.append((text["note"], escape_text(note)))
    cells = "".join(
        f'<tr><th class="planner-popup-key">{key}</th><td>{value}</td></tr>'
        for key, value in fields
    )
    return (
        f'<div class="planner-popup"><b>{escape_text(title)}</b>'
        f'<table class="planner-popup-table">{cells}</table></div>'
    )


def capacity_text(
    row: pd.Series, text: Mapping[str, str], labels: MapLabels, norms: NormSet | None
) -> str:
    """Return a facility's capacity with its unit (escaped), or "unknown"."""
    capacity = pd.to_numeric(pd.Series([row["capacity"]]), errors="coerce").iloc[0]
    if capacity is None or not math.isfinite(float(capacity)):
        return escape_text(text["unknown"])
    number = fmt_number(float(capacity), labels)
    unit = ""
    key = str(row["service"])
    if norms is not None and key in norms.services:
        unit = capacity_unit(norms.services[key], labels, float(capacity))
    basis = row.get("capacity_basis")
    suffix = f" ({text['estimate']})" if basis == "estimate" else ""
    return escape_text(f"{number} {unit}".strip() + suffix)
