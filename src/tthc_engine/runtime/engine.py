"""Engine: runs dossiers through their procedure's declared machine, one store transaction per act.

Check order for an act (each failure raises before anything is written, carrying dossier id, state,
action and actor): time order → action declared from the current state (TransitionError) → role
(PermissionDenied) → data JSON-compatible (DataError) → required data and note (MissingData) →
guard (GuardFailed) (runtime/checks.py) → clock effects (runtime/lifecycle.py). Then the new record
and its audit entry are committed together with an optimistic version check, and events are
delivered after the commit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from tthc_engine.audit.canonical import GENESIS_HASH
from tthc_engine.audit.chain import verify_chain
from tthc_engine.audit.entry import AuditEntry, EntryKind
from tthc_engine.calendar import WorkCalendar
from tthc_engine.definition.model import CHANNELS, Procedure
from tthc_engine.errors import ClockError, ConcurrencyError, DataError, TransitionError
from tthc_engine.runtime.checks import check_act, check_time_order, data_object, where
from tthc_engine.runtime.compiled import Compiled, EnginePolicy
from tthc_engine.runtime.dossier import SYSTEM, Actor, Dossier
from tthc_engine.runtime.events import Event, EventBus, EventKind, Handler
from tthc_engine.runtime.guards import GuardChecker, Predicate, check_predicates
from tthc_engine.runtime.lifecycle import enter, next_check
from tthc_engine.runtime.numbering import NationalNumbering, Numbering
from tthc_engine.runtime.values import json_data, moment
from tthc_engine.sla import StartPolicy
from tthc_engine.stores.base import Commit, Store
from tthc_engine.stores.idempotency import request_fingerprint

if TYPE_CHECKING:
    from tthc_engine.runtime.sweep import SweepReport


class CatalogLike(Protocol):
    """What the engine needs of a catalog (definition.Catalog provides it)."""

    def get(self, code: str, version: str) -> Procedure: ...
    def in_force(self, code: str, day: dt.date) -> Procedure: ...
    def __iter__(self) -> Iterator[Procedure]: ...


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Engine:
    """Embeds the procedures of a catalog in a host app (docs/embedding.md)."""

    def __init__(
        self,
        catalog: CatalogLike,
        *,
        calendar: WorkCalendar | None = None,
        store: Store | None = None,
        guards: Mapping[str, Predicate] | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        policy: EnginePolicy | StartPolicy | None = None,
        numbering: Numbering | None = None,
    ) -> None:
        from tthc_engine.stores.memory import MemoryStore

        self.catalog = catalog
        self.calendar = calendar if calendar is not None else WorkCalendar.vietnam()
        self.store: Store = store if store is not None else MemoryStore()
        self._predicates = dict(guards or {})
        check_predicates(catalog, self._predicates)  # unknown predicate: ConfigurationError now
        self._guards = GuardChecker(self._predicates)
        self._now = clock or _utc_now
        if isinstance(policy, StartPolicy):
            policy = EnginePolicy(start=policy)
        self.policy = policy or EnginePolicy()
        self.numbering: Numbering = numbering or NationalNumbering()
        self._digest = self.calendar.provenance.digest
        self._compiled: dict[tuple[str, str], Compiled] = {}
        self._roles: dict[frozenset[str], tuple[str, ...]] = {}  # sorted role tuples for audit entries
        self.events = EventBus()

    # --- events ---

    def subscribe(self, kind: str, handler: Handler) -> Callable[[], None]:
        """Call `handler(event)` after each committed event of `kind` ("*" = all); returns unsubscribe."""
        return self.events.subscribe(kind, handler)

    def on(self, kind: str) -> Callable[[Handler], Handler]:
        """Decorator form of `subscribe`: `@engine.on("overdue")`."""

        def register(handler: Handler) -> Handler:
            self.events.subscribe(kind, handler)
            return handler

        return register

    # --- reading ---

    def get(self, dossier_id: str) -> Dossier:
        return self.store.load(dossier_id)

    def history(self, dossier_id: str) -> list[AuditEntry]:
        return self.store.entries(dossier_id)

    def verify(self, dossier_id: str) -> None:
        """Raise AuditIntegrityError naming the first edited, removed, reordered or missing entry."""
        d = self.store.load(dossier_id)
        verify_chain(dossier_id, self.store.entries(dossier_id), head_hash=d.audit_head, count=d.audit_count)

    def procedure_of(self, d: Dossier) -> Procedure:
        return self._rt(d.procedure_code, d.procedure_version).procedure

    def available_actions(self, dossier_id: str, actor: Actor) -> list[str]:
        """The actions `actor` may take now: declared from the state, role held, guard satisfied."""
        d = self.store.load(dossier_id)
        rt = self._rt(d.procedure_code, d.procedure_version)
        out = []
        for name in rt.machine.allowed[d.state]:
            action = rt.actions[name]
            if not (actor.roles & action.roles):
                continue
            if action.guard is not None and self._guards.reasons(action.guard, d.data):
                continue
            out.append(name)
        return out

    def _rt(self, code: str, version: str) -> Compiled:
        key = (code, version)
        rt = self._compiled.get(key)
        if rt is None:
            rt = self._compiled.setdefault(key, Compiled.build(self.catalog.get(code, version)))
        return rt

    # --- submit ---

    def submit(
        self,
        code: str,
        *,
        actor: Actor,
        at: dt.datetime | str,
        channel: str = "direct",
        data: Mapping[str, Any] | None = None,
        note: str | None = None,
        idempotency_key: str | None = None,
    ) -> Dossier:
        """Create a dossier under the version in force at `at`, numbered, with its due moment."""
        when = moment(at)
        fingerprint = None
        if idempotency_key is not None:
            fingerprint = request_fingerprint(
                "submit", code, "submit", actor=actor.id, at=when, note=note,
                data=json_data(dict(data or {})), channel=channel,
            )  # fmt: skip
            found = self.store.recall(idempotency_key, fingerprint)
            if found is not None:
                return found
        if channel not in CHANNELS:
            raise DataError(f"unknown channel {channel!r}; use one of {', '.join(CHANNELS)}", actor=actor.id)
        checked = data_object(json_data(dict(data or {})), actor.id)
        day = when.astimezone(self.calendar.tz).date()
        proc = self.catalog.in_force(code, day)
        if channel not in proc.channels:
            raise TransitionError(
                f"procedure {code} {proc.version} does not accept the {channel!r} channel",
                action="submit",
                actor=actor.id,
                reasons=[f"accepted channels: {', '.join(proc.channels)}"],
            )
        rt = self._rt(proc.code, proc.version)
        blank = Dossier(
            id=uuid.uuid4().hex,
            number="",
            procedure_code=proc.code,
            procedure_version=proc.version,
            state=proc.initial,
            version=0,
            channel=channel,
            submitted_at=when,
            received_at=None,
            due_at=None,
            appointment_at=None,
            finished_at=None,
            outcome=None,
            timeliness=None,
            data=MappingProxyType(checked),
            clock=None,
            steps=(),
            reschedules=0,
            state_entered_at=when,
            last_event_at=when,
            last_act_at=when,
            timer_at=None,
            warn_at=None,
            warned_for=None,
            overdue_for=None,
            next_check_at=None,
            audit_head=GENESIS_HASH,
            audit_count=0,
        )
        updates, changes = enter(
            rt, self.policy, self.calendar, blank, action=None, target=proc.initial, at=when,
            actor_id=actor.id, data=checked, first=True,
        )  # fmt: skip
        changes["channel"] = channel
        recorded = moment(self._now(), "clock()")
        data_changes = {k: {"to": v} for k, v in checked.items()}

        def build(sequence: int) -> Commit:
            number = self.numbering.format(proc, day, sequence)
            entry = self._seal(
                blank, "submit", when, recorded, actor, "submit", None, proc.initial, note, data_changes,
                {**changes, "number": number},
            )  # fmt: skip
            fields = {**updates, "number": number, "version": 1, "audit_head": entry.hash, "audit_count": 1}
            fields["next_check_at"] = next_check(fields, blank)
            return Commit(attrs.evolve(blank, **fields), (entry,), 0, idempotency_key, fingerprint)

        dossier, replayed = self.store.create(build, sequence_key=self.numbering.sequence_key(proc, day))
        if not replayed:
            self.events.emit([Event("submitted", dossier, self.store.entries(dossier.id)[-1])])
        return dossier

    # --- act ---

    def act(
        self,
        dossier_id: str,
        action: str,
        *,
        actor: Actor,
        at: dt.datetime | str,
        note: str | None = None,
        data: Mapping[str, Any] | None = None,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> Dossier:
        """Apply one declared action; returns the committed dossier (see the module docstring)."""
        when = moment(at)
        fingerprint = None
        if idempotency_key is not None:  # the same request replays; another one raises (docs/embedding.md)
            fingerprint = request_fingerprint(
                "act", dossier_id, action, actor=actor.id, at=when, note=note,
                data=None if data is None else json_data(dict(data)),
            )  # fmt: skip
            found = self.store.recall(idempotency_key, fingerprint)
            if found is not None:
                if found.id != dossier_id:  # a legacy key (no fingerprint) of another dossier
                    raise ConcurrencyError(
                        f"idempotency key {idempotency_key!r} was first used on dossier {found.id}; "
                        "use a new key for each distinct call",
                        dossier_id=dossier_id, action=action, actor=actor.id,
                    )  # fmt: skip
                return found
        d = self.store.load(dossier_id)
        if expected_version is not None and expected_version != d.version:
            raise ConcurrencyError(
                f"dossier is at version {d.version}, the caller expected {expected_version}; "
                "reload and retry",
                dossier_id=dossier_id, state=d.state, action=action, actor=actor.id,
            )  # fmt: skip
        commit, event = self._apply(d, action, actor, when, note, data, "act", idempotency_key, fingerprint)
        dossier, replayed = self.store.commit(commit)
        if not replayed and self.events.active:
            self.events.emit([Event(event, dossier, commit.entries[0])])
        return dossier

    def _apply(
        self,
        d: Dossier,
        name: str,
        actor: Actor,
        when: dt.datetime,
        note: str | None,
        data: Mapping[str, Any] | None,
        kind: EntryKind,
        idempotency_key: str | None,
        fingerprint: str | None = None,
    ) -> tuple[Commit, EventKind]:
        """Check and compute one action (no writes): the Commit to store and the event kind."""
        if when < d.last_act_at:
            check_time_order(d, name, actor, when)
        key = (d.procedure_code, d.procedure_version)
        rt = self._compiled.get(key) or self._rt(*key)
        action, merged, data_changes, new_appointment = check_act(
            rt, self._guards, self.policy, d, name, actor, when, note, data, kind
        )
        state = d.state
        target = rt.machine.fire(state, name)
        if target is None:
            raise TransitionError(
                f"action {name!r} is not available in state {state!r}", **where(d, name, actor)
            )
        try:
            updates, changes = enter(
                rt, self.policy, self.calendar, d, action=action, target=target, at=when, actor_id=actor.id,
                data=merged, new_appointment=new_appointment,
            )  # fmt: skip
        except ClockError as exc:
            raise DataError(str(exc), **where(d, name, actor)) from exc
        if merged is not d.data:
            updates["data"] = merged
        entry = self._seal(d, kind, when, None, actor, name, state, target, note, data_changes, changes)
        updates["version"] = d.version + 1
        updates["audit_head"] = entry.hash
        updates["audit_count"] = entry.sequence
        updates["next_check_at"] = next_check(updates, d)
        return Commit(d.replace(updates), (entry,), d.version, idempotency_key, fingerprint), "transition"

    def _seal(
        self,
        d: Dossier,
        kind: EntryKind,
        when: dt.datetime,
        recorded: dt.datetime | None,
        actor: Actor,
        action: str | None,
        source: str | None,
        target: str,
        note: str | None,
        data_changes: Mapping[str, Any],
        clock_changes: Mapping[str, Any],
    ) -> AuditEntry:
        roles = self._roles.get(actor.roles)
        if roles is None:
            roles = self._roles.setdefault(actor.roles, tuple(sorted(actor.roles)))
        return AuditEntry.make(
            d.audit_count + 1, d.id, kind, when, recorded if recorded is not None else self._now(),
            actor.id, roles, action, source, target, note, data_changes, clock_changes,
            d.procedure_code, d.procedure_version, self._digest, d.audit_head,
        )  # fmt: skip

    # --- timers, warnings, deadlines ---

    def sweep(self, at: dt.datetime | str, *, limit: int | None = None) -> SweepReport:
        """Fire due timers and emit due warnings/overdue events (safe from cron and many workers)."""
        from tthc_engine.runtime.sweep import run_sweep

        return run_sweep(self, moment(at), limit or self.policy.sweep_limit)

    # --- export ---

    def export_record(self, dossier_id: str) -> dict[str, Any]:
        """One dossier's record as JSON-ready data: the dossier, its audit chain, verification hints."""
        from tthc_engine.audit.export import export_record

        return export_record(self.get(dossier_id), self.history(dossier_id))

    def control_slip(self, dossier_id: str) -> dict[str, Any]:
        """The process control slip (Form 05, Circular 01/2018/TT-VPCP) as JSON-ready data."""
        from tthc_engine.audit.export import control_slip

        d = self.get(dossier_id)
        return control_slip(d, self.procedure_of(d))

    def control_slip_text(self, dossier_id: str) -> str:
        from tthc_engine.audit.export import control_slip_text

        return control_slip_text(self.control_slip(dossier_id))

    # internal hooks for runtime/sweep.py
    def _system_apply(self, d: Dossier, name: str, when: dt.datetime, note: str) -> tuple[Commit, EventKind]:
        return self._apply(d, name, SYSTEM, when, note, None, "timer", None)
