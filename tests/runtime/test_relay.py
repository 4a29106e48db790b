"""Engine.relay: outbox events delivered in order, acknowledged once delivered, a failure reported
and retried after the lease; the outbox events are the events in-process handlers receive."""

from __future__ import annotations

import datetime as dt
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import DESK, at, catalog

import tthc_engine as te

# tests/stores' PostgreSQL helpers, appended to the path so that this directory's modules still win
sys.path.append(str(Path(__file__).resolve().parents[1] / "stores"))
import pg_helpers

T = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # the recording clock: tests never read the wall clock


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, calendar: te.WorkCalendar, tmp_path: Path) -> Iterator[te.Engine]:
    schema = None
    store: te.Store
    if request.param == "memory":
        store = te.MemoryStore(outbox=True)
    elif request.param == "sqlite":
        store = te.SQLiteStore(tmp_path / "r.db", outbox=True)
    else:
        schema = f"{pg_helpers.RUN}_relay_{time.monotonic_ns()}"
        store = pg_helpers.pg_store(schema=schema, outbox=True)
    yield te.Engine(
        catalog(), calendar=calendar, store=store, guards={"documents_checked": bool}, clock=lambda: T
    )
    store.close()
    if schema is not None:
        import psycopg

        with psycopg.connect(pg_helpers.dsn_or_skip(), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _three_acts(engine: te.Engine) -> te.Dossier:
    d = engine.submit("9.999001", actor=DESK, at=at("2025-03-03 08:00"), channel="direct")
    engine.act(d.id, "accept", actor=DESK, at=at("2025-03-03 08:00"))
    return engine.act(d.id, "assign", actor=DESK, at=at("2025-03-03 08:10"))


def test_relay_delivers_what_handlers_receive_in_order(engine: te.Engine) -> None:
    """Every committed event reaches `deliver` once, in order, with the handlers' kinds."""
    handled: list[tuple[str, str]] = []
    engine.subscribe("*", lambda e: handled.append((f"{e.dossier.id}:{e.entry.sequence}", e.kind)))
    a, b = _three_acts(engine), _three_acts(engine)
    got: list[te.OutboxEvent] = []
    report = engine.relay(got.append, worker="r1")
    assert report.ok and report.claimed == report.acknowledged == 6
    assert [(e.id, e.event) for e in got] == handled
    assert [e.id for e in got if e.dossier_id == a.id] == [f"{a.id}:{n}" for n in (1, 2, 3)]
    assert got[-1].data()["hash"] == engine.history(b.id)[-1].hash
    assert engine.store.outbox_backlog() == 0
    assert engine.relay(got.append, worker="r1").claimed == 0


def test_a_failed_delivery_stops_its_dossier_and_is_retried(
    engine: te.Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """The failure is reported and logged; the dossier's later events wait; other dossiers go on;
    after the lease the failed event comes again, first, with the rest of its dossier."""
    a, b = _three_acts(engine), _three_acts(engine)
    got: list[str] = []

    def deliver(event: te.OutboxEvent) -> None:
        if event.id == f"{a.id}:2":
            raise ConnectionError("broker unreachable")
        got.append(event.id)

    with caplog.at_level(logging.ERROR, logger="tthc_engine.relay"):
        report = engine.relay(deliver, worker="r1", lease=dt.timedelta(seconds=0.3))
    assert report.failures == ((f"{a.id}:2", "ConnectionError: broker unreachable"),)
    assert report.skipped == 1 and report.acknowledged == 4 and not report.ok
    assert got == [f"{a.id}:1", *(f"{b.id}:{n}" for n in (1, 2, 3))]
    assert "broker unreachable" in caplog.text
    assert engine.relay(got.append, worker="r2").claimed == 0  # still leased to r1
    time.sleep(0.4)
    retried: list[te.OutboxEvent] = []
    again = engine.relay(retried.append, worker="r2")
    assert [e.id for e in retried] == [f"{a.id}:2", f"{a.id}:3"] and again.ok
    assert [e.attempts for e in retried] == [2, 2]


def test_relay_on_a_store_without_outbox_names_the_fix(calendar: te.WorkCalendar) -> None:
    engine = te.Engine(catalog(), calendar=calendar, guards={"documents_checked": bool})
    with pytest.raises(te.ConfigurationError, match="outbox=True"):
        engine.relay(print)
