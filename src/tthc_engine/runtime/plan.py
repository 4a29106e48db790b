"""The act plan: from (compiled procedure, current record, request) to (new record, audit entry, event).

One computation serves every change a dossier can undergo — a submit, a person's act, a timer the
sweep fires, a warning or overdue observation — and writes nothing: `Engine` and the sweep hand
the `Plan` to the store as one commit and deliver its event after the commit. Keeping it pure (no
store, no event bus) is what lets the same plan run in a web request, a worker and a test, and
what keeps the sweep from borrowing the engine's internals.
"""

from __future__ import annotations

import datetime as dt
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Protocol

import attrs

from tthc_engine.audit.canonical import GENESIS_HASH
from tthc_engine.audit.entry import AuditEntry, EntryKind
from tthc_engine.definition.model import Procedure
from tthc_engine.errors import (
    ClockError,
    DataError,
    EditedProcedureError,
    EditedProcedureWarning,
    NumberingError,
    PermissionDenied,
    TransitionError,
)
from tthc_engine.records import Dossier, RecordUpdate
from tthc_engine.records.feedback import Feedback
from tthc_engine.runtime.actor import SYSTEM
from tthc_engine.runtime.checks import check_act, check_limits, check_time_order, where
from tthc_engine.runtime.compiled import Compiled, Setting
from tthc_engine.runtime.events import EventKind
from tthc_engine.runtime.lifecycle import Changes, Move, enter, next_check
from tthc_engine.runtime.request import Request
from tthc_engine.sla import due_after
from tthc_engine.timeutil import iso, moment


class CatalogLike(Protocol):
    """What the engine needs of a catalog (definition.Catalog provides it)."""

    def get(self, code: str, version: str) -> Procedure: ...
    def in_force(self, code: str, day: dt.date) -> Procedure: ...
    def __iter__(self) -> Iterator[Procedure]: ...


# entry kinds that record no action of the procedure
_NO_ACTION = frozenset({"warning", "overdue", "replan", "assignment", "feedback"})


@attrs.frozen(slots=True)
class Plan:
    """A change ready to commit: the new record, the audit entry that explains it, the event kind."""

    dossier: Dossier
    entry: AuditEntry
    event: EventKind


@attrs.frozen(slots=True)
class Numbers:
    """What the store's sequences gave a dossier, for the plan to record: at lodgement its reference;
    at receipt its national number, the receiving agency and the procedure version in force on the
    receipt date (`version`, None: keep the one it was lodged under)."""

    number: str | None = None
    agency: str | None = None
    reference: str | None = None
    version: str | None = None


@attrs.frozen(slots=True)
class _Sealing:
    """The audit fields of one plan that are not read from the record or the request."""

    kind: EntryKind
    source: str | None
    target: str
    changes: Mapping[str, Any]
    clock: Changes


class Planner:
    """Plans changes for the dossiers of one catalog under one Setting; thread-safe, no I/O.

    `clock` gives the recording moment (`recorded_at`) of each audit entry."""

    def __init__(self, catalog: CatalogLike, setting: Setting, clock: Callable[[], dt.datetime]) -> None:
        self.catalog = catalog
        self.setting = setting
        self._clock = clock
        self._compiled: dict[tuple[str, str], Compiled] = {}
        self._lock = threading.Lock()

    def compiled(self, code: str, version: str) -> Compiled:
        """The compiled procedure version (built once, on first use)."""
        rt = self._compiled.get((code, version))
        if rt is None:
            built = Compiled.build(self.catalog.get(code, version), self.setting.guards)
            with self._lock:
                rt = self._compiled.setdefault((code, version), built)
        return rt

    def recorded_at(self) -> dt.datetime:
        return moment(self._clock(), "clock()")

    # --- the plans ---

    def receives_at_submit(self, procedure: Procedure) -> bool:
        """Whether lodging a dossier of `procedure` is its receipt: the initial state counts the
        legal time (a desk that receives in person), so the national number is given at once."""
        state = self.compiled(procedure.code, procedure.version).states[procedure.initial]
        return state.clock != "pending" and state.outcome is None

    def receives(self, d: Dossier, action: str) -> bool:
        """Whether `action` on `d` is its receipt (Decree 61/2018/ND-CP Art. 17): a dossier not yet
        received enters a state that counts the legal time. The receipt is recognised by what the
        action does, so every procedure marks it by its states' `clock`."""
        if d.received_at is not None or d.clock is not None or d.number is not None:
            return False
        rt = self.compiled(d.procedure_code, d.procedure_version)
        target = rt.machine.fire(d.state, action)
        if target is None:
            return False
        dest = rt.states[target]
        return dest.clock != "pending" and dest.outcome is None

    def submit(self, blank: Dossier, request: Request, *, numbers: Numbers, recorded_at: dt.datetime) -> Plan:
        """The first record of a lodged dossier (`blank`: its initial state, version 0, no entries),
        with its lodgement reference, or its national number when the submit is its receipt."""
        rt = self.compiled(blank.procedure_code, blank.procedure_version)
        move = Move(rt, blank, None, blank.state, request.at, request.actor.id, blank.data, first=True)
        updates, clock = enter(self.setting, move)
        clock = {**clock, "channel": blank.channel, "procedure_fingerprint": rt.fingerprint}
        updates["procedure_fingerprint"] = rt.fingerprint
        if numbers.number is not None:
            updates["number"] = numbers.number
            updates["receiving_agency"] = numbers.agency
            clock["number"] = numbers.number
            clock["receiving_agency"] = numbers.agency
        else:
            updates["reference"] = numbers.reference
            clock["reference"] = numbers.reference
        data_changes = {k: {"to": v} for k, v in blank.data.items()}
        sealing = _Sealing("submit", None, blank.state, data_changes, clock)
        return self._finish(blank, updates, request, sealing, recorded_at, "submitted")

    def act(self, d: Dossier, request: Request, numbers: Numbers | None = None) -> Plan:
        """One declared action on `d` after every check (runtime/checks.py); raises, writing
        nothing, when a check fails. A receipt (`receives`) needs the `numbers` the store allocated
        for it: the national number, the receiving agency and the version to pin."""
        if request.at < d.last_act_at:
            check_time_order(d, request)
        pinned: dict[str, Any] = {}
        if numbers is None:
            if self.receives(d, request.action):
                raise NumberingError(
                    f"action {request.action!r} receives the dossier and needs its national number; "
                    "a receipt is made by a person at a desk (Engine.act), not by a timer",
                    **where(d, request),
                )
        elif numbers.version is not None and numbers.version != d.procedure_version:
            pinned = {"from": d.procedure_version, "to": numbers.version}
            d = self._repin(d, request, numbers.version)
        rt = self.compiled(d.procedure_code, d.procedure_version)
        if d.procedure_fingerprint is not None and d.procedure_fingerprint != rt.fingerprint:
            self._edited(d, rt, request)
        checked = check_act(rt, self.setting.guards, self.setting.policy, d, request)
        target = rt.machine.fire(d.state, request.action)
        if target is None:
            raise TransitionError(
                f"action {request.action!r} is not available in state {d.state!r}", **where(d, request)
            )
        move = Move(
            rt, d, checked.action, target, request.at, request.actor.id, checked.data, checked.new_appointment
        )
        try:
            updates, clock = enter(self.setting, move)
        except ClockError as exc:
            raise DataError(str(exc), **where(d, request)) from exc
        if checked.data is not d.data:
            updates["data"] = checked.data
        if numbers is not None:
            _record_receipt(numbers, pinned, updates, clock)
        if checked.action.issues_form is not None:  # the paper this act hands over (forms, issue 11)
            clock["issued_form"] = checked.action.issues_form
        sealing = _Sealing(request.kind, d.state, target, checked.data_changes, clock)
        return self._finish(d, updates, request, sealing, self.recorded_at(), "transition")

    def _edited(self, d: Dossier, rt: Compiled, request: Request) -> None:
        """The version `d` was pinned to has been edited in place (EnginePolicy.edited_versions)."""
        message = (
            f"procedure {d.procedure_code} {d.procedure_version} was edited since this dossier was pinned "
            f"to it (fingerprint {d.procedure_fingerprint}, now {rt.fingerprint})"
        )
        fix = ("publish the change as a new version (docs/authoring.md) and restore this one, or accept "
               "edited versions: EnginePolicy(edited_versions='warn'), then Engine.replan()")  # fmt: skip
        if self.setting.policy.edited_versions == "warn":
            warnings.warn(EditedProcedureWarning(f"{message}; {fix}"), stacklevel=4)
            return
        raise EditedProcedureError(message, reasons=[fix], **where(d, request))

    def _repin(self, d: Dossier, request: Request, version: str) -> Dossier:
        """`d` under the procedure version in force on its receipt date (EnginePolicy.version_at):
        its current state must exist there, or the receipt is refused with both versions named."""
        rt = self.compiled(d.procedure_code, version)
        if d.state not in rt.states:
            raise TransitionError(
                f"the dossier was lodged under {d.procedure_code} {d.procedure_version}, and version "
                f"{version} in force on the receipt date has no state {d.state!r}",
                reasons=["receive it under the version it was lodged under: "
                         "EnginePolicy(version_at='lodgement')"],
                **where(d, request),
            )  # fmt: skip
        return d.replace({"procedure_version": version, "procedure_fingerprint": rt.fingerprint})

    def timer(self, d: Dossier, at: dt.datetime) -> Plan | None:
        """The procedure timer due for `d` at `at`, fired as the system (None when none is due)."""
        if d.timer_at is None or d.timer_at > at:
            return None
        timers = self.compiled(d.procedure_code, d.procedure_version).timers.get(d.state, ())
        cal = self.setting.calendar
        due = sorted((due_after(cal, t.after, d.state_entered_at), i) for i, t in enumerate(timers))
        timer = timers[due[0][1]]
        note = (
            f"Tự động (automatic): {timer.after.amount:g} {timer.after.unit} ở trạng thái {d.state!r} "
            f"từ {d.state_entered_at.isoformat()} (timer)"
        )
        return self.act(d, Request(timer.action, SYSTEM, at, note, None, "timer"))

    def observation(self, d: Dossier, at: dt.datetime) -> Plan | None:
        """A warning or overdue notice due for `d` at `at`, or None. Overdue only AFTER the due
        moment: up to and including it the dossier is within time (sla.progress; finished then it
        is on time, Circular 01/2018/TT-VPCP Art. 13), so a sweep exactly at the due moment may
        only warn. An observation changes no state and does not raise the time-order floor."""
        kind: EventKind
        clock: Changes = {}
        updates: RecordUpdate = {"last_event_at": at}
        planned = d.warning_at
        if d.due_at is not None and d.due_at < at and d.overdue_for != d.due_at:
            kind = "overdue"
            updates["overdue_for"] = d.due_at
            clock["overdue_for"] = {"from": iso(d.overdue_for), "to": iso(d.due_at)}
            if planned:  # the overdue notice supersedes the warnings not yet sent
                updates["warning_at"] = ()
            if d.warned_for != d.due_at:  # the overdue notice supersedes a warning not yet sent
                updates["warned_for"] = d.due_at
                clock["warned_for"] = {"from": iso(d.warned_for), "to": iso(d.due_at)}
        elif planned and planned[0][1] <= at and d.due_at is not None:
            kind = "warning"  # one of the procedure's thresholds (deadline.warnings), once per due moment
            name = planned[0][0]
            updates["warning_at"] = planned[1:]
            updates["warnings_sent"] = (*d.warnings_sent, (name, d.due_at))
            clock["warning"] = name
        elif d.warn_at is not None and d.warn_at <= at and d.warned_for != d.due_at:
            kind = "warning"
            updates["warned_for"] = d.due_at
            clock["warned_for"] = {"from": iso(d.warned_for), "to": iso(d.due_at)}
        else:
            return None  # e.g. exactly at the due moment with the warning already sent
        clock["due_at"] = iso(d.due_at)
        request = Request(kind, SYSTEM, at, kind=kind)
        sealing = _Sealing(kind, d.state, d.state, {}, clock)
        return self._finish(d, updates, request, sealing, self.recorded_at(), kind)

    def replan(self, d: Dossier, updates: RecordUpdate, changes: Changes, request: Request) -> Plan:
        """The record moved to today's planned moments (runtime/replan.py), with one `replan` entry
        whose note says why. Like an observation it changes no state and does not raise the
        time-order floor (`last_act_at`)."""
        updates["last_event_at"] = max(request.at, d.last_event_at)
        sealing = _Sealing("replan", d.state, d.state, {}, changes)
        return self._finish(d, updates, request, sealing, self.recorded_at(), "replanned")

    def assignment(self, d: Dossier, officer: str | None, request: Request) -> Plan:
        """Hand `d` to the officer `officer` (None: back to the desk's shared worklist), recorded by
        `request.actor`, who must hold a role with an action in the dossier's current state (those
        who work a dossier hand it over). No state, clock or step changes; like an observation it
        moves `last_event_at` but not the time-order floor, so an act that happened before the
        hand-over can still be recorded after it."""
        if request.at < d.last_act_at:
            check_time_order(d, request)
        context = where(d, request)
        if d.outcome is not None:
            raise TransitionError(f"the dossier is closed ({d.outcome}): there is nothing to hand over",
                                  **context)  # fmt: skip
        if officer == d.assignee:
            said = f"already assigned to {officer!r}" if officer else "not assigned to anyone"
            raise TransitionError(f"the dossier is {said}", **context)
        rt = self.compiled(d.procedure_code, d.procedure_version)
        roles = {r for name in rt.machine.allowed[d.state] for r in rt.actions[name].roles}
        if not roles & request.actor.roles:
            raise PermissionDenied(
                f"{request.actor.id} holds none of the roles that act on the dossier in state "
                f"{d.state!r}, so cannot hand it over",
                reasons=[f"roles acting in {d.state!r}: {', '.join(sorted(roles)) or 'none'}"],
                **context,
            )
        clock: Changes = {"assignee": {"from": d.assignee, "to": officer}}
        updates: RecordUpdate = {"assignee": officer, "last_event_at": request.at}
        sealing = _Sealing("assignment", d.state, d.state, {}, clock)
        return self._finish(d, updates, request, sealing, self.recorded_at(), "assigned")

    def feedback(self, d: Dossier, feedback: Feedback, request: Request) -> Plan:
        """Record what the host says of the dossier (records/feedback.py): each fact given, with who
        gave it and when, in the record and in the entry. Allowed at any time after receipt — a
        citizen rates a dossier after its result — and, like an observation, it moves
        `last_event_at` but not the time-order floor."""
        context = where(d, request)
        given = feedback.given()
        if not given:
            raise DataError("record_feedback: give at least one fact (Feedback(rating=2), …)", **context)
        if d.received_at is None:
            raise TransitionError(
                "the dossier was never received: there is no handling to evaluate yet", **context
            )
        at = request.at.isoformat()
        held = dict(d.feedback)
        clock: Changes = {}
        for name, value in given.items():
            old = held.get(name)
            clock[f"feedback.{name}"] = {"from": None if old is None else old["value"], "to": value}
            held[name] = {"value": value, "by": request.actor.id, "at": at}
        updates: RecordUpdate = {"feedback": MappingProxyType(held), "last_event_at": request.at}
        sealing = _Sealing("feedback", d.state, d.state, {}, clock)
        return self._finish(d, updates, request, sealing, self.recorded_at(), "feedback")

    # --- sealing ---

    def _finish(
        self,
        d: Dossier,
        updates: RecordUpdate,
        request: Request,
        sealing: _Sealing,
        recorded_at: dt.datetime,
        event: EventKind,
    ) -> Plan:
        """Seal the audit entry over the change and complete the record: version, chain head and
        count, and the next moment the sweep must look at it. Every plan passes here, so the input
        limits are checked here once (nothing is written when they refuse)."""
        if request.note is not None or request.data:
            check_limits(self.setting.policy.limits, d, request)
        entry = AuditEntry.seal(
            sequence=d.audit_count + 1,
            dossier_id=d.id,
            kind=sealing.kind,
            at=request.at,
            recorded_at=recorded_at,
            actor=request.actor.id,
            roles=request.actor.sorted_roles,
            action=None if sealing.kind in _NO_ACTION else request.action,
            from_state=sealing.source,
            to_state=sealing.target,
            note=request.note,
            changes=sealing.changes,
            clock=sealing.clock,
            procedure_code=d.procedure_code,
            procedure_version=d.procedure_version,
            calendar_digest=self.setting.digest,
            prev_hash=d.audit_head,
        )
        updates["version"] = d.version + 1
        updates["audit_head"] = entry.hash
        updates["audit_count"] = entry.sequence
        updates["next_check_at"] = next_check(updates, d)
        return Plan(d.replace(updates), entry, event)


def _record_receipt(
    numbers: Numbers, pinned: Mapping[str, Any], updates: RecordUpdate, clock: Changes
) -> None:
    """The receipt's identifiers on the record and in its audit entry: the national number, the
    receiving agency, and the procedure version when the receipt re-pinned it."""
    updates["number"] = numbers.number
    updates["receiving_agency"] = numbers.agency
    clock["number"] = {"from": None, "to": numbers.number}
    clock["receiving_agency"] = {"from": None, "to": numbers.agency}
    if pinned:
        updates["procedure_version"] = pinned["to"]
        clock["procedure_version"] = dict(pinned)


def blank_record(
    dossier_id: str, proc: Procedure, *, channel: str, at: dt.datetime, data: Mapping[str, Any]
) -> Dossier:
    """The record of a dossier about to be lodged: initial state, version 0, no audit entries."""
    return Dossier(
        id=dossier_id, number=None, procedure_code=proc.code, procedure_version=proc.version,
        state=proc.initial, version=0, channel=channel, submitted_at=at, received_at=None, due_at=None,
        appointment_at=None, finished_at=None, outcome=None, timeliness=None, data=data, clock=None,
        steps=(), reschedules=0, state_entered_at=at, last_event_at=at, last_act_at=at, timer_at=None,
        warn_at=None, warned_for=None, overdue_for=None, next_check_at=None, audit_head=GENESIS_HASH,
        audit_count=0,
    )  # fmt: skip
