"""Engine.worklist (scope from the catalog's roles, assignment, due marks) and Engine.assign_to /
unassign (one audited plan and commit each, the chain still verifies)."""

from __future__ import annotations

import pytest
from factories import DESK, LEADER, OFFICER, at

import tthc_engine as te
from tthc_engine.audit.entry import AuditEntry

SPECIALIST_2 = te.Actor("officer-2", {"specialist"})


def _processing(engine: te.Engine, when: str) -> te.Dossier:
    d = engine.submit("9.999001", actor=DESK, at=at(when), channel="direct")
    engine.act(d.id, "accept", actor=DESK, at=at(when))
    return engine.act(d.id, "assign", actor=DESK, at=at(when))


def test_worklist_scope_order_and_marks(engine: te.Engine) -> None:
    """A specialist sees open dossiers in states where specialists act, earliest due first, marked
    against `now` on the working calendar; the desk (reception) sees the lodged one too."""
    late = _processing(engine, "2025-03-03 08:00")  # due Thu 6 Mar 17:00
    soon = _processing(engine, "2025-03-05 08:00")  # due Mon 10 Mar 17:00
    later = _processing(engine, "2025-03-10 08:00")  # due Thu 13 Mar 17:00
    lodged = engine.submit("9.999001", actor=DESK, at=at("2025-03-05 09:00"), channel="online")
    work = engine.worklist(OFFICER, now=at("2025-03-07 09:00"))
    assert [(i.dossier.id, i.mark) for i in work.items] == [
        (late.id, "overdue"), (soon.id, "near_due"), (later.id, None),
    ]  # fmt: skip
    assert work.count("overdue") == 1 and work.next is None
    today = engine.worklist(OFFICER, now=at("2025-03-10 08:00"))
    assert [i.mark for i in today.items] == ["overdue", "due_today", None]  # 13 Mar: 3 working days on
    desk = engine.worklist(DESK, now=at("2025-03-07 09:00"))
    assert lodged.id in [i.dossier.id for i in desk.items]
    assert desk.items[-1].dossier.id == lodged.id  # no due moment yet: last
    page = engine.worklist(OFFICER, now=at("2025-03-07 09:00"), limit=2)
    assert page.next is not None
    rest = engine.worklist(OFFICER, now=at("2025-03-07 09:00"), after=page.next, limit=2)
    assert [i.dossier.id for i in rest.items] == [later.id]


def test_assignment_moves_a_dossier_between_inboxes(engine: te.Engine) -> None:
    """Assigned to officer-1, it leaves officer-2's worklist and enters officer-1's inbox; unassigned
    it is back for both. Each hand-over is one audit entry; the chain verifies."""
    events: list[str] = []
    engine.subscribe("assigned", lambda e: events.append(e.dossier.assignee or "-"))
    d = _processing(engine, "2025-03-03 08:00")
    now = at("2025-03-03 10:00")
    d = engine.assign_to(d.id, OFFICER.id, actor=LEADER, at=at("2025-03-03 09:00"), note="Giao chuyên viên")
    assert d.assignee == OFFICER.id and d.state == "processing"
    assert [i.dossier.id for i in engine.worklist(OFFICER, now=now, assigned_only=True).items] == [d.id]
    assert engine.worklist(SPECIALIST_2, now=now).items == ()
    assert [i.dossier.id for i in engine.worklist(OFFICER, now=now).items] == [d.id]
    d = engine.unassign(d.id, actor=OFFICER, at=at("2025-03-03 09:30"))
    assert d.assignee is None
    assert [i.dossier.id for i in engine.worklist(SPECIALIST_2, now=now).items] == [d.id]
    entries: list[AuditEntry] = engine.history(d.id)
    assert [(e.kind, e.action, dict(e.clock)) for e in entries[-2:]] == [
        ("assignment", None, {"assignee": {"from": None, "to": "officer-1"}}),
        ("assignment", None, {"assignee": {"from": "officer-1", "to": None}}),
    ]
    assert entries[-2].note == "Giao chuyên viên" and entries[-2].actor == LEADER.id
    assert events == ["officer-1", "-"]
    engine.verify(d.id)
    assert engine.get(d.id).version == 5


def test_assignment_refusals(engine: te.Engine) -> None:
    """Someone whose roles do not act in the state, a closed dossier, a no-op hand-over and an act
    back in time are refused, writing nothing."""
    d = _processing(engine, "2025-03-03 08:00")
    with pytest.raises(te.PermissionDenied, match="cannot hand it over"):
        engine.assign_to(d.id, "officer-9", actor=te.Actor("x", {"nobody"}), at=at("2025-03-03 09:00"))
    with pytest.raises(te.TransitionError, match="not assigned"):
        engine.unassign(d.id, actor=LEADER, at=at("2025-03-03 09:00"))
    engine.assign_to(d.id, "officer-9", actor=LEADER, at=at("2025-03-03 09:00"))
    with pytest.raises(te.TransitionError, match="already assigned"):
        engine.assign_to(d.id, "officer-9", actor=LEADER, at=at("2025-03-03 09:05"))
    with pytest.raises(te.TimeOrderError):
        engine.assign_to(d.id, "officer-8", actor=LEADER, at=at("2025-03-03 07:00"))
    with pytest.raises(te.ConcurrencyError):
        engine.assign_to(d.id, "officer-8", actor=LEADER, at=at("2025-03-03 09:10"), expected_version=1)
    engine.act(d.id, "withdraw", actor=DESK, at=at("2025-03-03 10:00"), note="Rút")
    with pytest.raises(te.TransitionError, match="closed"):
        engine.unassign(d.id, actor=DESK, at=at("2025-03-03 11:00"))
    assert engine.get(d.id).version == 5


def test_find_by_number_or_reference(engine: te.Engine) -> None:
    lodged = engine.submit("9.999001", actor=DESK, at=at("2025-03-03 08:00"), channel="online")
    assert lodged.reference is not None
    found = engine.find(lodged.reference)
    assert found is not None and found.id == lodged.id
    received = engine.act(lodged.id, "accept", actor=DESK, at=at("2025-03-03 09:00"))
    assert received.number is not None
    again = engine.find(received.number)
    assert again is not None and again.id == lodged.id
    assert engine.find("nothing") is None
    assert engine.field_codes("Thử nghiệm") == ("9.999001",)
