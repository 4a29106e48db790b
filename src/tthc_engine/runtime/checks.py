"""The checks an act passes before anything is computed or written (the engine's check order).

time order → action declared from the current state (TransitionError) → role (PermissionDenied) →
data JSON-compatible (DataError) → required data and note (MissingData) → guard (GuardFailed) →
reschedule limit. Each failure raises carrying the dossier id, state, action and actor; that context
is built only when something is raised, since the act is the engine's hot path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from tthc_engine.audit.canonical import canonical_json
from tthc_engine.definition.guards import GuardEvaluator
from tthc_engine.definition.model import Action
from tthc_engine.errors import (
    ConcurrencyError,
    DataError,
    GuardFailed,
    MissingData,
    PermissionDenied,
    TimeOrderError,
    TransitionError,
)
from tthc_engine.records import Dossier
from tthc_engine.runtime.compiled import Compiled, EnginePolicy, InputLimits
from tthc_engine.runtime.request import Request
from tthc_engine.runtime.values import json_data
from tthc_engine.timeutil import moment


@attrs.frozen(slots=True)
class Checked:
    """What the checks found: the action, the data after the act, the audit's data changes and the
    new appointment of a reschedule."""

    action: Action
    data: Mapping[str, Any]
    data_changes: dict[str, Any]
    new_appointment: dt.datetime | None


def where(d: Dossier, request: Request) -> dict[str, Any]:
    """The error context of an act on `d`: keyword arguments for a RuntimeErrorBase subclass."""
    return {"dossier_id": d.id, "state": d.state, "action": request.action, "actor": request.actor.id}


def data_object(value: Any, actor: str) -> dict[str, Any]:
    """`value` (already JSON-checked) when it is an object; dossier data is always a mapping."""
    if not isinstance(value, dict):
        raise DataError(
            f"dossier data must be a JSON object (a mapping), not {type(value).__name__}", actor=actor
        )
    return value


def check_limits(limits: InputLimits, d: Dossier, request: Request) -> None:
    """Refuse a note or data larger than the engine's InputLimits (DataError, nothing written)."""
    note = request.note
    if note is not None and len(note) > limits.note_chars:
        raise DataError(
            f"the note is {len(note):,} characters, more than the {limits.note_chars:,} "
            "EnginePolicy(limits=InputLimits(note_chars=…)) allows; keep long texts in a document and "
            "refer to it in the note",
            **where(d, request),
        )
    if request.data:
        size = len(canonical_json(dict(request.data)).encode("utf-8"))
        if size > limits.data_bytes:
            raise DataError(
                f"the data given is {size:,} bytes as JSON, more than the {limits.data_bytes:,} "
                "EnginePolicy(limits=InputLimits(data_bytes=…)) allows; keep files and scans as documents "
                "and put their references in the data",
                **where(d, request),
            )


def check_time_order(d: Dossier, request: Request) -> None:
    """The first check: acts within a dossier never run backwards. Sweep observations (warning,
    overdue) do not raise this floor (Dossier.last_act_at)."""
    if request.at < d.last_act_at:
        raise TimeOrderError(
            f"at={request.at.isoformat()} is before the dossier's last act ({d.last_act_at.isoformat()}); "
            "acts within a dossier never run backwards: record them in the order they happened",
            **where(d, request),
        )


def check_act(
    rt: Compiled, guards: GuardEvaluator, policy: EnginePolicy, d: Dossier, request: Request
) -> Checked:
    """Check one action on `d` (no writes) after `check_time_order`."""
    name, actor = request.action, request.actor
    state = d.state
    allowed = rt.machine.allowed[state]
    if name not in allowed:
        why = (
            "the dossier is closed"
            if d.outcome
            else f"allowed from {state!r}: {', '.join(allowed) or 'none'}"
        )
        raise TransitionError(
            f"action {name!r} is not available in state {state!r}", reasons=[why], **where(d, request)
        )
    action = rt.actions[name]
    if request.kind == "act" and not (actor.roles & action.roles):
        raise PermissionDenied(
            f"actor {actor.id!r} may not {name!r}",
            reasons=[f"allowed roles: {', '.join(sorted(action.roles))}",
                     f"actor holds: {', '.join(sorted(actor.roles)) or 'no roles'}"],
            **where(d, request),
        )  # fmt: skip
    merged, data_changes = _merge(d, request)
    missing = [k for k in action.requires if merged.get(k) in (None, "")] if action.requires else []
    if action.note_required and not (request.note and request.note.strip()):
        missing.append("note")
    if missing:
        raise MissingData(f"action {name!r} needs {', '.join(missing)}", reasons=missing, **where(d, request))
    if action.guard is not None:
        reasons = guards.reasons(action.guard, merged)
        if reasons:
            raise GuardFailed(
                f"the dossier data does not allow {name!r}", reasons=reasons, **where(d, request)
            )
    new_appointment = None
    if "reschedule" in action.effects:
        new_appointment = moment(merged.get("new_appointment") or "", "data.new_appointment")
        if d.reschedules >= policy.max_reschedules:
            raise TransitionError(
                f"the appointment was already moved {d.reschedules} time(s)",
                reasons=["Decree 61/2018/ND-CP Art. 19(9): the appointment may be moved at most once "
                         "(EnginePolicy.max_reschedules)"],
                **where(d, request),
            )  # fmt: skip
    return Checked(action, merged, data_changes, new_appointment)


def _merge(d: Dossier, request: Request) -> tuple[Mapping[str, Any], dict[str, Any]]:
    """The dossier data with the act's data merged in (the same object when the act brings none),
    and the audit's data changes: key -> {"from", "to"} ("from" absent for a new key)."""
    if not request.data:
        return d.data, {}
    given = data_object(json_data(dict(request.data)), request.actor.id)
    merged = d.data
    changes: dict[str, Any] = {}
    for key, value in given.items():
        if key not in merged:
            changes[key] = {"to": value}
        elif merged[key] != value:
            changes[key] = {"from": merged[key], "to": value}
    return MappingProxyType({**merged, **given}), changes


def check_expected_version(d: Dossier, expected: int | None, action: str, actor_id: str) -> None:
    """The caller's optimistic check (`expected_version=`): the dossier it decided on is the stored one."""
    if expected is not None and expected != d.version:
        raise ConcurrencyError(
            f"dossier is at version {d.version}, the caller expected {expected}; reload and retry",
            dossier_id=d.id, state=d.state, action=action, actor=actor_id,
        )  # fmt: skip
