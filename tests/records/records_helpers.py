"""Shared by the record tests: the shipped catalog's actors, data and Vietnamese moments."""

from __future__ import annotations

import datetime as dt

import tthc_engine as te

TZ = dt.timezone(dt.timedelta(hours=7))
DESK = te.Actor("desk-1", {"reception"})
OFFICER = te.Actor("officer-1", {"specialist", "leader"})
DATA = {"household_name": "Hộ kinh doanh Bình An", "business_lines": ["4711"]}  # for 1.001612


def vn(text: str) -> dt.datetime:
    """A moment written in Vietnam's local time (UTC+7)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)
