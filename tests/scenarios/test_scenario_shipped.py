"""The one-stop life on the shipped procedures, with real due dates across Tết and the 30/4 swap."""

from __future__ import annotations

import datetime as dt
from collections import deque

import pytest

import tthc_engine as te

TZ = dt.timezone(dt.timedelta(hours=7))
ALL = te.Actor("officer-all", {"reception", "specialist", "leader", "registrar", "police", "judicial"})


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def _path(proc: te.Procedure, start: str, goal: set[str]) -> list[str]:
    """Shortest list of action names from `start` to any state in `goal` (self-loops skipped)."""
    seen = {start}
    todo: deque[tuple[str, list[str]]] = deque([(start, [])])
    while todo:
        state, path = todo.popleft()
        if state in goal:
            return path
        for action in proc.actions_from(state):
            if action.target not in seen and "reschedule" not in action.effects:
                seen.add(action.target)
                todo.append((action.target, [*path, action.name]))
    raise AssertionError(f"{proc.code}: no path from {start} to {goal}")


def _drive(engine: te.Engine, d: te.Dossier, names: list[str], start: dt.datetime) -> te.Dossier:
    proc = engine.procedure_of(d)
    for i, name in enumerate(names):
        action = proc.action(name)
        data = {k: f"{k}-1" for k in action.requires}
        when = start + dt.timedelta(minutes=10 * (i + 1))
        note = "Ghi chú" if action.note_required else None
        d = engine.act(d.id, name, actor=te.Actor("x", set(proc.roles)), at=when, note=note, data=data)
    return d


def _procedures(catalog: te.Catalog) -> list[te.Procedure]:
    return list(catalog)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "proc_key" in metafunc.fixturenames:
        from tests_paths import shipped_keys

        keys = shipped_keys()
        metafunc.parametrize("proc_key", keys, ids=[f"{c}@{v}" for c, v in keys])


def test_every_shipped_procedure_runs_to_resolution(live: te.Engine, proc_key: tuple[str, str]) -> None:
    """Each shipped procedure goes submit → result ready (legal time ends) → returned, and verifies."""
    proc = live.catalog.get(*proc_key)
    start = at(f"{max(proc.effective_from, dt.date(2025, 3, 3)).isoformat()} 08:00")
    while not live.calendar.is_working_day(start.date()):
        start += dt.timedelta(days=1)
    # financial_obligation: the land procedure's guards choose the no-tax branch with it
    data = {"financial_obligation": False}
    d = live.submit(proc.code, actor=ALL, at=start, channel=proc.channels[0], data=data)
    stopped = {s.id for s in proc.states if s.clock == "stopped" and s.outcome is None}
    d = _drive(live, d, _path(proc, proc.initial, stopped), start)
    assert d.finished_at is not None and d.timeliness in ("early", "on_time")
    resolved = {s.id for s in proc.states if s.outcome == "resolved"}
    d = _drive(live, d, _path(proc, d.state, resolved), d.finished_at)
    assert d.outcome == "resolved"
    assert d.next_check_at is None
    live.verify(d.id)
    slip = live.control_slip(d.id)
    assert slip["steps"][0]["state"] == proc.initial


def test_business_household_across_tet_2025(live: te.Engine) -> None:
    """Received Fri 24 Jan 2025 16:30, 3 WD: Tết 27-31 Jan off → due Wed 5 Feb 17:00; done early."""
    d = live.submit("1.001612", actor=ALL, at=at("2025-01-24 16:20"), channel="direct",
                    data={"household_name": "Hộ Bình An", "business_lines": ["4711"]})  # fmt: skip
    assert d.procedure_version == "2021.01"
    d = live.act(d.id, "accept", actor=ALL, at=at("2025-01-24 16:30"))
    assert (d.received_at, d.due_at) == (at("2025-01-24 16:30"), at("2025-02-05 17:00"))
    d = _drive(live, d, ["assign", "submit_for_signature"], at("2025-02-03 08:00"))
    d = live.act(
        d.id, "approve", actor=ALL, at=at("2025-02-04 10:00"), data={"household_registration_number": "01A-1"}
    )
    assert (d.state, d.finished_at, d.timeliness) == ("result_ready", at("2025-02-04 10:00"), "early")
    d = live.act(d.id, "return_result", actor=ALL, at=at("2025-02-10 08:00"))
    assert (d.outcome, d.timeliness) == ("resolved", "early")


def test_supplement_and_apology_around_30_4_2025(live: te.Engine) -> None:
    """Fri 25 Apr 2025 +3 WD = Sat 26 (make-up day), Mon 28, Tue 29 → due Tue 29 Apr.

    A supplement request pauses; the complete dossier on Tue 6 May restarts the count (Wed 7,
    Thu 8, Fri 9 May, after the 30/4-1/5 holidays and the swapped Fri 2 May). One apology moves
    the appointment to Tue 13 May; the result on Mon 12 May is late against the legal due moment.
    """
    d = live.submit("1.001612", actor=ALL, at=at("2025-04-25 09:00"), channel="direct",
                    data={"household_name": "Hộ Minh Châu", "business_lines": ["5610"]})  # fmt: skip
    d = live.act(d.id, "accept", actor=ALL, at=at("2025-04-25 09:00"))
    assert d.due_at == at("2025-04-29 17:00")
    d = live.act(d.id, "assign", actor=ALL, at=at("2025-04-25 10:00"))
    d = live.act(
        d.id, "request_supplement", actor=ALL, at=at("2025-04-28 09:00"), note="Bổ sung biên bản họp"
    )
    d = live.act(d.id, "supplement", actor=ALL, at=at("2025-05-06 10:00"))
    assert d.due_at == at("2025-05-09 17:00")
    d = live.act(d.id, "assign", actor=ALL, at=at("2025-05-06 11:00"))
    d = live.act(d.id, "reschedule", actor=ALL, at=at("2025-05-08 15:00"), note="Xin lỗi: chờ xác minh",
                 data={"new_appointment": "2025-05-13T17:00:00+07:00"})  # fmt: skip
    assert (d.due_at, d.appointment_at) == (at("2025-05-09 17:00"), at("2025-05-13 17:00"))
    with pytest.raises(te.TransitionError):
        live.act(d.id, "reschedule", actor=ALL, at=at("2025-05-09 15:00"), note="lần 2",
                 data={"new_appointment": "2025-05-16T17:00:00+07:00"})  # fmt: skip
    d = live.act(d.id, "submit_for_signature", actor=ALL, at=at("2025-05-12 08:00"))
    d = live.act(
        d.id, "approve", actor=ALL, at=at("2025-05-12 10:00"), data={"household_registration_number": "01B-2"}
    )
    assert d.timeliness == "late"
    forms = [e.action for e in live.history(d.id)]
    assert forms.count("reschedule") == 1
    live.verify(d.id)


def test_withdrawal_across_tet_2026(live: te.Engine) -> None:
    """Received Fri 13 Feb 2026 10:00, 3 WD: Tết 16-20 Feb off → due Wed 25 Feb; withdrawn Mon 23 Feb."""
    d = live.submit("1.001612", actor=ALL, at=at("2026-02-13 09:50"), channel="direct")
    assert d.procedure_version == "2025.07"
    d = live.act(d.id, "accept", actor=ALL, at=at("2026-02-13 10:00"))
    assert d.due_at == at("2026-02-25 17:00")
    d = live.act(d.id, "withdraw", actor=ALL, at=at("2026-02-23 08:00"), note="Người nộp xin rút hồ sơ")
    # a withdrawal is not measured (sla.OUTCOME_RULES): it has no timeliness
    assert (d.outcome, d.finished_at, d.timeliness) == ("withdrawn", at("2026-02-23 08:00"), None)
    assert d.next_check_at is None


def test_land_inter_agency_handover_and_refusal(live: te.Engine) -> None:
    """Hand-overs between the commune desk, land office, consulted agency: each step on the slip."""
    d = live.submit("9.000201", actor=ALL, at=at("2025-08-04 08:00"), channel="direct")
    d = _drive(live, d, ["accept", "assign"], at("2025-08-04 08:00"))
    d = live.act(
        d.id, "consult", actor=ALL, at=at("2025-08-05 08:00"), data={"consulted_agency": "Phòng Nông nghiệp"}
    )
    d = live.act(d.id, "consultation_answered", actor=ALL, at=at("2025-08-12 08:00"))
    d = live.act(d.id, "refuse", actor=ALL, at=at("2025-08-13 08:00"), note="Đất có tranh chấp")
    assert d.outcome == "refused"
    slip = live.control_slip(d.id)
    states = [row["state"] for row in slip["steps"]]
    assert states == ["submitted", "received", "land_review", "consultation", "land_review"]
    agencies = {row["agency"] for row in slip["steps"]}
    assert len(agencies) >= 3
    assert all(row["finished_at"] for row in slip["steps"])
    text = live.control_slip_text(d.id)
    assert d.number in text
