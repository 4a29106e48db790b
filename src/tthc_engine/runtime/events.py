"""Events for the host app: delivered after the commit, never able to undo it.

A failing handler is logged (logger "tthc_engine.events") and the next handler still runs: the
dossier change is already durable, and the event can be replayed from the audit trail.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Literal

import attrs

from tthc_engine.audit.entry import AuditEntry
from tthc_engine.records import Dossier

EventKind = Literal["submitted", "transition", "warning", "overdue", "replanned", "assigned", "feedback"]
EVENT_KINDS: tuple[str, ...] = ("submitted", "transition", "warning", "overdue", "replanned", "assigned", "*")
LOG = logging.getLogger("tthc_engine.events")
_WARNING_KEY = "warning"  # the audit entry's key naming which threshold a warning was (runtime/plan.py)


@attrs.frozen(slots=True)
class Event:
    """What happened (`kind`), to which dossier (as committed), and the audit entry recording it."""

    kind: EventKind
    dossier: Dossier
    entry: AuditEntry

    @property
    def action(self) -> str | None:
        return self.entry.action

    @property
    def warning(self) -> str | None:
        """Which warning a `warning` event is: a `deadline.warnings` kind, or "warn_before" for the
        deadline's single `warn_before` warning; None for other events."""
        if self.kind != "warning":
            return None
        kind = self.entry.clock.get(_WARNING_KEY)
        return "warn_before" if kind is None else str(kind)


Handler = Callable[[Event], object]


class EventBus:
    """Handlers per kind ("*" receives every kind), called in subscription order."""

    def __init__(self) -> None:
        self._handlers: dict[str, tuple[Handler, ...]] = {}
        self._lock = threading.Lock()

    def subscribe(self, kind: str, handler: Handler) -> Callable[[], None]:
        """Register `handler` for `kind`; returns a function that unsubscribes it."""
        if kind not in EVENT_KINDS:
            from tthc_engine.errors import ConfigurationError

            raise ConfigurationError(
                f"unknown event kind {kind!r}; subscribe to one of {', '.join(EVENT_KINDS)}"
            )
        with self._lock:
            self._handlers[kind] = (*self._handlers.get(kind, ()), handler)

        def unsubscribe() -> None:
            with self._lock:
                self._handlers[kind] = tuple(h for h in self._handlers.get(kind, ()) if h is not handler)

        return unsubscribe

    @property
    def active(self) -> bool:
        """Whether anyone listens (lets the engine skip building events nobody receives)."""
        return any(self._handlers.values())

    def emit(self, events: list[Event]) -> None:
        handlers = self._handlers
        if not handlers:
            return
        for event in events:
            for handler in (*handlers.get(event.kind, ()), *handlers.get("*", ())):
                try:
                    handler(event)
                except Exception:
                    LOG.exception(
                        "event handler %r failed on %s of dossier %s (the change is committed)",
                        handler,
                        event.kind,
                        event.dossier.id,
                    )
