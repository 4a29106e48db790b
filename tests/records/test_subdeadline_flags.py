"""Legal sub-deadlines that stop gaming the clock (issue "What the records must say", §4), recorded
as flags on the dossier record and in the audit entry of the act that broke them, on the shipped
business-household procedure 1.001612 (3 working days):

- `late_supplement_request`: a supplement request later than 3 working days after receipt (Decree
  61/2018/ND-CP Art. 19(4));
- `repeated_supplement_request`: a second supplement request on the same dossier (the national
  portal's progress indicator counts it against the agency, Decision 766/QĐ-TTg);
- `late_apology`: an apology with a new appointment later than one working day before the legal due
  date (Art. 19(9)).

Received Mon 4/8/2025 09:00 → due Thu 7/8/2025 17:00.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from records_helpers import DATA, DESK, OFFICER, vn

import tthc_engine as te


@pytest.fixture
def engine(procedures_dir: Path) -> te.Engine:
    return te.Engine(te.Catalog.load(procedures_dir))


def _processing(engine: te.Engine) -> te.Dossier:
    d = engine.submit("1.001612", actor=DESK, at=vn("2025-08-04T09:00"), channel="direct", data=DATA)
    d = engine.act(d.id, "accept", actor=DESK, at=vn("2025-08-04T09:00"))
    assert d.due_at == vn("2025-08-07T17:00") and d.flags == ()
    return engine.act(d.id, "assign", actor=DESK, at=vn("2025-08-04T09:10"))


def _flags_of_last_entry(engine: te.Engine, d: te.Dossier) -> object:
    return engine.history(d.id)[-1].clock.get("flags")


def test_supplement_request_within_three_working_days_is_clean(engine: te.Engine) -> None:
    d = _processing(engine)
    d = engine.act(d.id, "request_supplement", actor=OFFICER, at=vn("2025-08-07T17:00"), note="Bổ sung")
    assert d.flags == () and d.supplement_requests == 1
    assert _flags_of_last_entry(engine, d) is None


def test_late_supplement_request_is_flagged(engine: te.Engine) -> None:
    d = _processing(engine)
    d = engine.act(d.id, "request_supplement", actor=OFFICER, at=vn("2025-08-08T08:00"), note="Bổ sung")
    assert d.flags == ("late_supplement_request",)
    assert _flags_of_last_entry(engine, d) == {"from": [], "to": ["late_supplement_request"]}


def test_second_supplement_request_is_flagged(engine: te.Engine) -> None:
    d = _processing(engine)
    d = engine.act(d.id, "request_supplement", actor=OFFICER, at=vn("2025-08-04T10:00"), note="Bổ sung")
    d = engine.act(d.id, "supplement", actor=DESK, at=vn("2025-08-05T09:00"))
    d = engine.act(d.id, "assign", actor=DESK, at=vn("2025-08-05T09:10"))
    d = engine.act(d.id, "request_supplement", actor=OFFICER, at=vn("2025-08-05T10:00"), note="Lần hai")
    assert d.supplement_requests == 2
    assert d.flags == ("repeated_supplement_request",)
    d = engine.act(d.id, "supplement", actor=DESK, at=vn("2025-08-06T09:00"))
    assert d.flags == ("repeated_supplement_request",)  # a flag stays for reports and forms


@pytest.mark.parametrize(
    ("apologised_at", "flags"),
    [("2025-08-06T17:00", ()), ("2025-08-07T09:00", ("late_apology",))],
    ids=["close-of-the-day-before-due", "on-the-due-day"],
)
def test_apology_after_the_day_before_due_is_flagged(
    engine: te.Engine, apologised_at: str, flags: tuple[str, ...]
) -> None:
    d = _processing(engine)
    d = engine.act(
        d.id, "reschedule", actor=OFFICER, at=vn(apologised_at), note="Xin lỗi: chờ xác minh",
        data={"new_appointment": "2025-08-12T17:00:00+07:00"},
    )  # fmt: skip
    assert d.flags == flags
    assert d.appointment_at == vn("2025-08-12T17:00")  # recorded, not refused (the default)


def test_flags_survive_the_store_round_trip(tmp_path: Path, procedures_dir: Path) -> None:
    engine = te.Engine(te.Catalog.load(procedures_dir), store=te.SQLiteStore(tmp_path / "flags.db"))
    d = _processing(engine)
    d = engine.act(d.id, "request_supplement", actor=OFFICER, at=vn("2025-08-08T08:00"), note="Bổ sung")
    engine.store.close()
    again = te.SQLiteStore(tmp_path / "flags.db")
    loaded = again.load(d.id)
    assert loaded.flags == ("late_supplement_request",) and loaded.supplement_requests == 1
    again.close()


def test_every_shipped_procedure_has_its_supplement_request_and_apology_recognised(
    procedures_dir: Path,
) -> None:
    """The checks find the acts by what they do (enter a paused state left by a restart; effect
    `reschedule`), so every procedure of the catalog is covered without naming its actions."""
    engine = te.Engine(te.Catalog.load(procedures_dir))
    for proc in engine.catalog:
        rt = engine.planner.compiled(proc.code, proc.version)
        assert rt.supplement_requests == {"request_supplement"}, proc.key
        assert "reschedule" in rt.apologies, proc.key
        assert all(proc.action(name).effects == ("reschedule",) for name in rt.apologies), proc.key


@pytest.mark.parametrize(
    ("answered_at", "flags"),
    [("2025-10-08T16:00", ()), ("2025-10-09T09:00", ("late_consultation",))],
    ids=["within-its-5-days", "after-them"],
)
def test_a_consultation_answered_after_its_own_deadline_is_flagged(
    engine: te.Engine, answered_at: str, flags: tuple[str, ...]
) -> None:
    """Judicial record 2.000488: the look-up asked of another agency on Fri 3/10/2025 has 5 calendar
    days (its state's budget, `consultation: true`): due Wed 8/10 17:00 (Decree 61/2018 Art. 19(5))."""
    d = engine.submit("2.000488", actor=DESK, at=vn("2025-10-01T09:00"), channel="direct")
    d = engine.act(d.id, "accept", actor=DESK, at=vn("2025-10-01T09:00"))
    d = engine.act(d.id, "assign", actor=DESK, at=vn("2025-10-01T10:00"))
    d = engine.act(d.id, "request_lookup", actor=OFFICER, at=vn("2025-10-03T09:00"),
                   data={"consulted_agency": "Tòa án nhân dân khu vực 1"})  # fmt: skip
    assert d.steps[-1].due_at == vn("2025-10-08T17:00")
    d = engine.act(d.id, "lookup_answered", actor=OFFICER, at=vn(answered_at))
    assert d.flags == flags
    assert d.steps[-2].timeliness == ("late" if flags else "on_time")
