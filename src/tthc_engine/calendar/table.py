"""The precomputed index behind WorkCalendar: working days and working periods as sorted arrays.

Every query is a bisect on these arrays (O(log n)), never a day-by-day loop (docs/calendar.md). Years are
built one at a time from the national data and the overlays, then concatenated into one contiguous
table covering [lo_year, hi_year]; positions along the "working-time axis" are cumulative seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from zoneinfo import ZoneInfo

import attrs

from tthc_engine.calendar.hours import OfficeHours
from tthc_engine.calendar.model import DayInfo, DayRule, HoursRule, Overlay

# Decision 188/1999/QĐ-TTg: a 40-hour, 5-day week (Monday–Friday) for state agencies.
_WEEK_SOURCE = "Quyết định 188/1999/QĐ-TTg (tuần làm việc 40 giờ)"


@attrs.frozen
class Spec:
    """Everything a year is built from (immutable)."""

    tz: ZoneInfo
    hours: OfficeHours
    overlays: tuple[Overlay, ...]
    confirmed_years: frozenset[int]
    national: Callable[[Iterable[int]], list[DayRule]]
    # Legal hours in one working day (Decision 188/1999/QĐ-TTg: 8 hours a day, 40 a week), spread
    # evenly over that day's office sessions; None: count wall-clock session time as it is.
    day_hours: float | None = 8.0


@attrs.frozen
class YearData:
    year: int
    work_ords: tuple[int, ...]
    periods: tuple[tuple[float, float, float], ...]  # (start, end) UTC timestamps + legal-time scale
    special: dict[int, DayInfo]  # days that are not an ordinary workday/weekend, by ordinal
    sessions: dict[int, OfficeHours]  # counted sessions of each working day whose hours differ
    reception: dict[int, OfficeHours]


def standard_info(day: dt.date, spec: Spec) -> DayInfo:
    working = day.weekday() < 5
    return DayInfo(
        date=day,
        working=working,
        kind="workday" if working else "weekend",
        name="Ngày làm việc" if working else "Ngày nghỉ hằng tuần",
        name_en="working day" if working else "weekly rest day",
        source=_WEEK_SOURCE,
        provisional=day.year not in spec.confirmed_years,
        sessions=tuple(str(s) for s in spec.hours.sessions) if working else (),
    )


def _counted_hours(
    day: dt.date, rules: Sequence[HoursRule], default: OfficeHours, weekend: bool
) -> OfficeHours:
    hours = default
    for rule in rules:
        if rule.weekly:
            continue
        if weekend and rule.weekdays == frozenset(range(5)):
            # a make-up Saturday keeps the hours of the period it falls in
            if attrs.evolve(rule, weekdays=frozenset(range(7))).matches(day):
                hours = rule.hours
        elif rule.matches(day):
            hours = rule.hours
    return hours


def build_year(year: int, spec: Spec) -> YearData:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    provisional = year not in spec.confirmed_years
    # The official notice of a checked year is the primary source of that year's national days off and
    # swaps; the holidays package is where we read them from, so a day's source names both.
    notices = [c.notice for o in spec.overlays for c in o.confirmed if c.year == year]
    overrides: dict[dt.date, DayRule] = {}
    for nat in spec.national([year]):
        overrides[nat.start] = (
            attrs.evolve(nat, notice=f"{nat.notice}; {'; '.join(notices)}") if notices else nat
        )
    for overlay in spec.overlays:
        for entry in overlay.days:
            if entry.end < first or entry.start > last:
                continue
            day = max(entry.start, first)
            while day <= min(entry.end, last):  # bounded by the entry's own range within one year
                overrides[day] = entry
                day += dt.timedelta(days=1)
    hours_rules = [r for o in spec.overlays for r in o.hours]
    weekly = [r for r in hours_rules if r.weekly]
    work: list[int] = []
    periods: list[tuple[float, float, float]] = []
    special: dict[int, DayInfo] = {}
    sessions: dict[int, OfficeHours] = {}
    reception: dict[int, OfficeHours] = {}
    day = first
    while day <= last:
        o = day.toordinal()
        rule = overrides.get(day)
        weekend = day.weekday() >= 5
        working = rule.working if rule else not weekend
        counted: OfficeHours | None = (
            _counted_hours(day, hours_rules, spec.hours, weekend) if working else None
        )
        recv: OfficeHours | None = None
        info: DayInfo | None = None
        if rule is None and weekend:
            for w in weekly:
                if w.matches(day):
                    if w.counts:
                        working, counted = True, w.hours
                        info = DayInfo(day, True, "extra_working", w.name, w.name, w.notice, provisional)
                    else:
                        recv = w.hours
        if rule is not None:
            info = DayInfo(
                day, working, rule.kind, rule.name, rule.name_en or rule.name, rule.notice, provisional
            )
        if recv is not None and info is None:
            info = attrs.evolve(
                standard_info(day, spec), reception_sessions=tuple(str(s) for s in recv.sessions)
            )
        if working and counted is not None:
            work.append(o)
            scale = 1.0 if spec.day_hours is None else spec.day_hours * 3600.0 / counted.seconds
            for s in counted.sessions:
                periods.append(
                    (
                        dt.datetime.combine(day, s.start, tzinfo=spec.tz).timestamp(),
                        dt.datetime.combine(day, s.end, tzinfo=spec.tz).timestamp(),
                        scale,
                    )
                )
            if counted != spec.hours:
                sessions[o] = counted
        if info is not None:
            if working and counted is not None:
                info = attrs.evolve(info, sessions=tuple(str(s) for s in counted.sessions))
            special[o] = info
        if recv is not None:
            reception[o] = recv
        day += dt.timedelta(days=1)
    return YearData(year, tuple(work), tuple(periods), special, sessions, reception)


class Table:
    """A contiguous run of built years as flat arrays (replaced, never mutated, when it grows)."""

    __slots__ = (
        "hi_ord",
        "hi_year",
        "lo_ord",
        "lo_year",
        "p_cum",
        "p_cumend",
        "p_end",
        "p_scale",
        "p_start",
        "reception",
        "sessions",
        "special",
        "work_ords",
        "years",
    )

    def __init__(self, years: Sequence[YearData]) -> None:
        self.years = {y.year: y for y in years}
        self.lo_year = years[0].year
        self.hi_year = years[-1].year
        self.lo_ord = dt.date(self.lo_year, 1, 1).toordinal()
        self.hi_ord = dt.date(self.hi_year, 12, 31).toordinal()
        self.work_ords: list[int] = [o for y in years for o in y.work_ords]
        self.p_start: list[float] = []
        self.p_end: list[float] = []
        self.p_cum: list[float] = []
        self.p_cumend: list[float] = []
        self.p_scale: list[float] = []  # legal seconds per wall-clock second in the period
        self.special: dict[int, DayInfo] = {}
        self.sessions: dict[int, OfficeHours] = {}
        self.reception: dict[int, OfficeHours] = {}
        total = 0.0
        for y in years:
            for start, end, scale in y.periods:
                self.p_start.append(start)
                self.p_end.append(end)
                self.p_scale.append(scale)
                self.p_cum.append(total)
                total += (end - start) * scale
                self.p_cumend.append(total)
            self.special.update(y.special)
            self.sessions.update(y.sessions)
            self.reception.update(y.reception)
