"""What a finished dossier's record says (issue "What the records must say", §2), on the shipped
business-household procedure 1.001612 (3 working days):

- never received (declined at reception, withdrawn while only lodged): no received_at, no legal due,
  no clock and no timeliness — the legal time never started (Decree 61/2018/ND-CP Art. 17);
- timeliness belongs to the decisions the agency must make in time: a resolved dossier and a refusal
  after processing (Art. 19(8): the refusal notice is due within the processing time); a withdrawn or
  cancelled dossier has none. The mapping is data (EnginePolicy.outcomes), with its sources.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from records_helpers import DATA, DESK, OFFICER, vn

import tthc_engine as te
from tthc_engine.sla import OUTCOME_RULES, OutcomeRule


@pytest.fixture(scope="module")
def catalog(procedures_dir: Path) -> te.Catalog:
    return te.Catalog.load(procedures_dir)


def _engine(catalog: te.Catalog, **policy: object) -> te.Engine:
    return te.Engine(catalog, policy=te.EnginePolicy(**policy) if policy else None)  # type: ignore[arg-type]


def _lodged(engine: te.Engine) -> te.Dossier:
    return engine.submit("1.001612", actor=DESK, at=vn("2025-08-04T08:30"), channel="online", data=DATA)


def _received(engine: te.Engine) -> te.Dossier:
    d = _lodged(engine)
    d = engine.act(d.id, "accept", actor=DESK, at=vn("2025-08-04T09:00"))
    return engine.act(d.id, "assign", actor=DESK, at=vn("2025-08-04T09:10"))


def _never_received(d: te.Dossier) -> None:
    assert (d.received_at, d.due_at, d.clock, d.timeliness) == (None, None, None, None)
    assert d.appointment_at is None
    assert d.next_check_at is None


def test_declined_at_reception_was_never_received(catalog: te.Catalog) -> None:
    engine = _engine(catalog)
    d = _lodged(engine)
    d = engine.act(d.id, "decline", actor=DESK, at=vn("2025-08-04T09:00"), note="Thiếu Giấy đề nghị")
    assert (d.state, d.outcome, d.finished_at) == ("not_received", "cancelled", vn("2025-08-04T09:00"))
    _never_received(d)
    entry = engine.history(d.id)[-1]
    assert "received_at" not in entry.clock and "clock" not in entry.clock and "timeliness" not in entry.clock


def test_withdrawn_while_only_lodged_was_never_received(catalog: te.Catalog) -> None:
    engine = _engine(catalog)
    d = _lodged(engine)
    d = engine.act(d.id, "withdraw", actor=DESK, at=vn("2025-08-04T10:00"), note="Người nộp xin rút")
    assert (d.state, d.outcome) == ("withdrawn", "withdrawn")
    _never_received(d)


def test_withdrawn_after_receipt_keeps_its_receipt_but_has_no_timeliness(catalog: te.Catalog) -> None:
    engine = _engine(catalog)
    d = _received(engine)
    due = d.due_at
    d = engine.act(d.id, "withdraw", actor=DESK, at=vn("2025-08-05T10:00"), note="Người nộp xin rút")
    assert (d.outcome, d.received_at, d.due_at, d.finished_at) == (
        "withdrawn", vn("2025-08-04T09:00"), due, vn("2025-08-05T10:00"),
    )  # fmt: skip
    assert d.timeliness is None
    assert "timeliness" not in engine.history(d.id)[-1].clock


@pytest.mark.parametrize(
    ("refused_at", "expected"),
    [("2025-08-05T10:00", "early"), ("2025-08-07T16:00", "on_time"), ("2025-08-08T09:00", "late")],
)
def test_refusal_after_processing_is_timed(catalog: te.Catalog, refused_at: str, expected: str) -> None:
    """Due Thu 7 Aug 2025 17:00 (received Mon 4 Aug 09:00, 3 working days)."""
    engine = _engine(catalog)
    d = _received(engine)
    assert d.due_at == vn("2025-08-07T17:00")
    d = engine.act(d.id, "refuse", actor=OFFICER, at=vn(refused_at), note="Ngành nghề cấm kinh doanh")
    assert (d.outcome, d.timeliness) == ("refused", expected)


def test_closed_for_no_supplement_has_no_timeliness(catalog: te.Catalog) -> None:
    engine = _engine(catalog)
    d = _received(engine)
    d = engine.act(d.id, "request_supplement", actor=OFFICER, at=vn("2025-08-04T10:00"), note="Bổ sung")
    report = engine.sweep(vn("2025-09-01T08:00"))  # 15 working days later: the timer closes it
    d = engine.get(d.id)
    assert report.fired == ((d.id, "close_no_supplement"),)
    assert (d.state, d.outcome) == ("closed", "cancelled")
    assert d.timeliness is None


def test_the_mapping_is_data_with_sources() -> None:
    assert {o: r.timed for o, r in OUTCOME_RULES.items()} == {
        "resolved": True, "refused": True, "withdrawn": False, "cancelled": False,
    }  # fmt: skip
    assert all(rule.source for rule in OUTCOME_RULES.values())


def test_a_host_may_time_withdrawals(catalog: te.Catalog) -> None:
    rules = {**OUTCOME_RULES, "withdrawn": OutcomeRule("withdrawn", True, "quy chế của tỉnh (ví dụ)")}
    engine = _engine(catalog, outcomes=rules)
    d = _received(engine)
    d = engine.act(d.id, "withdraw", actor=DESK, at=vn("2025-08-05T10:00"), note="Người nộp xin rút")
    assert d.timeliness == "early"
