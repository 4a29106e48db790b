"""An online dossier received in the last office hour or on a day off starts counting at the next
working moment (Decree 297/2025 Art. 6(3); StartPolicy defaults). The desk may still ask for a
supplement at once (Decree 61/2018 Art. 19(4)): the pause then begins where counting would have begun,
and nothing before the start is counted or excluded."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from review_helpers import EVERYONE, vn

import tthc_engine as te

DATA = {"household_name": "Hộ Bình An", "business_lines": ["bán lẻ"], "household_registration_number": "1"}

CASES = [
    # received online (and accepted) at; supplement requested at; counting would start at
    pytest.param("2025-08-15 16:30", "2025-08-15 16:40", "2025-08-18 07:30", id="last-office-hour-friday"),
    pytest.param("2025-08-17 09:00", "2025-08-17 09:10", "2025-08-18 07:30", id="sunday"),
    pytest.param("2026-02-13 16:15", "2026-02-13 16:45", "2026-02-23 07:30", id="friday-before-tet-2026"),
]


def _received(engine: te.Engine, at: str) -> te.Dossier:
    d = engine.submit("1.001612", actor=EVERYONE, at=vn(at), channel="online", data=DATA)
    return engine.act(d.id, "accept", actor=EVERYONE, at=vn(at))


@pytest.mark.parametrize(("received", "asked", "start"), CASES)
def test_supplement_request_before_counting_starts(
    make_engine: Callable[..., te.Engine], received: str, asked: str, start: str
) -> None:
    """Requesting a supplement before the deferred start is accepted and pauses at the start."""
    engine = make_engine()
    d = _received(engine, received)
    assert d.clock is not None and d.clock.started_at == vn(start)
    due = d.due_at
    d = engine.act(d.id, "request_supplement", actor=EVERYONE, at=vn(asked), note="thiếu giấy tờ")
    assert d.state == "supplement_requested" and d.due_at == due


@pytest.mark.parametrize(("received", "asked", "start"), CASES)
def test_withdrawn_before_counting_starts_excludes_nothing(
    make_engine: Callable[..., te.Engine], received: str, asked: str, start: str
) -> None:
    """Withdrawn while paused before the start: no working time was paused, the due moment stays."""
    engine = make_engine()
    d = _received(engine, received)
    due = d.due_at
    d = engine.act(d.id, "request_supplement", actor=EVERYONE, at=vn(asked), note="thiếu giấy tờ")
    d = engine.act(d.id, "withdraw", actor=EVERYONE, at=vn(asked), note="người nộp rút hồ sơ")
    # a withdrawal is not measured (sla.OUTCOME_RULES): no timeliness, the due moment as it was
    assert d.outcome == "withdrawn" and d.due_at == due and d.timeliness is None
    assert d.clock is not None and d.clock.paused_hours == 0.0


def test_supplement_then_restart_counts_from_the_complete_dossier(
    make_engine: Callable[..., te.Engine],
) -> None:
    """After the early request, the complete dossier (Tue 19/8/2025 09:00) restarts 3 working days."""
    engine = make_engine()
    d = _received(engine, "2025-08-15 16:30")
    d = engine.act(d.id, "request_supplement", actor=EVERYONE, at=vn("2025-08-15 16:40"), note="thiếu")
    d = engine.act(d.id, "supplement", actor=EVERYONE, at=vn("2025-08-19 09:00"))
    assert d.due_at == vn("2025-08-22 17:00")


def test_clock_pause_before_start_is_clamped(calendar: te.WorkCalendar) -> None:
    """Clock level: pause before the start begins at the start; resuming before the start pauses 0 h."""
    clock = te.Clock.start(calendar, te.Deadline(3, "working_days"), vn("2025-08-15 16:30"), channel="online")
    paused = clock.pause(calendar, vn("2025-08-15 16:40"))
    assert paused.paused_at == clock.started_at
    resumed = paused.resume(calendar, vn("2025-08-15 16:50"))
    assert resumed.due_at == clock.due_at and resumed.paused_hours == 0.0
