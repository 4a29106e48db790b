"""The SQL of period tallies and report-status spans, shared by SQLiteStore and PostgreSQL.

Both keep the table `report_spans` (stores/migrations.py v5, stores/pg_migrations.py v3): one row
per span [since, until) of a dossier's report status (stores/tally.py), with the dossier's identity
on every row so that a tally is one pass over one table. The cell is stored when it is fixed at
the span's start (finished, paused); for a running clock it is the CASE below, against the report's
end — the rule `ReportStatus.at_end` states in Python, which the shared contract suite holds the
stores to. Only the placeholder and the form of a moment differ (SQLite: fixed-width UTC text,
PostgreSQL: timestamptz), so each store passes its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from tthc_engine.records import ReportStatus
from tthc_engine.stores.sql_queries import Moment, Query
from tthc_engine.stores.tally import DECIDED, Period, SpanChange, TallyKey, check_key

SPAN_COLUMNS = (
    "dossier_id", "since", "received_at", "procedure_code", "procedure_version", "receiving_agency",
    "channel", "kind", "cell", "appointment", "due_at", "appointment_at", "finished_at", "outcome",
    "worked_minutes", "supplement_requests", "electronic_result", "paid_online", "digitised", "rating",
)  # fmt: skip

_KEYS = {None: "NULL", "agency": "receiving_agency", "channel": "channel"}
_PROCEDURE = "procedure_code || '@' || procedure_version"
# the span holding at the end (begun before it, not ended before it) of a dossier counted in the
# period (received before its end, not finished before its start)
_HOLDS = "since < {ph} AND (until IS NULL OR until >= {ph})"


def _maybe(moment: Moment, value: object) -> object:
    return None if value is None else moment(value)  # type: ignore[arg-type]


def close_open(dossier_id: str, change: SpanChange, ph: str, moment: Moment) -> Query:
    """Close the dossier's open span at the change's moment."""
    return (
        f"UPDATE report_spans SET until = {ph} WHERE dossier_id = {ph} AND until IS NULL",
        (moment(change.at), dossier_id),
    )


def insert(dossier_id: str, change: SpanChange, ph: str, moment: Moment) -> Query:
    """Open the new span of `change` (which has a status)."""
    s: ReportStatus | None = change.status
    assert s is not None
    values = (
        dossier_id, moment(change.at), moment(s.received_at), s.procedure_code, s.procedure_version,
        s.receiving_agency, s.channel, s.kind, s.cell, s.appointment, _maybe(moment, s.due_at),
        _maybe(moment, s.appointment_at), _maybe(moment, s.finished_at), s.outcome, s.worked_minutes,
        s.supplement_requests, int(s.electronic_result), int(s.paid_online), int(s.digitised), s.rating,
    )  # fmt: skip
    columns = ", ".join(SPAN_COLUMNS)
    return f"INSERT INTO report_spans ({columns}) VALUES ({', '.join([ph] * len(values))})", values


def cells(period: Period, key: TallyKey | None, ph: str, moment: Moment) -> Query:
    """The cell counts of the period: (key, procedure, carried, cell, appointment, channel, repeated,
    count)."""
    check_key(key)  # the key's column goes into the SQL: only known ones
    start, end = moment(period.start), moment(period.end)
    holds = _HOLDS.format(ph=ph)
    return (
        f"SELECT {_KEYS[key]} AS k, {_PROCEDURE} AS p, "
        f"CASE WHEN received_at < {ph} THEN 1 ELSE 0 END AS carried, "
        f"COALESCE(cell, CASE WHEN due_at IS NULL OR due_at >= {ph} THEN 'within' ELSE 'overdue' END) AS c, "
        f"COALESCE(appointment, CASE WHEN appointment_at IS NULL OR appointment_at >= {ph} "
        "THEN 'within' ELSE 'overdue' END) AS m, "
        "channel, CASE WHEN supplement_requests > 1 THEN 1 ELSE 0 END AS repeated, count(*), "
        "sum(electronic_result), sum(paid_online), sum(digitised), count(rating), sum(rating) "
        f"FROM report_spans WHERE {holds} AND received_at < {ph} "
        f"AND (finished_at IS NULL OR finished_at >= {ph}) GROUP BY 1, 2, 3, 4, 5, 6, 7",
        (start, end, end, end, end, end, start),
    )


def minutes(period: Period, key: TallyKey | None, ph: str, moment: Moment) -> Query:
    """The processing-time histogram of the dossiers decided in the period: (key, procedure, minutes,
    count)."""
    check_key(key)
    start, end = moment(period.start), moment(period.end)
    decided = ", ".join(f"'{c}'" for c in DECIDED)
    return (
        f"SELECT {_KEYS[key]} AS k, {_PROCEDURE} AS p, worked_minutes, count(*) FROM report_spans "
        f"WHERE {_HOLDS.format(ph=ph)} AND finished_at >= {ph} AND finished_at < {ph} "
        f"AND cell IN ({decided}) AND worked_minutes IS NOT NULL GROUP BY 1, 2, 3",
        (end, end, start, end),
    )


def one_pass(period: Period, key: TallyKey | None, ph: str, moment: Moment) -> Query:
    """`cells` and `minutes` in one pass over the table, for SQLite (which aggregates by sorting:
    one sort of the spans holding at the end instead of two; benchmarks/bench_report.py): rows
    (key, procedure, carried, cell, appointment, channel, repeated, minutes, count, and the five
    feedback sums of `cells`) that `split`
    turns into the rows of the two. `minutes` is the processing time of a dossier decided in the
    period (else NULL); `carried` is NULL for a span only the histogram counts (received after the
    end yet decided before it: none in practice, kept so that both answers stay exactly those of
    `cells` and `minutes`). Grouped by the procedure's two columns rather than their text, and
    without the constant NULL key: the sort compares fewer, shorter fields."""
    check_key(key)
    start, end = moment(period.start), moment(period.end)
    decided = ", ".join(f"'{c}'" for c in DECIDED)
    group = "procedure_code, procedure_version, carried, c, m, channel, repeated, w"
    return (
        f"SELECT {_KEYS[key]} AS k, {_PROCEDURE} AS p, "
        f"CASE WHEN received_at < {ph} THEN 1 WHEN received_at < {ph} THEN 0 END AS carried, "
        f"COALESCE(cell, CASE WHEN due_at IS NULL OR due_at >= {ph} THEN 'within' ELSE 'overdue' END) AS c, "
        f"COALESCE(appointment, CASE WHEN appointment_at IS NULL OR appointment_at >= {ph} "
        "THEN 'within' ELSE 'overdue' END) AS m, "
        "channel, CASE WHEN supplement_requests > 1 THEN 1 ELSE 0 END AS repeated, "
        f"CASE WHEN finished_at < {ph} AND cell IN ({decided}) THEN worked_minutes END AS w, count(*), "
        "sum(electronic_result), sum(paid_online), sum(digitised), count(rating), sum(rating) "
        f"FROM report_spans WHERE {_HOLDS.format(ph=ph)} AND (finished_at IS NULL OR finished_at >= {ph}) "
        f"AND (received_at < {ph} OR finished_at < {ph}) "
        f"GROUP BY {f'{_KEYS[key]}, {group}' if key == 'agency' else group}",  # channel is in `group`
        (start, end, end, end, end, end, end, start, end, end),
    )


def split(rows: Iterable[Sequence[Any]]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rows of `one_pass` as those of `cells` and of `minutes` (tally_of's two inputs)."""
    cells: dict[tuple[Any, ...], list[int]] = {}
    minutes: Counter[tuple[Any, ...]] = Counter()
    for k, p, carried, c, m, channel, repeated, w, n, *said in rows:
        if carried is not None:
            sums = cells.setdefault((k, p, carried, c, m, channel, repeated), [0] * 6)
            for i, value in enumerate((n, *said)):
                sums[i] += int(value or 0)
        if w is not None:
            minutes[(k, p, w)] += n
    return [(*r, *n) for r, n in cells.items()], [(*r, n) for r, n in minutes.items()]
