"""Warning thresholds (issue "What the records must say", §4): several per procedure and per state,
at a share of the time, before the due moment, on the due day — each sent once per due moment by the
sweep, as a `warning` event naming its kind. On the shipped procedure 1.001612 (3 working days) with
the thresholds added: received Mon 4/8/2025 09:00 → due Thu 7/8/2025 17:00.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from records_helpers import DATA, DESK, OFFICER, vn

import tthc_engine as te
from tthc_engine.definition.model import WarningRule

RULES = (
    WarningRule("half_time", share=0.5),
    WarningRule("last_day_to_apologise", before=te.Duration(1, "working_days"), states=("processing",)),
    WarningRule("due_day", due_day=True),
)


@pytest.fixture
def engine(procedures_dir: Path) -> te.Engine:
    procs = [
        attrs.evolve(p, deadline=attrs.evolve(p.deadline, warn_before=None, warnings=RULES))
        if p.key == ("1.001612", "2025.07") else p
        for p in te.Catalog.load(procedures_dir)
    ]  # fmt: skip
    return te.Engine(te.Catalog(procs))


def _received(engine: te.Engine) -> te.Dossier:
    d = engine.submit("1.001612", actor=DESK, at=vn("2025-08-04T09:00"), channel="direct", data=DATA)
    return engine.act(d.id, "accept", actor=DESK, at=vn("2025-08-04T09:00"))


def test_each_threshold_is_planned_and_sent_once(engine: te.Engine) -> None:
    seen: list[tuple[str | None, str]] = []
    engine.subscribe("warning", lambda e: seen.append((e.warning, e.entry.at.isoformat())))
    d = _received(engine)
    # in `received` the apology threshold (processing only) is not planned
    assert [k for k, _ in d.warning_at] == ["half_time", "due_day"]
    d = engine.act(d.id, "assign", actor=DESK, at=vn("2025-08-04T10:00"))
    assert [k for k, _ in d.warning_at] == ["half_time", "last_day_to_apologise", "due_day"]
    half = dict(d.warning_at)["half_time"]
    assert vn("2025-08-05T15:00") < half < vn("2025-08-06T09:00")  # 12 of 24 working hours
    assert dict(d.warning_at)["last_day_to_apologise"] == vn("2025-08-06T17:00")
    assert dict(d.warning_at)["due_day"] == vn("2025-08-07T07:30")
    engine.sweep(vn("2025-08-06T17:00"))
    assert [k for k, _ in seen] == ["half_time", "last_day_to_apologise"]
    engine.sweep(vn("2025-08-06T18:00"))  # nothing twice
    engine.sweep(vn("2025-08-07T08:00"))
    assert [k for k, _ in seen] == ["half_time", "last_day_to_apologise", "due_day"]
    d = engine.get(d.id)
    assert d.warning_at == () and [k for k, _ in d.warnings_sent] == [k for k, _ in seen]
    assert engine.history(d.id)[-1].clock["warning"] == "due_day"


def test_overdue_supersedes_the_warnings_not_sent(engine: te.Engine) -> None:
    d = _received(engine)
    report = engine.sweep(vn("2025-08-08T08:00"))  # first sweep after the due moment
    assert report.overdue == (d.id,) and engine.get(d.id).warning_at == ()


def test_a_moved_due_moment_plans_its_warnings_again(engine: te.Engine) -> None:
    d = _received(engine)
    d = engine.act(d.id, "assign", actor=DESK, at=vn("2025-08-04T10:00"))
    engine.sweep(vn("2025-08-06T10:00"))  # half_time sent for due 7/8
    d = engine.act(d.id, "request_supplement", actor=OFFICER, at=vn("2025-08-06T11:00"), note="Bổ sung")
    assert d.warning_at == ()  # paused: nothing to warn about
    d = engine.act(d.id, "supplement", actor=DESK, at=vn("2025-08-11T09:00"))  # counted again: due 14/8
    assert d.due_at == vn("2025-08-14T17:00")
    assert [k for k, _ in d.warning_at] == ["half_time", "due_day"]  # again, for the new due moment


def test_thresholds_are_read_from_the_procedure_file(tmp_path: Path, procedures_dir: Path) -> None:
    text = (procedures_dir / "ho-kinh-doanh/1.001612-dang-ky-thanh-lap-ho-kinh-doanh.yaml").read_text("utf-8")
    text = text.replace(
        "  warn_before: {amount: 1, unit: working_days}\n",
        "  warnings:\n    - {kind: half_time, share: 0.5}\n"
        "    - {kind: last_day_to_apologise, before: {amount: 1, unit: working_days}, states: [processing]}\n"
        "    - {kind: due_day, due_day: true}\n",
    )
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    assert te.load_procedure(path).deadline.warnings == RULES
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("states: [processing]", "states: [procesing]"), encoding="utf-8")
    with pytest.raises(te.ProcedureError, match="TT301"):
        te.load_procedure(bad)
