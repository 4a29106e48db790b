"""What entering a state does to a dossier's clocks, steps, timers and outcome.

The clock behaviour of each state (definition/model.py ClockBehaviour) drives the legal clock:
- the first entry into a `runs` (or paused/stopped) state from a `pending` one starts the clock and
  sets received_at (the clock starts at reception, not upload: Decree 61/2018 Art. 17);
- entering a `paused` state pauses it, leaving one resumes it (the due moment moves later by the
  working time paused); effect `restart_clock` counts again from zero (Art. 19(4));
- entering a `stopped` state ends the legal time: finished_at and timeliness are set there;
- a final state sets the outcome (and finished_at if not yet set);
- a finish within time withdraws an overdue notice recorded meanwhile (`overdue_for` back to None):
  the act may be recorded after a sweep that observed the dossier overdue (a back-dated act).
Every change of a clock field is reported in `clock_changes` for the audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from tthc_engine.calendar import WorkCalendar
from tthc_engine.definition.model import Action, Duration
from tthc_engine.runtime.compiled import Compiled, EnginePolicy
from tthc_engine.runtime.dossier import Dossier, Step
from tthc_engine.sla import Clock, classify, compute_due, due_after
from tthc_engine.sla.timeliness import classify_aware


def iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def warn_moment(calendar: WorkCalendar, due_at: dt.datetime, before: Duration) -> dt.datetime:
    """The moment when only `before` is left until `due_at` (the warning threshold).

    Working days count back to the same clock time n working days earlier, so a due moment at the
    close of office hours warns at the close of the n-th working day before it.
    """
    if before.unit == "calendar_days":
        return due_at - dt.timedelta(days=before.amount)
    hours = before.amount if before.unit == "working_hours" else before.amount * calendar.hours_per_day
    if before.unit == "working_days" and float(before.amount).is_integer():
        local = due_at.astimezone(calendar.tz)
        day = calendar.add_working_days(local.date(), -int(before.amount))
        if local == calendar.end_of_working_day(local.date()):
            return calendar.end_of_working_day(day)
        return dt.datetime.combine(day, local.timetz()).astimezone(calendar.tz)
    return calendar.add_working_hours(due_at, -hours)


def next_check(updates: Mapping[str, Any], d: Dossier) -> dt.datetime | None:
    """The earliest moment the sweep has something to do for a dossier (the store's due index),
    reading `d` with the pending `updates` applied."""
    u = updates
    if (u.get("outcome", d.outcome)) is not None:
        return None
    timer_at: dt.datetime | None = u.get("timer_at", d.timer_at)
    due_at = u.get("due_at", d.due_at)
    if due_at is None or (u.get("finished_at", d.finished_at)) is not None:
        return timer_at
    clock = u.get("clock", d.clock)
    if clock is not None and clock.get("paused_at") is not None:
        return timer_at
    candidates = [timer_at] if timer_at is not None else []
    warn_at = u.get("warn_at", d.warn_at)
    if warn_at is not None and (u.get("warned_for", d.warned_for)) != due_at:
        candidates.append(warn_at)
    if (u.get("overdue_for", d.overdue_for)) != due_at:
        candidates.append(due_at)
    return min(candidates) if candidates else None


def enter(
    rt: Compiled,
    policy: EnginePolicy,
    calendar: WorkCalendar,
    d: Dossier,
    *,
    action: Action | None,
    target: str,
    at: dt.datetime,
    actor_id: str,
    data: Mapping[str, Any],
    new_appointment: dt.datetime | None = None,
    first: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The dossier fields that change when `action` moves `d` to `target` at `at`, and the audit's
    clock changes. Cheap when no clock behaviour changes (the common act). `first`: the submit, where
    `d` is the blank record in the initial state (treated as coming from a pending clock)."""
    source_clock = "pending" if first else rt.states[d.state].clock
    dest = rt.states[target]
    effects = action.effects if action is not None else ()
    loop = target == d.state and not first
    updates: dict[str, Any] = {"state": target, "last_event_at": at, "last_act_at": at}
    changes: dict[str, Any] = {}

    # --- the legal clock ---
    clock_dict = d.clock
    clock_touched = effects or source_clock != dest.clock or (clock_dict is None and dest.clock != "pending")
    due_at = d.due_at
    if clock_touched:
        clock = Clock.from_dict(clock_dict) if clock_dict is not None else None
        if clock is None and dest.clock != "pending":
            clock = Clock.start(
                calendar, rt.procedure.deadline, at, channel=d.channel, data=data, policy=policy.start
            )
            explained = compute_due(
                calendar, rt.procedure.deadline, at, channel=d.channel, data=data, policy=policy.start
            )
            changes["explanation"] = list(explained.explanation)
            updates["received_at"] = at
            changes["received_at"] = {"from": None, "to": at.isoformat()}
            if dest.clock == "paused":
                clock = clock.pause(calendar, at)
        elif clock is not None:
            if "restart_clock" in effects:
                clock = clock.restart(calendar, at, policy=policy.start)
                if dest.clock == "paused":
                    clock = clock.pause(calendar, at)
            elif source_clock == "paused" and dest.clock != "paused" and clock.paused_at is not None:
                clock = clock.resume(calendar, at)
            elif dest.clock == "paused" and clock.paused_at is None:
                clock = clock.pause(calendar, at)
            if "extend" in effects and action is not None and action.extension is not None:
                clock = clock.extend(calendar, rt.extensions[action.extension])
            if "reschedule" in effects and new_appointment is not None:
                if clock.appointment_at is not None:  # allowed again by policy (checked by the engine)
                    clock = attrs.evolve(clock, appointment_at=None)
                clock = clock.reschedule(new_appointment)
                updates["reschedules"] = d.reschedules + 1
        if clock is not None:
            new_dict = clock.to_dict()
            if clock_dict is None:
                changes["clock"] = {"from": None, "to": new_dict}
            else:
                for key in sorted(new_dict.keys() | clock_dict.keys()):
                    if new_dict.get(key) != clock_dict.get(key):
                        changes[f"clock.{key}"] = {"from": clock_dict.get(key), "to": new_dict.get(key)}
            updates["clock"] = new_dict
            due_at = clock.due_at
            updates["due_at"] = due_at
            updates["appointment_at"] = clock.appointment
            if clock.due_at != d.due_at:
                warn = rt.procedure.deadline.warn_before
                updates["warn_at"] = None if warn is None else warn_moment(calendar, clock.due_at, warn)

    # --- end of the legal time, outcome ---
    finished_at = d.finished_at
    if dest.clock == "stopped" and finished_at is None:
        finished_at = at
    elif (
        source_clock == "stopped"
        and dest.outcome is None
        and dest.clock in ("runs", "paused")
        and finished_at is not None
    ):
        finished_at = None  # sent back for rework: the legal time is open again
    if dest.outcome is not None:
        updates["outcome"] = dest.outcome
        changes["outcome"] = {"from": None, "to": dest.outcome}
        if finished_at is None:
            finished_at = at
    if finished_at != d.finished_at:
        updates["finished_at"] = finished_at
        changes["finished_at"] = {"from": iso(d.finished_at), "to": iso(finished_at)}
        timeliness = None if finished_at is None or due_at is None else classify(due_at, finished_at)
        updates["timeliness"] = timeliness
        changes["timeliness"] = {"from": d.timeliness, "to": timeliness}
        if timeliness in ("early", "on_time") and d.overdue_for is not None:
            # a back-dated finish within time (the act's `at` decides, not when it was recorded):
            # the overdue notice a sweep recorded meanwhile no longer stands
            updates["overdue_for"] = None
            changes["overdue_for"] = {"from": iso(d.overdue_for), "to": None}

    # --- steps (process control slip) and timers ---
    if not loop:
        # one zone conversion serves the hand-over and every budget below: classify and due_after give
        # the same answers for any aware moment of the same instant, and skip their own conversions
        local = at.astimezone(calendar.tz)
        steps = d.steps
        if steps and steps[-1].finished_at is None:
            last = steps[-1]
            due = last.due_at
            closed = Step(
                last.state,
                last.agency,
                last.entered_at,
                last.entered_by,
                due,
                at,
                actor_id,
                None if due is None else classify_aware(due, local),
                last.counted,
            )
            steps = (*steps[:-1], closed)
        if dest.outcome is None:
            step_due = None if dest.budget is None else due_after(calendar, dest.budget, local)
            opened = Step(target, dest.agency, at, actor_id, step_due, None, None, None, dest.counted)
            steps = (*steps, opened)
        updates["steps"] = tuple(steps)  # the same tuple when nothing changed
        updates["state_entered_at"] = at
        timers = rt.timers.get(target)
        timer_at = None
        if timers and dest.outcome is None:
            timer_at = min(due_after(calendar, t.after, local) for t in timers)
        updates["timer_at"] = timer_at
    if dest.outcome is not None:
        updates["timer_at"] = None
    if clock_touched:
        for name in ("due_at", "appointment_at"):
            if name in updates and updates[name] != getattr(d, name):
                changes[name] = {"from": iso(getattr(d, name)), "to": iso(updates[name])}
    return updates, changes
