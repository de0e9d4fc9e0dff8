"""The sidebar: language, town folder, norm set, service, district, walking pace, town as.

Every widget has a key, so its value survives page switches; option values are keys (service
keys, district ids), never labels; ``ui.choices`` keeps them through language switches and
page switches and mirrors them in the URL.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from planner.errors import PlannerError
from planner.io import norm_set_for
from planner.norms import PACES, Pace, available_norm_sets
from planner.paths import default_town_dir
from planner.presentation.words import (
    LANGUAGES,
    Lang,
    as_lang,
    district_names,
    norm_set_title,
    pace_label,
    service_label,
    t,
    town_attribution,
)
from ui import choices
from ui.common import md_escape
from ui.state import (
    ALL,
    DEFAULT_SERVICE,
    Context,
    clear_town_caches,
    get_analysis,
    get_norms,
    get_town,
)
from ui.town_as import town_as

LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}


def render(progress: DeltaGenerator | None = None) -> Context:
    """Draw the sidebar and load what it selects; return the context every page uses.

    ``progress`` is a main-area placeholder that says the analysis is running while it is
    computed (the first time for a town and pace: a few seconds); the sidebar may be folded
    away, on a phone it is.
    """
    state = st.session_state
    state.setdefault("town_dir", str(default_town_dir()))
    with st.sidebar:
        lang = as_lang(
            st.radio(
                t("side.language", "en"),
                LANGUAGES,
                format_func=LANGUAGE_NAMES.__getitem__,
                key="lang",
                horizontal=True,
            )
        )
        choices.refresh_after_language_switch(lang)
        st.header(t("side.data", lang))
        folder = st.text_input(
            t("side.town_folder", lang), key="town_dir", help=t("side.town_folder_help", lang)
        ).strip()
        try:
            norm_sets = available_norm_sets()
        except PlannerError as err:
            st.error(t("side.no_norm_sets", lang, error=err))
            return Context(lang=lang, folder=folder, norm_key=None, error=err)
        # The town's own norm set (town.toml default_norms) when a folder is first shown;
        # the user's choice afterwards, until another folder is chosen.
        if state.get("norms_of") != folder or state.get("norm_set") not in norm_sets:
            wanted = norm_set_for(folder)
            state["norm_set"] = wanted if wanted in norm_sets else norm_sets[0]
            state["norms_of"] = folder
        norm_key = str(
            st.selectbox(
                t("side.norm_set", lang),
                norm_sets,
                format_func=lambda key: _norm_title(key, lang),
                key="norm_set",
            )
        )
        if st.button(t("side.reload", lang), help=t("side.reload_help", lang)):
            clear_town_caches()
        return _analysis_controls(lang, folder, norm_key, progress)


def _analysis_controls(
    lang: Lang, folder: str, norm_key: str, progress: DeltaGenerator | None
) -> Context:
    state = st.session_state
    try:
        norms = get_norms(norm_key)
    except PlannerError as err:
        return Context(lang=lang, folder=folder, norm_key=norm_key, error=err)
    st.header(t("side.analysis", lang))
    services = [key for key, norm in norms.services.items() if norm.has_walk_norm]
    options = [ALL, *services]
    if state.get("service") not in options:
        state["service"] = DEFAULT_SERVICE if DEFAULT_SERVICE in services else ALL
    service = st.selectbox(
        t("side.service", lang),
        options,
        format_func=lambda key: (
            t("side.all_services", lang) if key == ALL else service_label(norms, key, lang)
        ),
        key="service",
    )
    pace: Pace = st.radio(
        t("side.pace", lang),
        PACES,
        format_func=lambda key: pace_label(key, norms, lang),
        key="pace",
        help=t("side.pace_help", lang),
    )
    speed = norms.walk_speed_for(pace)
    include_planned = bool(st.checkbox(t("side.planned", lang), key="include_planned"))
    base = Context(
        lang=lang,
        folder=folder,
        norm_key=norm_key,
        norms=norms,
        service=None if service == ALL else str(service),
        pace=pace,
        walk_speed_m_min=speed,
        include_planned=include_planned,
    )
    try:
        town = get_town(folder, norm_key)
    except PlannerError as err:
        return replace(base, error=err)
    names = district_names(town, lang)
    district_options = [ALL, *names]
    if state.get("district") not in district_options:
        state["district"] = ALL
    district = st.selectbox(
        t("side.district", lang),
        district_options,
        format_func=lambda key: t("side.all_districts", lang) if key == ALL else names[key],
        key="district",
    )
    st.caption(md_escape(town_attribution(town.meta, lang)))
    try:
        with (progress or st.empty()).container(), st.spinner(t("app.computing", lang)):
            analysis = get_analysis(folder, norm_key, speed, include_planned)
    except PlannerError as err:
        return replace(base, town=town, error=err)
    finally:
        if progress is not None:
            progress.empty()
    today = replace(
        base,
        town=town,
        analysis=analysis,
        today=analysis,
        district=None if district == ALL else str(district),
    )
    return town_as(today)


def _norm_title(key: str, lang: Lang) -> str:
    try:
        norms = get_norms(key)
    except PlannerError:
        return key
    return norm_set_title(norms, lang)
