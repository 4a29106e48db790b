"""The one home of time helpers and of the time constants the rules rest on.

Every legal moment is timezone-aware: we never guess the zone of a receipt or a decision, so a
naive datetime is an error (NaiveDatetimeError), wherever it enters — the calendar, the deadline
rules, the engine's `at=`, the audit encoder. One checker here serves them all, with one message.

The constants:
- `HOURS_PER_WORKING_DAY` = 8: Decision 188/1999/QĐ-TTg Art. 1 (a 40-hour, 5-day week for cadres
  and civil servants) gives an 8-hour working day; a working day of a deadline counts 8 legal
  hours spread over the office sessions (WorkCalendar(day_hours=...) changes it per calendar).
- `FIRST_YEAR`, `LAST_YEAR`: the years the working calendar can answer for (not law: the range the
  `holidays` package's Vietnamese rules and our overlays are built and checked over).
"""

from __future__ import annotations

import datetime as dt
import re

from tthc_engine.errors import DataError, NaiveDatetimeError

HOURS_PER_WORKING_DAY = 8.0  # Decision 188/1999/QĐ-TTg Art. 1: 40 hours over 5 days
FIRST_YEAR = 1995  # the holidays package applies Labor Code-style compensation from 1995
LAST_YEAR = 2100
YEAR_RANGE = f"{FIRST_YEAR}–{LAST_YEAR}"
# a day where a moment is expected: "2025-01-24", "2025-01-24+07:00" (which Python 3.11 reads as 07:00)
_DAY_ONLY = re.compile(r"^\s*([0-9]{4}-[0-9]{2}-[0-9]{2})\s*(Z|[+-][0-9]{2}:?[0-9]{2})?\s*$")


def aware(value: dt.datetime, what: str = "datetime") -> dt.datetime:
    """`value` itself when it is a timezone-aware datetime; NaiveDatetimeError (or TypeError for a
    non-datetime) naming `what` and the fix otherwise."""
    if not isinstance(value, dt.datetime):
        raise TypeError(f"{what} must be a timezone-aware datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{what}={value.isoformat()} has no UTC offset; pass e.g. {value.isoformat()}+07:00 "
            "or a datetime with tzinfo=ZoneInfo('Asia/Ho_Chi_Minh')"
        )
    return value


def moment(value: dt.datetime | str, what: str = "at") -> dt.datetime:
    """An aware datetime from a datetime or an ISO 8601 string with offset (what callers pass as
    `at=`); DataError for unreadable text, NaiveDatetimeError for a moment without an offset."""
    if isinstance(value, str):
        day = _DAY_ONLY.match(value) if len(value) <= 18 else None  # no full moment is this short
        if day is not None:
            offset = day.group(2) or "+07:00"
            raise NaiveDatetimeError(
                f"{what}={value!r} is a day, not a moment: give the time too, with its UTC "
                f"offset, e.g. '{day.group(1)}T08:00{offset}'"
            )
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise DataError(
                f"{what}={value!r} is not an ISO 8601 moment; write e.g. '2025-01-24T15:30:00+07:00'"
            ) from None
    elif not isinstance(value, dt.datetime):
        raise DataError(
            f"{what} must be a timezone-aware datetime or an ISO 8601 string, not {type(value).__name__}"
        )
    value = aware(value, what)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise DataError(
            f"{what}={value.isoformat()} is outside the years the working calendar covers ({YEAR_RANGE}); "
            "check the year"
        )
    return value


def iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 with offset, None kept (the stored and audited form of a moment)."""
    return None if value is None else value.isoformat()


def parse_iso(value: str | None) -> dt.datetime | None:
    """The inverse of `iso` for stored values."""
    return None if value is None else dt.datetime.fromisoformat(value)
