"""The dashboard's live map: the base map sent once, the analysis layers sent as they change.

``st_folium`` rebuilds and resends the whole map on every rerun unless its script is unchanged;
here the town's own layers (boundary, districts, water, railway, streets) make a *base map*
rendered once per town and language (``st.cache_resource``), so the component keeps one stable
key and its Leaflet map stays alive. What changes with the user's choices (blocks coloured by
coverage, catchments, gap zones, facilities, the selected block and its walk, the legend and the
view) goes to the live map as streamlit-folium's ``feature_group`` script, evaluated in place.

The component is called through streamlit-folium's own helpers (pinned 0.27.4 in
constraints.txt) so that the base map's script, header and key are computed once, not on every
rerun; ``tests/test_browser.py`` drives the result in Chromium.

Only a click reruns the page (``returned_objects=["last_clicked"]``): pans and zooms stay in
the browser. A click is stored by the component's ``on_change`` callback, *before* the page
runs, so the same run already draws the clicked block highlighted.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial

import branca.colormap
import folium
import folium.elements
import streamlit as st
import streamlit_folium as sf
from branca.element import Element, MacroElement
from folium.template import Template

from planner.locate import Bounds
from planner.maps.analysis import AnalysisLayers, build_base_map
from planner.maps.elements import Legend
from planner.presentation.words import Lang
from ui.state import MAX_TOWNS, get_town

LEGEND_MAX_SHARE = 0.45
"""The view keeps clear of the legend only when it takes at most this share of the map width."""
CLICK_KEY = "_map_click"
"""Session key of the last map click (``{"lat": ..., "lng": ...}``) not yet turned into a unit."""


@dataclass(frozen=True, slots=True)
class BaseMap:
    """A base map rendered to the strings the streamlit-folium component takes.

    Attributes
    ----------
    script, header, html
        The map's Leaflet script, header and HTML (``st_folium``'s own processing).
    css_links, js_links
        The front-end files it loads (local URLs only).
    overlays
        ``(label, JavaScript variable)`` of each base layer, for the layer control.
    key
        The component key (``st_folium``'s hash of the script): stable while the base is.
    """

    script: str
    header: str
    html: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    overlays: tuple[tuple[str, str], ...]
    key: str


@st.cache_resource(show_spinner=False, max_entries=2 * MAX_TOWNS)
def base_map(folder: str, norm_key: str, lang: Lang) -> BaseMap:
    """Return the rendered base map of a town in a language (cached; read-only)."""
    # OpenStreetMap tiles are offered in the layer control, off until the user turns them on.
    fmap = build_base_map(get_town(folder, norm_key), labels=lang, online_basemap=True)
    return render_base(fmap, key="planner_map")


def render_base(fmap: folium.Map, *, key: str) -> BaseMap:
    """Render a map the way ``st_folium`` does, once, and keep the strings it sends."""
    fmap.get_root().render()
    fmap.render()  # type: ignore[no-untyped-call]
    page_html = sf._get_html(fmap)
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)  # renames the elements: names below are the final ones
    overlays = tuple(
        (child.layer_name, child.get_name())
        for child in fmap._children.values()
        if isinstance(child, folium.map.Layer) and child.control
    )
    css: list[str] = []
    js: list[str] = []
    for element in _walk(fmap):
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    return BaseMap(
        script=script,
        header=header,
        html=page_html,
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
        overlays=overlays,
        key=sf.generate_js_hash(script, key, False),
    )


def _walk(element: Element) -> Iterator[Element]:
    if isinstance(element, (folium.elements.JSCSSMixin, branca.colormap.ColorMap)):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


class LegendSwap(MacroElement):
    """Replaces the map's legend (a ``Legend`` control) keeping it open or folded as it was."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function () {
                var old = window.plannerLegend, open = null;
                if (old) {
                    var folded = old.getContainer && old.getContainer().querySelector("details");
                    if (folded) { open = folded.open; }
                    old.remove();
                }
                {{ this.legend_script }}
                window.plannerLegend = {{ this.legend_name }};
                var details = window.plannerLegend.getContainer().querySelector("details");
                if (details && open !== null) { details.open = open; }
            })();
        {% endmacro %}
        """
    )

    def __init__(self, legend: Legend, map_name: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LegendSwap"
        legend._id = "planner"
        # The legend's own script, adding it to the live map (named map_div in st_folium).
        legend._parent = _Named(map_name)  # type: ignore[assignment]
        self.legend_script = legend._template.module.script(legend)
        self.legend_name = legend.get_name()


class FitOnce(MacroElement):
    """Fits the view to bounds once per distinct bounds: later updates keep the user's view.

    The view keeps clear of the legend (bottom left): of its width where it is open and narrow
    beside the map, of its height where it is folded (on a phone); an open legend wider than
    ``LEGEND_MAX_SHARE`` of the map is left over the town (the user can fold it).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            if (window.plannerFit !== {{ this.token|tojson }}) {
                window.plannerFit = {{ this.token|tojson }};
                (function (map) {
                    var width = map.getSize().x, left = 10, bottom = 30;
                    var legend = map.getContainer().querySelector(".planner-legend");
                    var details = legend && legend.querySelector("details");
                    if (legend && details && !details.open) {
                        bottom = Math.max(bottom, legend.offsetHeight + 15);
                    } else if (legend && legend.offsetWidth + 20 <= {{ this.max_share }} * width) {
                        left = legend.offsetWidth + 20;
                    }
                    map.fitBounds({{ this.bounds|tojson }}, {
                        paddingTopLeft: [left, 10], paddingBottomRight: [10, bottom]
                    });
                })({{ this.map_name }});
            }
        {% endmacro %}
        """
    )

    def __init__(self, bounds: Bounds, map_name: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "FitOnce"
        self.bounds = bounds
        self.token = json.dumps(bounds)
        self.map_name = map_name
        self.max_share = LEGEND_MAX_SHARE


@dataclass(frozen=True, slots=True)
class _Named:
    """Stands for the live map when an element's script asks its parent's name."""

    name: str

    def get_name(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class RenderedLayers:
    """Analysis layers rendered to the script the live map evaluates (immutable: cacheable).

    Attributes
    ----------
    script
        The groups' script (streamlit-folium's ``feature_group`` format), groups numbered from 0.
    overlays
        ``(label, JavaScript variable)`` of each group listed in the layer control.
    legend
        The legend's HTML.
    count
        How many groups ``script`` defines (further groups are numbered from here).
    """

    script: str
    overlays: tuple[tuple[str, str], ...]
    legend: str
    count: int


def _live_map() -> folium.Map:
    live = folium.Map(tiles=None)
    live._id = "div"  # st_folium's name of the live map: map_div
    return live


def _groups_script(
    groups: Sequence[folium.FeatureGroup], start: int
) -> tuple[str, tuple[tuple[str, str], ...]]:
    live = _live_map()
    script = "".join(
        sf._get_feature_group_string(group, map=live, idx=start + i)
        for i, group in enumerate(groups)
    )
    overlays = tuple(
        (group.layer_name, f"feature_group_feature_group_{start + i}")
        for i, group in enumerate(groups)
        if group.control
    )
    return script, overlays


def render_layers(layers: AnalysisLayers) -> RenderedLayers:
    """Render analysis layers once (the groups are consumed: do not render them again)."""
    script, overlays = _groups_script(layers.groups, 0)
    return RenderedLayers(script, overlays, layers.legend, len(layers.groups))


def layers_script(
    layers: RenderedLayers,
    base: BaseMap,
    *,
    extra: Sequence[folium.FeatureGroup] = (),
    fit: Bounds | None,
) -> tuple[str, str]:
    """Return the ``feature_group`` and ``layer_control`` scripts for the live map.

    Parameters
    ----------
    layers
        The rendered analysis layers and legend.
    base
        The base map they are added to (its layers are listed in the layer control too).
    extra
        Further groups drawn over the analysis (the selected block), rendered here.
    fit
        Bounds the view is fitted to when they differ from the last ones fitted.
    """
    controls = folium.FeatureGroup(name="planner-controls", control=False)
    LegendSwap(Legend(layers.legend), "map_div").add_to(controls)
    if fit is not None:
        FitOnce(fit, "map_div").add_to(controls)
    more, more_overlays = _groups_script([*extra, controls], layers.count)
    overlays = (*base.overlays, *layers.overlays, *more_overlays)
    entries = ", ".join(f"{json.dumps(html.escape(label))}: {var}" for label, var in overlays)
    control = (
        f"var layer_control_planner = L.control.layers(null, {{{entries}}}, "
        "{collapsed: true}).addTo(map_div);\nwindow.layer_control = layer_control_planner;\n"
    )
    return layers.script + more, control


def _on_change(key: str) -> None:
    value = st.session_state.get(key) or {}
    clicked = value.get("last_clicked")
    if clicked:
        st.session_state[CLICK_KEY] = clicked


def pop_click() -> dict[str, float] | None:
    """Return the map click not handled yet (and forget it), or ``None``."""
    clicked = st.session_state.pop(CLICK_KEY, None)
    return clicked if isinstance(clicked, dict) else None


def live_map(base: BaseMap, feature_group: str, layer_control: str, *, height_px: int) -> None:
    """Show the live map: the base once (stable key), the layers replaced in place."""
    sf._component_func(
        script=base.script,
        header=base.header,
        html=base.html,
        id="map_div",
        key=base.key,
        height=height_px,
        width=None,  # the container's width
        returned_objects=["last_clicked"],
        default={"last_clicked": None},
        zoom=None,
        center=None,
        feature_group=feature_group,
        return_on_hover=False,
        layer_control=layer_control,
        pixelated=False,
        css_links=list(base.css_links),
        js_links=list(base.js_links),
        on_change=partial(_on_change, base.key),
        wrap_longitude=False,
    )
