"""Scenario fixtures: the shipped catalog, one calendar, an engine per test."""

from __future__ import annotations

from pathlib import Path

import pytest

import tthc_engine as te


@pytest.fixture(scope="session")
def shipped(procedures_dir: Path) -> te.Catalog:
    return te.Catalog.load(procedures_dir)


@pytest.fixture(scope="session")
def national() -> te.WorkCalendar:
    return te.WorkCalendar.vietnam()


@pytest.fixture
def live(shipped: te.Catalog, national: te.WorkCalendar) -> te.Engine:
    return te.Engine(shipped, calendar=national)
