"""Gusev Planner dashboard (Streamlit). UI only: every computation lives in ``planner``.

Run with ``bash run.sh`` (or ``.venv/bin/python -m streamlit run app.py``). The map's Leaflet and
jQuery files are served from ``static/vendor`` (``enableStaticServing`` in .streamlit/config.toml).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from planner.assets import require_vendor_files
from planner.errors import DataValidationError, Issue, PlannerError
from planner.io import load_town
from planner.maps import build_map, service_label
from planner.model import Town
from planner.norms import NormSet, available_norm_sets, load_norms
from planner.paths import default_town_dir
from planner.summary import TownSummary, town_summary

TEXT = {
    "page_title": "Gusev Planner",
    "title": "{name}: social infrastructure",
    "subtitle": "{name_ru} · official population {population:,} ({year}, {source}) · "
    "norms: {norms}",
    "data": "Data",
    "town_folder": "Town folder",
    "town_folder_help": "A folder with town.toml and the GeoJSON layers "
    "(see DESIGN.md, section 4).",
    "norm_set": "Norm set",
    "reload": "Reload data",
    "reload_help": "Read the town folder again after editing its files.",
    "invalid_town": "The town folder cannot be loaded: {errors} error(s). Fix them, then press "
    "**Reload data**.",
    "warnings": "{count} data warning(s)",
    "population": "Population",
    "population_help": "Sum of the residential layer.",
    "facilities": "Facilities",
    "modelled": "Modelled features",
    "modelled_help": "Share of all features whose provenance is modelled or illustrative: "
    "stand-ins for what public sources do not give.",
    "residential_units": "Residential units",
    "by_service": "Facilities by service",
    "service": "Service",
    "count": "Count",
    "layers": "Layers",
    "layer": "Layer",
    "features": "Features",
    "map": "Map",
    "no_assets": "The map cannot be shown: {error}",
    "provenance": "Data & provenance",
    "provenance_intro": "Share of each layer's features by provenance: **osm** (OpenStreetMap), "
    "**verified** (a named public source), **approximate** (a real object, position estimated), "
    "**modelled** / **illustrative** (made up to stand in for what is not known).",
    "all_layers": "All layers",
    "source": "Population source: {source} ({year}). Data folder: {folder}.",
}
DEFAULT_NORM_SET = "sp42_small_town"
MAP_HEIGHT_PX = 650


@st.cache_resource(show_spinner=False)
def get_norms(name: str) -> NormSet:
    return load_norms(name)


@st.cache_resource(show_spinner="Loading the town…")
def get_town(folder: str, norm_set: str) -> Town:
    # Cached per (folder, norm set) and shared by every session: read-only by contract.
    return load_town(Path(folder), norms=get_norms(norm_set))


def norm_title(key: str) -> str:
    try:
        return f"{get_norms(key).title} ({key})"
    except PlannerError:
        return key


def md_escape(text: str) -> str:
    """Show data text literally in Markdown (file names with _ or *, $ that would start LaTeX)."""
    for char in "\\`*_[]<>#|~$":
        text = text.replace(char, "\\" + char)
    return text


def issue_list(issues: list[Issue]) -> str:
    return "\n".join(f"- {md_escape(str(issue))}" for issue in issues)


def show_validation_error(err: DataValidationError) -> None:
    errors = sum(issue.severity == "error" for issue in err.issues)
    st.error(TEXT["invalid_town"].format(errors=errors) + "\n\n" + issue_list(err.issues))


def sidebar() -> tuple[str, str]:
    with st.sidebar:
        st.header(TEXT["data"])
        folder = st.text_input(
            TEXT["town_folder"],
            value=str(default_town_dir()),
            key="town_dir",
            help=TEXT["town_folder_help"],
        )
        try:
            norm_sets = available_norm_sets()
        except PlannerError as err:
            st.error(str(err))
            st.stop()
        norm_set = st.selectbox(
            TEXT["norm_set"],
            norm_sets,
            index=norm_sets.index(DEFAULT_NORM_SET) if DEFAULT_NORM_SET in norm_sets else 0,
            format_func=norm_title,
            key="norm_set",
        )
        if st.button(TEXT["reload"], help=TEXT["reload_help"]):
            get_town.clear()
    return folder.strip(), str(norm_set)


def headline(town: Town, norms: NormSet, summary: TownSummary) -> None:
    meta = town.meta
    st.title(TEXT["title"].format(name=meta.name))
    st.caption(
        TEXT["subtitle"].format(
            name_ru=meta.name_ru,
            population=meta.population,
            year=meta.population_year,
            source=meta.population_source,
            norms=norms.title,
        )
    )
    if town.warnings:
        with st.expander(TEXT["warnings"].format(count=len(town.warnings))):
            st.markdown(issue_list(list(town.warnings)))
    columns = st.columns(4)
    columns[0].metric(TEXT["population"], f"{summary.population:,}", help=TEXT["population_help"])
    columns[1].metric(TEXT["facilities"], f"{sum(summary.facilities_by_service.values()):,}")
    columns[2].metric(TEXT["modelled"], f"{summary.modelled_share:.0%}", help=TEXT["modelled_help"])
    columns[3].metric(TEXT["residential_units"], f"{summary.layer_counts['residential']:,}")


def summary_tables(summary: TownSummary, norms: NormSet) -> None:
    service_column, layer_column = st.columns(2)
    with service_column:
        service_table(summary, norms)
    with layer_column:
        layer_table(summary)


def service_table(summary: TownSummary, norms: NormSet) -> None:
    st.subheader(TEXT["by_service"])
    services = pd.DataFrame(
        [
            {TEXT["service"]: service_label(key, norms, "en"), TEXT["count"]: count}
            for key, count in summary.facilities_by_service.items()
        ]
    )
    st.dataframe(services, hide_index=True)


def layer_table(summary: TownSummary) -> None:
    st.subheader(TEXT["layers"])
    layers = pd.DataFrame(
        {TEXT["layer"]: list(summary.layer_counts), TEXT["features"]: summary.layer_counts.values()}
    )
    st.dataframe(layers, hide_index=True)


def town_map(town: Town, norms: NormSet) -> None:
    try:
        require_vendor_files()
    except PlannerError as err:
        st.error(TEXT["no_assets"].format(error=err))
        return
    fmap = build_map(town, norms=norms, labels="en")
    st_folium(
        fmap, key="town_map", returned_objects=[], height=MAP_HEIGHT_PX, use_container_width=True
    )
    st.caption(town.meta.attribution)


def provenance(town: Town, summary: TownSummary) -> None:
    with st.expander(TEXT["provenance"]):
        st.markdown(TEXT["provenance_intro"])
        shares = pd.DataFrame(summary.provenance_shares).T.fillna(0.0)
        overall = pd.DataFrame([summary.overall_provenance_shares], index=[TEXT["all_layers"]])
        table = pd.concat([shares, overall]).fillna(0.0) * 100
        st.dataframe(
            table,
            column_config={
                column: st.column_config.NumberColumn(column, format="%.0f %%")
                for column in table.columns
            },
        )
        st.caption(
            TEXT["source"].format(
                source=md_escape(town.meta.population_source),
                year=town.meta.population_year,
                folder=md_escape(str(town.folder)),
            )
        )


def main() -> None:
    st.set_page_config(page_title=TEXT["page_title"], page_icon="🗺️", layout="wide")
    folder, norm_set = sidebar()
    try:
        norms = get_norms(norm_set)
        town = get_town(folder, norm_set)
    except DataValidationError as err:
        show_validation_error(err)
        return
    except PlannerError as err:
        st.error(str(err))
        return
    summary = town_summary(town)
    headline(town, norms, summary)
    town_map(town, norms)
    summary_tables(summary, norms)
    provenance(town, summary)


main()
