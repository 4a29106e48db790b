"""An extension whose condition becomes true during processing moves the due moment at that act
(issue "What the records must say", §3), on the shipped judicial-record procedure 2.000488:
10 calendar days, +5 when `extended_lookup` (Law on Judicial Records 2009 Art. 48(1)-(2): 15 in all).

Received Wed 1/10/2025 09:00: day 10 is Sat 11/10, so due Mon 13/10 17:00 (Civil Code 2015 Art.
148(5)); with the extension day 15 is Thu 16/10 → due Thu 16/10 17:00.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from records_helpers import DESK, OFFICER, vn

import tthc_engine as te

CODE = "2.000488"


@pytest.fixture
def engine(procedures_dir: Path) -> te.Engine:
    return te.Engine(te.Catalog.load(procedures_dir))


def _processing(engine: te.Engine, data: dict[str, object] | None = None) -> te.Dossier:
    d = engine.submit(CODE, actor=DESK, at=vn("2025-10-01T09:00"), channel="direct", data=data)
    d = engine.act(d.id, "accept", actor=DESK, at=vn("2025-10-01T09:00"))
    assert d.due_at == vn("2025-10-16T17:00" if data else "2025-10-13T17:00")
    return engine.act(d.id, "assign", actor=DESK, at=vn("2025-10-01T10:00"))


def test_condition_set_by_a_later_act_extends_at_that_act(engine: te.Engine) -> None:
    d = _processing(engine)
    d = engine.act(
        d.id, "request_lookup", actor=OFFICER, at=vn("2025-10-03T09:00"),
        data={"consulted_agency": "Tòa án nhân dân khu vực 1", "extended_lookup": True},
    )  # fmt: skip
    assert d.due_at == vn("2025-10-16T17:00")
    assert d.appointment_at == vn("2025-10-16T17:00")
    assert d.clock is not None and d.clock.extensions == ("extended_lookup",)
    entry = engine.history(d.id)[-1]
    assert entry.clock["due_at"] == {"from": "2025-10-13T17:00:00+07:00", "to": "2025-10-16T17:00:00+07:00"}
    assert entry.clock["clock.extensions"]["to"] == [{"name": "extended_lookup", "amount": 5.0,
                                                     "unit": "calendar_days"}]  # fmt: skip
    lines = engine.explain_due(d.id)
    assert any(
        "request_lookup" in line and "extended_lookup" in line and "2025-10-16 17:00" in line
        for line in lines
    ), lines


def test_granted_extension_is_applied_once_and_kept(engine: te.Engine) -> None:
    d = _processing(engine, {"extended_lookup": True})
    d = engine.act(
        d.id, "request_lookup", actor=OFFICER, at=vn("2025-10-03T09:00"),
        data={"consulted_agency": "Công an tỉnh", "extended_lookup": True},
    )  # fmt: skip
    assert d.due_at == vn("2025-10-16T17:00")  # not twice
    d = engine.act(
        d.id, "lookup_answered", actor=OFFICER, at=vn("2025-10-06T09:00"), data={"extended_lookup": False}
    )
    assert d.due_at == vn("2025-10-16T17:00")  # a granted extension stays (docs/deadlines.md)


def test_conditions_are_reassessed_after_a_restart(engine: te.Engine) -> None:
    """The complete dossier after a supplement restarts the time (Decree 61/2018/ND-CP Art. 19(4));
    the data it brings decides the extension: Mon 6/10 + 15 days = Tue 21/10."""
    d = _processing(engine)
    d = engine.act(
        d.id, "request_supplement", actor=OFFICER, at=vn("2025-10-02T09:00"), note="Bổ sung tờ khai"
    )
    d = engine.act(d.id, "supplement", actor=DESK, at=vn("2025-10-06T09:00"), data={"extended_lookup": True})
    assert d.clock is not None and d.clock.restarts == 1
    assert d.due_at == vn("2025-10-21T17:00")
    assert d.clock.extensions == ("extended_lookup",)


def test_data_that_does_not_touch_a_condition_leaves_the_clock(engine: te.Engine) -> None:
    d = _processing(engine)
    before = d.clock
    d = engine.act(
        d.id, "request_lookup", actor=OFFICER, at=vn("2025-10-03T09:00"), data={"consulted_agency": "Tòa án"}
    )
    assert d.clock is before and d.due_at == vn("2025-10-13T17:00")
    assert "due_at" not in engine.history(d.id)[-1].clock


def test_calendar_day_explanation_says_what_the_arithmetic_did(engine: te.Engine) -> None:
    """Calendar days count every day: the explanation lists no day as skipped, and says that the
    last day (Sat 11/10/2025) is a day off, so the due moment is the next working day's close."""
    d = _processing(engine)
    lines = engine.explain_due(d.id)
    assert not any("bỏ qua" in line or "skipped" in line for line in lines), lines
    assert any("2025-10-11" in line and "2025-10-13" in line for line in lines), lines
    assert any("tính cả" in line for line in lines), lines  # weekends and holidays are counted
