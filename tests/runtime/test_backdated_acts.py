"""Back-dated acts after a sweep: warning/overdue observations never raise the time-order floor.

Desks record acts after the fact; a cron sweep that ran in between must not block the truthful `at`.
Timeliness follows the act's `at` (Circular 01/2018/TT-VPCP Art. 13: finished by the due moment is on
time), so an overdue notice recorded earlier is withdrawn when a back-dated act finishes in time.
"""

from __future__ import annotations

import pytest
from factories import DESK, LEADER, OFFICER, at

import tthc_engine as te


def _processing(engine: te.Engine) -> te.Dossier:
    """Processing from Mon 3 Mar 2025 08:00: due Thu 6 Mar 17:00, warned from Wed 5 Mar 17:00."""
    d = engine.submit("9.999001", actor=DESK, at=at("2025-03-03 08:00"), channel="direct")
    engine.act(d.id, "accept", actor=DESK, at=at("2025-03-03 08:00"))
    d = engine.act(d.id, "assign", actor=DESK, at=at("2025-03-03 08:00"))
    assert d.due_at == at("2025-03-06 17:00")
    return d


def test_approve_at_1659_after_overdue_sweep_at_170001_is_on_time(engine: te.Engine) -> None:
    """Due 17:00, sweep 17:00:01 records overdue, approve dated 16:59 succeeds and is on time."""
    d = _processing(engine)
    report = engine.sweep(at("2025-03-06 17:00:01"))
    assert report.overdue == (d.id,)
    swept = engine.get(d.id)
    assert swept.overdue_for == d.due_at and swept.last_event_at == at("2025-03-06 17:00:01")
    assert swept.last_act_at == at("2025-03-03 08:00")

    d = engine.act(d.id, "approve", actor=LEADER, at=at("2025-03-06 16:59"), data={"decision_no": "QĐ-12"})
    assert (d.state, d.finished_at, d.timeliness) == ("result_ready", at("2025-03-06 16:59"), "on_time")
    assert d.overdue_for is None  # the notice is withdrawn: the legal time ended within time
    assert d.last_act_at == at("2025-03-06 16:59")
    assert d.next_check_at is None
    entries = engine.history(d.id)
    assert [e.kind for e in entries[-2:]] == ["overdue", "act"]
    assert [e.sequence for e in entries] == list(range(1, len(entries) + 1))
    assert entries[-1].clock["overdue_for"] == {"from": d.due_at.isoformat(), "to": None}
    assert entries[-2].at > entries[-1].at  # chain order is sequence order, not event time
    engine.verify(d.id)
    assert engine.sweep(at("2025-03-07 08:00")).overdue == ()
    slip = engine.control_slip(d.id)
    assert slip["timeliness"] == "on_time"


def test_act_before_the_last_real_act_is_still_refused(engine: te.Engine) -> None:
    """Observations do not lower the floor either: an act dated before the last act raises."""
    d = _processing(engine)
    engine.act(d.id, "consult", actor=OFFICER, at=at("2025-03-06 16:00"))
    engine.sweep(at("2025-03-06 17:00:01"))
    with pytest.raises(te.TimeOrderError, match="last act") as info:
        engine.act(d.id, "answer", actor=OFFICER, at=at("2025-03-06 15:59"))
    assert info.value.dossier_id == d.id
    d = engine.act(d.id, "answer", actor=OFFICER, at=at("2025-03-06 16:00"))
    assert d.state == "processing"


@pytest.mark.parametrize(
    ("sweep_at", "act_at", "kind"),
    [
        pytest.param("2025-03-05 17:00:30", "2025-03-05 16:30", "warning", id="after-warning"),
        pytest.param("2025-03-07 09:00", "2025-03-06 16:59", "overdue", id="next-morning-overdue"),
        pytest.param("2025-03-06 17:00:01", "2025-03-06 17:00", "overdue", id="act-at-due-moment"),
    ],
)
def test_back_dated_act_after_an_observation_is_recorded(
    engine: te.Engine, sweep_at: str, act_at: str, kind: str
) -> None:
    """Any act dated after the last act but before a warning/overdue observation is accepted."""
    d = _processing(engine)
    engine.sweep(at(sweep_at))
    assert engine.history(d.id)[-1].kind == kind
    d = engine.act(d.id, "consult", actor=OFFICER, at=at(act_at))
    assert (d.state, d.last_act_at, d.last_event_at) == ("consulting", at(act_at), at(act_at))


def test_back_dated_finish_after_due_stays_late_and_keeps_the_notice(engine: te.Engine) -> None:
    """A finish dated after the due moment is late; the overdue notice stands."""
    d = _processing(engine)
    engine.sweep(at("2025-03-07 09:00"))
    d = engine.act(d.id, "approve", actor=LEADER, at=at("2025-03-07 08:30"), data={"decision_no": "QĐ-12"})
    assert (d.timeliness, d.overdue_for) == ("late", d.due_at)


def test_timer_firing_is_an_event_that_raises_the_floor(engine: te.Engine) -> None:
    """A timer action changes state, so an act dated before it is refused."""
    d = _processing(engine)
    engine.act(d.id, "request_supplement", actor=OFFICER, at=at("2025-03-04 09:00"), note="Thiếu tờ khai")
    assert engine.sweep(at("2025-03-25 17:00")).fired == ((d.id, "close_no_supplement"),)
    assert engine.get(d.id).last_act_at == at("2025-03-25 17:00")
    with pytest.raises(te.TimeOrderError):
        engine.act(d.id, "supplement", actor=DESK, at=at("2025-03-25 16:00"))
