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
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from tthc_engine.records import ReportStatus
from tthc_engine.stores.sql_queries import Moment, Query
from tthc_engine.stores.tally import DECIDED, PROGRESS_ON_TIME, Period, SpanChange, TallyKey, check_key

SPAN_COLUMNS = (
    "dossier_id", "since", "received_at", "procedure_code", "procedure_version", "receiving_agency",
    "channel", "kind", "cell", "appointment", "due_at", "appointment_at", "finished_at", "outcome",
    "worked_minutes", "supplement_requests", "electronic_result", "paid_online", "digitised", "rating",
)  # fmt: skip

_KEYS = {None: "NULL", "agency": "receiving_agency", "channel": "channel"}

# the span holding at the end (begun before it, not ended before it) of a dossier counted in the
# period (received before its end, not finished before its start)
_HOLDS = "since < {ph} AND (until IS NULL OR until >= {ph})"


def _maybe(moment: Moment, value: object) -> object:
    return None if value is None else moment(value)  # type: ignore[arg-type]


def close_open(dossier_id: str, change: SpanChange, ph: str, moment: Moment) -> Query:
    """Close the dossier's open span at the change's moment — or at its own start when the change
    is earlier (an act recorded, back-dated, after feedback or a re-planning, which do not raise the
    time-order floor): spans never overlap, so no dossier is ever in two cells. RETURNING the span's
    start, which `insert` takes as the floor of the new span's."""
    at = moment(change.at)
    return (
        f"UPDATE report_spans SET until = CASE WHEN since > {ph} THEN since ELSE {ph} END "
        f"WHERE dossier_id = {ph} AND until IS NULL RETURNING since",
        (at, at, dossier_id),
    )


def insert(dossier_id: str, change: SpanChange, ph: str, moment: Moment, floor: object = None) -> Query:
    """Open the new span of `change` (which has a status), from the change's moment or `floor`
    (the start of the span just closed), whichever is later."""
    s: ReportStatus | None = change.status
    assert s is not None
    since = moment(change.at)
    if floor is not None and floor > since:  # type: ignore[operator]  # both text keys, or both moments
        since = floor
    values = (
        dossier_id, since, moment(s.received_at), s.procedure_code, s.procedure_version,
        s.receiving_agency, s.channel, s.kind, s.cell, s.appointment, _maybe(moment, s.due_at),
        _maybe(moment, s.appointment_at), _maybe(moment, s.finished_at), s.outcome, s.worked_minutes,
        s.supplement_requests, int(s.electronic_result), int(s.paid_online), int(s.digitised), s.rating,
    )  # fmt: skip
    columns = ", ".join(SPAN_COLUMNS)
    return f"INSERT INTO report_spans ({columns}) VALUES ({', '.join([ph] * len(values))})", values


def write_change(execute: Callable[[str, tuple[object, ...]], Any], dossier_id: str, change: SpanChange,
                 ph: str, moment: Moment) -> None:  # fmt: skip
    """The two statements of a span change on one connection (`execute(sql, params)` returns a
    cursor): the SQL stores and their migrations write spans through this one function."""
    row = execute(*close_open(dossier_id, change, ph, moment)).fetchone()
    if change.status is not None:
        execute(*insert(dossier_id, change, ph, moment, None if row is None else row[0]))


def tally(period: Period, key: TallyKey | None, ph: str, moment: Moment) -> Query:
    """The period in one pass over the table: rows (key, code, version, cell, appointment, minutes,
    *ROW_COUNTS), where `minutes` is the processing time of the dossiers decided in the period (NULL
    for the others); `split` turns them into the cell rows and the histogram. One pass, because a
    store aggregates by scanning and sorting: grouped only by what a row names, summed for the rest
    (tally.TallyRow says why; benchmarks/bench_report.py measures it)."""
    check_key(key)  # the key's column goes into the SQL: only known ones
    start, end = moment(period.start), moment(period.end)
    measure = (
        f"COALESCE(appointment, CASE WHEN appointment_at IS NULL OR appointment_at >= {ph} "
        "THEN 'within' ELSE 'overdue' END)"
    )
    decided = ", ".join(f"'{c}'" for c in DECIDED)
    return (
        f"SELECT {_KEYS[key]} AS k, procedure_code, procedure_version, "
        f"COALESCE(cell, CASE WHEN due_at IS NULL OR due_at >= {ph} THEN 'within' ELSE 'overdue' END) AS c, "
        f"{measure} AS m, CASE WHEN cell IN ({decided}) THEN worked_minutes END AS w, count(*), "
        f"sum(CASE WHEN received_at < {ph} THEN 1 ELSE 0 END), "
        "sum(CASE WHEN channel = 'postal' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN channel = 'online' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN supplement_requests > 1 THEN 1 ELSE 0 END), "
        "sum(CASE WHEN channel = 'online' THEN electronic_result ELSE 0 END), "
        "sum(paid_online), sum(digitised), count(rating), sum(rating) "
        f"FROM report_spans WHERE {_HOLDS.format(ph=ph)} AND received_at < {ph} "
        f"AND (finished_at IS NULL OR finished_at >= {ph}) GROUP BY 1, 2, 3, 4, 5, 6",
        (end, end, start, end, end, end, start),
    )


def split(rows: Iterable[Sequence[Any]]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rows of `tally` as tally_of's two inputs: the cell rows (summed over minutes, with the
    counts the SQL leaves to arithmetic: direct = count − postal − online, and progress = the rows
    asked at most once when the appointment measure, a grouping column, is on time) and the
    processing-time histogram."""
    cells: dict[tuple[Any, ...], list[int]] = {}
    minutes: Counter[tuple[Any, ...]] = Counter()
    for k, code, version, c, m, w, count, carried, postal, online, repeated, *said in rows:
        count, postal, online, repeated = int(count), int(postal or 0), int(online or 0), int(repeated or 0)
        progress = count - repeated if m in PROGRESS_ON_TIME else 0
        direct = count - postal - online
        values = (count, int(carried or 0), direct, postal, online, repeated, progress, *said)
        sums = cells.setdefault((k, code, version, c, m), [0] * len(values))
        for i, value in enumerate(values):
            sums[i] += int(value or 0)
        if w is not None:
            minutes[(k, code, version, w)] += count
    return [(*r, *n) for r, n in cells.items()], [(*r, n) for r, n in minutes.items()]
