"""The desk's worklist: which (procedure, state) pairs an actor works on, and the due marks.

Why the engine computes the scope and the store does not: which states an actor acts in is a fact
of the catalog (the roles of each action, from each source state), which stores do not know; the
store answers "open dossiers in these pairs, not assigned to someone else, in due order" on an index
(Store.worklist). The marks need the working calendar, so they are computed here too, for the one
page returned, against the `now` the caller gives (a screen and its test agree on the moment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

import attrs

from tthc_engine.calendar import WorkCalendar
from tthc_engine.definition.model import Procedure
from tthc_engine.records import Dossier
from tthc_engine.stores.queries import Cursor

Mark = Literal["overdue", "due_today", "near_due", "paused"]


@attrs.frozen
class WorkItem:
    """One dossier of a worklist and its mark: `overdue` (the due moment has passed), `due_today`
    (due later today, on the calendar's local date), `near_due` (due within the next `near` working
    days), `paused` (the legal clock is paused: the due moment will move), None (none of these)."""

    dossier: Dossier
    mark: Mark | None


@attrs.frozen
class Worklist:
    """One page of a worklist, in due order; `next` gives the following page (None: the last)."""

    items: tuple[WorkItem, ...]
    next: Cursor | None
    now: dt.datetime

    def count(self, mark: Mark) -> int:
        return sum(1 for item in self.items if item.mark == mark)


def scope_pairs(procedures: Iterable[Procedure], roles: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """The (procedure code, state) pairs where one of `roles` has an action, over every version."""
    pairs = {
        (proc.code, source)
        for proc in procedures
        for action in proc.actions
        if action.roles & roles
        for source in action.sources
    }
    return tuple(sorted(pairs))


def mark(d: Dossier, now: dt.datetime, calendar: WorkCalendar, near: int) -> Mark | None:
    """The due mark of `d` at `now` (see WorkItem)."""
    if d.due_at is None:
        return None
    if d.clock is not None and d.clock.paused_at is not None:
        return "paused"
    if d.due_at < now:
        return "overdue"
    tz = calendar.tz
    today = now.astimezone(tz).date()
    due_day = d.due_at.astimezone(tz).date()
    if due_day == today:
        return "due_today"
    if near > 0 and due_day <= calendar.add_working_days(today, near):
        return "near_due"
    return None
