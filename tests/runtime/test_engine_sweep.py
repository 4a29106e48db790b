"""sweep(): timers, warnings and overdue notices once per due moment; events after commit; audit."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import attrs
import pytest
from factories import DESK, OFFICER, at

import tthc_engine as te
from tthc_engine.audit.canonical import canonical_json


def _processing(engine: te.Engine, when: str = "2025-03-03 08:00") -> te.Dossier:
    d = engine.submit("9.999001", actor=DESK, at=at(when), channel="direct")
    engine.act(d.id, "accept", actor=DESK, at=at(when))
    return engine.act(d.id, "assign", actor=DESK, at=at(when))


def test_warning_then_overdue_once_each(engine: te.Engine) -> None:
    """Due Thu 6 Mar 17:00: warned from Wed 5 Mar 17:00, overdue after; repeated sweeps add nothing."""
    seen: list[tuple[str, str]] = []
    engine.subscribe("*", lambda e: seen.append((e.kind, e.dossier.id)))
    d = _processing(engine)
    assert (d.due_at, d.warn_at) == (at("2025-03-06 17:00"), at("2025-03-05 17:00"))
    assert engine.sweep(at("2025-03-05 16:59")).warnings == ()
    report = engine.sweep(at("2025-03-05 17:00"))
    assert report.warnings == (d.id,)
    assert engine.sweep(at("2025-03-06 09:00")).warnings == ()
    report = engine.sweep(at("2025-03-07 08:00"))
    assert report.overdue == (d.id,)
    assert engine.sweep(at("2025-03-08 08:00")).examined == 0
    assert [k for k, _ in seen] == ["submitted", "transition", "transition", "warning", "overdue"]
    kinds = [e.kind for e in engine.history(d.id)]
    assert kinds[-2:] == ["warning", "overdue"]
    assert engine.get(d.id).next_check_at is None
    engine.verify(d.id)


def test_overdue_without_prior_warning_sends_only_overdue(engine: te.Engine) -> None:
    """A first sweep after the due moment records the overdue notice only."""
    d = _processing(engine)
    report = engine.sweep(at("2025-03-10 08:00"))
    assert (report.warnings, report.overdue) == ((), (d.id,))


def test_timer_closes_after_15_working_days_without_supplement(engine: te.Engine) -> None:
    """The declared timer fires its action as the system actor (Decree 297/2025 Art. 6(4)(a))."""
    fired: list[te.Event] = []
    engine.on("transition")(fired.append)
    d = _processing(engine)
    d = engine.act(d.id, "request_supplement", actor=OFFICER, at=at("2025-03-04 09:00"), note="Thiếu tờ khai")
    # 15 working days after Tue 4 Mar 2025: Tue 25 Mar, end of office hours
    assert d.timer_at == at("2025-03-25 17:00")
    assert engine.sweep(at("2025-03-25 16:00")).fired == ()
    report = engine.sweep(at("2025-03-25 17:00"))
    assert report.fired == ((d.id, "close_no_supplement"),)
    d = engine.get(d.id)
    assert (d.state, d.outcome) == ("closed", "cancelled")
    entry = engine.history(d.id)[-1]
    assert (entry.kind, entry.actor, entry.action) == ("timer", "system", "close_no_supplement")
    assert fired[-1].dossier.state == "closed"
    assert engine.sweep(at("2025-04-30 17:00")).examined == 0


def test_sweeps_of_two_engines_on_one_store_decide_once(calendar: te.WorkCalendar, tmp_path: Path) -> None:
    """Two workers sharing a store: one records the notice, the other finds nothing or loses the race."""
    from factories import catalog

    store = te.SQLiteStore(tmp_path / "s.db")
    a = te.Engine(catalog(), calendar=calendar, store=store, guards={"documents_checked": bool})
    b = te.Engine(catalog(), calendar=calendar, store=te.SQLiteStore(tmp_path / "s.db"),
                  guards={"documents_checked": bool})  # fmt: skip
    d = _processing(a)
    r1 = a.sweep(at("2025-03-07 08:00"))
    r2 = b.sweep(at("2025-03-07 08:00"))
    assert len(r1.overdue) + len(r2.overdue) == 1
    assert [e.kind for e in a.history(d.id)].count("overdue") == 1


def test_failing_handler_is_logged_and_commit_kept(
    engine: te.Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """A handler that raises never undoes the commit; the next handler still runs."""
    calls: list[str] = []

    def broken(event: te.Event) -> None:
        raise RuntimeError("mail server down")

    engine.subscribe("submitted", broken)
    engine.subscribe("submitted", lambda e: calls.append(e.dossier.number))
    with caplog.at_level(logging.ERROR, logger="tthc_engine.events"):
        d = engine.submit("9.999001", actor=DESK, at=at("2025-03-03 08:00"))
    assert engine.get(d.id) == d
    assert calls == [d.number]
    assert "mail server down" in caplog.text


def test_unknown_event_kind_is_refused(engine: te.Engine) -> None:
    """Subscribing to a kind that never fires is a configuration error."""
    with pytest.raises(te.ConfigurationError, match="transitoin"):
        engine.subscribe("transitoin", print)


def test_verify_catches_tampering_in_memory(engine: te.Engine) -> None:
    """An edited entry and a truncated chain are both named by verify."""
    d = _processing(engine)
    store = engine.store
    assert isinstance(store, te.MemoryStore)
    chain = engine.history(d.id)
    engine.verify(d.id)
    store._replace_entries(d.id, [chain[0], attrs.evolve(chain[1], actor="mallory"), chain[2]])
    with pytest.raises(te.AuditIntegrityError, match="edited") as info:
        engine.verify(d.id)
    assert info.value.sequence == 2
    store._replace_entries(d.id, chain[:2])
    with pytest.raises(te.AuditIntegrityError, match="truncated"):
        engine.verify(d.id)


def test_export_record_is_json_and_reverifiable(engine: te.Engine) -> None:
    """The exported record carries each entry and its hash; hashes recompute from the export alone."""
    import hashlib

    d = _processing(engine)
    record = json.loads(json.dumps(engine.export_record(d.id), ensure_ascii=False))
    entries = record["audit"]["entries"]
    prev = record["audit"]["genesis_prev_hash"]
    for entry in entries:
        claimed = entry.pop("hash")
        assert entry["prev_hash"] == prev
        assert hashlib.sha256(canonical_json(entry).encode()).hexdigest() == claimed
        prev = claimed
    assert prev == record["audit"]["head_hash"] == record["dossier"]["audit_head"]
    assert len(entries) == record["audit"]["count"] == 3
