"""Relay a store's outbox to RabbitMQ: every committed event on a durable queue, at least once.

Run: pip install -r examples/relay_rabbitmq/requirements.txt   (pika: an example dependency only)
     python examples/relay_rabbitmq/relay.py --db path/to/tthc.db [--url amqp://guest:guest@127.0.0.1:5672/%2F]
                                             [--queue tthc.events] [--once] [--interval 2]

The host opens its store with the outbox (te.SQLiteStore(path, outbox=True)); each act then writes
its event in the act's own transaction. This process claims the events (Engine.relay), publishes
each one to the queue and acknowledges it only after the broker confirmed it (publisher confirms),
so a crash anywhere loses nothing: an unacknowledged event is published again after its lease.

What a consumer gets: the event's canonical JSON payload (te.OutboxEvent.payload) as the body,
`message_id` = the stable event id "dossier_id:sequence" (de-duplicate on it: delivery is at least
once), `type` = the event kind ("transition", "overdue", …), persistent delivery on a durable queue,
and the events of one dossier in sequence order (one queue, one relay batch per dossier at a time).
Several relay processes may run at once: the store never hands the same event to two of them.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pika

import tthc_engine as te

ROOT = Path(__file__).resolve().parents[2]
URL = "amqp://guest:guest@127.0.0.1:5672/%2F"


def publisher(channel: Any, queue: str) -> Callable[[te.OutboxEvent], None]:
    """`deliver` for Engine.relay: publish one event and return once the broker confirmed it (the
    channel is in confirm mode, so basic_publish raises when the broker refuses or cannot route it,
    and the relay then keeps the event for a retry)."""

    def deliver(event: te.OutboxEvent) -> None:
        channel.basic_publish(
            exchange="",
            routing_key=queue,
            body=event.payload.encode("utf-8"),
            properties=pika.BasicProperties(
                message_id=event.id,
                type=event.event,
                content_type="application/json",
                delivery_mode=pika.DeliveryMode.Persistent,
                headers={
                    "dossier_id": event.dossier_id,
                    "sequence": event.sequence,
                    "attempts": event.attempts,
                },
            ),
            mandatory=True,
        )

    return deliver


def connect(url: str, queue: str) -> tuple[Any, Any]:
    """A blocking connection and a channel in confirm mode, the durable queue declared."""
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    channel.queue_declare(queue=queue, durable=True)
    channel.confirm_delivery()
    return connection, channel


def relay(engine: te.Engine, url: str, queue: str, *, once: bool, interval: float, worker: str | None) -> int:
    """Relay until the outbox is empty or a delivery failed (`once`: then return how many events were
    delivered, or raise when the broker is unreachable), or forever, reconnecting after a failure."""
    delivered = 0
    connection = None
    while True:
        try:
            if connection is None or connection.is_closed:
                connection, channel = connect(url, queue)
                deliver = publisher(channel, queue)
            report = engine.relay(deliver, worker=worker)
        except pika.exceptions.AMQPConnectionError as exc:  # the broker is away: try again later
            if once:
                raise
            print(f"broker unreachable at {url} ({exc!r}); retrying in {interval}s", file=sys.stderr)
            connection = None
            time.sleep(interval)
            continue
        delivered += len(report.delivered)
        for event_id, reason in report.failures:
            print(f"not delivered, retried after the lease: {event_id}: {reason}", file=sys.stderr)
        if report.failures and connection.is_closed:
            connection = None  # reconnect on the next round
        if report.claimed == 0 or report.failures:
            if once:
                if connection is not None and connection.is_open:
                    connection.close()
                return delivered
            time.sleep(interval)


def main(argv: list[str]) -> int:
    """Exit 0 when the outbox was relayed (with --once: emptied), 1 when the broker is unreachable,
    2 when --once left events behind (a delivery failed: they are retried after the lease)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", required=True, help="the SQLite store the host writes with outbox=True")
    parser.add_argument("--url", default=URL, help=f"the broker (default {URL})")
    parser.add_argument("--queue", default="tthc.events", help="the durable queue (default tthc.events)")
    parser.add_argument("--once", action="store_true", help="stop when the outbox is empty")
    parser.add_argument(
        "--interval", type=float, default=2.0, help="seconds between polls of an empty outbox"
    )
    parser.add_argument("--worker", default=None, help="this relay's name (default host:pid)")
    args = parser.parse_args(argv)
    store = te.SQLiteStore(args.db, outbox=True)
    engine = te.Engine(te.Catalog.load(ROOT / "procedures"), store=store)
    try:
        delivered = relay(
            engine, args.url, args.queue, once=args.once, interval=args.interval, worker=args.worker
        )
    except pika.exceptions.AMQPConnectionError as exc:
        print(f"broker unreachable at {args.url} ({exc!r}): start it, or pass --url", file=sys.stderr)
        return 1
    finally:
        backlog = store.outbox_backlog()
        store.close()
    print(f"relayed {delivered} event(s) to {args.queue}; backlog {backlog}")
    return 0 if backlog == 0 else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
