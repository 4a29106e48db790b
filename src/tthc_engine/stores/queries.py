"""The typed currency of a desk's queries and of sweep claims: filters, cursors, pages, incidents.

Why records instead of keyword arguments: every store answers the same questions (docs/stores.md,
"Queries"), and one frozen filter passed through the Store protocol keeps the three implementations
in step — a new criterion is one field here and one clause in each store, checked by mypy and by the
shared contract suite. Pages are keyset-paginated (the cursor is the last row's sort key), never
OFFSET: a desk paging through thousands of dossiers costs one index range per page, and a dossier
committed meanwhile shifts no page.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, TypeVar

import attrs

from tthc_engine.errors import ConfigurationError
from tthc_engine.records import Dossier

_T = TypeVar("_T")
Order = Literal["due", "received"]
GROUPS = ("state", "agency", "procedure_code", "channel", "receiving_agency", "assignee")
Group = Literal["state", "agency", "procedure_code", "channel", "receiving_agency", "assignee"]
# the sort key of a dossier without a due moment (not yet received): after every real one
NO_DUE = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


def _tuple(value: tuple[str, ...] | list[str] | str) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.frozen
class Filter:
    """Which dossiers a list or count covers; every criterion given must hold (empty = any).

    `open_only`: dossiers without an outcome. `finished_from` / `finished_before`: the half-open
    period in which the legal time ended (result ready, or a final outcome).
    `received_from` / `received_before`: the half-open receipt period [from, before) (a dossier never
    received is outside every period). `agency`: the agency of the open step (who holds it now);
    `receiving_agency`: who received it. `procedures`: procedure codes — a field (lĩnh vực) is the
    catalog's codes of that field (Engine.field_codes).
    """

    states: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    procedures: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    agency: str | None = None
    receiving_agency: str | None = None
    channel: str | None = None
    assignee: str | None = None
    received_from: dt.datetime | None = None
    received_before: dt.datetime | None = None
    open_only: bool = False
    finished_from: dt.datetime | None = None  # the legal time ended in [from, before)
    finished_before: dt.datetime | None = None


@attrs.frozen
class Cursor:
    """Where a page ended: the last row's sort moment (its due moment — None when it had none — or
    its receipt moment) and id. Pass it back as `after` for the next page."""

    moment: dt.datetime | None
    id: str

    @classmethod
    def after_row(cls, d: Dossier, order: Order) -> Cursor:
        return cls(d.due_at if order == "due" else d.received_at, d.id)


@attrs.frozen
class Page:
    """One page of dossiers in order; `next` is None on the last page."""

    items: tuple[Dossier, ...]
    next: Cursor | None


@attrs.frozen
class WorkScope:
    """What a worklist covers: the (procedure code, state) pairs in which the actor's roles have an
    action (Engine.worklist computes them from the catalog), and the actor: a dossier assigned to
    another officer is not in it."""

    pairs: tuple[tuple[str, str], ...]
    actor_id: str
    assigned_only: bool = False  # True: only dossiers assigned to the actor (the personal inbox)


@attrs.frozen
class Incident:
    """A dossier the sweep keeps failing on: recorded once and counted, not logged every sweep.

    `failures` counts the sweeps that failed on it since the first; `retry_at` is when a worker
    may claim it again (the backoff grows with the failures); it is removed when a sweep handles
    the dossier again."""

    dossier_id: str
    first_at: dt.datetime
    last_at: dt.datetime
    failures: int
    reason: str
    worker: str
    retry_at: dt.datetime


def check_group(group: str) -> None:
    """Refuse a group that is not a typed column (its name goes into the SQL)."""
    if group not in GROUPS:
        raise ConfigurationError(f"Store.count_by({group!r}): group by one of {', '.join(GROUPS)}")


def backoff(failures: int) -> dt.timedelta:
    """How long a failing dossier rests before it is claimed again: 1, 2, 4 … minutes, at most 1 h."""
    return dt.timedelta(minutes=min(60, 2 ** max(0, failures - 1)))


def due_key(d: Dossier) -> dt.datetime:
    return d.due_at if d.due_at is not None else NO_DUE


def agency_of(d: Dossier) -> str | None:
    """The agency of the open step (who holds the dossier now), None when no step is open."""
    if d.steps and d.steps[-1].finished_at is None:
        return d.steps[-1].agency
    return None


def matches(f: Filter, d: Dossier) -> bool:
    """Whether `d` is in `f` (MemoryStore's filter; the SQL stores say the same in WHERE clauses)."""
    if f.states and d.state not in f.states:
        return False
    if f.procedures and d.procedure_code not in f.procedures:
        return False
    if f.open_only and d.outcome is not None:
        return False
    for wanted, value in (
        (f.agency, agency_of(d)), (f.receiving_agency, d.receiving_agency), (f.channel, d.channel),
        (f.assignee, d.assignee),
    ):  # fmt: skip
        if wanted is not None and value != wanted:
            return False
    return all(_within(value, lo, hi) for value, lo, hi in periods(f, d.received_at, d.finished_at))


def periods(
    f: Filter, received: _T | None, finished: _T | None
) -> tuple[tuple[_T | None, dt.datetime | None, dt.datetime | None], ...]:
    """The filter's half-open periods with what each bounds: (value, from, before) for the receipt and
    the finish (a record's moments in MemoryStore, column names in the SQL stores)."""
    return ((received, f.received_from, f.received_before), (finished, f.finished_from, f.finished_before))


def _within(value: dt.datetime | None, lo: dt.datetime | None, hi: dt.datetime | None) -> bool:
    """Whether `value` is in [lo, hi) (no bound: anything; a bound but no value: outside)."""
    if lo is None and hi is None:
        return True
    return value is not None and (lo is None or value >= lo) and (hi is None or value < hi)


def in_scope(scope: WorkScope, d: Dossier) -> bool:
    if d.outcome is not None or (d.procedure_code, d.state) not in scope.pairs:
        return False
    if scope.assigned_only:
        return d.assignee == scope.actor_id
    return d.assignee is None or d.assignee == scope.actor_id


def sort_key(d: Dossier, order: Order) -> tuple[dt.datetime, str]:
    if order == "due":
        return due_key(d), d.id
    assert d.received_at is not None
    return d.received_at, d.id


def cursor_key(after: Cursor, order: Order) -> tuple[dt.datetime, str]:
    moment = after.moment if after.moment is not None else NO_DUE
    return moment, after.id
