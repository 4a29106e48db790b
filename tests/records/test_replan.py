"""Re-planning when the calendar or a definition changes (issue "What the records must say", §5): a
late-announced closure or a corrected version never silently moves — or silently fails to move — a
stored due moment. Shipped procedure 1.001612 (3 working days).

Received Mon 4/8/2025 09:00 → due Thu 7/8/2025 17:00. A storm closure announced later for Wed 6/8
moves it to Fri 8/8 17:00.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from records_helpers import DATA, DESK, OFFICER, vn

import tthc_engine as te
from tthc_engine.errors import EditedProcedureError

CLOSURE = """calendar_overlay: 1
name: Tỉnh ví dụ — nghỉ do bão
level: province
notice: Công điện ví dụ
non_working_days:
  - {name: Nghỉ do bão, notice: "Công điện số 01/CĐ-UBND (ví dụ)", date: "2025-08-06"}
"""


@pytest.fixture(scope="module")
def catalog(procedures_dir: Path) -> te.Catalog:
    return te.Catalog.load(procedures_dir)


@pytest.fixture
def storm(tmp_path: Path) -> te.WorkCalendar:
    path = tmp_path / "storm.yaml"
    path.write_text(CLOSURE, encoding="utf-8")
    return te.WorkCalendar.vietnam([path])


def _received(engine: te.Engine) -> te.Dossier:
    d = engine.submit("1.001612", actor=DESK, at=vn("2025-08-04T09:00"), channel="direct", data=DATA)
    d = engine.act(d.id, "accept", actor=DESK, at=vn("2025-08-04T09:00"))
    return engine.act(d.id, "assign", actor=DESK, at=vn("2025-08-04T09:30"))


def test_a_late_closure_is_reported_then_applied_once(catalog: te.Catalog, storm: te.WorkCalendar) -> None:
    store = te.MemoryStore()
    d = _received(te.Engine(catalog, store=store))
    finished = _received(te.Engine(catalog, store=store))
    te.Engine(catalog, store=store).act(finished.id, "withdraw", actor=DESK, at=vn("2025-08-05T09:00"),
                                        note="Người nộp rút")  # fmt: skip
    assert d.due_at == vn("2025-08-07T17:00")
    engine = te.Engine(catalog, calendar=storm, store=store)

    report = engine.replan([d.id, finished.id], at=vn("2025-08-05T07:00"))  # a dry run by default
    assert report.examined == 1 and not report.applied and not report.failed  # the finished one is history
    (item,) = report.moved
    assert (item.due_from, item.due_to) == (vn("2025-08-07T17:00"), vn("2025-08-08T17:00"))
    assert any("06/08/2025" in r and "Công điện số 01" in r for r in item.reasons), item.reasons
    assert engine.get(d.id) == d  # a dry run writes nothing

    applied = engine.replan([d.id], at=vn("2025-08-05T07:00"), dry_run=False)
    assert applied.applied and len(applied.moved) == 1
    after = engine.get(d.id)
    assert (after.due_at, after.appointment_at) == (vn("2025-08-08T17:00"), vn("2025-08-08T17:00"))
    assert after.state == d.state and after.last_act_at == d.last_act_at
    entry = engine.history(d.id)[-1]
    assert entry.kind == "replan" and entry.action is None and "Tính lại hạn" in (entry.note or "")
    assert entry.clock["due_at"] == {"from": "2025-08-07T17:00:00+07:00", "to": "2025-08-08T17:00:00+07:00"}
    engine.verify(d.id)
    assert engine.replan([d.id], at=vn("2025-08-05T07:10"), dry_run=False).changed == ()  # once
    d = engine.act(d.id, "submit_for_signature", actor=OFFICER, at=vn("2025-08-05T10:00"))
    assert d.due_at == vn("2025-08-08T17:00")  # later acts keep the re-planned moment


def test_nothing_moves_when_nothing_changed(catalog: te.Catalog) -> None:
    engine = te.Engine(catalog)
    d = _received(engine)
    d = engine.act(d.id, "request_supplement", actor=OFFICER, at=vn("2025-08-04T10:00"), note="Bổ sung")
    d = engine.act(d.id, "supplement", actor=DESK, at=vn("2025-08-05T09:00"))
    report = engine.replan([d.id], at=vn("2025-08-05T10:00"), dry_run=False)
    assert report.examined == 1 and report.changed == () and report.failed == ()
    assert len(engine.history(d.id)) == 5


def _with_deadline(catalog: te.Catalog, amount: float) -> te.Catalog:
    procs = [
        attrs.evolve(p, deadline=attrs.evolve(p.deadline, amount=amount)) if p.key == ("1.001612", "2025.07")
        else p for p in catalog
    ]  # fmt: skip
    return te.Catalog(procs)


def test_a_corrected_version_moves_due_and_repins_the_dossier(catalog: te.Catalog) -> None:
    store = te.MemoryStore()
    d = _received(te.Engine(catalog, store=store))
    corrected = te.Engine(_with_deadline(catalog, 5), store=store)
    with pytest.raises(EditedProcedureError):
        corrected.act(d.id, "submit_for_signature", actor=OFFICER, at=vn("2025-08-05T10:00"))
    report = corrected.replan([d.id], at=vn("2025-08-05T07:00"), dry_run=False)
    (item,) = report.moved
    assert item.due_to == vn("2025-08-11T17:00")  # 5 working days from Mon 4/8
    assert any("đã sửa nội dung" in r for r in item.reasons)
    d = corrected.act(d.id, "submit_for_signature", actor=OFFICER, at=vn("2025-08-05T10:00"))
    assert d.due_at == vn("2025-08-11T17:00")  # re-pinned: the edited version is now its version


def test_a_history_that_no_longer_replays_is_reported_and_left_alone(catalog: te.Catalog) -> None:
    store = te.MemoryStore()
    d = _received(te.Engine(catalog, store=store))
    procs = []
    for p in catalog:
        if p.key == ("1.001612", "2025.07"):  # a "correction" that drops the hand-over to processing
            p = attrs.evolve(p, actions=tuple(a for a in p.actions if a.name != "assign"))
        procs.append(p)
    report = te.Engine(te.Catalog(procs), store=store).replan(
        [d.id], at=vn("2025-08-05T07:00"), dry_run=False
    )
    (failed,) = report.failed
    assert failed.dossier_id == d.id and failed.error and "assign" in failed.error
    assert store.load(d.id) == d
