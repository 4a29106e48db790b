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

from tthc_engine.audit.entry import EntryKind
from tthc_engine.definition.model import Action
from tthc_engine.errors import (
    DataError,
    GuardFailed,
    MissingData,
    PermissionDenied,
    TimeOrderError,
    TransitionError,
)
from tthc_engine.runtime.compiled import Compiled, EnginePolicy
from tthc_engine.runtime.dossier import Actor, Dossier
from tthc_engine.runtime.guards import GuardChecker
from tthc_engine.runtime.values import json_data, moment


def where(d: Dossier, action: str, actor: Actor) -> dict[str, Any]:
    """The error context of an act on `d`: keyword arguments for a RuntimeErrorBase subclass."""
    return {"dossier_id": d.id, "state": d.state, "action": action, "actor": actor.id}


def data_object(value: Any, actor: str) -> dict[str, Any]:
    """`value` (already JSON-checked) when it is an object; dossier data is always a mapping."""
    if not isinstance(value, dict):
        raise DataError(
            f"dossier data must be a JSON object (a mapping), not {type(value).__name__}", actor=actor
        )
    return value


def check_time_order(d: Dossier, name: str, actor: Actor, when: dt.datetime) -> None:
    """The first check: acts within a dossier never run backwards. Sweep observations (warning,
    overdue) do not raise this floor (Dossier.last_act_at)."""
    if when < d.last_act_at:
        raise TimeOrderError(
            f"at={when.isoformat()} is before the dossier's last act ({d.last_act_at.isoformat()}); "
            "acts within a dossier never run backwards: record them in the order they happened",
            **where(d, name, actor),
        )


def check_act(
    rt: Compiled,
    guards: GuardChecker,
    policy: EnginePolicy,
    d: Dossier,
    name: str,
    actor: Actor,
    when: dt.datetime,
    note: str | None,
    data: Mapping[str, Any] | None,
    kind: EntryKind,
) -> tuple[Action, Mapping[str, Any], dict[str, Any], dt.datetime | None]:
    """Check one action on `d` (no writes) after `check_time_order`: the action, the merged data, the
    audit's data changes and the new appointment of a reschedule."""
    state = d.state
    allowed = rt.machine.allowed[state]
    if name not in allowed:
        why = (
            "the dossier is closed"
            if d.outcome
            else f"allowed from {state!r}: {', '.join(allowed) or 'none'}"
        )
        raise TransitionError(
            f"action {name!r} is not available in state {state!r}", reasons=[why], **where(d, name, actor)
        )
    action = rt.actions[name]
    if kind == "act" and not (actor.roles & action.roles):
        raise PermissionDenied(
            f"actor {actor.id!r} may not {name!r}",
            reasons=[f"allowed roles: {', '.join(sorted(action.roles))}",
                     f"actor holds: {', '.join(sorted(actor.roles)) or 'no roles'}"],
            **where(d, name, actor),
        )  # fmt: skip
    merged = d.data
    data_changes: dict[str, Any] = {}
    if data:
        given = data_object(json_data(dict(data)), actor.id)
        for key, value in given.items():
            if key not in merged:
                data_changes[key] = {"to": value}
            elif merged[key] != value:
                data_changes[key] = {"from": merged[key], "to": value}
        merged = MappingProxyType({**merged, **given})
    missing = [k for k in action.requires if merged.get(k) in (None, "")] if action.requires else []
    if action.note_required and not (note and note.strip()):
        missing.append("note")
    if missing:
        raise MissingData(
            f"action {name!r} needs {', '.join(missing)}", reasons=missing, **where(d, name, actor)
        )
    if action.guard is not None:
        reasons = guards.reasons(action.guard, merged)
        if reasons:
            raise GuardFailed(
                f"the dossier data does not allow {name!r}", reasons=reasons, **where(d, name, actor)
            )
    new_appointment = None
    if "reschedule" in action.effects:
        new_appointment = moment(merged.get("new_appointment") or "", "data.new_appointment")
        if d.reschedules >= policy.max_reschedules:
            raise TransitionError(
                f"the appointment was already moved {d.reschedules} time(s)",
                reasons=["Decree 61/2018/ND-CP Art. 19(9): the appointment may be moved at most once "
                         "(EnginePolicy.max_reschedules)"],
                **where(d, name, actor),
            )  # fmt: skip
    return action, merged, data_changes, new_appointment
