"""examples/relay_rabbitmq/relay.py against a real broker: acts on a SQLite store with the outbox,
the relay run once, the queue consumed — every event there once, in order per dossier, with its id.

Skips, saying how to run it, when pika is not installed or no broker listens on 127.0.0.1:5672
(guest/guest; TTHC_TEST_AMQP_URL overrides the broker).
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import socket
import urllib.parse
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import tthc_engine as te

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "relay_rabbitmq" / "relay.py"
URL = os.environ.get("TTHC_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
HOW = (
    "pip install -r examples/relay_rabbitmq/requirements.txt and run RabbitMQ on 127.0.0.1:5672 (guest/guest)"
)

DESK = te.Actor("desk-07", {"reception"})


def _example() -> ModuleType:
    pytest.importorskip("pika", reason=f"the RabbitMQ relay example needs pika: {HOW}")
    parts = urllib.parse.urlparse(URL)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5672), timeout=2).close()
    except OSError as exc:
        pytest.skip(f"no RabbitMQ broker at {parts.hostname}:{parts.port or 5672} ({exc}): {HOW}")
    spec = importlib.util.spec_from_file_location("relay_rabbitmq_example", EXAMPLE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _acts(db: Path) -> dict[str, list[str]]:
    """Two dossiers lodged, accepted and assigned: the event ids each dossier's acts wrote."""
    engine = te.Engine(te.Catalog.load(ROOT / "procedures"), store=te.SQLiteStore(db, outbox=True))
    ids: dict[str, list[str]] = {}
    for minute in (0, 1):
        d = engine.submit(
            "1.001612", actor=DESK, at=f"2025-08-04T09:0{minute}:00+07:00", channel="direct",
            data={"household_name": "Hộ kinh doanh Bình An", "business_lines": ["4711"]},
        )  # fmt: skip
        engine.act(d.id, "accept", actor=DESK, at=f"2025-08-04T09:1{minute}:00+07:00")
        engine.act(d.id, "assign", actor=DESK, at=f"2025-08-04T10:0{minute}:00+07:00")
        ids[d.id] = [f"{d.id}:{e.sequence}" for e in engine.history(d.id)]
    engine.store.close()
    return ids


def test_every_event_reaches_the_queue_once_in_order(tmp_path: Path) -> None:
    example = _example()
    import pika

    db = tmp_path / "tthc.db"
    expected = _acts(db)
    queue = f"tthc.test.{secrets.token_hex(4)}"
    assert example.main(["--db", str(db), "--url", URL, "--queue", queue, "--once"]) == 0
    assert example.main(["--db", str(db), "--url", URL, "--queue", queue, "--once"]) == 0  # nothing left
    connection = pika.BlockingConnection(pika.URLParameters(URL))
    try:
        channel = connection.channel()
        got: list[tuple[str, Any, bytes]] = []
        while True:
            method, properties, body = channel.basic_get(queue, auto_ack=True)
            if method is None:
                break
            got.append((properties.message_id, properties, body))
        channel.queue_delete(queue)
    finally:
        connection.close()
    ids = [message_id for message_id, _, _ in got]
    assert sorted(ids) == sorted(i for one in expected.values() for i in one)  # each once
    for dossier_id, in_order in expected.items():
        assert [i for i in ids if i.startswith(dossier_id + ":")] == in_order
    for message_id, properties, body in got:
        assert properties.delivery_mode == 2 and properties.content_type == "application/json"
        payload = json.loads(body)
        assert (payload["id"], payload["event"]) == (message_id, properties.type)
    store = te.SQLiteStore(db, outbox=True)
    assert store.outbox_backlog() == 0
    store.close()
