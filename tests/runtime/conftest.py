"""Fixtures for engine tests: one shared calendar, a fresh engine per test over the test procedure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest
from factories import catalog

import tthc_engine as te


@pytest.fixture(scope="session")
def calendar() -> te.WorkCalendar:
    return te.WorkCalendar.vietnam()


class FixedClock:
    """The injected recording clock: a settable moment (tests never read the wall clock)."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def _checked(data: Mapping[str, Any]) -> bool:
    return bool(data.get("checked"))


@pytest.fixture
def engine(calendar: te.WorkCalendar) -> te.Engine:
    return te.Engine(catalog(), calendar=calendar, guards={"documents_checked": _checked}, clock=FixedClock())
