"""Paths of the committed test data (written by tests/data/make_test_data.py)."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
TINY_TOWN_DIR = DATA_DIR / "tiny_town"
BROKEN_DIR = DATA_DIR / "broken"
