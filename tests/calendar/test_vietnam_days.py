"""Working days of the Vietnamese civil-service calendar at holiday boundaries, 2023–2026."""

from __future__ import annotations

import datetime as dt

import pytest

import tthc_engine as te

D = dt.date


@pytest.fixture(scope="module")
def cal() -> te.WorkCalendar:
    return te.WorkCalendar.vietnam()


# (date, working?) — the working-day table (Labor Code 2019 Art. 111–112 and the yearly notices)
DAYS = [
    pytest.param(D(2023, 1, 2), False, id="2023-new-year-compensatory-mon"),
    pytest.param(D(2023, 1, 19), True, id="2023-tet-eve-of-break"),
    pytest.param(D(2023, 1, 20), False, id="2023-tet-29"),
    pytest.param(D(2023, 1, 26), False, id="2023-tet-last-day"),
    pytest.param(D(2023, 1, 27), True, id="2023-tet-back-to-work"),
    pytest.param(D(2023, 5, 2), False, id="2023-hung-kings-compensatory"),
    pytest.param(D(2023, 5, 3), False, id="2023-30-4-compensatory"),
    pytest.param(D(2023, 5, 4), True, id="2023-after-30-4"),
    pytest.param(D(2023, 9, 1), False, id="2023-national-day-adjacent"),
    pytest.param(D(2023, 9, 4), False, id="2023-national-day-compensatory"),
    pytest.param(D(2023, 9, 5), True, id="2023-after-national-day"),
    pytest.param(D(2024, 2, 7), True, id="2024-before-tet"),
    pytest.param(D(2024, 2, 8), False, id="2024-tet-first"),
    pytest.param(D(2024, 2, 14), False, id="2024-tet-last"),
    pytest.param(D(2024, 2, 15), True, id="2024-after-tet"),
    pytest.param(D(2024, 4, 18), False, id="2024-hung-kings"),
    pytest.param(D(2024, 4, 29), False, id="2024-swap-off-mon"),
    pytest.param(D(2024, 5, 2), True, id="2024-after-1-5"),
    pytest.param(D(2024, 5, 4), True, id="2024-make-up-saturday"),
    pytest.param(D(2024, 5, 11), False, id="2024-ordinary-saturday"),
    pytest.param(D(2024, 9, 3), False, id="2024-national-day-tue"),
    pytest.param(D(2024, 9, 4), True, id="2024-after-national-day"),
    pytest.param(D(2025, 1, 24), True, id="2025-last-day-before-tet"),
    pytest.param(D(2025, 1, 27), False, id="2025-tet-29"),
    pytest.param(D(2025, 1, 31), False, id="2025-tet-mung-3"),
    pytest.param(D(2025, 2, 3), True, id="2025-after-tet"),
    pytest.param(D(2025, 4, 7), False, id="2025-hung-kings"),
    pytest.param(D(2025, 4, 26), True, id="2025-make-up-saturday"),
    pytest.param(D(2025, 4, 30), False, id="2025-30-4"),
    pytest.param(D(2025, 5, 2), False, id="2025-swap-off-fri"),
    pytest.param(D(2025, 5, 5), True, id="2025-after-1-5"),
    pytest.param(D(2025, 9, 1), False, id="2025-national-day-mon"),
    pytest.param(D(2025, 9, 3), True, id="2025-after-national-day"),
    pytest.param(D(2026, 1, 2), False, id="2026-new-year-swap-off"),
    pytest.param(D(2026, 1, 10), True, id="2026-new-year-make-up-saturday"),
    pytest.param(D(2026, 2, 20), False, id="2026-tet-last"),
    pytest.param(D(2026, 2, 23), True, id="2026-after-tet"),
    pytest.param(D(2026, 4, 27), False, id="2026-hung-kings-compensatory"),
    pytest.param(D(2026, 8, 22), True, id="2026-make-up-saturday"),
    pytest.param(D(2026, 8, 31), False, id="2026-swap-off-mon"),
    pytest.param(D(2026, 9, 2), False, id="2026-national-day"),
    pytest.param(D(2026, 11, 24), False, id="2026-culture-day"),
]


@pytest.mark.parametrize(("day", "working"), DAYS)
def test_is_working_day(cal: te.WorkCalendar, day: dt.date, working: bool) -> None:
    """Holidays, compensatory days, swaps and make-up Saturdays are where the notices put them."""
    assert cal.is_working_day(day) is working
    assert cal.day_info(day).working is working


ADD = [
    pytest.param(D(2025, 1, 24), 1, D(2025, 2, 3), id="tet-2025-skip"),
    pytest.param(D(2025, 1, 24), 3, D(2025, 2, 5), id="tet-2025-three"),
    pytest.param(D(2025, 1, 27), 0, D(2025, 2, 3), id="zero-on-holiday-moves-on"),
    pytest.param(D(2025, 2, 3), 0, D(2025, 2, 3), id="zero-on-working-day"),
    pytest.param(D(2025, 2, 3), -1, D(2025, 1, 24), id="negative-across-tet"),
    pytest.param(D(2025, 4, 25), 1, D(2025, 4, 26), id="2025-make-up-saturday-counts"),
    pytest.param(D(2025, 4, 29), 1, D(2025, 5, 5), id="2025-30-4-swap"),
    pytest.param(D(2024, 4, 26), 1, D(2024, 5, 2), id="2024-30-4-swap"),
    pytest.param(D(2024, 5, 3), 1, D(2024, 5, 4), id="2024-make-up-saturday-counts"),
    pytest.param(D(2024, 2, 7), 1, D(2024, 2, 15), id="tet-2024"),
    pytest.param(D(2023, 1, 19), 1, D(2023, 1, 27), id="tet-2023"),
    pytest.param(D(2023, 8, 31), 1, D(2023, 9, 5), id="national-day-2023"),
    pytest.param(D(2025, 8, 29), 1, D(2025, 9, 3), id="national-day-2025"),
    pytest.param(D(2025, 12, 31), 1, D(2026, 1, 5), id="new-year-2026-swap-across-years"),
    pytest.param(D(2026, 2, 13), 1, D(2026, 2, 23), id="tet-2026"),
]


@pytest.mark.parametrize(("start", "n", "expected"), ADD)
def test_add_working_days(cal: te.WorkCalendar, start: dt.date, n: int, expected: dt.date) -> None:
    """The n-th working day after a date, the date itself not counted."""
    assert cal.add_working_days(start, n) == expected


def test_working_days_between_across_tet(cal: te.WorkCalendar) -> None:
    """(24/1, 5/2] 2025 holds exactly the three working days 3, 4 and 5 February."""
    assert cal.working_days_between(D(2025, 1, 24), D(2025, 2, 5)) == 3
    assert cal.working_days_between(D(2025, 2, 5), D(2025, 1, 24)) == -3


def test_day_info_names_and_sources(cal: te.WorkCalendar) -> None:
    """A holiday explains itself in Vietnamese and English with its source."""
    info = cal.day_info(D(2025, 1, 27))
    assert info.kind == "holiday" and "Tết" in info.name and "Lunar" in info.name_en
    assert "Điều 112" in info.source and not info.provisional
    assert cal.day_info(D(2025, 4, 26)).kind == "makeup"
    assert cal.day_info(D(2026, 4, 27)).kind == "compensatory"


def test_unconfirmed_year_is_provisional(cal: te.WorkCalendar) -> None:
    """A year without a loaded official notice says so."""
    assert cal.day_info(D(2030, 2, 4)).provisional
    assert 2030 not in cal.provenance.confirmed_years


def test_office_moments(cal: te.WorkCalendar) -> None:
    """Office sessions are [start, end): 17:00 closes the day; lunch is not working time."""
    tz = cal.tz
    assert cal.is_working_moment(dt.datetime(2025, 2, 3, 7, 30, tzinfo=tz))
    assert not cal.is_working_moment(dt.datetime(2025, 2, 3, 12, 0, tzinfo=tz))
    assert not cal.is_working_moment(dt.datetime(2025, 2, 3, 17, 0, tzinfo=tz))
    nxt = cal.next_working_moment(dt.datetime(2025, 1, 24, 17, 0, tzinfo=tz))
    assert nxt == dt.datetime(2025, 2, 3, 7, 30, tzinfo=tz)
    assert cal.end_of_working_day(D(2025, 2, 3)) == dt.datetime(2025, 2, 3, 17, 0, tzinfo=tz)
    assert cal.start_of_working_day(D(2025, 2, 3)) == dt.datetime(2025, 2, 3, 7, 30, tzinfo=tz)
    assert cal.hours_per_day == 8.0


def test_working_hours_across_tet(cal: te.WorkCalendar) -> None:
    """Eight legal working hours are one working day; Tết is skipped."""
    tz = cal.tz
    friday_close = dt.datetime(2025, 1, 24, 17, 0, tzinfo=tz)
    assert cal.add_working_hours(friday_close, 8) == dt.datetime(2025, 2, 3, 17, 0, tzinfo=tz)
    # half a legal day is half of Monday's 7.5 session hours: 07:30 + 3h45
    assert cal.add_working_hours(friday_close, 4) == dt.datetime(2025, 2, 3, 11, 15, tzinfo=tz)
    assert cal.working_hours_between(
        friday_close, dt.datetime(2025, 2, 5, 17, 0, tzinfo=tz)
    ) == pytest.approx(24)
    # other zones are converted, not misread
    utc = dt.datetime(2025, 1, 24, 10, 0, tzinfo=dt.UTC)
    assert cal.add_working_hours(utc, 8) == dt.datetime(2025, 2, 3, 17, 0, tzinfo=tz)


def test_wall_clock_hours_mode() -> None:
    """With day_hours=None a working hour is a wall-clock hour of the office sessions."""
    cal = te.WorkCalendar.vietnam(day_hours=None)
    tz = cal.tz
    start = dt.datetime(2025, 1, 24, 16, 30, tzinfo=tz)
    assert cal.hours_per_day == 7.5
    assert cal.add_working_hours(start, 1) == dt.datetime(2025, 2, 3, 8, 0, tzinfo=tz)
    assert cal.working_hours_between(start, dt.datetime(2025, 2, 3, 17, 0, tzinfo=tz)) == 8.0


def test_naive_datetime_is_an_error(cal: te.WorkCalendar) -> None:
    """A datetime without a zone is refused, never guessed."""
    with pytest.raises(te.NaiveDatetimeError):
        cal.add_working_hours(dt.datetime(2025, 1, 24, 9, 0), 1)
    with pytest.raises(te.TthcError):
        cal.next_working_moment(dt.datetime(2025, 1, 24, 9, 0))


@pytest.mark.parametrize(
    ("call"),
    [
        pytest.param(lambda c: c.is_working_day(D(1990, 1, 1)), id="before-1995"),
        pytest.param(lambda c: c.add_working_days(D(2100, 12, 28), 5), id="past-2100"),
        pytest.param(lambda c: c.add_working_days(D(1995, 1, 3), -5), id="back-before-1995"),
    ],
)
def test_outside_range_is_calendar_error(cal: te.WorkCalendar, call: object) -> None:
    """Dates outside 1995–2100 raise a CalendarError naming the range."""
    with pytest.raises(te.CalendarError, match="1995–2100"):
        call(cal)  # type: ignore[operator]


def test_lazy_years_far_apart(cal: te.WorkCalendar) -> None:
    """Years are built on demand, far from the first-built ones, with the same answers."""
    assert cal.add_working_days(D(1999, 12, 31), 1) == D(2000, 1, 4) or cal.is_working_day(D(2000, 1, 3))
    assert cal.working_days_between(D(2090, 1, 1), D(2090, 1, 1)) == 0
    assert cal.add_working_days(D(2024, 2, 7), 1) == D(2024, 2, 15)


def test_non_whole_days_rejected(cal: te.WorkCalendar) -> None:
    """add_working_days wants whole days; fractions belong to sla.due_after."""
    with pytest.raises(TypeError, match="due_after"):
        cal.add_working_days(D(2025, 1, 2), 1.5)  # type: ignore[arg-type]


def test_provenance(cal: te.WorkCalendar) -> None:
    """The calendar names the holidays version and the overlay digests it is built from."""
    p = cal.provenance.as_dict()
    assert p["holidays_version"] == te.WorkCalendar.vietnam().provenance.holidays_version
    assert p["overlays"][0]["path"].endswith("vietnam.yaml")  # type: ignore[index]
    assert len(p["overlays"][0]["sha256"]) == 64  # type: ignore[index]
    assert cal.digest.startswith("cal-") and cal.digest == te.WorkCalendar.vietnam().digest
    other = te.WorkCalendar.vietnam(office_hours=["07:00-11:30", "13:30-17:00"])
    assert other.digest != cal.digest and other.hours_per_day == 8.0


def test_confirmed_year_days_cite_the_official_notice(cal: te.WorkCalendar) -> None:
    """In a checked year a national day off or swap cites the year's official notice, not only the package."""
    swap = cal.day_info(D(2026, 8, 31))
    assert "9441/TB-BNV" in swap.source and "holidays" in swap.source
    tet_2025 = cal.day_info(D(2025, 1, 29))
    assert "6150/TB-BLĐTBXH" in tet_2025.source and "Điều 112" in tet_2025.source
    # a year nobody checked keeps only the package's own source, and says it is provisional
    later = cal.day_info(D(2027, 2, 8))
    assert later.provisional and "TB-" not in later.source
