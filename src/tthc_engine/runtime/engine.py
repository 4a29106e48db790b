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
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tthc_engine.audit.chain import verify_chain
from tthc_engine.audit.entry import AuditEntry
from tthc_engine.calendar import WorkCalendar
from tthc_engine.definition.guards import GuardEvaluator, Predicate
from tthc_engine.definition.model import CHANNELS, Procedure
from tthc_engine.errors import (
    AuditIntegrityError,
    ConcurrencyError,
    DataError,
    PermissionDenied,
    TransitionError,
)
from tthc_engine.records import Dossier
from tthc_engine.records.consistency import mismatches
from tthc_engine.reporting.explain import explain_due
from tthc_engine.reporting.export import control_slip, control_slip_text, export_record
from tthc_engine.reporting.forms import render_form
from tthc_engine.runtime.actor import Actor
from tthc_engine.runtime.checks import check_expected_version, data_object
from tthc_engine.runtime.compiled import EnginePolicy, Setting
from tthc_engine.runtime.desk import Desk
from tthc_engine.runtime.events import Event, EventBus, Handler
from tthc_engine.runtime.numbering import NationalNumbering, Numbering
from tthc_engine.runtime.operations import Operations
from tthc_engine.runtime.plan import CatalogLike, Numbers, Plan, Planner, blank_record
from tthc_engine.runtime.relay import Relay
from tthc_engine.runtime.reports import Reports
from tthc_engine.runtime.request import Request
from tthc_engine.runtime.sweep import LEASE, SweepReport, run_sweep
from tthc_engine.runtime.values import json_data
from tthc_engine.sla import StartPolicy
from tthc_engine.stores.base import Commit, Store
from tthc_engine.stores.idempotency import request_fingerprint
from tthc_engine.stores.memory import MemoryStore
from tthc_engine.timeutil import moment


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Engine(Desk, Operations, Reports, Relay):
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
        self.catalog = catalog
        self.calendar = calendar if calendar is not None else WorkCalendar.vietnam()
        self.store: Store = store if store is not None else MemoryStore()
        evaluator = GuardEvaluator(guards)
        evaluator.check_registered(catalog)  # unknown predicate: ConfigurationError now
        if isinstance(policy, StartPolicy):
            policy = EnginePolicy(start=policy)
        self.policy = policy or EnginePolicy()
        self.numbering: Numbering = numbering or NationalNumbering()
        self.planner = Planner(catalog, Setting(self.calendar, self.policy, evaluator), clock or _utc_now)
        self.events = EventBus()
        self._scopes = {}  # roles -> worklist pairs (runtime/desk.py)

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
        """Raise AuditIntegrityError naming the first edited, removed, reordered or missing entry —
        or the record's fields that differ from what its chain says (records/consistency.py: a
        record edited behind the store's back, e.g. a late dossier turned on time)."""
        d = self.store.load(dossier_id)
        entries = self.store.entries(dossier_id)
        verify_chain(dossier_id, entries, head_hash=d.audit_head, count=d.audit_count)
        wrong = mismatches(d, entries)
        if wrong:
            raise AuditIntegrityError(
                f"the stored record of dossier {dossier_id} does not match its audit chain: "
                + "; ".join(wrong)
                + " — the record was edited outside the engine; restore it from a backup",
                dossier_id=dossier_id,
            )

    def explain_due(self, dossier_id: str) -> list[str]:
        """Why the dossier's legal due moment is what it is, in words (Vietnamese first): the
        reasoning at receipt, rendered from the clock its receipt entry recorded, then every later
        entry that moved the due moment or the appointment (reporting/explain.py)."""
        return explain_due(self.history(dossier_id), self.calendar, self.policy.start)

    def procedure_of(self, d: Dossier) -> Procedure:
        return self.planner.compiled(d.procedure_code, d.procedure_version).procedure

    def available_actions(self, dossier_id: str, actor: Actor) -> list[str]:
        """The actions `actor` may take now: declared from the state, role held, guard satisfied."""
        d = self.store.load(dossier_id)
        rt = self.planner.compiled(d.procedure_code, d.procedure_version)
        guards = self.planner.setting.guards
        out = []
        for name in rt.machine.allowed[d.state]:
            action = rt.actions[name]
            if not (actor.roles & action.roles):
                continue
            if action.guard is not None and guards.reasons(action.guard, d.data):
                continue
            out.append(name)
        return out

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
        agency: str | None = None,
    ) -> Dossier:
        """Lodge a dossier under the version in force at `at`, with its lodgement reference; when
        the procedure's initial state counts the legal time (a desk receiving in person) this is
        also its receipt: the national number of the receiving agency (`agency`, else the actor's,
        else the numbering's default) and the due moment."""
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
        if channel == "direct":
            self._check_desk(proc, actor)
        blank = blank_record(uuid.uuid4().hex, proc, channel=channel, at=when, data=MappingProxyType(checked))
        request = Request("submit", actor, when, note, checked, "submit")
        recorded = self.planner.recorded_at()
        numbering = self.numbering
        if self.planner.receives_at_submit(proc):
            receiver = agency or actor.agency or numbering.agency(proc)
            key = numbering.sequence_key(receiver, day)

            def numbers(sequence: int) -> Numbers:
                return Numbers(number=numbering.format(receiver, day, sequence), agency=receiver)
        else:
            key = numbering.lodgement_key(day)

            def numbers(sequence: int) -> Numbers:
                return Numbers(reference=numbering.lodgement_reference(day, sequence))

        def build(sequence: int) -> Commit:
            plan = self.planner.submit(blank, request, numbers=numbers(sequence), recorded_at=recorded)
            return Commit(plan.dossier, (plan.entry,), 0, idempotency_key, fingerprint)

        dossier, replayed = self.store.create(build, sequence_key=key)
        if not replayed:
            self.events.emit([Event("submitted", dossier, self.store.entries(dossier.id)[-1])])
        return dossier

    def _check_desk(self, proc: Procedure, actor: Actor) -> None:
        """A direct submission is recorded by the desk that takes the papers (Decree 61/2018/ND-CP
        Art. 17): its actor must hold a role of an action from the initial state (e.g. `reception`).
        Online and postal lodgements come from the applicant or the post and need no role."""
        roles = self.planner.compiled(proc.code, proc.version).desk_roles
        if not actor.roles & roles:
            raise PermissionDenied(
                f"actor {actor.id!r} may not record a direct submission of {proc.code} {proc.version}",
                action="submit",
                actor=actor.id,
                reasons=[f"the desk's roles: {', '.join(sorted(roles)) or 'none'}",
                         f"actor holds: {', '.join(sorted(actor.roles)) or 'no roles'}",
                         "an applicant lodges online or by post (channel='online' or 'postal')"],
            )  # fmt: skip

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
        agency: str | None = None,
    ) -> Dossier:
        """Apply one declared action; returns the committed dossier (see the module docstring).

        The action that receives the dossier (`Planner.receives`) gives it its national number in the
        same transaction: the receiving agency is `agency`, else the actor's, else the numbering's
        default; the procedure version is the one in force on the receipt date
        (`EnginePolicy.version_at`)."""
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
        check_expected_version(d, expected_version, action, actor.id)
        request = Request(action, actor, when, note, data)
        if self.planner.receives(d, action):
            return self._receive(d, request, agency, idempotency_key, fingerprint)
        plan = self.planner.act(d, request)
        dossier, replayed = self.store.commit(
            Commit(plan.dossier, (plan.entry,), d.version, idempotency_key, fingerprint, d)
        )
        if not replayed and self.events.active:
            self.events.emit([Event(plan.event, dossier, plan.entry)])
        return dossier

    def _receive(
        self,
        d: Dossier,
        request: Request,
        agency: str | None,
        idempotency_key: str | None,
        fingerprint: str | None,
    ) -> Dossier:
        """The receipt: plan and commit the act with the national number the store allocates in
        the same transaction (a refused receipt consumes none)."""
        day = request.at.astimezone(self.calendar.tz).date()
        version = self._version_at_receipt(d, day)
        proc = self.planner.compiled(d.procedure_code, version).procedure
        receiver = agency or request.actor.agency or self.numbering.agency(proc)
        plans: list[Plan] = []

        def build(sequence: int) -> Commit:
            number = self.numbering.format(receiver, day, sequence)
            plan = self.planner.act(d, request, Numbers(number=number, agency=receiver, version=version))
            plans.append(plan)
            return Commit(plan.dossier, (plan.entry,), d.version, idempotency_key, fingerprint, d)

        key = self.numbering.sequence_key(receiver, day)
        dossier, replayed = self.store.commit_numbered(build, sequence_key=key)
        if not replayed and self.events.active:
            self.events.emit([Event(plans[-1].event, dossier, plans[-1].entry)])
        return dossier

    def _version_at_receipt(self, d: Dossier, day: dt.date) -> str:
        """The procedure version a receipt on `day` pins the dossier to (EnginePolicy.version_at)."""
        if self.policy.version_at == "lodgement":
            return d.procedure_version
        return self.catalog.in_force(d.procedure_code, day).version

    # --- timers, warnings, deadlines ---

    def sweep(
        self,
        at: dt.datetime | str,
        *,
        limit: int | None = None,
        worker: str | None = None,
        lease: dt.timedelta = LEASE,
    ) -> SweepReport:
        """Fire due timers and emit due warnings/overdue events (safe from cron and many workers):
        the batch is claimed for `worker` (default: host:pid) for `lease`, so workers sweeping at
        once share the due dossiers without doing one twice (runtime/sweep.py)."""
        limit = limit or self.policy.sweep_limit
        return run_sweep(self.planner, self.store, self.events, moment(at), limit, worker=worker, lease=lease)

    # --- export ---

    def export_record(self, dossier_id: str) -> dict[str, Any]:
        """One dossier's record as JSON-ready data: the dossier, its audit chain, verification hints."""
        return export_record(self.get(dossier_id), self.history(dossier_id))

    def control_slip(self, dossier_id: str) -> dict[str, Any]:
        """The process control slip (Form 05, Circular 01/2018/TT-VPCP) as JSON-ready data."""
        d = self.get(dossier_id)
        return control_slip(d, self.procedure_of(d))

    def control_slip_text(self, dossier_id: str) -> str:
        return control_slip_text(self.control_slip(dossier_id))

    def form(
        self,
        dossier_id: str,
        form: str,
        *,
        format: str = "html",
        sequence: int | None = None,
        template_dir: str | Path | None = None,
        key: bytes | None = None,
    ) -> str:
        """A one-stop form of the dossier ("01"–"05" of Circular 01/2018/TT-VPCP Art. 9(1), "stop" from
        01/07/2025) as text, JSON or HTML, rendered from its record and audit trail (docs/forms.md)."""
        d = self.get(dossier_id)
        return render_form(
            d, self.history(dossier_id), self.procedure_of(d), form,
            format=format, sequence=sequence, template_dir=template_dir, key=key,
        )  # fmt: skip
