"""The SQL of the desk's queries, shared by SQLiteStore and PostgresStore.

Both keep the same typed columns beside the record body (stores/migrations.py v4,
stores/pg_migrations.py v2): `due_key` (the due moment, or queries.NO_DUE when there is none, so
keyset pagination on (due_key, id) never meets a NULL), `received_at`, `outcome`, `channel`,
`agency` (of the open step), `assignee`. Only the placeholder and the form of a moment differ
(SQLite: fixed-width UTC text, PostgreSQL: timestamptz), so each store passes its own.

The worklist is one branch per (procedure, state) pair, each ordered and limited on the index
(procedure_code, state, due_key, id) WHERE outcome IS NULL, merged by the outer ORDER BY: written as
`state IN (…)` the database would have to sort every matching row (docs/stores.md, EXPLAIN).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tthc_engine.stores.queries import Cursor, Filter, Order, WorkScope, check_group, cursor_key, periods

Moment = Callable[[dt.datetime], object]
Query = tuple[str, tuple[object, ...]]


def _in(column: str, values: tuple[str, ...], ph: str) -> str:
    return f"{column} IN ({', '.join([ph] * len(values))})"


def where(f: Filter, ph: str, moment: Moment) -> Query:
    """The WHERE clause (without the keyword; "1 = 1" for no criterion) of a filter."""
    parts: list[str] = []
    params: list[object] = []
    if f.states:
        parts.append(_in("state", f.states, ph))
        params += f.states
    if f.procedures:
        parts.append(_in("procedure_code", f.procedures, ph))
        params += f.procedures
    for column, value in (
        ("agency", f.agency), ("receiving_agency", f.receiving_agency), ("channel", f.channel),
        ("assignee", f.assignee),
    ):  # fmt: skip
        if value is not None:
            parts.append(f"{column} = {ph}")
            params.append(value)
    for name, lo, hi in periods(f, "received_at", "finished_at"):
        for bound, op in ((lo, ">="), (hi, "<")):
            if bound is not None:
                parts.append(f"{name} {op} {ph}")
                params.append(moment(bound))
    if f.open_only:
        parts.append("outcome IS NULL")
    return " AND ".join(parts) or "1 = 1", tuple(params)


def _after(order: Order, after: Cursor | None, ph: str, moment: Moment) -> Query:
    if after is None:
        return "", ()
    column = "due_key" if order == "due" else "received_at"
    key, dossier_id = cursor_key(after, order)
    return f" AND ({column}, id) > ({ph}, {ph})", (moment(key), dossier_id)


def listing(f: Filter, order: Order, after: Cursor | None, limit: int, ph: str, moment: Moment) -> Query:
    """One page (limit + 1 rows: the extra one says there is a next page) of `f` in `order`."""
    clause, params = where(f, ph, moment)
    column = "due_key" if order == "due" else "received_at"
    if order == "received":
        clause += " AND received_at IS NOT NULL"
    more, more_params = _after(order, after, ph, moment)
    return (
        f"SELECT id, body FROM dossiers WHERE {clause}{more} ORDER BY {column}, id LIMIT {ph}",
        (*params, *more_params, limit + 1),
    )


def count(f: Filter, ph: str, moment: Moment) -> Query:
    clause, params = where(f, ph, moment)
    return f"SELECT count(*) FROM dossiers WHERE {clause}", params


def count_by(group: str, f: Filter, ph: str, moment: Moment) -> Query:
    check_group(group)  # the column name goes into the SQL: only known ones
    clause, params = where(f, ph, moment)
    return f"SELECT {group}, count(*) FROM dossiers WHERE {clause} GROUP BY {group}", params


def worklist(scope: WorkScope, after: Cursor | None, limit: int, ph: str, moment: Moment) -> Query:
    """The worklist page (limit + 1 rows). The personal inbox (assigned_only) is one range of the
    (assignee, due_key, id) index; the desk's worklist one branch per pair, merged."""
    more, more_params = _after("due", after, ph, moment)
    if not scope.pairs:
        return f"SELECT id, body FROM dossiers WHERE 1 = 0 LIMIT {ph}", (0,)
    if scope.assigned_only:
        pairs = " OR ".join([f"(procedure_code = {ph} AND state = {ph})"] * len(scope.pairs))
        return (
            f"SELECT id, body FROM dossiers WHERE outcome IS NULL AND assignee = {ph} AND ({pairs})"
            f"{more} ORDER BY due_key, id LIMIT {ph}",
            (scope.actor_id, *(v for pair in scope.pairs for v in pair), *more_params, limit + 1),
        )
    branch = (
        f"SELECT * FROM (SELECT id, body, due_key FROM dossiers WHERE outcome IS NULL "
        f"AND procedure_code = {ph} AND state = {ph} AND (assignee IS NULL OR assignee = {ph}){more} "
        f"ORDER BY due_key, id LIMIT {ph}) AS b{{n}}"
    )
    branches = " UNION ALL ".join(branch.format(n=n) for n in range(len(scope.pairs)))
    params: list[object] = []
    for code, state in scope.pairs:
        params += (code, state, scope.actor_id, *more_params, limit + 1)
    return (
        f"SELECT id, body FROM ({branches}) AS w ORDER BY due_key, id LIMIT {ph}",
        (*params, limit + 1),
    )
