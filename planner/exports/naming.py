r"""Safe names for exported files and workbook sheets.

A file name built from data (a town's or scenario's name) must not carry path separators,
control characters or characters Windows forbids, must not start with a dot (a hidden file) and
must stay short; Excel sheet names must be at most 31 characters, unique and free of
``[]:*?/\\``. The functions here make such names; they keep letters of any script (Cyrillic
stays Cyrillic).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

__all__ = ["export_filename", "safe_filename", "sheet_name"]

MAX_NAME_CHARS = 80
SHEET_NAME_CHARS = 31
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_WINDOWS_RESERVED = frozenset(
    {
        "con",
        "prn",
        "aux",
        "nul",
        *(f"com{i}" for i in range(1, 10)),
        *(f"lpt{i}" for i in range(1, 10)),
    }
)


def safe_filename(text: str, *, fallback: str = "export") -> str:
    r"""Return ``text`` as a portable file name (no folders, no hidden or reserved names).

    Examples
    --------
    >>> safe_filename("../Гусев: школы / 2026")
    'Гусев-школы-2026'
    >>> safe_filename("CON"), safe_filename("..."), safe_filename("a/b")
    ('CON_', 'export', 'a-b')
    """
    normal = unicodedata.normalize("NFC", text)
    name = _UNSAFE.sub("-", normal).strip("-._")
    name = re.sub(r"-{2,}", "-", name)[:MAX_NAME_CHARS].rstrip("-._")
    if not name:
        return fallback
    if name.split(".")[0].lower() in _WINDOWS_RESERVED:
        name += "_"
    return name


def export_filename(
    town: str,
    service: str | None,
    kind: str,
    lang: str,
    date: str,
    suffix: str,
    *,
    scenario: str | None = None,
) -> str:
    """Return the default name of an export: ``gusev_kindergarten_map_ru_2026-12-02.png``.

    Examples
    --------
    >>> export_filename("Gusev", None, "report", "en", "2026-12-02", "pdf")
    'gusev_all-services_report_en_2026-12-02.pdf'
    >>> export_filename("Gusev", "school", "map", "ru", "2026-12-02", "png", scenario="Tech GS")
    'gusev_Tech-GS_school_map_ru_2026-12-02.png'
    """
    parts = [town.lower(), *([scenario] if scenario else []), service or "all-services", kind]
    parts += [lang, date]
    return safe_filename("_".join(parts)) + "." + suffix


def sheet_name(title: str, used: Collection[str] = ()) -> str:
    """Return a valid, unused Excel sheet name for a title (31 characters at most).

    Examples
    --------
    >>> sheet_name("Gaps: zones / projects [all]")
    'Gaps- zones - projects -all-'
    >>> sheet_name("Services", {"Services"})
    'Services (2)'
    """
    base = _SHEET_UNSAFE.sub("-", title).strip("'")[:SHEET_NAME_CHARS] or "Sheet"
    name, number = base, 1
    while name in used:
        number += 1
        tail = f" ({number})"
        name = base[: SHEET_NAME_CHARS - len(tail)] + tail
    return name
