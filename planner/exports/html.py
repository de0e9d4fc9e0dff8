"""The interactive map as one standalone HTML file: opens offline, with no side files.

The map is the dashboard's own (``planner.maps.analysis.build_analysis_map``): coverage of the
chosen service, facilities by load, catchments or radius circles, gap zones, legend, layer
control and attribution. This module makes it travel:

- Leaflet and jQuery (installed from npm into ``static/vendor`` by ``scripts/setup.sh``, found
  through ``planner.maps.assets``) are inlined as ``<script>`` and ``<style>`` blocks, and the
  images the stylesheet uses (the layer-control icon) become ``data:`` URIs, so the file makes
  no request at all;
- a title bar (service, town, norm set, date) and a footer with the reproducibility stamp are
  added;
- folium's random element ids are renumbered in order of appearance, so the same analysis and
  stamp always give the same bytes.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import folium
from branca.element import Element

from planner.analysis import TownAnalysis
from planner.errors import PlannerError
from planner.exports.stamp import ExportStamp, stamp_line
from planner.exports.static_map import map_title, provenance_line
from planner.maps.analysis import build_analysis_map
from planner.maps.assets import AssetUrls, require_vendor_files
from planner.maps.style import escape_text
from planner.presentation.views import MapView
from planner.presentation.words import Lang, norm_set_title, t

__all__ = ["html_map"]

_ASSET_BASE = "planner-inline-assets"
"""A placeholder asset URL: every reference to it is replaced by the file's content."""

_FOLIUM_ID = re.compile(r"\b([a-z][a-z0-9_]*?)_([0-9a-f]{32})(?![0-9a-f])")
"""folium element names: a kind and a random 32-hex id (``map_4f…``, ``geo_json_9a…``)."""

_STYLE_URL = re.compile(r"url\((['\"]?)images/([A-Za-z0-9_.-]+\.png)\1\)")

_PAGE_CSS = """
<style>
  .planner-export-title { position: fixed; top: 0; left: 0; right: 0; z-index: 1000;
    background: rgba(255,255,255,0.95); border-bottom: 1px solid #bbb; padding: 6px 12px;
    font: 14px/1.3 "DejaVu Sans", Arial, sans-serif; color: #111; }
  .planner-export-title b { font-size: 16px; }
  .planner-export-title span { color: #444; font-size: 12px; }
  .planner-export-footer { position: fixed; left: 0; right: 0; bottom: 0; z-index: 1000;
    height: 38px; overflow: auto; background: #fff; border-top: 1px solid #bbb;
    padding: 3px 12px; font: 10.5px/1.35 "DejaVu Sans", Arial, sans-serif; color: #333; }
  .folium-map { top: 52px !important; height: calc(100% - 96px) !important; }
</style>
"""


def html_map(
    analysis: TownAnalysis,
    service: str | None,
    *,
    lang: Lang,
    stamp: ExportStamp,
    view: MapView = "network",
) -> str:
    """Return the standalone HTML page of the analysis map.

    Parameters
    ----------
    analysis
        The analysis.
    service
        The service shown, or ``None`` for all services.
    lang
        Language of every text of the page.
    stamp
        The reproducibility stamp shown in the footer.
    view
        The coverage view (``network``, ``radius`` or ``disagree``).

    Raises
    ------
    PlannerError
        If the front-end files are not installed (the message says how to install them).
    """
    files = require_vendor_files()
    fmap = build_analysis_map(
        analysis, service=service, view=view, labels=lang, asset_base_url=_ASSET_BASE
    )
    _add_title_and_footer(fmap, analysis, service, lang, stamp)
    page = fmap.get_root().render()
    assets = AssetUrls(_ASSET_BASE)
    images = {name: path for name, path in files.image_files.items() if path.is_file()}
    for url, path in assets.local_files(files.folder).items():
        content = path.read_text(encoding="utf-8")
        if url.endswith(".css"):
            content = _STYLE_URL.sub(lambda m: f"url({_data_uri(images, m.group(2))})", content)
            page = _replace_tag(
                page, f'<link rel="stylesheet" href="{url}"/>', f"<style>{content}</style>"
            )
        else:
            # A literal "</script" inside a script would end the block early.
            content = content.replace("</script", "<\\/script")
            page = _replace_tag(
                page, f'<script src="{url}"></script>', f"<script>{content}</script>"
            )
    page = page.replace(assets.leaflet_images, "")
    if _ASSET_BASE in page:
        msg = "The map page still refers to a front-end file that could not be inlined."
        raise PlannerError(msg)
    page = page.replace("<html>", f'<html lang="{lang}">', 1)
    return _stable_ids(page)


def _add_title_and_footer(
    fmap: folium.Map, analysis: TownAnalysis, service: str | None, lang: Lang, stamp: ExportStamp
) -> None:
    title = escape_text(map_title(analysis, service, lang))
    subtitle = " · ".join(
        [
            t("export.norms_line", lang, title=norm_set_title(analysis.norms, lang)),
            t("export.date_line", lang, date=stamp.date.isoformat()),
        ]
    )
    footer = "<br>".join(
        escape_text(line) for line in (provenance_line(analysis, lang), stamp_line(stamp, lang))
    )
    root: Any = fmap.get_root()  # a branca Figure: it has header and html sections
    root.header.add_child(Element(f"<title>{title}</title>{_PAGE_CSS}"), name="planner_page")
    root.html.add_child(
        Element(
            f'<div class="planner-export-title"><b>{title}</b><br>'
            f"<span>{escape_text(subtitle)}</span></div>"
            f'<div class="planner-export-footer">{footer}</div>'
        ),
        name="planner_frame",
    )


def _replace_tag(page: str, tag: str, replacement: str) -> str:
    if tag not in page:
        msg = f"The map page has no {tag!r} to inline; folium's output changed."
        raise PlannerError(msg)
    return page.replace(tag, replacement, 1)


def _data_uri(images: dict[str, Path], name: str) -> str:
    path = images.get(name)
    if path is None:
        return "none"
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _stable_ids(page: str) -> str:
    """Renumber folium's random element ids by order of first appearance.

    Examples
    --------
    >>> _stable_ids("map_" + "a" * 32 + " geo_json_" + "b" * 32 + " map_" + "a" * 32)
    'map_1 geo_json_2 map_1'
    """
    numbers: dict[str, int] = {}

    def renumber(match: re.Match[str]) -> str:
        key = match.group(2)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
        return f"{match.group(1)}_{numbers[key]}"

    return _FOLIUM_ID.sub(renumber, page)
