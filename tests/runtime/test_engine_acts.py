"""Engine.submit / act / available_actions: numbering, due moments, checks and their errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from factories import DESK, EVERYONE, LEADER, OFFICER, TZ, at, catalog, procedure

import tthc_engine as te
from tthc_engine.errors import RuntimeErrorBase


def _processing(engine: te.Engine, when: str = "2025-03-03 08:00", **data: Any) -> te.Dossier:
    d = engine.submit("9.999001", actor=DESK, at=at(when), channel="direct", data=data)
    engine.act(d.id, "accept", actor=DESK, at=at(when))
    return engine.act(d.id, "assign", actor=DESK, at=at(when))


def test_numbers_per_agency_per_receipt_day(engine: te.Engine) -> None:
    """A lodged dossier has a lodgement reference; its receipt gives AGENCYCODE-YYMMDD-XXXX with a
    sequence per agency per receipt day (Circular 01/2018/TT-VPCP Art. 19)."""
    lodged = [
        engine.submit("9.999001", actor=DESK, at=at(t), channel="direct")
        for t in ("2025-03-03 08:00", "2025-03-03 09:00", "2025-03-03 10:00")
    ]
    assert [d.number for d in lodged] == [None, None, None]
    assert [d.reference for d in lodged] == ["NOP-250303-000001", "NOP-250303-000002", "NOP-250303-000003"]
    received = [
        engine.act(d.id, "accept", actor=DESK, at=at(t)).number
        for d, t in zip(lodged, ("2025-03-03 10:30", "2025-03-04 08:00", "2025-03-03 11:00"), strict=True)
    ]
    assert received == ["000.00.99.H99-250303-0001", "000.00.99.H99-250304-0001", "000.00.99.H99-250303-0002"]


@pytest.mark.parametrize(
    ("channel", "due"),
    [("direct", "2025-02-05 17:00"), ("online", "2025-02-06 17:00")],
    ids=["direct", "online-last-hour"],
)
def test_pending_clock_starts_on_first_running_state(engine: te.Engine, channel: str, due: str) -> None:
    """A pending initial state has no due moment; accepting starts the clock and sets received_at.

    3 working days from Fri 24 Jan 2025 16:30: Tết 27-31 Jan is off, so Mon 3, Tue 4, Wed 5 Feb.
    Online in the last office hour counts from the next working day (Decree 297/2025 Art. 6(3)).
    """
    d = engine.submit("9.999001", actor=DESK, at="2025-01-24T16:00:00+07:00", channel=channel)
    assert (d.state, d.received_at, d.due_at, d.channel) == ("submitted", None, None, channel)
    d = engine.act(d.id, "accept", actor=DESK, at=at("2025-01-24 16:30"))
    assert d.received_at == at("2025-01-24 16:30")
    assert d.due_at == at(due)
    assert d.appointment_at == d.due_at
    assert d.warn_at is not None and d.warn_at < d.due_at


def test_running_initial_state_computes_due_at_submit(calendar: te.WorkCalendar) -> None:
    """With a running initial state the due moment is set at submit."""
    eng = te.Engine(
        catalog(procedure(initial_clock="runs")), calendar=calendar, guards={"documents_checked": bool}
    )
    d = eng.submit("9.999001", actor=DESK, at=at("2026-02-13 10:00"), channel="direct")
    assert d.received_at == at("2026-02-13 10:00")
    assert d.due_at == at("2026-02-25 17:00")  # Tết 2026: Mon 16 - Fri 20 Feb off


def test_version_in_force_at_receipt(calendar: te.WorkCalendar) -> None:
    """A dossier is pinned to the version in force on the day of receipt."""
    old = procedure(version="2024.01", effective_to=dt.date(2025, 6, 30))
    new = procedure(version="2025.07", effective_from=dt.date(2025, 7, 1), amount=5)
    eng = te.Engine(catalog(old, new), calendar=calendar, guards={"documents_checked": bool})
    a = eng.submit("9.999001", actor=DESK, at=at("2025-06-30 09:00"))
    b = eng.submit("9.999001", actor=DESK, at=at("2025-07-01 09:00"))
    assert (a.procedure_version, b.procedure_version) == ("2024.01", "2025.07")
    with pytest.raises(te.UnknownProcedure):
        eng.submit("9.999001", actor=DESK, at=at("2023-12-31 09:00"))


@pytest.mark.parametrize(
    ("when", "error"),
    [
        (dt.datetime(2025, 3, 3, 8, 0), te.NaiveDatetimeError),
        ("2025-03-03T08:00:00", te.NaiveDatetimeError),
        ("3/3/2025 8:00", te.DataError),
    ],
    ids=["naive-datetime", "naive-string", "unreadable-string"],
)
def test_bad_moments_are_refused(engine: te.Engine, when: Any, error: type[Exception]) -> None:
    """A moment without an offset is an error, never a guess."""
    with pytest.raises(error):
        engine.submit("9.999001", actor=DESK, at=when)


@pytest.mark.parametrize(
    ("data", "path"),
    [({"when": dt.date(2025, 1, 1)}, "data.when"), ({"x": {1: "a"}}, "data.x"),
     ({"n": float("nan")}, "data.n"), ({"s": {"a", "b"}}, "data.s")],
    ids=["date", "int-key", "nan", "set"],
)  # fmt: skip
def test_non_json_data_is_refused(engine: te.Engine, data: dict[str, Any], path: str) -> None:
    """Data that JSON cannot carry exactly is refused, naming the path."""
    with pytest.raises(te.DataError, match=path.replace(".", r"\.")):
        engine.submit("9.999001", actor=DESK, at=at("2025-03-03 08:00"), data=data)


def test_channel_must_be_known_and_accepted(engine: te.Engine) -> None:
    """Unknown channels are data errors."""
    with pytest.raises(te.DataError, match="fax"):
        engine.submit("9.999001", actor=DESK, at=at("2025-03-03 08:00"), channel="fax")


def _error_cases() -> list[Any]:
    T, P, M, G = te.TransitionError, te.PermissionDenied, te.MissingData, te.GuardFailed
    return [
        pytest.param("return_result", OFFICER, {}, T, "allowed from 'processing'", id="not-from-state"),
        pytest.param("nonsense", OFFICER, {}, T, "not available", id="unknown-action"),
        pytest.param("approve", OFFICER, {}, P, "allowed roles: leader", id="role"),
        pytest.param("refuse", LEADER, {}, M, "note", id="note-required"),
        pytest.param("send_to_tax", OFFICER, {}, None, None, id="ok-no-requirements"),
        pytest.param("approve", LEADER, {"decision_no": "1"}, G, "decision_no", id="schema-guard"),
        pytest.param("approve_checked", LEADER, {}, G, "documents_checked", id="predicate"),
    ]


@pytest.mark.parametrize(("action", "actor", "data", "error", "text"), _error_cases())
def test_act_checks(
    engine: te.Engine, action: str, actor: te.Actor, data: dict[str, Any],
    error: type[Exception] | None, text: str | None,
) -> None:  # fmt: skip
    """Each refusal carries dossier, state, action, actor and says why; nothing is written."""
    d = _processing(engine)
    if error is None:
        assert (
            engine.act(d.id, action, actor=actor, at=at("2025-03-03 09:00"), data=data).version
            == d.version + 1
        )
        return
    with pytest.raises(error) as info:
        engine.act(d.id, action, actor=actor, at=at("2025-03-03 09:00"), data=data)
    exc = info.value
    assert isinstance(exc, RuntimeErrorBase)
    assert (exc.dossier_id, exc.state, exc.action, exc.actor) == (d.id, "processing", action, actor.id)
    assert text in str(exc)
    assert engine.get(d.id) == d
    assert len(engine.history(d.id)) == d.audit_count


def test_guard_passes_with_merged_data(engine: te.Engine) -> None:
    """The guard sees the dossier data after the action's data is merged."""
    d = _processing(engine, checked=False)
    d = engine.act(d.id, "approve", actor=LEADER, at=at("2025-03-04 09:00"), data={"decision_no": "QĐ-12"})
    assert d.state == "result_ready"
    assert d.data["decision_no"] == "QĐ-12"


def test_requires_is_checked_after_merge(engine: te.Engine) -> None:
    """A required field may come with the action itself."""
    d = _processing(engine)
    d = engine.act(d.id, "send_to_tax", actor=OFFICER, at=at("2025-03-03 09:00"))
    with pytest.raises(te.MissingData, match="tax_receipt"):
        engine.act(d.id, "tax_paid", actor=DESK, at=at("2025-03-04 09:00"))
    d = engine.act(d.id, "tax_paid", actor=DESK, at=at("2025-03-04 09:00"), data={"tax_receipt": "BL-1"})
    assert d.state == "processing"


def test_unknown_predicate_is_a_configuration_error(calendar: te.WorkCalendar) -> None:
    """A predicate guard nobody registered fails when the engine is built."""
    with pytest.raises(te.ConfigurationError, match="documents_checked"):
        te.Engine(catalog(), calendar=calendar)


def test_available_actions_follow_roles_and_guards(engine: te.Engine) -> None:
    """available_actions lists what this actor may do now."""
    d = _processing(engine)
    assert engine.available_actions(d.id, OFFICER) == ["request_supplement", "consult", "send_to_tax"]
    assert engine.available_actions(d.id, LEADER) == ["refuse", "reschedule", "extend"]
    d = engine.act(d.id, "consult", actor=OFFICER, at=at("2025-03-03 09:00"), data={"decision_no": "QĐ-1"})
    d = engine.act(d.id, "answer", actor=OFFICER, at=at("2025-03-03 10:00"))
    assert "approve" in engine.available_actions(d.id, LEADER)
    assert engine.available_actions(d.id, te.Actor("nobody")) == []


def test_time_never_runs_backwards(engine: te.Engine) -> None:
    """An act before the dossier's last event raises TimeOrderError."""
    d = _processing(engine, "2025-03-03 10:00")
    with pytest.raises(te.TimeOrderError) as info:
        engine.act(d.id, "consult", actor=OFFICER, at=at("2025-03-03 09:59"))
    assert info.value.dossier_id == d.id


def test_data_merge_is_audited_as_a_diff(engine: te.Engine) -> None:
    """What an action adds or changes is merged and recorded as from/to."""
    d = _processing(engine, owner="Trần Văn B", area=100)
    d = engine.act(
        d.id, "consult", actor=OFFICER, at=at("2025-03-03 09:00"), data={"area": 120, "note_vi": "đo lại"}
    )
    assert dict(d.data) == {"owner": "Trần Văn B", "area": 120, "note_vi": "đo lại"}
    assert engine.history(d.id)[-1].changes == {"area": {"from": 100, "to": 120}, "note_vi": {"to": "đo lại"}}


def test_expected_version_and_idempotency(engine: te.Engine) -> None:
    """A stale expected_version raises; a retried key returns the first result without acting twice."""
    d = _processing(engine)
    with pytest.raises(te.ConcurrencyError):
        engine.act(d.id, "consult", actor=OFFICER, at=at("2025-03-03 09:00"), expected_version=d.version - 1)
    first = engine.act(d.id, "consult", actor=OFFICER, at=at("2025-03-03 09:00"), idempotency_key="k-1",
                       expected_version=d.version)  # fmt: skip
    again = engine.act(d.id, "consult", actor=OFFICER, at=at("2025-03-03 09:00"), idempotency_key="k-1")
    assert again == first
    assert len(engine.history(d.id)) == first.audit_count
    sub1 = engine.submit("9.999001", actor=DESK, at=at("2025-03-03 09:00"), idempotency_key="s-1")
    sub2 = engine.submit("9.999001", actor=DESK, at=at("2025-03-03 09:00"), idempotency_key="s-1")
    assert sub1 == sub2
    with pytest.raises(te.ConcurrencyError, match="s-1"):  # another `at` is another request
        engine.submit("9.999001", actor=DESK, at=at("2025-03-03 09:05"), idempotency_key="s-1")


def test_recorded_at_comes_from_the_injected_clock(engine: te.Engine) -> None:
    """Entries keep both the event time and the recording time."""
    d = _processing(engine)
    entry = engine.history(d.id)[-1]
    assert entry.at == at("2025-03-03 08:00")
    assert entry.recorded_at == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert entry.roles == ("reception",)
    assert entry.at.tzinfo is not None and entry.at.utcoffset() == dt.timedelta(hours=7)
    assert TZ.utcoffset(None) == dt.timedelta(hours=7)


def test_closed_dossier_refuses_actions(engine: te.Engine) -> None:
    """A final state allows nothing and says the dossier is closed."""
    d = _processing(engine)
    d = engine.act(d.id, "withdraw", actor=EVERYONE, at=at("2025-03-03 09:00"), note="Người dân xin rút")
    assert (d.outcome, d.finished_at) == ("withdrawn", at("2025-03-03 09:00"))
    with pytest.raises(te.TransitionError, match="closed"):
        engine.act(d.id, "assign", actor=EVERYONE, at=at("2025-03-03 10:00"))
