"""Period tallies: what every store answers for a report, and the report-status spans behind them.

A report of [start, end) counts each dossier as it stood at `end` (records/status.py). Every store
keeps, with each commit, the history of its dossiers' report status as spans [since, until): when a
commit changes what a report would say, the open span of the dossier closes at the moment of the
change and a new one opens (`span_change`). A tally reads, for each dossier received before `end`,
the one span that holds at `end`, and counts it in one cell — in SQL in the durable stores
(stores/sql_tally.py), never by loading records.

Why spans and not the current record: a report of last quarter must say what was known at its end
(a dossier in progress then and resolved since is "in progress" in that report), and the audit trail
is the only truth of the past; the spans are its projection, written in the same transaction as the
entries that explain them and rebuilt from the trail when a schema is upgraded
(`statuses_from_trail`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import attrs

from tthc_engine.audit.entry import AuditEntry
from tthc_engine.errors import ConfigurationError
from tthc_engine.records import Cell, Dossier, Measure, ReportStatus
from tthc_engine.records.status import Identity
from tthc_engine.stores.base import Commit

# What a tally can be keyed by besides the procedure: the agency that received the dossier or its
# channel. Every row also names its procedure (code@version): field, level and online-service kind
# are properties of the procedure, so a report groups by them by merging rows (reporting/report.py).
TallyKey = Literal["agency", "channel"]
TALLY_KEYS: tuple[TallyKey, ...] = ("agency", "channel")


@attrs.frozen
class Period:
    """The half-open period [start, end) of a report: received from `start`, as known at `end`."""

    start: dt.datetime
    end: dt.datetime

    def __attrs_post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ConfigurationError(
                f"report period {self.start!r} – {self.end!r}: give time-zone aware moments "
                "(Asia/Ho_Chi_Minh by default in Engine.report)"
            )
        if self.end <= self.start:
            raise ConfigurationError(
                f"report period from {self.start.isoformat()} to {self.end.isoformat()}: the end must be "
                "after the start (the period is [start, end))"
            )


# The counts a tally row carries, in the order the SQL stores select them (stores/sql_tally.py): how
# many dossiers, and of them how many were carried over, came by each channel, were asked to
# supplement more than once, were on time for Decision 766's progress indicator (by the appointment,
# asked at most once), and what the host said of them (records/feedback.py).
ROW_COUNTS = (
    "count", "carried", "direct", "postal", "online", "repeated", "progress", "online_electronic",
    "paid_online", "digitised", "rated", "rating_points",
)  # fmt: skip
# the appointment measures that are "on time" for the progress indicator of Decision 766/QĐ-TTg
PROGRESS_ON_TIME = ("early", "on_time", "within")


@attrs.frozen
class TallyRow:
    """The dossiers of one key and procedure in one cell at the period's end, with their counts.

    `key` is the agency code or the channel (None: no value, or no key asked); `procedure` is
    "code@version"; `cell` the report column by the legal due moment, `appointment` the measure by
    the appointment. Why counts rather than more grouping columns: a store aggregates by sorting,
    and every grouping column multiplies the groups it sorts into (benchmarks/bench_report.py)."""

    key: str | None
    procedure: str
    cell: Cell
    appointment: Measure
    count: int
    carried: int = 0
    direct: int = 0
    postal: int = 0
    online: int = 0
    repeated: int = 0
    progress: int = 0
    online_electronic: int = 0
    paid_online: int = 0
    digitised: int = 0
    rated: int = 0
    rating_points: int = 0


def row_counts(s: ReportStatus, measure: Measure, start: dt.datetime) -> tuple[int, ...]:
    """The ROW_COUNTS of one dossier (MemoryStore; the SQL stores sum the same CASEs)."""
    repeated = s.supplement_requests > 1
    online = s.channel == "online"
    return (
        1, int(s.received_at < start), int(s.channel not in ("postal", "online")), int(s.channel == "postal"),
        int(online), int(repeated), int(not repeated and measure in PROGRESS_ON_TIME),
        int(online and s.electronic_result), int(s.paid_online), int(s.digitised), int(s.rating is not None),
        s.rating or 0,
    )  # fmt: skip


@attrs.frozen
class MinutesRow:
    """How many dossiers of one key decided in the period (resolved or refused) took `minutes`
    working minutes (records/status.py MINUTES_PER_DAY a day): a histogram, so that the average,
    median and percentiles are exact without sending one row per dossier."""

    key: str | None
    procedure: str
    minutes: int
    count: int


@attrs.frozen
class Tally:
    """A store's answer for a period: the cell counts and the processing-time histogram."""

    rows: tuple[TallyRow, ...]
    minutes: tuple[MinutesRow, ...]


# the cells of a decision the processing time is measured for
DECIDED: tuple[Cell, ...] = ("early", "on_time", "late", "refused")


def check_key(key: str | None) -> None:
    """Refuse a key the stores cannot group by (its column goes into the SQL)."""
    if key is not None and key not in TALLY_KEYS:
        raise ConfigurationError(f"Store.tally(key={key!r}): key by one of {', '.join(TALLY_KEYS)} or None")


def key_of(status: ReportStatus, key: TallyKey | None) -> str | None:
    if key is None:
        return None
    return status.receiving_agency if key == "agency" else status.channel


@attrs.frozen
class SpanChange:
    """What a commit does to a dossier's spans: close the open one at `at` and open `status`
    (None: no new span — the dossier left the reports, which only a rewrite of history could do)."""

    at: dt.datetime
    status: ReportStatus | None


# the record fields ReportStatus.of reads (records/status.py); the act plan copies an unchanged
# field as the same object (Dossier.replace), so identity says "unchanged" without building statuses
_STATUS_FIELDS = (
    "received_at", "due_at", "appointment_at", "finished_at", "outcome", "timeliness", "clock",
    "procedure_code", "procedure_version", "receiving_agency", "channel", "worked_minutes",
    "supplement_requests", "feedback",
)  # fmt: skip


def _unchanged(old: Dossier, new: Dossier) -> bool:
    mine, theirs = old.__dict__, new.__dict__
    return all(mine[name] is theirs[name] for name in _STATUS_FIELDS)


def span_change(commit: Commit) -> SpanChange | None:
    """The span change `commit` makes, or None when what a report says does not change (most
    acts: an assignment, a hand-over between officers). Without the record it replaces
    (`commit.previous`, or one of another version) the new status is written in any case: a span
    too many says nothing wrong, one missing would."""
    previous = commit.previous
    if previous is not None and previous.version == commit.expected_version:
        if _unchanged(previous, commit.dossier):
            return None  # the common act: none of the fields a status reads is a new object
        new = ReportStatus.of(commit.dossier)
        if ReportStatus.of(previous) == new:
            return None
    else:
        new = ReportStatus.of(commit.dossier)
        if commit.expected_version == 0 and new is None:
            return None  # lodged, not received: no span yet
    at = commit.entries[-1].at if commit.entries else commit.dossier.last_event_at
    return SpanChange(at, new)


@attrs.frozen
class Span:
    """One stored span [since, until) of a dossier's report status (until None: open)."""

    since: dt.datetime
    until: dt.datetime | None
    status: ReportStatus


def apply_change(spans: list[Span], change: SpanChange) -> None:
    """`change` applied to one dossier's spans in place (MemoryStore; the SQL stores run the same
    two statements: stores/sql_tally.write_change). A change earlier than the open span's start (an
    act back-dated after feedback or a re-planning, which do not raise the time-order floor) takes
    effect at that start: spans never overlap, so no dossier is ever counted in two cells."""
    at = change.at
    if spans and spans[-1].until is None:
        at = max(at, spans[-1].since)
        spans[-1] = attrs.evolve(spans[-1], until=at)
    if change.status is not None:
        spans.append(Span(at, None, change.status))


def holding_at(spans: Sequence[Span], end: dt.datetime) -> Span | None:
    """The span that holds at `end`: begun before it and not ended before it (an act at exactly
    `end` belongs to the next period)."""
    for span in reversed(spans):
        if span.since < end and (span.until is None or span.until >= end):
            return span
    return None


def counted(span: Span | None, period: Period) -> bool:
    """Whether the dossier of `span` belongs in the period's report: received before its end and
    not finished before its start."""
    if span is None:
        return False
    s = span.status
    return s.received_at < period.end and (s.finished_at is None or s.finished_at >= period.start)


def tally_spans(spans: Iterable[Sequence[Span]], period: Period, key: TallyKey | None) -> Tally:
    """The tally of every dossier's spans (MemoryStore's; the SQL stores compute the same in SQL and
    the shared contract suite holds them to it)."""
    check_key(key)
    cells: dict[tuple[str | None, str, str, Cell, Measure], list[int]] = {}
    minutes: Counter[tuple[str | None, str, str, int]] = Counter()
    for one in spans:
        span = holding_at(one, period.end)
        if span is None or not counted(span, period):
            continue
        s = span.status
        k = key_of(s, key)
        cell, measure = s.at_end(period.end)
        sums = cells.setdefault(
            (k, s.procedure_code, s.procedure_version, cell, measure), [0] * len(ROW_COUNTS)
        )
        for i, value in enumerate(row_counts(s, measure, period.start)):
            sums[i] += value
        if cell in DECIDED and s.worked_minutes is not None:
            minutes[(k, s.procedure_code, s.procedure_version, s.worked_minutes)] += 1
    return tally_of([(*k, *n) for k, n in cells.items()], [(*k, n) for k, n in minutes.items()])


def tally_of(cells: Iterable[Sequence[Any]], minutes: Iterable[Sequence[Any]]) -> Tally:
    """A Tally from result rows (key, code, version, cell, appointment, *ROW_COUNTS) and (key, code,
    version, minutes, count), in one order whatever the store (so that tallies compare equal)."""
    rows = sorted(
        (
            TallyRow(k, f"{code}@{version}", c, m, *(int(v or 0) for v in counts))
            for k, code, version, c, m, *counts in cells
        ),
        key=lambda r: (r.key is None, r.key or "", r.procedure, r.cell, r.appointment),
    )
    hist = sorted(
        (MinutesRow(k, f"{code}@{version}", int(m), int(n)) for k, code, version, m, n in minutes),
        key=lambda r: (r.key is None, r.key or "", r.procedure, r.minutes),
    )
    return Tally(tuple(rows), tuple(hist))


def statuses_from_trail(d: Dossier, entries: Sequence[AuditEntry]) -> list[SpanChange]:
    """The span changes a dossier's audit trail implies, rebuilt when a store is upgraded to keep
    spans (stores/migrations.py v5, stores/pg_migrations.py v3). Every change of the fields a
    status reads is written into the entry of the act that made it (received, due and appointment
    moments, the clock's pause, finish, outcome, timeliness: records/consistency.py folds the same),
    so folding the trail gives the status after each entry, and a span opens wherever it changes.
    Two things the trail never recorded are rebuilt as well as it allows: the processing time of
    a dossier finished before the upgrade is the record's (only its last finish is known), and the
    supplement requests are counted as the pauses of the clock."""
    changes: list[SpanChange] = []
    moments: dict[str, dt.datetime | None] = dict.fromkeys(_FOLDED_MOMENTS)
    texts: dict[str, str | None] = {"outcome": None, "timeliness": None}
    said: dict[str, Any] = {}
    paused_at: dt.datetime | None = None
    pauses = 0
    previous: ReportStatus | None = None
    for e in entries:
        for name in _FOLDED_MOMENTS:
            change = e.clock.get(name)
            if isinstance(change, dict) and "to" in change:
                moments[name] = _moment(change["to"])
        for name in texts:
            change = e.clock.get(name)
            if isinstance(change, dict) and "to" in change:
                texts[name] = change["to"]
        started = e.clock.get("clock")
        paused = e.clock.get("clock.paused_at")
        if isinstance(started, dict) and isinstance(started.get("to"), dict):
            paused_at = _moment(started["to"].get("paused_at"))
        elif isinstance(paused, dict) and "to" in paused:
            paused_at = _moment(paused["to"])
            pauses += paused_at is not None
        if e.kind == "feedback":
            said.update(
                {k.removeprefix("feedback."): v["to"] for k, v in e.clock.items() if isinstance(v, dict)}
            )
        received = moments["received_at"]
        status = None
        if received is not None:
            finished = moments["finished_at"]
            status = ReportStatus.build(
                Identity(received, d.procedure_code, e.procedure_version, d.receiving_agency, d.channel),
                due_at=moments["due_at"], appointment_at=moments["appointment_at"], finished_at=finished,
                outcome=texts["outcome"], timeliness=texts["timeliness"], paused_at=paused_at,
                worked_minutes=d.worked_minutes if finished == d.finished_at else None,
                supplement_requests=pauses, feedback=said,
            )  # fmt: skip
        if status != previous:
            changes.append(SpanChange(e.at, status))
            previous = status
    return changes


_FOLDED_MOMENTS = ("received_at", "due_at", "appointment_at", "finished_at")


def _moment(text: object) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if isinstance(text, str) and text else None
