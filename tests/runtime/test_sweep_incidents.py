"""A dossier the sweep keeps failing on becomes one incident: logged once, counted, listed, rested
instead of retried (and logged) on every sweep."""

from __future__ import annotations

import logging

import pytest
from factories import DESK, OFFICER, at, catalog, procedure

import tthc_engine as te


def test_a_failing_timer_opens_one_incident(engine: te.Engine, caplog: pytest.LogCaptureFixture) -> None:
    d = engine.submit("9.999001", actor=DESK, at=at("2025-03-03 08:00"), channel="direct")
    engine.act(d.id, "accept", actor=DESK, at=at("2025-03-03 08:00"))
    engine.act(d.id, "request_supplement", actor=OFFICER, at=at("2025-03-03 09:00"), note="Thiếu")
    # a worker deployed with a catalog that lacks the dossier's procedure version
    broken = te.Engine(catalog(procedure(version="2099.01")), store=engine.store,
                       guards={"documents_checked": lambda data: True})  # fmt: skip
    with caplog.at_level(logging.ERROR, logger="tthc_engine.sweep"):
        report = broken.sweep(at("2025-04-30 08:00"), worker="w1")
        again = broken.sweep(at("2025-04-30 08:00"), worker="w1")
    assert [i for i, _ in report.failures] == [d.id]
    assert again.examined == 0  # resting: not retried (nor logged) on the next sweep
    assert caplog.text.count(d.id) == 1 and "incident" in caplog.text
    assert engine.store.incident_count() == 1
    [incident] = engine.store.incidents()
    assert (incident.dossier_id, incident.failures, incident.worker) == (d.id, 1, "w1")
    assert "2025.01" in incident.reason and incident.retry_at > incident.last_at
    assert engine.get(d.id).state == "supplement_requested"  # nothing half done
    engine.verify(d.id)
