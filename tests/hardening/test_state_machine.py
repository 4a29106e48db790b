"""Random dossier lives against every store, with the invariants checked after every step.

A Hypothesis state machine submits dossiers on the shipped procedures, takes any action the
engine offers (with the data it needs), records feedback, sweeps and lets time pass — on a
MemoryStore, a SQLiteStore and (with TTHC_TEST_POSTGRES_DSN) a PostgresStore. After every step:
each dossier has exactly one state of its procedure, its chain verifies and its record equals what
the chain says (Engine.verify), timeliness agrees with the due moment, the open report span is the
record's report status, the spans rebuilt from the trail are the spans written, and a report of
everything counts each received dossier exactly once.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

import tthc_engine as te
from tthc_engine.definition.model import CHANNELS
from tthc_engine.errors import TthcError
from tthc_engine.records import ReportStatus
from tthc_engine.sla import classify
from tthc_engine.stores.tally import Period, statuses_from_trail

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "stores"))
import pg_helpers

ROOT = Path(__file__).resolve().parents[2]
VN = dt.timezone(dt.timedelta(hours=7))
ALL = te.Actor("cb-1", {"reception", "specialist", "leader"})
DATA = {
    "household_name": "Hộ A", "business_lines": ["4711"], "household_registration_number": "H-1",
    "spouse_a_name": "A", "spouse_b_name": "B", "needs_verification": True, "verification_reason": "x",
}  # fmt: skip
CATALOG = te.Catalog.load(ROOT / "procedures")
CODES = ("1.001612", "1.000894", "2.000815")
T0 = dt.datetime(2025, 7, 1, 8, tzinfo=VN)
PROFILE = settings(
    max_examples=int(os.environ.get("TTHC_STATE_MACHINE_EXAMPLES", "40")), stateful_step_count=40,
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)  # fmt: skip


class Lives(RuleBasedStateMachine):
    """One engine; dossiers as a bundle; a clock that only moves forward."""

    dossiers = Bundle("dossiers")
    make_store: Any = staticmethod(te.MemoryStore)

    @initialize()
    def start(self) -> None:
        self.store = self.make_store()
        self.engine = te.Engine(CATALOG, store=self.store)
        self.now = T0
        self.ids: list[str] = []

    def teardown(self) -> None:
        self.store.close()

    @rule(target=dossiers, code=st.sampled_from(CODES), channel=st.sampled_from(CHANNELS))
    def submit(self, code: str, channel: str) -> str:
        proc = CATALOG.in_force(code, self.now.date())
        if channel not in proc.channels:
            channel = "direct"
        d = self.engine.submit(code, actor=ALL, at=self.now, channel=channel, data=DATA)
        self.ids.append(d.id)
        return d.id

    @rule(dossier=dossiers, pick=st.integers(0, 20))
    def act(self, dossier: str, pick: int) -> None:
        offered = self.engine.available_actions(dossier, ALL)
        if not offered:
            return
        action = offered[pick % len(offered)]
        d = self.engine.get(dossier)
        data: dict[str, Any] | None = None
        if action == "reschedule" and d.due_at is not None:
            data = {"new_appointment": (max(d.due_at, self.now) + dt.timedelta(days=3)).isoformat()}
        try:
            self.engine.act(dossier, action, actor=ALL, at=self.now, note="Ghi chú", data=data)
        except TthcError:  # a refusal (a clock rule, a sub-deadline policy) writes nothing
            assert self.engine.get(dossier).version == d.version

    @rule(minutes=st.sampled_from((5, 60, 240, 1440, 4320)))
    def wait(self, minutes: int) -> None:
        self.now += dt.timedelta(minutes=minutes)

    @rule()
    def sweep(self) -> None:
        self.engine.sweep(self.now)

    @rule(dossier=dossiers, rating=st.sampled_from((0, 1, 2)), electronic=st.booleans())
    def feedback(self, dossier: str, rating: int, electronic: bool) -> None:
        if self.engine.get(dossier).received_at is None:
            return
        self.engine.record_feedback(
            dossier, te.Feedback(rating=rating, electronic_result=electronic), actor=ALL, at=self.now
        )

    @invariant()
    def records_agree_with_their_chains(self) -> None:
        for dossier_id in self.ids:
            d = self.engine.get(dossier_id)
            assert d.state in {s.id for s in self.engine.procedure_of(d).states}
            self.engine.verify(dossier_id)
            if d.timeliness is not None:
                assert d.due_at is not None and d.finished_at is not None
                assert d.timeliness == classify(d.due_at, d.finished_at)
            trail = statuses_from_trail(d, self.engine.history(dossier_id))
            status = ReportStatus.of(d)
            assert (trail[-1].status if trail else None) is not None or status is None
            if trail and status is not None:
                rebuilt = trail[-1].status
                assert rebuilt is not None
                assert (rebuilt.cell, rebuilt.appointment, rebuilt.due_at, rebuilt.finished_at) == (
                    status.cell, status.appointment, status.due_at, status.finished_at,
                )  # fmt: skip

    @invariant()
    def a_report_of_everything_counts_each_received_dossier_once(self) -> None:
        if not getattr(self, "ids", None):
            return
        tally = self.store.tally(Period(T0 - dt.timedelta(days=1), self.now + dt.timedelta(days=3650)))
        received = sum(1 for i in self.ids if self.engine.get(i).received_at is not None)
        assert sum(r.count for r in tally.rows) == received
        at_now = self.store.tally(Period(T0 - dt.timedelta(days=1), self.now + dt.timedelta(microseconds=1)))
        cells = sorted((r.cell, r.count) for r in at_now.rows)
        expected: dict[str, int] = {}
        for dossier_id in self.ids:
            status = ReportStatus.of(self.engine.get(dossier_id))
            if status is not None:
                cell = status.at_end(self.now + dt.timedelta(microseconds=1))[0]
                expected[cell] = expected.get(cell, 0) + 1
        merged: dict[str, int] = {}
        for cell, count in cells:
            merged[cell] = merged.get(cell, 0) + count
        assert merged == expected


@PROFILE
class MemoryLives(Lives):
    pass


class SQLiteLives(Lives):
    @staticmethod
    def make_store() -> te.Store:
        import tempfile

        return te.SQLiteStore(Path(tempfile.mkdtemp(prefix="tthc-sm-")) / "sm.db", synchronous="OFF")


class PostgresLives(Lives):
    @staticmethod
    def make_store() -> te.Store:
        return pg_helpers.pg_store()


TestMemoryLives = MemoryLives.TestCase
TestSQLiteLives = settings(PROFILE, max_examples=max(3, PROFILE.max_examples // 3))(SQLiteLives).TestCase


@pytest.mark.postgres
def test_postgres_lives() -> None:
    pg_helpers.dsn_or_skip()
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(PostgresLives, settings=settings(PROFILE, max_examples=3))
