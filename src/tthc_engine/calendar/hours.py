"""Office sessions: the hours within a working day during which deadline clocks run.

Each province sets its own office hours (typical 07:30–11:30, 13:30–17:00,
some 07:00–11:30, and summer/winter variants), so hours are data: the default below, overridable by a
`WorkCalendar.vietnam(office_hours=...)` argument or by an overlay.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import attrs

from tthc_engine.errors import ConfigurationError

_SESSION = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@attrs.frozen(order=True)
class Session:
    """One continuous office session [start, end) on a day."""

    start: dt.time
    end: dt.time

    @property
    def seconds(self) -> int:
        return _secs(self.end) - _secs(self.start)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def _secs(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def parse_session(text: str) -> Session:
    """`"07:30-11:30"` → Session; raises ValueError naming the text (callers add the place)."""
    m = _SESSION.match(text)
    if not m:
        raise ValueError(f"office session {text!r} is not HH:MM-HH:MM (e.g. '07:30-11:30')")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        raise ValueError(f"office session {text!r} has an impossible time")
    end = dt.time(23, 59, 59) if h2 == 24 else dt.time(h2, m2)
    session = Session(dt.time(h1, m1), end)
    if session.seconds <= 0:
        raise ValueError(f"office session {text!r} ends before it starts")
    return session


@attrs.frozen
class OfficeHours:
    """The sessions of one working day, sorted and non-overlapping."""

    sessions: tuple[Session, ...]

    def __attrs_post_init__(self) -> None:
        if not self.sessions:
            raise ConfigurationError("office hours need at least one session, e.g. ['07:30-11:30']")
        for a, b in zip(self.sessions, self.sessions[1:], strict=False):
            if _secs(b.start) < _secs(a.end):
                raise ConfigurationError(
                    f"office sessions {a} and {b} overlap or are not in order; list them by start time"
                )

    @classmethod
    def parse(cls, items: Iterable[str | Session] | OfficeHours) -> OfficeHours:
        if isinstance(items, OfficeHours):
            return items
        if isinstance(items, str):
            items = [items]
        sessions: list[Session] = []
        for item in items:
            if isinstance(item, Session):
                sessions.append(item)
                continue
            try:
                sessions.append(parse_session(item))
            except ValueError as exc:
                raise ConfigurationError(f"office_hours: {exc}") from None
        return cls(tuple(sessions))

    @property
    def seconds(self) -> int:
        return sum(s.seconds for s in self.sessions)

    @property
    def hours(self) -> float:
        return self.seconds / 3600

    def __str__(self) -> str:
        return ", ".join(str(s) for s in self.sessions)


# The typical schedule of one-stop desks; a province overrides it.
DEFAULT_OFFICE_HOURS = OfficeHours(
    (Session(dt.time(7, 30), dt.time(11, 30)), Session(dt.time(13, 30), dt.time(17, 0)))
)
