"""Fixtures for the review tests: the shipped catalog, one calendar, a fresh engine per test."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from review_helpers import ROOT

import tthc_engine as te


@pytest.fixture(scope="session")
def catalog() -> te.Catalog:
    return te.Catalog.load(ROOT / "procedures")


@pytest.fixture(scope="session")
def calendar() -> te.WorkCalendar:
    return te.WorkCalendar.vietnam()


@pytest.fixture
def make_engine(catalog: te.Catalog, calendar: te.WorkCalendar) -> Callable[..., te.Engine]:
    def make(store: te.Store | None = None) -> te.Engine:
        return te.Engine(catalog, calendar=calendar, store=store or te.MemoryStore())

    return make
