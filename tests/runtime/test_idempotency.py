"""Idempotency keys: the same request replayed returns the first result; a different one is refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from factories import DESK, OFFICER, at, catalog

import tthc_engine as te

AT = "2025-03-03 08:00"


def _received(engine: te.Engine) -> te.Dossier:
    d = engine.submit("9.999001", actor=DESK, at=at(AT), channel="direct", data={"owner": "Lê Thị C"},
                      idempotency_key="sub-1")  # fmt: skip
    return engine.act(d.id, "accept", actor=DESK, at=at(AT), idempotency_key="acc-1")


def test_submit_key_reused_for_accept_is_refused(engine: te.Engine) -> None:
    """Reusing a submit key for `accept` raises, naming the key and its first use; nothing happens."""
    d = engine.submit("9.999001", actor=DESK, at=at(AT), channel="direct", idempotency_key="k-1")
    with pytest.raises(te.ConcurrencyError, match=r"'k-1'.*first used for submit of procedure 9.999001"):
        engine.act(d.id, "accept", actor=DESK, at=at(AT), idempotency_key="k-1")
    assert engine.get(d.id).state == "submitted"
    assert len(engine.history(d.id)) == 1


def test_same_request_replayed_returns_the_first_result(engine: te.Engine) -> None:
    """A retried submit and act with equal arguments return the first results; no event, no entry."""
    seen: list[str] = []
    engine.subscribe("*", lambda e: seen.append(e.kind))
    first = _received(engine)
    again_sub = engine.submit("9.999001", actor=DESK, at=at(AT), channel="direct", data={"owner": "Lê Thị C"},
                              idempotency_key="sub-1")  # fmt: skip
    again_acc = engine.act(
        first.id, "accept", actor=DESK, at=at(AT).astimezone(dt.UTC), idempotency_key="acc-1"
    )
    assert again_sub.id == first.id and again_sub.version == 1
    assert again_acc == first
    assert seen == ["submitted", "transition"]
    assert len(engine.history(first.id)) == first.audit_count == 2


def _variants() -> list[Any]:
    base: dict[str, Any] = {
        "action": "consult",
        "at": "2025-03-03 09:00",
        "note": "hỏi thuế",
        "data": {"a": 1},
    }
    return [
        pytest.param({**base, "action": "send_to_tax"}, "act 'consult'", id="other-action"),
        pytest.param({**base, "at": "2025-03-03 09:01"}, "different at/note/data", id="other-at"),
        pytest.param({**base, "note": "khác"}, "different at/note/data", id="other-note"),
        pytest.param({**base, "data": {"a": 2}}, "different at/note/data", id="other-data"),
        pytest.param({**base, "data": None}, "different at/note/data", id="no-data"),
    ]


@pytest.mark.parametrize(("second", "text"), _variants())
def test_different_act_under_a_used_key_is_refused(
    engine: te.Engine, second: dict[str, Any], text: str
) -> None:
    """Same key, same dossier, but another action, at, note or data: ConcurrencyError, nothing written."""
    d = _received(engine)
    d = engine.act(d.id, "assign", actor=DESK, at=at(AT))
    first = engine.act(d.id, "consult", actor=OFFICER, at=at("2025-03-03 09:00"), note="hỏi thuế",
                       data={"a": 1}, idempotency_key="k-2")  # fmt: skip
    with pytest.raises(te.ConcurrencyError, match=text) as info:
        engine.act(d.id, second["action"], actor=OFFICER, at=at(second["at"]), note=second["note"],
                   data=second["data"], idempotency_key="k-2")  # fmt: skip
    assert "k-2" in str(info.value) and info.value.dossier_id == d.id
    assert engine.get(d.id) == first


def test_data_key_order_does_not_matter(engine: te.Engine) -> None:
    """The fingerprint hashes the canonical form of data: key order is not a different request."""
    d = _received(engine)
    d = engine.act(d.id, "assign", actor=DESK, at=at(AT))
    first = engine.act(d.id, "consult", actor=OFFICER, at=at("2025-03-03 09:00"), data={"a": 1, "b": [1, 2]},
                       idempotency_key="k-3")  # fmt: skip
    again = engine.act(d.id, "consult", actor=OFFICER, at=at("2025-03-03 09:00"), data={"b": (1, 2), "a": 1},
                       idempotency_key="k-3")  # fmt: skip
    assert again == first


def test_key_of_another_dossier_is_refused(engine: te.Engine) -> None:
    """A key first used on one dossier, reused on another, names the first dossier."""
    a = _received(engine)
    b = engine.submit("9.999001", actor=DESK, at=at(AT), channel="direct")
    with pytest.raises(te.ConcurrencyError, match=f"on dossier {a.id}"):
        engine.act(b.id, "accept", actor=DESK, at=at(AT), idempotency_key="acc-1")


def test_sqlite_engine_refuses_a_reused_key(calendar: te.WorkCalendar, tmp_path: Path) -> None:
    """The fingerprint survives in SQLite: a second engine on the file refuses a different request."""
    one = te.Engine(catalog(), calendar=calendar, store=te.SQLiteStore(tmp_path / "e.db"),
                    guards={"documents_checked": bool})  # fmt: skip
    d = _received(one)
    two = te.Engine(catalog(), calendar=calendar, store=te.SQLiteStore(tmp_path / "e.db"),
                    guards={"documents_checked": bool})  # fmt: skip
    assert two.act(d.id, "accept", actor=DESK, at=at(AT), idempotency_key="acc-1") == d
    with pytest.raises(te.ConcurrencyError, match="acc-1"):
        two.act(d.id, "assign", actor=DESK, at=at(AT), idempotency_key="acc-1")
    assert two.get(d.id).state == "received"
