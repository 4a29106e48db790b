"""Hypothesis properties of the working-calendar arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tthc_engine as te

CAL = te.WorkCalendar.vietnam()
days = st.dates(min_value=dt.date(1996, 1, 1), max_value=dt.date(2096, 12, 31))
counts = st.integers(min_value=0, max_value=600)
moments = st.datetimes(
    min_value=dt.datetime(1996, 1, 1), max_value=dt.datetime(2096, 12, 31), timezones=st.just(CAL.tz)
)
hours = st.floats(min_value=0.01, max_value=2000, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(days, st.integers(min_value=1, max_value=600))
def test_result_is_a_working_day_and_round_trips(d: dt.date, n: int) -> None:
    """The n-th working day after d is working, and exactly n working days lie in (d, result]."""
    r = CAL.add_working_days(d, n)
    assert CAL.is_working_day(r) and r > d
    assert CAL.working_days_between(d, r) == n
    assert CAL.add_working_days(r, -n) == CAL.add_working_days(d, 0) or not CAL.is_working_day(d)


def test_range_end_is_a_clear_error() -> None:
    """Counting past 2100 raises CalendarError; counting up to it works."""
    last = CAL.add_working_days(dt.date(2100, 12, 1), 0)
    assert CAL.add_working_days(last, 5).year == 2100
    with pytest.raises(te.CalendarError, match="1995–2100"):
        CAL.add_working_days(dt.date(2100, 12, 1), 40)
    with pytest.raises(te.CalendarError, match="1995–2100"):
        CAL.add_working_hours(dt.datetime(2100, 12, 30, 9, tzinfo=CAL.tz), 100)


@settings(max_examples=200, deadline=None)
@given(days, counts, counts)
def test_monotone_in_n(d: dt.date, a: int, b: int) -> None:
    """More working days never give an earlier date."""
    lo, hi = sorted((a, b))
    assert CAL.add_working_days(d, lo) <= CAL.add_working_days(d, hi)


@settings(max_examples=200, deadline=None)
@given(moments, hours)
def test_add_hours_round_trips(m: dt.datetime, h: float) -> None:
    """add_working_hours lands in or at the close of a session, and counting back gives h."""
    r = CAL.add_working_hours(m, h)
    assert r > m
    assert CAL.is_working_moment(r) or CAL.is_working_moment(r - dt.timedelta(seconds=1))
    assert CAL.working_hours_between(m, r) == pytest.approx(h, abs=1e-5)


@settings(max_examples=200, deadline=None)
@given(days, st.integers(min_value=1, max_value=300))
def test_hours_consistent_with_days(d: dt.date, n: int) -> None:
    """n working days after a day's close are n × hours_per_day working hours later."""
    w = CAL.add_working_days(d, 0)
    close = CAL.end_of_working_day(w)
    assert CAL.add_working_hours(close, n * CAL.hours_per_day) == CAL.end_of_working_day(
        CAL.add_working_days(w, n)
    )


@settings(max_examples=200, deadline=None)
@given(moments)
def test_next_working_moment(m: dt.datetime) -> None:
    """The next working moment is working, not earlier, and m itself when m is working."""
    r = CAL.next_working_moment(m)
    assert r >= m and CAL.is_working_moment(r)
    assert (r == m) is CAL.is_working_moment(m)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(days, st.integers(min_value=-50, max_value=200)), max_size=30))
def test_batch_matches_scalar(items: list[tuple[dt.date, int]]) -> None:
    """The batch form gives the scalar answers (list in, list out; numpy in, numpy out)."""
    ds, ns = [d for d, _ in items], [n for _, n in items]
    assert CAL.add_working_days_batch(ds, ns) == [CAL.add_working_days(d, n) for d, n in items]
    np = pytest.importorskip("numpy")
    out = CAL.add_working_days_batch(np.array(ds, dtype="datetime64[D]"), np.array(ns, dtype="int64"))
    assert [x.item() for x in out] == [CAL.add_working_days(d, n) for d, n in items]
