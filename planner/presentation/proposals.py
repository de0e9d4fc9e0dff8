"""Residents' proposals as display tables, in English or Russian (text passed through as data).

The resident's text is data: it is returned as it was written, and every page that shows it
escapes it (``st.dataframe`` shows cells as text; Markdown goes through ``md_escape``).
"""

from __future__ import annotations

import pandas as pd

from planner.model import Town
from planner.norms import NormSet
from planner.participation.proposals import PROPOSAL_STATUSES
from planner.presentation.words import (
    Lang,
    district_names,
    proposal_category,
    proposal_status,
    t,
)

__all__ = ["proposal_district_table", "proposal_table"]


def _district(town: Town | None, lang: Lang) -> dict[str, str]:
    names = district_names(town, lang) if town is not None else {}
    return {"": t("proposal.outside_districts", lang), **names}


def proposal_table(
    frame: pd.DataFrame, town: Town | None, norms: NormSet | None, lang: Lang
) -> pd.DataFrame:
    """Return proposals (``planner.participation.summary.proposal_frame``) for display."""
    names = _district(town, lang)
    columns: dict[str, object] = {
        t("proposal.col.id", lang): frame["id"].to_numpy(),
        t("proposal.col.category", lang): [
            proposal_category(norms, c, lang) for c in frame["category"]
        ],
        t("proposal.col.text", lang): frame["text"].to_numpy(),
        t("proposal.col.submitted", lang): frame["submitted"].to_numpy(),
        t("proposal.col.votes", lang): frame["votes"].to_numpy(),
        t("proposal.col.status", lang): [proposal_status(s, lang) for s in frame["status"]],
        t("proposal.col.district", lang): [names.get(d, d) for d in frame["district"]],
        t("proposal.col.scenario", lang): frame["scenario"].to_numpy(),
    }
    if "contact" in frame.columns:
        columns[t("proposal.col.contact", lang)] = frame["contact"].to_numpy()
    return pd.DataFrame(columns)


def proposal_district_table(
    table: pd.DataFrame, town: Town | None, norms: NormSet | None, lang: Lang
) -> pd.DataFrame:
    """Return ``proposals_by_district`` for display: names, words, counts per status."""
    names = _district(town, lang)
    columns: dict[str, object] = {
        t("proposal.col.district", lang): [names.get(d, d) for d in table["district"]],
        t("proposal.col.category", lang): [
            proposal_category(norms, c, lang) for c in table["category"]
        ],
        t("proposal.col.proposals", lang): table["proposals"].to_numpy(),
        t("proposal.col.votes", lang): table["votes"].to_numpy(),
    }
    for status in PROPOSAL_STATUSES:
        columns[proposal_status(status, lang)] = table[status].to_numpy()
    return pd.DataFrame(columns)
