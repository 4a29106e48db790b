"""Clocks through the one-stop life: supplement restart, pauses, reschedule, extension, finishing,
step budgets and the process control slip."""

from __future__ import annotations

import json

import pytest
from factories import DESK, LEADER, OFFICER, at

import tthc_engine as te


def _received(engine: te.Engine, when: str) -> te.Dossier:
    d = engine.submit("9.999001", actor=DESK, at=at(when), channel="direct")
    return engine.act(d.id, "accept", actor=DESK, at=at(when))


def test_supplement_pauses_then_restarts_from_zero(engine: te.Engine) -> None:
    """Decree 61/2018 Art. 19(4): the time counts again from the complete dossier."""
    d = _received(engine, "2025-01-24 16:30")
    assert d.due_at == at("2025-02-05 17:00")
    d = engine.act(
        d.id, "request_supplement", actor=OFFICER, at=at("2025-01-24 16:45"), note="Thiếu bản sao CCCD"
    )
    assert d.clock is not None and d.clock.paused_at is not None
    assert d.next_check_at == d.timer_at  # no warning/overdue while paused, only the 15-day timer
    d = engine.act(d.id, "supplement", actor=DESK, at=at("2025-02-10 09:00"))
    # counted again: Tue 11, Wed 12, Thu 13 Feb
    assert d.due_at == at("2025-02-13 17:00")
    assert d.clock is not None and d.clock.restarts == 1 and d.clock.paused_at is None
    entry = engine.history(d.id)[-1]
    assert entry.clock["due_at"] == {"from": "2025-02-05T17:00:00+07:00", "to": "2025-02-13T17:00:00+07:00"}


def test_excluded_period_moves_due_across_the_30_4_swap(engine: te.Engine) -> None:
    """A paused (not counted) tax step pushes the due moment by the working days it took.

    Received Mon 21 Apr 2025 08:00, 3 WD → Thu 24 Apr 17:00. Paused Tue 22 07:30 → Tue 29 07:30 =
    6 working days (22, 23, 24, 25, make-up Saturday 26, 28). From Thu 24 17:00 add 6 WD: Fri 25,
    Sat 26, Mon 28, Tue 29, (30/4, 1/5 holidays, Fri 2/5 swapped off) Mon 5, Tue 6 May.
    """
    d = _received(engine, "2025-04-21 08:00")
    assert d.due_at == at("2025-04-24 17:00")
    d = engine.act(d.id, "assign", actor=DESK, at=at("2025-04-21 09:00"))
    d = engine.act(d.id, "send_to_tax", actor=OFFICER, at=at("2025-04-22 07:30"))
    d = engine.act(d.id, "tax_paid", actor=DESK, at=at("2025-04-29 07:30"), data={"tax_receipt": "BL-9"})
    assert d.due_at == at("2025-05-06 17:00")
    tax_step = d.steps[-2]
    assert (tax_step.state, tax_step.counted) == ("tax_payment", False)


def test_reschedule_once_keeps_legal_due(engine: te.Engine) -> None:
    """Art. 19(9): the appointment moves once; the legal due moment stays; a second move is refused."""
    d = _received(engine, "2025-03-03 08:00")
    d = engine.act(d.id, "assign", actor=DESK, at=at("2025-03-03 09:00"))
    legal = d.due_at
    d = engine.act(
        d.id, "reschedule", actor=LEADER, at=at("2025-03-05 10:00"), note="Xin lỗi: chờ xác minh",
        data={"new_appointment": "2025-03-12T17:00:00+07:00"},
    )  # fmt: skip
    assert (d.due_at, d.appointment_at, d.reschedules) == (legal, at("2025-03-12 17:00"), 1)
    with pytest.raises(te.TransitionError, match="at most once"):
        engine.act(d.id, "reschedule", actor=LEADER, at=at("2025-03-06 10:00"), note="lần hai",
                   data={"new_appointment": "2025-03-20T17:00:00+07:00"})  # fmt: skip


def test_reschedule_limit_is_configurable(calendar: te.WorkCalendar) -> None:
    """EnginePolicy(max_reschedules=2) allows a second apology."""
    from factories import catalog

    eng = te.Engine(catalog(), calendar=calendar, guards={"documents_checked": bool},
                    policy=te.EnginePolicy(max_reschedules=2))  # fmt: skip
    d = _received(eng, "2025-03-03 08:00")
    d = eng.act(d.id, "assign", actor=DESK, at=at("2025-03-03 09:00"))
    for day, new in (("05", "2025-03-12"), ("06", "2025-03-20")):
        d = eng.act(d.id, "reschedule", actor=LEADER, at=at(f"2025-03-{day} 10:00"), note="x",
                    data={"new_appointment": f"{new}T17:00:00+07:00"})  # fmt: skip
    assert (d.reschedules, d.appointment_at) == (2, at("2025-03-20 17:00"))


def test_extend_adds_the_declared_extension(engine: te.Engine) -> None:
    """An extend effect adds the named extension's time to the legal due moment."""
    d = _received(engine, "2025-03-03 08:00")
    d = engine.act(d.id, "assign", actor=DESK, at=at("2025-03-03 09:00"))
    assert d.due_at == at("2025-03-06 17:00")
    d = engine.act(d.id, "extend", actor=LEADER, at=at("2025-03-04 09:00"))
    assert d.due_at == at("2025-03-13 17:00")
    assert d.clock is not None and d.clock.extensions[0] == "verification"


@pytest.mark.parametrize(
    ("ready", "timeliness"),
    [("2025-03-05 10:00", "early"), ("2025-03-06 16:00", "on_time"), ("2025-03-07 08:00", "late")],
    ids=["early", "on-time", "late"],
)
def test_result_ready_ends_legal_time(engine: te.Engine, ready: str, timeliness: str) -> None:
    """Entering the stopped state sets finished_at and timeliness; returning later changes neither."""
    d = _received(engine, "2025-03-03 08:00")
    d = engine.act(d.id, "assign", actor=DESK, at=at("2025-03-03 09:00"))
    d = engine.act(d.id, "approve", actor=LEADER, at=at(ready), data={"decision_no": "QĐ-7"})
    assert (d.finished_at, d.timeliness, d.outcome) == (at(ready), timeliness, None)
    d = engine.act(d.id, "return_result", actor=DESK, at=at("2025-03-20 10:00"))
    assert (d.finished_at, d.timeliness, d.outcome) == (at(ready), timeliness, "resolved")
    assert d.next_check_at is None


def test_refusal_is_final_with_outcome(engine: te.Engine) -> None:
    """A refusal closes the dossier with its reasons in the audit note."""
    d = _received(engine, "2025-03-03 08:00")
    d = engine.act(d.id, "assign", actor=DESK, at=at("2025-03-03 09:00"))
    d = engine.act(d.id, "refuse", actor=LEADER, at=at("2025-03-04 09:00"), note="Không đủ điều kiện")
    assert (d.outcome, d.timeliness) == ("refused", "early")
    assert engine.history(d.id)[-1].note == "Không đủ điều kiện"


def test_control_slip_lists_each_handover(engine: te.Engine) -> None:
    """Form 05: per step the agency, hand-over moment, step due, finish and early/on time/late."""
    d = _received(engine, "2025-03-03 08:00")
    d = engine.act(d.id, "assign", actor=DESK, at=at("2025-03-03 10:00"))
    d = engine.act(d.id, "consult", actor=OFFICER, at=at("2025-03-04 09:00"))
    d = engine.act(d.id, "answer", actor=OFFICER, at=at("2025-03-06 09:00"))
    slip = engine.control_slip(d.id)
    rows = [(r["state"], r["agency"], r["result"]) for r in slip["steps"]]
    assert rows == [
        ("submitted", "Bộ phận Một cửa", None),
        ("received", "Bộ phận Một cửa", "on_time"),
        ("processing", "Phòng chuyên môn", "early"),
        ("consulting", "Cơ quan thuế", "late"),
        ("processing", "Phòng chuyên môn", None),
    ]
    consulting = slip["steps"][3]
    assert consulting["due_at"] == "2025-03-05T17:00:00+07:00"  # 1 WD, next_day convention: end of Wed
    json.dumps(slip)
    text = engine.control_slip_text(d.id)
    assert "Mẫu số 05" in text and "Cơ quan thuế" in text and "Quá hạn" in text
