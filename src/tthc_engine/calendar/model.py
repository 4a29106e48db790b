"""The calendar's data: overlay entries, day explanations and provenance (frozen values).

An overlay (calendars/*.yaml, schema schemas/calendar.schema.json) is a list of dated facts, each with
a name and the legal notice it comes from. Overlays are layered national → province → agency; a later
entry about the same day wins, so a province can correct the national data for its desks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Literal

import attrs

from tthc_engine.calendar.hours import OfficeHours

# Why a day is (not) a working day:
#   workday / weekend       the ordinary Monday–Friday week (Decision 188/1999/QĐ-TTg: 40 hours, 5 days)
#   holiday                 a statutory public holiday (Labor Code 2019 Art. 112)
#   compensatory            a holiday fell on a weekend: the next working day is off (Art. 111(3))
#   swap_off / makeup       the government's yearly swap: a weekday off, a Saturday worked
#   closure / extra_working an overlay's extra non-working / working day
#   suspension              an overlay's suspension: deadline clocks do not run (e.g. epidemic closure)
#   correction              an overlay corrects the national data for this day
DayKind = Literal[
    "workday",
    "weekend",
    "holiday",
    "compensatory",
    "swap_off",
    "makeup",
    "closure",
    "extra_working",
    "suspension",
    "correction",
]
OverlayLevel = Literal["national", "province", "agency"]


@attrs.frozen
class DayRule:
    """Days `start`..`end` (inclusive) are working or not, for the reason `kind`."""

    kind: DayKind
    start: dt.date
    end: dt.date
    working: bool
    name: str
    notice: str
    name_en: str | None = None
    where: str = ""  # "file:line" of the entry, for explanations and errors


@attrs.frozen
class HoursRule:
    """Office hours in force on matching days (optional date range, recurring season, weekdays).

    `counts=False` marks reception-only sessions (a Saturday one-stop desk): receipts happen then, but the
    legal clock does not run and the day does not become a working day.
    """

    name: str
    notice: str
    hours: OfficeHours
    start: dt.date | None = None
    end: dt.date | None = None
    season: tuple[tuple[int, int], tuple[int, int]] | None = None  # ((month, day), (month, day))
    weekdays: frozenset[int] = frozenset(range(5))  # 0 = Monday
    weekly: bool = False  # True: an extra weekly session (adds to a non-working weekday)
    counts: bool = True
    where: str = ""

    def matches(self, day: dt.date) -> bool:
        if day.weekday() not in self.weekdays:
            return False
        if self.start is not None and day < self.start:
            return False
        if self.end is not None and day > self.end:
            return False
        if self.season is not None:
            md = (day.month, day.day)
            lo, hi = self.season
            inside = lo <= md <= hi if lo <= hi else (md >= lo or md <= hi)  # a season may span 31/12
            if not inside:
                return False
        return True


@attrs.frozen
class ConfirmedYear:
    """The official notice of a year's holidays and swaps has been checked against the data."""

    year: int
    notice: str
    where: str = ""


@attrs.frozen
class Overlay:
    """One loaded overlay file."""

    name: str
    level: OverlayLevel
    path: str
    sha256: str
    days: tuple[DayRule, ...] = ()
    hours: tuple[HoursRule, ...] = ()
    confirmed: tuple[ConfirmedYear, ...] = ()


@attrs.frozen
class DayInfo:
    """Why a day is or is not a working day (for explanations, the CLI and reports)."""

    date: dt.date
    working: bool
    kind: DayKind
    name: str  # Vietnamese
    name_en: str
    source: str  # the legal notice / data source
    provisional: bool = False  # no official notice for this year is loaded: the data may change
    sessions: tuple[str, ...] = ()  # counted office sessions, "07:30-11:30"
    reception_sessions: tuple[str, ...] = ()  # open for receipt only (clock not running)

    @property
    def standard(self) -> bool:
        """True for an ordinary weekday or weekend day."""
        return self.kind in ("workday", "weekend")

    def as_dict(self) -> dict[str, object]:
        d = attrs.asdict(self)
        d["date"] = self.date.isoformat()
        d["sessions"] = list(self.sessions)
        d["reception_sessions"] = list(self.reception_sessions)
        return d


@attrs.frozen
class OverlaySource:
    name: str
    level: str
    path: str
    sha256: str


@attrs.frozen
class Provenance:
    """What a calendar is built from, so a computed deadline can name the calendar that produced it."""

    holidays_version: str
    tz: str
    office_hours: str
    overlays: tuple[OverlaySource, ...]
    confirmed_years: tuple[int, ...]
    first_year: int
    last_year: int

    def as_dict(self) -> dict[str, object]:
        return {
            "holidays_version": self.holidays_version,
            "tz": self.tz,
            "office_hours": self.office_hours,
            "overlays": [attrs.asdict(o) for o in self.overlays],
            "confirmed_years": list(self.confirmed_years),
            "range": [self.first_year, self.last_year],
            "digest": self.digest,
        }

    @property
    def digest(self) -> str:
        """A short stable id of the calendar's content (paths excluded: same files, same digest)."""
        payload = {
            "holidays": self.holidays_version,
            "tz": self.tz,
            "hours": self.office_hours,
            "overlays": [o.sha256 for o in self.overlays],
        }
        blob = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        return "cal-" + hashlib.sha256(blob).hexdigest()[:12]

    def is_provisional(self, year: int) -> bool:
        return year not in self.confirmed_years
