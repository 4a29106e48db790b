"""Receipt is a legal moment (issue "What the records must say", §1): the national number is given at
receipt (Decree 61/2018/ND-CP Art. 17, 26; Circular 01/2018/TT-VPCP Art. 19) with the receipt date and
the receiving agency; a lodged dossier has only a lodgement reference; a declined one consumes no
number; the procedure version is the one in force on the receipt date. Shipped procedure 1.001612.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from records_helpers import DATA, DESK, OFFICER, vn

import tthc_engine as te
from tthc_engine.errors import NumberingError
from tthc_engine.runtime.request import Request

AGENCY = "000.01.21.H47"  # the procedure's agency code (1.001612, 2025.07)
CENTRE = "000.00.27.H47"  # a public administration centre receiving for many communes


@pytest.fixture(scope="module")
def catalog(procedures_dir: Path) -> te.Catalog:
    return te.Catalog.load(procedures_dir)


def _lodge(engine: te.Engine, when: str = "2025-08-03T21:00", **kw: object) -> te.Dossier:
    return engine.submit("1.001612", actor=DESK, at=vn(when), channel="online", data=DATA, **kw)  # type: ignore[arg-type]


def test_a_lodged_dossier_has_a_reference_and_its_receipt_the_number_of_the_receipt_day(
    catalog: te.Catalog,
) -> None:
    engine = te.Engine(catalog)
    d = _lodge(engine)  # Sunday night, online
    assert (d.number, d.reference, d.receiving_agency) == (None, "NOP-250803-000001", None)
    d = engine.act(d.id, "accept", actor=DESK, at=vn("2025-08-04T08:00"))  # Monday
    assert (d.number, d.receiving_agency) == (f"{AGENCY}-250804-0001", AGENCY)
    assert d.reference == "NOP-250803-000001"  # kept: the applicant may still quote it
    entry = engine.history(d.id)[-1]
    assert entry.clock["number"] == {"from": None, "to": f"{AGENCY}-250804-0001"}
    assert entry.clock["receiving_agency"] == {"from": None, "to": AGENCY}


def test_declined_at_reception_consumes_no_number(catalog: te.Catalog) -> None:
    engine = te.Engine(catalog)
    first, second = _lodge(engine), _lodge(engine)
    first = engine.act(first.id, "decline", actor=DESK, at=vn("2025-08-04T08:00"), note="Thiếu giấy tờ")
    assert first.number is None and first.receiving_agency is None
    second = engine.act(second.id, "accept", actor=DESK, at=vn("2025-08-04T08:05"))
    assert second.number == f"{AGENCY}-250804-0001"


def test_the_receiving_desk_names_the_agency_per_call_or_per_actor(catalog: te.Catalog) -> None:
    engine = te.Engine(catalog)
    a, b, c = _lodge(engine), _lodge(engine), _lodge(engine)
    a = engine.act(a.id, "accept", actor=DESK, at=vn("2025-08-04T08:00"), agency=CENTRE)
    centre_desk = te.Actor("desk-hcc", {"reception"}, agency=CENTRE)
    b = engine.act(b.id, "accept", actor=centre_desk, at=vn("2025-08-04T08:05"))
    c = engine.act(c.id, "accept", actor=DESK, at=vn("2025-08-04T08:10"))
    assert [x.number for x in (a, b, c)] == [f"{CENTRE}-250804-0001", f"{CENTRE}-250804-0002",
                                             f"{AGENCY}-250804-0001"]  # fmt: skip
    assert [x.receiving_agency for x in (a, b, c)] == [CENTRE, CENTRE, AGENCY]


def test_a_refused_receipt_writes_nothing_and_consumes_no_number(catalog: te.Catalog) -> None:
    class TwoPerDay(te.NationalNumbering):
        def format(self, agency: str, day: dt.date, sequence: int) -> str:
            if sequence > 2:
                raise NumberingError(f"{agency}: only two receipts a day in this test")
            return super().format(agency, day, sequence)

    engine = te.Engine(catalog, numbering=TwoPerDay())
    ids = [_lodge(engine).id for _ in range(3)]
    for i in ids[:2]:
        engine.act(i, "accept", actor=DESK, at=vn("2025-08-04T08:00"))
    before = engine.get(ids[2])
    with pytest.raises(NumberingError, match="only two"):
        engine.act(ids[2], "accept", actor=DESK, at=vn("2025-08-04T08:10"))
    assert engine.get(ids[2]) == before and len(engine.history(ids[2])) == 1
    d = engine.act(ids[2], "accept", actor=DESK, at=vn("2025-08-05T08:00"))  # the next day: 0001
    assert d.number == f"{AGENCY}-250805-0001"


@pytest.mark.parametrize(
    ("overflow", "expected"), [("refuse", None), ("widen", f"{AGENCY}-250804-10000")], ids=["refuse", "widen"]
)
def test_past_9999_receipts_a_day(overflow: str, expected: str | None, catalog: te.Catalog) -> None:
    numbering = te.NationalNumbering(overflow=overflow)  # type: ignore[arg-type]
    day = dt.date(2025, 8, 4)
    assert numbering.format(AGENCY, day, 9999) == f"{AGENCY}-250804-9999"
    if expected is None:
        with pytest.raises(NumberingError, match="4 digits"):
            numbering.format(AGENCY, day, 10000)
    else:
        assert numbering.format(AGENCY, day, 10000) == expected


def test_an_idempotent_retry_of_the_receipt_consumes_no_number(catalog: te.Catalog) -> None:
    engine = te.Engine(catalog)
    a, b = _lodge(engine), _lodge(engine)
    first = engine.act(a.id, "accept", actor=DESK, at=vn("2025-08-04T08:00"), idempotency_key="k-1")
    again = engine.act(a.id, "accept", actor=DESK, at=vn("2025-08-04T08:00"), idempotency_key="k-1")
    assert again == first
    assert engine.act(b.id, "accept", actor=DESK, at=vn("2025-08-04T08:01")).number == f"{AGENCY}-250804-0002"


def test_lodged_under_one_version_received_under_the_next_is_repinned(catalog: te.Catalog) -> None:
    """Lodged online Mon 30/6/2025 (version 2021.01), received Tue 1/7/2025 (version 2025.07)."""
    engine = te.Engine(catalog)
    d = _lodge(engine, "2025-06-30T20:00")
    old = d.procedure_version
    d = engine.act(d.id, "accept", actor=DESK, at=vn("2025-07-01T08:00"))
    assert old != d.procedure_version == catalog.in_force("1.001612", dt.date(2025, 7, 1)).version
    entry = engine.history(d.id)[-1]
    assert entry.clock["procedure_version"] == {"from": old, "to": d.procedure_version}
    assert entry.procedure_version == d.procedure_version
    engine.verify(d.id)


def test_a_host_may_keep_the_lodgement_version(catalog: te.Catalog) -> None:
    engine = te.Engine(catalog, policy=te.EnginePolicy(version_at="lodgement"))
    d = _lodge(engine, "2025-06-30T20:00")
    old = d.procedure_version
    d = engine.act(d.id, "accept", actor=DESK, at=vn("2025-07-01T08:00"))
    assert d.procedure_version == old and "procedure_version" not in engine.history(d.id)[-1].clock


def test_a_desk_receiving_in_person_numbers_at_once(catalog: te.Catalog) -> None:
    """A procedure whose initial state counts the time: the submit is the receipt."""
    proc = catalog.in_force("1.001612", dt.date(2025, 8, 4))
    states = tuple(attrs.evolve(s, clock="runs") if s.id == proc.initial else s for s in proc.states)
    engine = te.Engine(te.Catalog([attrs.evolve(proc, states=states)]))
    d = engine.submit("1.001612", actor=DESK, at=vn("2025-08-04T08:00"), channel="direct", data=DATA)
    assert (d.number, d.reference, d.receiving_agency) == (f"{AGENCY}-250804-0001", None, AGENCY)
    assert d.received_at == vn("2025-08-04T08:00") and d.due_at == vn("2025-08-07T17:00")


def test_a_timer_cannot_receive(catalog: te.Catalog) -> None:
    engine = te.Engine(catalog)
    d = _lodge(engine)
    with pytest.raises(NumberingError, match="timer"):
        engine.planner.act(d, Request("accept", OFFICER, vn("2025-08-04T08:00"), kind="timer"))


def test_the_form_an_act_issued_is_in_its_audit_entry(catalog: te.Catalog) -> None:
    """accept issues form 01 (receipt and appointment slip), decline form 03 (Circular 01/2018/TT-VPCP
    Art. 9); an act that issues none records none."""
    engine = te.Engine(catalog)
    a, b = _lodge(engine), _lodge(engine)
    engine.act(a.id, "accept", actor=DESK, at=vn("2025-08-04T08:00"))
    engine.act(a.id, "assign", actor=DESK, at=vn("2025-08-04T08:10"))
    engine.act(b.id, "decline", actor=DESK, at=vn("2025-08-04T08:00"), note="Thiếu giấy tờ")
    assert [e.clock.get("issued_form") for e in engine.history(a.id)] == [None, "01", None]
    assert engine.history(b.id)[-1].clock["issued_form"] == "03"


def test_a_direct_submission_is_recorded_by_the_desk(catalog: te.Catalog) -> None:
    """Decree 61/2018/ND-CP Art. 17: in person, the desk takes the papers; online the applicant lodges."""
    engine = te.Engine(catalog)
    citizen = te.Actor("citizen-1", set())
    with pytest.raises(te.PermissionDenied, match="direct submission") as info:
        engine.submit("1.001612", actor=citizen, at=vn("2025-08-04T08:00"), channel="direct", data=DATA)
    assert any("reception" in r for r in info.value.reasons)
    d = engine.submit("1.001612", actor=citizen, at=vn("2025-08-04T08:00"), channel="online", data=DATA)
    assert d.reference is not None


def test_a_timer_fires_as_the_system_whatever_roles_its_action_lists(catalog: te.Catalog) -> None:
    """close_no_supplement lists `reception` (who may also take it by hand); the sweep fires it as
    the system actor after 15 working days."""
    engine = te.Engine(catalog)
    d = _lodge(engine)
    d = engine.act(d.id, "accept", actor=DESK, at=vn("2025-08-04T08:00"))
    d = engine.act(d.id, "request_supplement", actor=OFFICER, at=vn("2025-08-04T09:00"), note="Bổ sung")
    engine.sweep(vn("2025-09-01T08:00"))
    entry = engine.history(d.id)[-1]
    assert (entry.kind, entry.action, entry.actor, entry.roles) == ("timer", "close_no_supplement", "system",
                                                                    ("system",))  # fmt: skip
