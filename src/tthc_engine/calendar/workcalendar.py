"""WorkCalendar: working days, office hours and working-time arithmetic for Viet Nam.

Immutable to its users; internally it builds years lazily (1995–2100) and swaps in a larger table
under a lock, so concurrent readers always see a complete, consistent table.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tthc_engine.calendar.hours import DEFAULT_OFFICE_HOURS, OfficeHours, Session
from tthc_engine.calendar.model import DayInfo, Overlay, OverlaySource, Provenance
from tthc_engine.calendar.national import HOLIDAYS_VERSION, national_rules
from tthc_engine.calendar.table import Spec, Table, YearData, build_year, standard_info
from tthc_engine.errors import CalendarError, ConfigurationError
from tthc_engine.timeutil import FIRST_YEAR, HOURS_PER_WORKING_DAY, LAST_YEAR, YEAR_RANGE
from tthc_engine.timeutil import aware as _aware

_RANGE = YEAR_RANGE
_MARGIN = 1  # years built around a requested one
_CLOSES_MEMO = 4096  # (day, n) answers kept by close_after before the memo is cleared


class WorkCalendar:
    """The Vietnamese working calendar (see docs/calendar.md). Build with `WorkCalendar.vietnam()`."""

    __slots__ = ("_built", "_closes", "_digest", "_lock", "_spec", "_table", "provenance")

    def __init__(self, spec: Spec, provenance: Provenance) -> None:
        self._spec = spec
        self.provenance = provenance
        self._digest = provenance.digest  # hashed once: every due moment and audit entry names it
        self._lock = threading.Lock()
        self._built: dict[int, YearData] = {}
        self._closes: dict[tuple[int, int], dt.datetime] = {}  # close_after memo
        year = dt.date.today().year
        year = min(max(year, FIRST_YEAR + _MARGIN), LAST_YEAR - _MARGIN)
        self._table: Table = self._make_table(year - _MARGIN, year + _MARGIN)

    # ----------------------------------------------------------------- construction
    @classmethod
    def vietnam(
        cls,
        overlays: Iterable[str | os.PathLike[str] | Overlay] = (),
        *,
        office_hours: OfficeHours | Sequence[str] | None = None,
        tz: str = "Asia/Ho_Chi_Minh",
        national_overlay: bool = True,
        day_hours: float | None = HOURS_PER_WORKING_DAY,
    ) -> WorkCalendar:
        """National holidays + official swaps + calendars/vietnam.yaml + `overlays` (in that order).

        `day_hours`: legal working hours in one working day (Decision 188/1999/QĐ-TTg: 8), spread evenly
        over the day's office sessions, so 8 working hours are one working day whatever the sessions
        (the default 07:30–11:30, 13:30–17:00 is 7.5 wall-clock hours). None counts wall-clock time.
        """
        from tthc_engine._resources import data_dir
        from tthc_engine.calendar.overlay import load_overlay

        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigurationError(
                f"unknown time zone {tz!r}; use an IANA name like 'Asia/Ho_Chi_Minh'"
            ) from None
        loaded: list[Overlay] = []
        if national_overlay:
            loaded.append(load_overlay(data_dir("calendars") / "vietnam.yaml"))
        for item in overlays:
            loaded.append(item if isinstance(item, Overlay) else load_overlay(item))
        hours = DEFAULT_OFFICE_HOURS if office_hours is None else OfficeHours.parse(office_hours)
        confirmed = frozenset(c.year for o in loaded for c in o.confirmed)
        if day_hours is not None and not 0 < day_hours <= 24:
            raise ConfigurationError(f"day_hours={day_hours!r} must be between 0 and 24 (or None)")
        spec = Spec(zone, hours, tuple(loaded), confirmed, national_rules, day_hours)
        provenance = Provenance(
            holidays_version=HOLIDAYS_VERSION,
            tz=tz,
            office_hours=str(hours) + ("" if day_hours is None else f" = {day_hours:g} h/day"),
            overlays=tuple(OverlaySource(o.name, o.level, o.path, o.sha256) for o in loaded),
            confirmed_years=tuple(sorted(confirmed)),
            first_year=FIRST_YEAR,
            last_year=LAST_YEAR,
        )
        return cls(spec, provenance)

    # ----------------------------------------------------------------- lazy table
    def _make_table(self, lo: int, hi: int) -> Table:
        for y in range(lo, hi + 1):
            if y not in self._built:
                self._built[y] = build_year(y, self._spec)
        return Table([self._built[y] for y in range(lo, hi + 1)])

    def _grow(self, lo: int, hi: int) -> Table:
        """Make the table cover years lo..hi (and what it covered already)."""
        current = self._table
        if (lo < FIRST_YEAR and current.lo_year == FIRST_YEAR) or (
            hi > LAST_YEAR and current.hi_year == LAST_YEAR
        ):
            bad = lo if lo < FIRST_YEAR else hi
            raise CalendarError(
                f"year {bad} is outside the working calendar's range {_RANGE}; "
                "deadlines can only be computed for dates in that range"
            )
        lo, hi = max(lo, FIRST_YEAR), min(hi, LAST_YEAR)  # grow as far as the range allows, then retry
        with self._lock:
            tb = self._table
            if tb.lo_year <= lo and hi <= tb.hi_year:
                return tb
            new_lo = max(FIRST_YEAR, min(tb.lo_year, lo - _MARGIN))
            new_hi = min(LAST_YEAR, max(tb.hi_year, hi + _MARGIN))
            self._table = self._make_table(new_lo, new_hi)
            return self._table

    def _table_for(self, *ords: int) -> Table:
        tb = self._table
        lo, hi = min(ords), max(ords)
        if tb.lo_ord <= lo and hi <= tb.hi_ord:
            return tb
        try:
            ylo, yhi = dt.date.fromordinal(lo).year, dt.date.fromordinal(hi).year
        except (ValueError, OverflowError):
            raise CalendarError(f"a date is outside the working calendar's range {_RANGE}") from None
        if ylo < FIRST_YEAR or yhi > LAST_YEAR:
            raise CalendarError(
                f"year {ylo if ylo < FIRST_YEAR else yhi} is outside the working calendar's range {_RANGE}; "
                "deadlines can only be computed for dates in that range"
            )
        return self._grow(ylo, yhi)

    def _table_for_ts(self, *ts: float) -> Table:
        """A table with a working period after every `ts` (so positions are well defined)."""
        while True:
            tb = self._table_for(*(self._local(t).toordinal() for t in ts))
            if bisect_right(tb.p_end, max(ts)) < len(tb.p_end):
                return tb
            self._grow(tb.lo_year, tb.hi_year + 1)

    def _local(self, t: float) -> dt.date:
        try:
            return dt.datetime.fromtimestamp(t, self._spec.tz).date()
        except (OverflowError, OSError, ValueError):
            raise CalendarError(f"a moment is outside the working calendar's range {_RANGE}") from None

    def _day(self, d: dt.date) -> dt.date:
        if isinstance(d, dt.datetime):
            return _aware(d).astimezone(self._spec.tz).date()
        if not isinstance(d, dt.date):
            raise TypeError(f"expected a datetime.date, got {type(d).__name__}")
        return d

    # ----------------------------------------------------------------- properties
    @property
    def tz(self) -> ZoneInfo:
        return self._spec.tz

    @property
    def office_hours(self) -> OfficeHours:
        return self._spec.hours

    @property
    def hours_per_day(self) -> float:
        """Legal working hours of a working day (8.0 by default; the session length with day_hours=None)."""
        return self._spec.day_hours if self._spec.day_hours is not None else self._spec.hours.hours

    @property
    def digest(self) -> str:
        """The short id of this calendar's content (Provenance.digest), computed once."""
        return self._digest

    def __repr__(self) -> str:
        return f"<WorkCalendar {self.provenance.digest} {self._spec.tz.key} {self._spec.hours}>"

    # ----------------------------------------------------------------- days
    def is_working_day(self, d: dt.date) -> bool:
        day = self._day(d)
        o = day.toordinal()
        tb = self._table_for(o)
        i = bisect_left(tb.work_ords, o)
        return i < len(tb.work_ords) and tb.work_ords[i] == o

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day after `d` (d not counted); n == 0 → d if working, else the next one."""
        o = d.toordinal() if type(d) is dt.date else self._day(d).toordinal()
        tb = self._table
        if tb.lo_ord <= o <= tb.hi_ord and type(n) is int:
            w = tb.work_ords
            k = bisect_right(w, o) + n - 1 if n > 0 else bisect_left(w, o) + n
            if 0 <= k < len(w):
                return dt.date.fromordinal(w[k])
        return self._add_working_days_slow(o, n)

    def _add_working_days_slow(self, o: int, n: int) -> dt.date:
        if isinstance(n, bool) or int(n) != n:
            raise TypeError(
                f"add_working_days needs a whole number of days, got {n!r}; "
                "use sla.due_after for fractional working days"
            )
        n = int(n)
        tb = self._table_for(o)
        while True:
            w = tb.work_ords
            k = bisect_right(w, o) + n - 1 if n > 0 else bisect_left(w, o) + n
            if k < 0:
                tb = self._grow(tb.lo_year - 1 - (-k) // 200, tb.hi_year)
            elif k >= len(w):
                tb = self._grow(tb.lo_year, tb.hi_year + 1 + (k - len(w)) // 200)
            else:
                return dt.date.fromordinal(w[k])

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b]; negative when b < a."""
        oa, ob = self._day(a).toordinal(), self._day(b).toordinal()
        tb = self._table_for(oa, ob)
        return bisect_right(tb.work_ords, ob) - bisect_right(tb.work_ords, oa)

    def day_info(self, d: dt.date) -> DayInfo:
        """Why `d` is or is not a working day (name vi/en, source, provisional)."""
        day = self._day(d)
        tb = self._table_for(day.toordinal())
        info = tb.special.get(day.toordinal())
        if info is not None:
            return info
        base = standard_info(day, self._spec)
        hours = tb.sessions.get(day.toordinal())
        if hours is not None and base.working:
            from attrs import evolve

            base = evolve(base, sessions=tuple(str(s) for s in hours.sessions))
        return base

    def days_in_year(self, year: int) -> list[DayInfo]:
        """Every non-standard day (holiday, swap, closure, …) of `year`, in date order."""
        tb = self._table_for(dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal())
        return list(tb.years[year].special.values())

    def sessions_of(self, d: dt.date) -> tuple[Session, ...]:
        """The counted office sessions of day `d` (empty on a non-working day)."""
        day = self._day(d)
        if not self.is_working_day(day):
            return ()
        tb = self._table_for(day.toordinal())
        return tb.sessions.get(day.toordinal(), self._spec.hours).sessions

    def start_of_working_day(self, d: dt.date) -> dt.datetime:
        day = self._day(d)
        sessions = self.sessions_of(day)
        if not sessions:
            raise CalendarError(f"{day.isoformat()} is not a working day ({self.day_info(day).name})")
        return dt.datetime.combine(day, sessions[0].start, tzinfo=self._spec.tz)

    def end_of_working_day(self, d: dt.date) -> dt.datetime:
        """The close of the last office session of working day `d`."""
        if type(d) is dt.date:  # fast path (every step budget in days): a working day the table covers
            o = d.toordinal()
            tb = self._table
            if tb.lo_ord <= o <= tb.hi_ord:
                w = tb.work_ords
                i = bisect_left(w, o)
                if i < len(w) and w[i] == o:
                    last = tb.sessions.get(o, self._spec.hours).sessions[-1]
                    return dt.datetime.combine(d, last.end, tzinfo=self._spec.tz)
        day = self._day(d)
        sessions = self.sessions_of(day)
        if not sessions:
            raise CalendarError(
                f"{day.isoformat()} is not a working day ({self.day_info(day).name}); "
                "use add_working_days(d, 0) to find the next one"
            )
        return dt.datetime.combine(day, sessions[-1].end, tzinfo=self._spec.tz)

    def close_after(self, d: dt.date, n: int) -> dt.datetime:
        """`end_of_working_day(add_working_days(d, n))`: the close of the n-th working day after `d`
        (n == 0: of `d` itself if working, else of the next working day) — every due moment and step
        budget in whole days.

        Memoised per calendar on (d, n): the answer depends on nothing else (the calendar never
        changes meaning; its table only grows), many dossiers count from the same day, and the
        lookup spares two searches of the table. Bounded: cleared when it holds _CLOSES_MEMO answers.
        """
        key = (d.toordinal() if type(d) is dt.date else self._day(d).toordinal(), n)
        found = self._closes.get(key)
        if found is None:
            found = self.end_of_working_day(self.add_working_days(d, n))
            if type(n) is int:  # other numbers are refused above or checked each time
                if len(self._closes) >= _CLOSES_MEMO:
                    self._closes.clear()
                self._closes[key] = found
        return found

    # ----------------------------------------------------------------- moments
    def _from_ts(self, t: float) -> dt.datetime:
        return dt.datetime.fromtimestamp(round(t, 6), self._spec.tz)

    def is_working_moment(self, moment: dt.datetime) -> bool:
        t = _aware(moment).timestamp()
        tb = self._table_for_ts(t)
        i = bisect_right(tb.p_end, t)
        return tb.p_start[i] <= t

    def next_working_moment(self, moment: dt.datetime) -> dt.datetime:
        """`moment` itself (in the calendar's zone) inside office hours, else the next session start."""
        t = _aware(moment).timestamp()
        tb = self._table_for_ts(t)
        i = bisect_right(tb.p_end, t)
        if tb.p_start[i] <= t:
            return moment.astimezone(self._spec.tz)
        return self._from_ts(tb.p_start[i])

    def _position(self, tb: Table, t: float) -> float:
        i = bisect_right(tb.p_end, t)
        s = tb.p_start[i]
        return tb.p_cum[i] + ((t - s) * tb.p_scale[i] if t > s else 0.0)

    def working_hours_between(self, a: dt.datetime, b: dt.datetime) -> float:
        """Working hours from a to b (negative when b < a)."""
        ta, tb_ = _aware(a, "a").timestamp(), _aware(b, "b").timestamp()
        tb = self._table_for_ts(ta, tb_)
        return (self._position(tb, tb_) - self._position(tb, ta)) / 3600.0

    def add_working_hours(self, moment: dt.datetime, hours: float) -> dt.datetime:
        """The moment `hours` working hours after `moment` (0 → next working moment; negative → back).

        A result exactly at a session's close is that close (e.g. 17:00), not the next morning.
        """
        t = _aware(moment).timestamp()
        if hours == 0:
            return self.next_working_moment(moment)
        tb = self._table
        if not tb.p_start[0] <= t < tb.p_end[-1]:  # else the table has a working period after t
            tb = self._table_for_ts(t)
        while True:
            target = self._position(tb, t) + float(hours) * 3600.0
            if hours > 0:
                j = bisect_left(tb.p_cumend, target)
                if j < len(tb.p_cumend):
                    return self._from_ts(tb.p_start[j] + (target - tb.p_cum[j]) / tb.p_scale[j])
                self._grow(tb.lo_year, tb.hi_year + 1 + int(hours // 2000))
            else:
                j = bisect_right(tb.p_cum, target) - 1
                if target >= 0 and j >= 0:
                    return self._from_ts(tb.p_start[j] + (target - tb.p_cum[j]) / tb.p_scale[j])
                self._grow(tb.lo_year - 1 - int(-hours // 2000), tb.hi_year)
            tb = self._table_for_ts(t)

    # ----------------------------------------------------------------- batch forms (reports)
    def is_working_day_batch(self, dates: Iterable[dt.date]) -> list[bool]:
        return [self.is_working_day(d) for d in dates]

    def working_days_between_batch(self, pairs: Iterable[tuple[dt.date, dt.date]]) -> list[int]:
        return [self.working_days_between(a, b) for a, b in pairs]

    def add_working_days_batch(self, dates: Any, n: int | Sequence[int]) -> Any:
        """add_working_days over many dates. Sequences of dates → list of dates; a numpy datetime64
        array → a datetime64[D] array, vectorised (numpy stays optional)."""
        from tthc_engine.calendar.batch import add_working_days_batch

        return add_working_days_batch(self, dates, n)

    def working_ordinals(self, first: dt.date, last: dt.date) -> Sequence[int]:
        """The ordinals of working days in [first, last] (a view for vectorised batch code)."""
        o1, o2 = first.toordinal(), last.toordinal()
        tb = self._table_for(o1, o2)
        return tb.work_ords[bisect_left(tb.work_ords, o1) : bisect_right(tb.work_ords, o2)]
