"""Gusev Planner dashboard (Streamlit). UI only: every computation lives in ``planner``.

Run with ``bash run.sh`` (or ``.venv/bin/python -m streamlit run app.py``). The map's Leaflet and
jQuery files are served from ``static/vendor`` (``enableStaticServing`` in .streamlit/config.toml).

The choices (town, service, district, pace, compare view, selected block) are kept across
pages and language switches and mirrored in the URL's query parameters (``ui.choices``).

Pages use ``st.navigation`` (not tabs): only the open page runs, so the map is built only on the
Map page, every page has its own URL (``/map``, ``/gaps``...), and a Leaflet map never sits in a
hidden tab (where it would measure its size as zero).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from planner.analysis import TownAnalysis
from planner.presentation.words import t
from ui import choices, sidebar
from ui.common import guarded
from ui.pages import (
    data_sources,
    facilities,
    gaps,
    map,
    overview,
    programme,
    proposals,
    scenarios,
)
from ui.state import Context

# Material icons ship with Streamlit; emoji would need a colour-emoji font on the machine.
PAGES: dict[str, tuple[str, str, Callable[[Context, TownAnalysis], None]]] = {
    "overview": ("page.overview", ":material/dashboard:", overview.render),
    "map": ("page.map", ":material/map:", map.render),
    "gaps": ("page.gaps", ":material/flag:", gaps.render),
    "facilities": ("page.facilities", ":material/school:", facilities.render),
    "programme": ("page.programme", ":material/theater_comedy:", programme.render),
    "proposals": ("page.proposals", ":material/campaign:", proposals.render),
    "scenarios": ("page.scenarios", ":material/alt_route:", scenarios.render),
    "sources": ("page.sources", ":material/menu_book:", data_sources.render),
}


# Set before st.switch_page: the next run restores the sidebar choices it resets. (A comment,
# not a docstring: Streamlit's "magic" would print a bare string in the main script.)
RESTORE_KEY = "_restore_choices"


def _page(ctx: Context, key: str) -> st.Page:
    title, icon, render = PAGES[key]

    def run() -> None:
        guarded(ctx, render)

    return st.Page(
        run, title=t(title, ctx.lang), icon=icon, url_path=key, default=key == "overview"
    )


def main() -> None:
    st.set_page_config(page_title=t("app.title", "en"), page_icon="🗺️", layout="wide")
    choices.read_url()
    choices.restore(everything=st.session_state.pop(RESTORE_KEY, False))
    progress = st.empty()
    ctx = sidebar.render(progress)
    choices.keep()
    pages = {key: _page(ctx, key) for key in PAGES}
    current = st.navigation(list(pages.values()), position="top")
    target = st.session_state.pop(gaps.GOTO_KEY, None)
    if target in pages:
        st.session_state[RESTORE_KEY] = True
        st.switch_page(pages[target])
    current.run()
    choices.keep()
    choices.write_url()


main()
