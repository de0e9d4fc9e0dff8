"""The user's choices: kept across language switches and pages, and mirrored in the URL.

The choices live in ``st.session_state`` under the keys of the widgets that make them (the
sidebar's ``service``, ``district``, ``pace``..., the map page's ``map_view``) and two plain
keys (``block``: the selected residential block; ``map_focus``: the gap zone zoomed to).

- **Language switch**: a select box or radio remembers its *label* in the browser; after a
  switch the old label no longer matches any option and the next interaction would silently
  reset the choice. ``refresh_after_language_switch`` writes every choice back to its widget,
  which makes Streamlit send the value again, shown in the new language.
- **Pages**: Streamlit forgets the state of a widget that was not drawn in a run (the map
  page's view while another page is open), and ``st.switch_page`` resets widgets; every
  choice is copied under a key no widget owns (``keep``) and put back when missing
  (``restore``).
- **URL**: the view is written to the query parameters after every run (``write_url``), and a
  new session starts from them (``read_url``), so a link reproduces the view. A value that
  does not parse is ignored (the default is used) without any error; values that need the town
  (service, district, block, zone) are checked where the town is known.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from planner.norms import PACES
from planner.paths import default_town_dir
from planner.presentation.views import VIEWS
from planner.presentation.words import LANGUAGES

BLOCK_KEY = "block"
"""Session key of the selected residential block id (``None``: none)."""
FOCUS_KEY = "map_focus"
"""Session key of the gap zone the map zooms to (set by the Gaps page)."""
VIEW_KEY = "map_view"
"""Session key (and widget key) of the map's compare view."""


@dataclass(frozen=True, slots=True)
class UrlParam:
    """A choice mirrored in the URL.

    Attributes
    ----------
    name
        The query parameter's name.
    key
        The session key holding the choice.
    allowed
        The accepted values (``None``: any non-empty text, checked later against the town).
    """

    name: str
    key: str
    allowed: tuple[str, ...] | None = None


URL_PARAMS: tuple[UrlParam, ...] = (
    UrlParam("lang", "lang", tuple(LANGUAGES)),
    UrlParam("town", "town_dir"),
    UrlParam("norms", "norm_set"),
    UrlParam("service", "service"),
    UrlParam("district", "district"),
    UrlParam("view", VIEW_KEY, tuple(VIEWS)),
    UrlParam("pace", "pace", tuple(PACES)),
    UrlParam("planned", "include_planned", ("0", "1")),
    UrlParam("block", BLOCK_KEY),
    UrlParam("zone", FOCUS_KEY),
)
"""The choices in the URL, in the order they are written."""

KEPT_KEYS: tuple[str, ...] = (
    "lang",
    "town_dir",
    "norm_set",
    "norms_of",
    "service",
    "pace",
    "include_planned",
    "district",
    "town_as",
    VIEW_KEY,
)
"""Widget keys whose values are kept across pages and language switches."""
_KEEP = "_kept_"
_URL_READ = "_url_read"
_LANG_SHOWN = "_lang_shown"
MAX_PARAM_CHARS = 300
"""Longer query values are ignored (nothing legitimate is that long)."""


def parse_params(params: Mapping[str, str]) -> dict[str, object]:
    """Return the session values a URL's query parameters ask for (unknown or bad ones dropped).

    Parameters
    ----------
    params
        The query parameters (``st.query_params``: the last value of each name).

    Returns
    -------
    dict
        Session key -> value, only for parameters that parse: a language, view, pace or
        planned flag among the allowed values; a town folder that exists; any other
        non-empty text of reasonable length (the sidebar and the map check it against the
        town and fall back to their defaults).
    """
    values: dict[str, object] = {}
    for param in URL_PARAMS:
        raw = params.get(param.name)
        if not isinstance(raw, str):
            continue
        text = raw.strip()
        if not text or len(text) > MAX_PARAM_CHARS:
            continue
        if param.allowed is not None and text not in param.allowed:
            continue
        if param.name == "town" and not _is_folder(text):
            continue
        values[param.key] = text == "1" if param.name == "planned" else text
    return values


def _is_folder(text: str) -> bool:
    try:
        return Path(text).expanduser().is_dir()
    except (OSError, ValueError):
        return False


def url_params(state: Mapping[str, object]) -> dict[str, str]:
    """Return the query parameters describing the current choices (defaults left out)."""
    params: dict[str, str] = {}
    for param in URL_PARAMS:
        value = state.get(param.key)
        if value is None or value in {"", "__all__"}:
            continue
        if param.name == "planned":
            if value is True:
                params[param.name] = "1"
            continue
        if param.name == "town" and _same_folder(str(value), default_town_dir()):
            continue
        params[param.name] = str(value)
    return params


def _same_folder(text: str, folder: Path) -> bool:
    try:
        return Path(text).expanduser().resolve() == folder.resolve()
    except (OSError, ValueError):
        return False


def read_url() -> None:
    """At a session's first run, take the choices from the URL (once; later runs ignore it)."""
    state = st.session_state
    if state.get(_URL_READ):
        return
    state[_URL_READ] = True
    for key, value in parse_params(st.query_params.to_dict()).items():
        state[key] = value
        if key in KEPT_KEYS:
            state[_KEEP + key] = value


def write_url() -> None:
    """Write the current choices to the URL's query parameters (only when they changed)."""
    wanted = url_params(st.session_state.to_dict())
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def restore(*, everything: bool = False) -> None:
    """Put back kept choices whose widget state Streamlit dropped (or all, after a page switch)."""
    state = st.session_state
    for key in KEPT_KEYS:
        if _KEEP + key in state and (everything or key not in state):
            state[key] = state[_KEEP + key]


def keep() -> None:
    """Copy the choices under keys no widget owns (they survive pages and page switches)."""
    state = st.session_state
    for key in KEPT_KEYS:
        if key in state:
            state[_KEEP + key] = state[key]


def refresh_after_language_switch(lang: str) -> None:
    """After a language switch, send every choice to its widget again (shown translated).

    Call right after the language widget, before the other widgets are drawn.
    """
    state = st.session_state
    shown = state.get(_LANG_SHOWN)
    state[_LANG_SHOWN] = lang
    if shown is None or shown == lang:
        return
    for key in KEPT_KEYS:
        if key == "lang":
            continue
        value = state[key] if key in state else state.get(_KEEP + key)
        if value is not None:
            state[key] = value
