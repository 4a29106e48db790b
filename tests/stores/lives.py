"""Dossier lives for report tests: every way a one-stop dossier can go, with seeded random timings.

A `Life` is the list of calls (submit, then acts) one dossier receives, each at its moment. Lives are
plain data so that a test can drive them through an engine on any store, and replay only the calls
before a moment `end` on a fresh engine: what the records say then is what a report as of `end`
must count (tests/stores/test_tally_contract.py).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

import tthc_engine as te

ROOT = Path(__file__).resolve().parents[2]
VN = dt.timezone(dt.timedelta(hours=7))
ALL = te.Actor("cb-1", {"reception", "specialist", "leader"})
HOUSEHOLD = "1.001612"  # 3 working days, district, full online service
MARRIAGE = "1.000894"  # same day, commune, partial online service

Data = Callable[[te.Dossier], Mapping[str, Any]]


@attrs.frozen
class Call:
    action: str  # "submit" for the first call
    at: dt.datetime
    note: str | None = None
    data: Data | None = None
    feedback: te.Feedback | None = None  # action "feedback": Engine.record_feedback


@attrs.frozen
class Life:
    code: str
    channel: str
    agency: str | None
    calls: tuple[Call, ...]


def _approve(d: te.Dossier) -> Mapping[str, Any]:
    return {"household_registration_number": f"HKD-{d.id[:6]}"}


def _later(d: te.Dossier) -> Mapping[str, Any]:
    assert d.due_at is not None
    return {"new_appointment": (d.due_at + dt.timedelta(days=3)).isoformat()}


# (action, note, data) after the receipt, in order; gaps between calls are drawn per life
_PROCESS = [("assign", None, None), ("submit_for_signature", None, None), ("approve", None, _approve)]
_SUPPLEMENT = [("request_supplement", "Thiếu bản sao", None)]
# fmt: off
SCRIPTS: dict[str, list[tuple[str, str | None, Data | None]]] = {
    "resolved": [("accept", None, None), *_PROCESS, ("return_result", None, None)],
    "result_ready": [("accept", None, None), *_PROCESS],
    "supplemented": [("accept", None, None), *_SUPPLEMENT, ("supplement", None, None), *_PROCESS],
    "twice": [
        ("accept", None, None), *_SUPPLEMENT, ("supplement", None, None), ("assign", None, None),
        *_SUPPLEMENT, ("supplement", None, None), *_PROCESS,
    ],
    "paused": [("accept", None, None), *_SUPPLEMENT],
    "closed": [("accept", None, None), *_SUPPLEMENT, ("close_no_supplement", "Không bổ sung", None)],
    "refused": [("accept", None, None), ("assign", None, None), ("refuse", "Không đủ điều kiện", None)],
    "withdrawn": [("accept", None, None), ("assign", None, None), ("withdraw", "Rút hồ sơ", None)],
    "rescheduled": [
        ("accept", None, None), ("assign", None, None), ("reschedule", "Xin lỗi", _later),
        ("submit_for_signature", None, None), ("approve", None, _approve),
    ],
    "in_progress": [("accept", None, None), ("assign", None, None)],
    "declined": [("decline", "Không thuộc thẩm quyền", None)],
    "lodged": [],
}
# fmt: on


def random_lives(rng: random.Random, n: int, start: dt.datetime, days: int) -> list[Life]:
    """`n` lives lodged over `days` days from `start`, of every script, channel and both procedures;
    gaps of 5 minutes to 3 working days so that some finish early, some on time, some late."""
    lives = []
    for _ in range(n):
        script = rng.choice(sorted(SCRIPTS))
        code = rng.choice((HOUSEHOLD, MARRIAGE))
        channel = rng.choice(("direct", "direct", "online", "postal"))
        agency = rng.choice(("000.21.21.H47", "000.22.21.H47", None))
        at = start + dt.timedelta(days=rng.randrange(days), hours=rng.choice((1, 2, 3, 6, 7, 8)))
        calls = [Call("submit", at)]
        for action, note, data in SCRIPTS[script]:
            at += dt.timedelta(minutes=rng.choice((5, 30, 90, 240, 1440, 2880, 4320)))
            calls.append(Call(action, at, note, data))
        if script not in ("declined", "lodged") and rng.random() < 0.4:
            said = te.Feedback(
                rating=rng.choice((0, 1, 2, None)), electronic_result=rng.choice((True, False, None)),
                paid_online=rng.choice((True, None)), digitised=rng.choice((True, False)),
            )  # fmt: skip
            calls.append(Call("feedback", at + dt.timedelta(hours=rng.choice((1, 30))), feedback=said))
        lives.append(Life(code, channel, agency, tuple(calls)))
    return lives


def drive(engine: te.Engine, lives: Iterable[Life], *, before: dt.datetime | None = None) -> list[str]:
    """Each life's calls (only those before `before`, if given) on `engine`; the dossier ids."""
    ids = []
    for life in lives:
        first = life.calls[0]
        if before is not None and first.at >= before:
            continue
        d = engine.submit(
            life.code, actor=ALL, at=first.at, channel=life.channel,
            data={"household_name": "Hộ Bình An", "business_lines": ["4711"], "spouse_a_name": "A",
                  "spouse_b_name": "B"},
        )  # fmt: skip
        ids.append(d.id)
        for call in life.calls[1:]:
            if before is not None and call.at >= before:
                break
            if call.feedback is not None:
                d = engine.record_feedback(d.id, call.feedback, actor=ALL, at=call.at)
                continue
            data = None if call.data is None else dict(call.data(d))
            d = engine.act(
                d.id, call.action, actor=ALL, at=call.at, note=call.note, data=data, agency=life.agency
            )
    return ids


def engine_on(store: te.Store | None = None) -> te.Engine:
    catalog = te.Catalog.load(ROOT / "procedures")
    return te.Engine(catalog, calendar=te.WorkCalendar.vietnam(), store=store or te.MemoryStore())
