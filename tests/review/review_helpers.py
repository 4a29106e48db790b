"""Helpers for the review tests (a uniquely named module: several conftest.py files exist)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import tthc_engine as te

ROOT = Path(__file__).resolve().parents[2]
EVERYONE = te.Actor("officer-all", {"reception", "specialist", "leader", "registrar"})


def vn(text: str) -> dt.datetime:
    """'2026-02-04 09:00' in Viet Nam time (UTC+7)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone(dt.timedelta(hours=7)))
