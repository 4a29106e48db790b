"""Every store's period tally says what was known at the period's end (stores/tally.py).

The oracle is independent of the spans: the same dossier lives replayed on a fresh in-memory engine
with only the calls made before `end`, then each record classified as it stands. A store that kept a
span too few, closed one at the wrong moment or counted a dossier twice disagrees with it.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import sqlite3
from pathlib import Path

import lives
import pg_helpers
import pytest

import tthc_engine as te
from tthc_engine.records import ReportStatus
from tthc_engine.stores import SQLiteStore
from tthc_engine.stores.tally import DECIDED, Period, Span, Tally, TallyKey, statuses_from_trail, tally_spans

START = dt.datetime(2021, 1, 4, tzinfo=lives.VN)
LIVES = lives.random_lives(random.Random(20210104), 160, START, 40)
ENDS = [START + dt.timedelta(days=d, hours=h) for d, h in ((3, 2), (9, 10), (17, 8), (30, 15), (55, 0))]


@functools.cache
def _known_at(end: dt.datetime) -> tuple[ReportStatus, ...]:
    """The report status of every dossier received before `end`, from a replay of the calls before it."""
    engine = lives.engine_on()
    ids = lives.drive(engine, LIVES, before=end)
    return tuple(s for s in (ReportStatus.of(engine.get(i)) for i in ids) if s is not None)


@functools.cache
def _oracle(period: Period, key: TallyKey | None) -> Tally:
    """The tally of each dossier's status as the replay left it: one span each, since its receipt."""
    spans = [[Span(status.received_at, None, status)] for status in _known_at(period.end)]
    return tally_spans(spans, period, key)


@pytest.fixture
def driven(store: te.Store) -> te.Store:
    lives.drive(lives.engine_on(store), LIVES)
    return store


@pytest.mark.parametrize("key", [None, "agency", "channel"])
def test_tally_is_what_was_known_at_the_end(driven: te.Store, key: TallyKey | None) -> None:
    for end in ENDS:
        for start in (START, end - dt.timedelta(days=7)):
            period = Period(start, end)
            got = driven.tally(period, key)
            assert got == _oracle(period, key), (period, key)
    week = driven.tally(Period(ENDS[2] - dt.timedelta(days=7), ENDS[2]), key).rows
    assert any(r.carried for r in week) and any(r.carried < r.count for r in week)
    rows = driven.tally(Period(START, ENDS[-1])).rows
    assert sum(r.rated for r in rows) > 0 and sum(r.online_electronic for r in rows) > 0
    cells = {r.cell for r in driven.tally(Period(START, ENDS[2])).rows}
    assert {"early", "late", "within", "paused_within", "refused", "withdrawn", "cancelled"} <= cells


def test_every_counted_dossier_is_in_exactly_one_cell(driven: te.Store) -> None:
    engine = lives.engine_on()
    ids = lives.drive(engine, LIVES)
    received = [engine.get(i) for i in ids if engine.get(i).received_at is not None]
    tally = driven.tally(Period(START - dt.timedelta(days=1), ENDS[-1] + dt.timedelta(days=400)))
    assert sum(r.count for r in tally.rows) == len(received)
    assert sum(r.count for r in tally.rows if r.cell in DECIDED) == sum(m.count for m in tally.minutes)


def test_an_act_at_the_end_belongs_to_the_next_period(store: te.Store) -> None:
    engine = lives.engine_on(store)
    d = engine.submit(lives.HOUSEHOLD, actor=lives.ALL, at=START)
    at = START + dt.timedelta(hours=1)
    engine.act(d.id, "accept", actor=lives.ALL, at=at)
    assert store.tally(Period(START, at)).rows == ()
    (row,) = store.tally(Period(START, at + dt.timedelta(microseconds=1))).rows
    assert (row.cell, row.carried, row.count) == ("within", False, 1)


def test_spans_rebuilt_from_the_trail_are_the_spans_written() -> None:
    """What a schema upgrade rebuilds (statuses_from_trail) is what the commits wrote, but for the
    supplement count (rebuilt as the pauses) and processing times of earlier finishes."""
    memory = te.MemoryStore()
    engine = lives.engine_on(memory)
    lives.drive(engine, LIVES)
    for dossier_id, spans in memory._spans.items():
        rebuilt = statuses_from_trail(engine.get(dossier_id), engine.history(dossier_id))
        assert [c.at for c in rebuilt] == [s.since for s in spans]
        for change, span in zip(rebuilt, spans, strict=True):
            assert change.status is not None
            assert change.status.cell == span.status.cell and change.status.due_at == span.status.due_at
            assert change.status.appointment == span.status.appointment
            assert change.status.finished_at == span.status.finished_at


def _periods() -> list[Period]:
    return [Period(START, end) for end in ENDS] + [Period(end - dt.timedelta(days=7), end) for end in ENDS]


def test_sqlite_upgrade_rebuilds_the_spans_from_the_trails(tmp_path: Path) -> None:
    """A store written before spans existed (schema 4) gets them from its audit trails on upgrade,
    and its reports of past periods are what the commits would have written."""
    path = tmp_path / "v4.db"
    store = SQLiteStore(path)
    lives.drive(lives.engine_on(store), LIVES)
    written = [store.tally(p) for p in _periods()]
    store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE report_spans")
    conn.execute("DROP TABLE outbox")  # version 6, which came after
    conn.execute("DELETE FROM schema_migrations WHERE version >= 5")
    conn.close()
    upgraded = SQLiteStore(path)
    assert upgraded.schema_version == 6
    assert [upgraded.tally(p) for p in _periods()] == written
    upgraded.close()


@pytest.mark.postgres
def test_postgres_upgrade_rebuilds_the_spans_from_the_trails() -> None:
    store = pg_helpers.pg_store()
    lives.drive(lives.engine_on(store), LIVES)
    written = [store.tally(p, "agency") for p in _periods()]
    schema = store.schema
    store.close()
    import psycopg

    with psycopg.connect(pg_helpers.dsn_or_skip(), autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        conn.execute("DROP TABLE report_spans")
        conn.execute("DROP TABLE outbox")  # version 4, which came after
        conn.execute("DELETE FROM schema_migrations WHERE version >= 3")
    upgraded = pg_helpers.pg_store(schema=schema)
    assert upgraded.schema_version == 4
    assert [upgraded.tally(p, "agency") for p in _periods()] == written
    upgraded.close()


def test_a_back_dated_act_after_feedback_counts_the_dossier_once(store: te.Store) -> None:
    """Feedback and re-planning do not raise the time-order floor, so an act may be recorded after
    them at an earlier moment: the spans must still never overlap (a dossier in two cells)."""
    engine = lives.engine_on(store)
    d = engine.submit(lives.HOUSEHOLD, actor=lives.ALL, at=START)
    engine.act(d.id, "accept", actor=lives.ALL, at=START + dt.timedelta(hours=1))
    engine.record_feedback(
        d.id, te.Feedback(digitised=True), actor=lives.ALL, at=START + dt.timedelta(hours=3)
    )
    engine.act(d.id, "request_supplement", actor=lives.ALL, at=START + dt.timedelta(hours=2), note="Thiếu")
    for hours in (1.5, 2.5, 3.5, 30):
        tally = store.tally(Period(START, START + dt.timedelta(hours=hours)))
        assert sum(r.count for r in tally.rows) == 1, hours
    final = store.tally(Period(START, START + dt.timedelta(hours=30)))
    assert [(r.cell, r.digitised) for r in final.rows] == [("paused_within", 1)]
