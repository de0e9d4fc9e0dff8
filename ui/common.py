"""Small rendering helpers shared by the pages: escaping, errors, the page guard."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

import streamlit as st

from planner.analysis import TownAnalysis
from planner.errors import DataValidationError, Issue, PlannerError
from planner.presentation.words import (
    fmt_number,
    norm_set_title,
    t,
    town_name,
)
from ui.state import Context

logger = logging.getLogger(__name__)

_MARKDOWN_SPECIALS = "\\`*_[]<>#|~$"


def md_escape(text: object) -> str:
    """Return data text that Markdown shows literally (tags, emphasis, links, LaTeX ``$``)."""
    result = str(text)
    for char in _MARKDOWN_SPECIALS:
        result = result.replace(char, "\\" + char)
    return result


def issue_list(issues: Iterable[Issue]) -> str:
    """Return a Markdown bullet list of validation issues, each escaped."""
    return "\n".join(f"- {md_escape(issue)}" for issue in issues)


def show_error(ctx: Context, err: Exception) -> None:
    """Show a loading error: every validation issue, or the one-line message."""
    if isinstance(err, DataValidationError):
        errors = sum(issue.severity == "error" for issue in err.issues)
        st.error(t("err.invalid_town", ctx.lang, errors=errors) + "\n\n" + issue_list(err.issues))
    else:
        st.error(md_escape(err))


def guarded(ctx: Context, render: Callable[[Context, TownAnalysis], None]) -> None:
    """Run a page: a loading error is shown instead; nothing ever shows a traceback.

    A ``PlannerError`` is shown as its message; anything else is logged with its traceback (for
    the developer) and shown as a short message, so the sidebar and other pages keep working.
    """
    if ctx.error is not None:
        show_error(ctx, ctx.error)
        return
    if ctx.analysis is None:
        st.info(t("err.no_town", ctx.lang))
        return
    try:
        render(ctx, ctx.analysis)
    except PlannerError as err:
        st.error(md_escape(err))
    except Exception as err:  # the page boundary: never a traceback in the browser
        logger.exception("page failed")
        st.error(t("app.unexpected", ctx.lang, error=md_escape(type(err).__name__)))


def page_header(ctx: Context, title_key: str) -> None:
    """Show the page title and, when a town is loaded, its one-line description."""
    lang = ctx.lang
    town = ctx.town
    if town is None:
        st.title(t(title_key, lang))
        return
    st.title(f"{t(title_key, lang)} · {md_escape(town_name(town.meta, lang))}")
    norms_title = norm_set_title(ctx.norms, lang) if ctx.norms is not None else ""
    st.caption(
        t(
            "app.subtitle",
            lang,
            population=fmt_number(town.meta.population, lang),
            year=town.meta.population_year,
            norms=md_escape(norms_title),
        )
    )
    if ctx.scenario is not None:
        st.info(t("app.showing_scenario", lang, name=md_escape(ctx.scenario.name)))
