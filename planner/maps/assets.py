"""The front-end files maps need (Leaflet, jQuery, Leaflet.draw), served locally: maps work offline.

The files are not committed: ``scripts/setup.sh`` installs them from the npm registry
(``package.json``) and copies them to ``static/vendor/``. Streamlit serves that folder at
``/app/static/vendor/`` (``enableStaticServing`` in ``.streamlit/config.toml``); a standalone
HTML export inlines the same files instead (``VendorFiles`` and ``AssetUrls.local_files``).

Folium's own defaults point to CDNs (jsDelivr, code.jquery.com, cdnjs, Bootstrap); offline the
st_folium iframe then stays empty without any Python error, which is why every map is built from
``AssetUrls``; ``tests/test_browser.py`` fails on any non-local request.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner.errors import PlannerError
from planner.paths import vendor_dir

STATIC_VENDOR_URL = "/app/static/vendor"
"""Where Streamlit serves ``static/vendor/`` (files next to ``app.py`` under ``static/``)."""

LEAFLET_JS_URL = f"{STATIC_VENDOR_URL}/leaflet/leaflet.js"
LEAFLET_CSS_URL = f"{STATIC_VENDOR_URL}/leaflet/leaflet.css"
JQUERY_JS_URL = f"{STATIC_VENDOR_URL}/jquery/jquery.min.js"
LEAFLET_DRAW_JS_URL = f"{STATIC_VENDOR_URL}/leaflet-draw/leaflet.draw.js"
LEAFLET_DRAW_CSS_URL = f"{STATIC_VENDOR_URL}/leaflet-draw/leaflet.draw.css"
LEAFLET_IMAGES_URL = f"{STATIC_VENDOR_URL}/leaflet/images/"
"""Folder of Leaflet's marker and layer-control PNGs; the trailing slash matters to Leaflet."""

LEAFLET_IMAGE_NAMES: tuple[str, ...] = (
    "layers.png",
    "layers-2x.png",
    "marker-icon.png",
    "marker-icon-2x.png",
    "marker-shadow.png",
)
"""The PNGs of Leaflet 1.9.4 ``dist/images`` (used by leaflet.css and ``L.Icon.Default``)."""

_LEAFLET_JS = Path("leaflet", "leaflet.js")
_LEAFLET_CSS = Path("leaflet", "leaflet.css")
_JQUERY_JS = Path("jquery", "jquery.min.js")
_LEAFLET_IMAGES = Path("leaflet", "images")
_DRAW_JS = Path("leaflet-draw", "leaflet.draw.js")
_DRAW_CSS = Path("leaflet-draw", "leaflet.draw.css")


@dataclass(frozen=True, slots=True)
class AssetUrls:
    """URLs of the front-end files as a browser reaches them.

    Attributes
    ----------
    base_url
        The URL of the vendor folder, without a trailing slash (e.g. ``/app/static/vendor``).
    """

    base_url: str = STATIC_VENDOR_URL

    @property
    def leaflet_js(self) -> str:
        """URL of ``leaflet.js``."""
        return f"{self._base}/{_LEAFLET_JS.as_posix()}"

    @property
    def leaflet_css(self) -> str:
        """URL of ``leaflet.css``."""
        return f"{self._base}/{_LEAFLET_CSS.as_posix()}"

    @property
    def jquery_js(self) -> str:
        """URL of ``jquery.min.js`` (folium popups render through ``$(...)``)."""
        return f"{self._base}/{_JQUERY_JS.as_posix()}"

    @property
    def leaflet_images(self) -> str:
        """URL of Leaflet's image folder, with the trailing slash ``L.Icon.Default`` expects."""
        return f"{self._base}/{_LEAFLET_IMAGES.as_posix()}/"

    @property
    def leaflet_draw_js(self) -> str:
        """URL of ``leaflet.draw.js`` (the Scenarios page's drawing tools)."""
        return f"{self._base}/{_DRAW_JS.as_posix()}"

    @property
    def leaflet_draw_css(self) -> str:
        """URL of ``leaflet.draw.css`` (its icons are in ``leaflet-draw/images/`` beside it)."""
        return f"{self._base}/{_DRAW_CSS.as_posix()}"

    @property
    def default_js(self) -> list[tuple[str, str]]:
        """``(name, url)`` pairs for ``folium.Map.default_js``: Leaflet first, then jQuery."""
        return [("leaflet", self.leaflet_js), ("jquery", self.jquery_js)]

    @property
    def default_css(self) -> list[tuple[str, str]]:
        """``(name, url)`` pairs for ``folium.Map.default_css``."""
        return [("leaflet_css", self.leaflet_css)]

    def local_files(self, folder: Path | None = None) -> dict[str, Path]:
        """Map each script and stylesheet URL to the installed file behind it.

        An HTML export uses this to replace ``<script src>`` and ``<link href>`` by the file's
        content.

        Parameters
        ----------
        folder
            The vendor folder; ``static/vendor`` of the source tree by default.

        Returns
        -------
        dict[str, Path]
            URL to file path, for ``leaflet_js``, ``leaflet_css`` and ``jquery_js``.
        """
        files = vendor_files(folder)
        return {
            self.leaflet_js: files.leaflet_js,
            self.leaflet_css: files.leaflet_css,
            self.jquery_js: files.jquery_js,
        }

    @property
    def _base(self) -> str:
        return self.base_url.rstrip("/")


LOCAL_ASSETS = AssetUrls()
"""The assets as the Streamlit app serves them."""


@dataclass(frozen=True, slots=True)
class VendorFiles:
    """Paths of the installed front-end files (for checks and for inlining in HTML exports).

    Attributes
    ----------
    folder
        The vendor folder (``static/vendor``).
    leaflet_js, leaflet_css, jquery_js
        The script and stylesheet files.
    leaflet_images
        The folder of Leaflet's PNGs (``LEAFLET_IMAGE_NAMES``).
    leaflet_draw_js, leaflet_draw_css
        Leaflet.draw's script and stylesheet.
    """

    folder: Path
    leaflet_js: Path
    leaflet_css: Path
    jquery_js: Path
    leaflet_images: Path
    leaflet_draw_js: Path
    leaflet_draw_css: Path

    @property
    def image_files(self) -> dict[str, Path]:
        """Each of ``LEAFLET_IMAGE_NAMES`` with its path."""
        return {name: self.leaflet_images / name for name in LEAFLET_IMAGE_NAMES}

    def missing(self) -> list[Path]:
        """Return the files that do not exist (empty when everything is installed)."""
        wanted = [
            self.leaflet_js,
            self.leaflet_css,
            self.jquery_js,
            *self.image_files.values(),
            self.leaflet_draw_js,
            self.leaflet_draw_css,
        ]
        return [path for path in wanted if not path.is_file()]


def vendor_files(folder: Path | None = None) -> VendorFiles:
    """Return where the front-end files are (or should be), without checking them.

    Parameters
    ----------
    folder
        The vendor folder; ``planner.paths.vendor_dir()`` by default.
    """
    root = vendor_dir() if folder is None else folder
    return VendorFiles(
        folder=root,
        leaflet_js=root / _LEAFLET_JS,
        leaflet_css=root / _LEAFLET_CSS,
        jquery_js=root / _JQUERY_JS,
        leaflet_images=root / _LEAFLET_IMAGES,
        leaflet_draw_js=root / _DRAW_JS,
        leaflet_draw_css=root / _DRAW_CSS,
    )


def require_vendor_files(folder: Path | None = None) -> VendorFiles:
    """Return the installed front-end files, or explain how to install them.

    Parameters
    ----------
    folder
        The vendor folder; ``planner.paths.vendor_dir()`` by default.

    Returns
    -------
    VendorFiles
        Paths that all exist.

    Raises
    ------
    PlannerError
        If any file is missing; the message lists them and says to run ``scripts/setup.sh``.
    """
    files = vendor_files(folder)
    missing = files.missing()
    if missing:
        shown = ", ".join(str(path) for path in missing[:3])
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        msg = (
            f"The map's front-end files are not installed (missing: {shown}{more}). "
            "Run `bash scripts/setup.sh` from the project folder: it installs Leaflet, jQuery and "
            "Leaflet.draw from the npm registry into static/vendor/."
        )
        raise PlannerError(msg)
    return files
