"""classify and progress at day and moment boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

import tthc_engine as te

TZ = dt.timezone(dt.timedelta(hours=7))
DUE = dt.datetime(2025, 2, 5, 17, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        pytest.param(dt.datetime(2025, 2, 4, 23, 59, 59, tzinfo=TZ), "early", id="day-before-last-second"),
        pytest.param(dt.datetime(2025, 2, 5, 0, 0, tzinfo=TZ), "on_time", id="due-date-midnight"),
        pytest.param(DUE, "on_time", id="exactly-due"),
        pytest.param(DUE + dt.timedelta(seconds=1), "late", id="one-second-late"),
        pytest.param(dt.datetime(2025, 2, 6, 8, 0, tzinfo=TZ), "late", id="next-day"),
        pytest.param(
            dt.datetime(2025, 2, 5, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            "early",
            id="other-zone-is-still-the-day-before-in-due-zone",
        ),
        pytest.param(dt.datetime(2025, 2, 5, 10, 30, tzinfo=dt.UTC), "late", id="utc-after-due"),
    ],
)
def test_classify(finished: dt.datetime, expected: str) -> None:
    """Early before the due date, on time on it up to the due moment, late after."""
    assert te.classify(DUE, finished) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        pytest.param(DUE - dt.timedelta(seconds=1), "within", id="before"),
        pytest.param(DUE, "within", id="at-due"),
        pytest.param(DUE + dt.timedelta(seconds=1), "overdue", id="after"),
    ],
)
def test_progress(now: dt.datetime, expected: str) -> None:
    """Unfinished dossiers are within time up to and including the due moment."""
    assert te.progress(DUE, now) == expected


def test_naive_is_refused() -> None:
    """Naive moments raise NaiveDatetimeError."""
    with pytest.raises(te.NaiveDatetimeError):
        te.classify(DUE, dt.datetime(2025, 2, 5, 9))
