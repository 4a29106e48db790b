"""The scalar fast paths (a date or moment the current table already covers) agree with the general path."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tthc_engine as te

CAL = te.WorkCalendar.vietnam()
days = st.dates(min_value=dt.date(1996, 1, 1), max_value=dt.date(2096, 12, 31))


@settings(max_examples=300, deadline=None)
@given(days)
def test_end_of_working_day_date_matches_datetime_form(d: dt.date) -> None:
    """A date (fast path) and a moment on that date (general path) give the same close, or the same error."""
    noon = dt.datetime.combine(d, dt.time(12), tzinfo=CAL.tz)
    try:
        expected = CAL.end_of_working_day(noon)
    except te.CalendarError as exc:
        with pytest.raises(te.CalendarError) as caught:
            CAL.end_of_working_day(d)
        assert str(caught.value) == str(exc)
        assert not CAL.is_working_day(d)
        return
    got = CAL.end_of_working_day(d)
    assert got == expected and got.tzinfo is expected.tzinfo and got.isoformat() == expected.isoformat()
    assert got.time() == CAL.sessions_of(d)[-1].end


def _edges() -> list[tuple[dt.datetime, float]]:
    """Moments just inside and just outside the table a new calendar starts with, both directions."""
    fresh = te.WorkCalendar.vietnam()
    lo, hi = fresh._table.lo_year, fresh._table.hi_year
    tz = fresh.tz
    moments = [
        dt.datetime(lo, 1, 1, 0, 0, tzinfo=tz),
        dt.datetime(lo, 1, 2, 7, 29, tzinfo=tz),
        dt.datetime(lo, 1, 2, 17, 0, tzinfo=tz),
        dt.datetime(hi, 12, 31, 16, 59, tzinfo=tz),
        dt.datetime(hi, 12, 31, 17, 0, tzinfo=tz),
        dt.datetime(hi, 12, 31, 23, 0, tzinfo=tz),
        dt.datetime(hi + 1, 1, 2, 9, 0, tzinfo=tz),
        dt.datetime(lo - 1, 12, 31, 9, 0, tzinfo=dt.UTC),
    ]
    return [(m, h) for m in moments for h in (0.5, 4.0, 8.0, 2500.0, -0.5, -8.0, -2500.0)]


@pytest.mark.parametrize(("moment", "hours"), _edges(), ids=lambda v: str(v))
def test_add_working_hours_same_on_a_fresh_and_a_grown_table(moment: dt.datetime, hours: float) -> None:
    """Near the edges of a new calendar's table, the answer does not depend on what was built before."""
    fresh = te.WorkCalendar.vietnam()
    grown = te.WorkCalendar.vietnam()
    grown.add_working_days(dt.date(moment.year - 3, 1, 1), 0)
    grown.add_working_days(dt.date(moment.year + 3, 1, 1), 0)
    a, b = fresh.add_working_hours(moment, hours), grown.add_working_hours(moment, hours)
    assert a == b and a.isoformat() == b.isoformat()
    assert a.tzinfo is fresh.tz


@settings(max_examples=300, deadline=None)
@given(days, st.integers(min_value=-30, max_value=400))
def test_close_after_is_end_of_the_nth_working_day(d: dt.date, n: int) -> None:
    """close_after (memoised) answers exactly end_of_working_day(add_working_days(d, n)), first and again."""
    expected = CAL.end_of_working_day(CAL.add_working_days(d, n))
    first, again = CAL.close_after(d, n), CAL.close_after(d, n)
    assert first == again == expected
    assert first.isoformat() == expected.isoformat() and first.tzinfo is expected.tzinfo


def test_close_after_memo_stays_bounded_and_errors_are_not_kept() -> None:
    """The memo never grows past its bound; out-of-range and fractional counts raise every time."""
    cal = te.WorkCalendar.vietnam()
    start = dt.date(2030, 1, 1)
    for i in range(5000):
        cal.close_after(start, i % 700)
        cal.close_after(start + dt.timedelta(days=i % 97), 3)
    assert 0 < len(cal._closes) <= 4096
    for _ in range(2):
        with pytest.raises(te.CalendarError, match="1995–2100"):
            cal.close_after(dt.date(2100, 12, 1), 40)
        with pytest.raises(TypeError, match="whole number"):
            cal.close_after(start, 1.5)  # type: ignore[arg-type]
