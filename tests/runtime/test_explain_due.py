"""The words behind a due moment are rendered on request from the audit trail, not built per act."""

from __future__ import annotations

from factories import DESK, LEADER, OFFICER, at

import tthc_engine as te


def test_receipt_words_are_compute_dues_words(engine: te.Engine, calendar: te.WorkCalendar) -> None:
    """explain_due opens with exactly what compute_due says for the same receipt (Tết 2025)."""
    d = engine.submit("9.999001", actor=DESK, at=at("2025-01-24 16:30"))
    engine.act(d.id, "accept", actor=DESK, at=at("2025-01-24 16:35"))
    proc = engine.procedure_of(engine.get(d.id))
    expected = te.compute_due(calendar, proc.deadline, at("2025-01-24 16:35"), channel="direct").explanation
    lines = engine.explain_due(d.id)
    assert tuple(lines) == expected
    assert any("Tết" in line or "Tet" in line for line in lines)


def test_later_moves_of_the_due_moment_each_add_a_line(engine: te.Engine) -> None:
    """A supplement restart and an apology each say when, by which act, from what to what."""
    d = engine.submit("9.999001", actor=DESK, at=at("2025-08-04 09:00"))
    engine.act(d.id, "accept", actor=DESK, at=at("2025-08-04 09:00"))
    engine.act(d.id, "request_supplement", actor=OFFICER, at=at("2025-08-04 10:00"), note="Thiếu")
    engine.act(d.id, "supplement", actor=DESK, at=at("2025-08-11 09:00"))
    engine.act(d.id, "assign", actor=DESK, at=at("2025-08-11 10:00"))
    engine.act(
        d.id, "reschedule", actor=LEADER, at=at("2025-08-12 10:00"), note="Xin lỗi",
        data={"new_appointment": "2025-08-25T16:00:00+07:00"},
    )  # fmt: skip
    later = [line for line in engine.explain_due(d.id) if line.startswith("#")]
    assert later == [
        "#4 2025-08-11 09:00 supplement: hạn giải quyết (due) 2025-08-07 17:00 → 2025-08-14 17:00",
        "#6 2025-08-12 10:00 reschedule: hẹn trả (appointment) 2025-08-14 17:00 → 2025-08-25 16:00",
    ]


def test_receipt_entries_keep_the_clock_not_the_words(engine: te.Engine) -> None:
    """The receipt entry records the clock it started (the inputs), and no rendered text."""
    d = engine.submit("9.999001", actor=DESK, at=at("2025-08-04 09:00"))
    engine.act(d.id, "accept", actor=DESK, at=at("2025-08-04 09:00"))
    entry = engine.history(d.id)[-1]
    assert "explanation" not in entry.clock
    assert entry.clock["clock"]["to"]["received_at"] == "2025-08-04T09:00:00+07:00"


def test_a_dossier_not_received_has_no_due_moment_to_explain(engine: te.Engine) -> None:
    """Before receipt there is nothing to explain, and it says so."""
    d = engine.submit("9.999001", actor=DESK, at=at("2025-08-04 09:00"))
    assert engine.explain_due(d.id) == ["Chưa tiếp nhận: chưa tính hạn (not received yet: no due moment)"]


def test_an_unknown_dossier_is_named(engine: te.Engine) -> None:
    """explain_due of an id the store does not hold raises UnknownDossier naming it."""
    import pytest

    with pytest.raises(te.UnknownDossier, match="no-such-id"):
        engine.explain_due("no-such-id")
