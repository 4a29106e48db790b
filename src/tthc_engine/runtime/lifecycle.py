"""What entering a state does to a dossier's clocks, steps, timers and outcome — in named steps.

The clock behaviour of each state (definition/model.py ClockBehaviour) drives the legal clock:
- the first entry into a `runs` (or paused/stopped) state from a `pending` one starts the clock and
  sets received_at (the clock starts at reception, not upload: Decree 61/2018/ND-CP Art. 17);
- entering a `paused` state pauses it, leaving one resumes it (the due moment moves later by the
  working time paused); effect `restart_clock` counts again from zero (Art. 19(4));
- entering a `stopped` state ends the legal time: finished_at and timeliness are set there;
- a final state sets the outcome (and finished_at if not yet set);
- a finish within time withdraws an overdue notice recorded meanwhile (`overdue_for` back to None):
  the act may be recorded after a sweep that observed the dossier overdue (a back-dated act).

`enter` runs the steps in order — `_drive_clock`, `_finish`, `_hand_over`, `_due_changes` — each
reading the `Move` and writing the typed record update and the audit's clock changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from tthc_engine.calendar import WorkCalendar
from tthc_engine.definition.model import Action, State
from tthc_engine.records import Dossier, RecordUpdate, Step
from tthc_engine.runtime.compiled import Compiled, Setting
from tthc_engine.runtime.flags import flag_subdeadlines, plan_warnings
from tthc_engine.sla import Clock, before_due, classify, compute_due, due_after
from tthc_engine.sla.timeliness import classify_aware, timed
from tthc_engine.timeutil import iso

Changes = dict[str, Any]  # the audit entry's `clock` object: field -> {"from", "to"} (JSON-ready)


@attrs.frozen(slots=True)
class Move:
    """One state entry being computed: the record before it, the action and where it leads.

    `action` is None and `first` True for the submit, where `record` is the blank record in the
    initial state (treated as coming from a pending clock)."""

    compiled: Compiled
    record: Dossier
    action: Action | None
    target: str
    at: dt.datetime
    actor_id: str
    data: Mapping[str, Any]
    new_appointment: dt.datetime | None = None
    first: bool = False

    @property
    def source_clock(self) -> str:
        return "pending" if self.first else self.compiled.states[self.record.state].clock

    @property
    def effects(self) -> tuple[str, ...]:
        return self.action.effects if self.action is not None else ()


def next_check(updates: RecordUpdate, d: Dossier) -> dt.datetime | None:
    """The earliest moment the sweep has something to do for a dossier (the store's due index),
    reading `d` with the pending `updates` applied."""
    u = updates
    if u.get("outcome", d.outcome) is not None:
        return None
    timer_at = u.get("timer_at", d.timer_at)
    due_at = u.get("due_at", d.due_at)
    if due_at is None or u.get("finished_at", d.finished_at) is not None:
        return timer_at
    clock = u.get("clock", d.clock)
    if clock is not None and clock.paused_at is not None:
        return timer_at
    candidates = [timer_at] if timer_at is not None else []
    warn_at = u.get("warn_at", d.warn_at)
    if warn_at is not None and u.get("warned_for", d.warned_for) != due_at:
        candidates.append(warn_at)
    planned = u.get("warning_at", d.warning_at)
    if planned:
        candidates.append(planned[0][1])
    if u.get("overdue_for", d.overdue_for) != due_at:
        candidates.append(due_at)
    return min(candidates) if candidates else None


def enter(setting: Setting, move: Move) -> tuple[RecordUpdate, Changes]:
    """The record fields that change when `move` enters its target state, and the audit's clock
    changes. Cheap when no clock behaviour changes (the common act)."""
    at = move.at
    dest = move.compiled.states[move.target]
    updates: RecordUpdate = {"state": move.target, "last_event_at": at, "last_act_at": at}
    changes: Changes = {}
    touched = _drive_clock(setting, move, dest, updates, changes)
    _finish(setting, move, dest, updates, changes)
    if move.first or move.target != move.record.state:
        _hand_over(setting, move, dest, updates)
    if dest.outcome is not None:
        updates["timer_at"] = None
    if touched:
        _due_changes(move.record, updates, changes)
    rt, d = move.compiled, move.record
    if rt.warnings and (touched or move.first or move.target != d.state):
        updates["warning_at"] = plan_warnings(setting, rt, d, updates, move.target)
    if move.action is not None and (
        move.action.name in rt.supplement_requests
        or move.action.name in rt.apologies
        or (d.state in rt.consultations and move.target != d.state)
    ):
        flag_subdeadlines(setting, rt, d, move.action.name, move.at, updates, changes)
    return updates, changes


def _drive_clock(setting: Setting, move: Move, dest: State, updates: RecordUpdate, changes: Changes) -> bool:
    """Start, pause, resume, restart, extend or reschedule the legal clock as the move requires;
    False (nothing written) when no clock field can change."""
    d, effects, source = move.record, move.effects, move.source_clock
    if not (
        effects
        or source != dest.clock
        or (d.clock is None and dest.clock != "pending")
        or _reassess(move, dest)
    ):
        return False
    old = d.clock
    if old is None:
        if dest.clock == "pending" or dest.outcome is not None:
            return True  # not received yet, or never (declined, withdrawn while only lodged)
        clock = _start_clock(setting, move, dest, updates, changes)
        changes["clock"] = {"from": None, "to": clock.to_dict()}
    else:
        clock = _change_clock(setting, move, dest, old, updates)
        if clock is old:
            return True  # e.g. runs → stopped: the legal time ends (_finish), the clock is unchanged
        changes.update({f"clock.{key}": change for key, change in clock.changes_from(old).items()})
    updates["clock"] = clock
    updates["due_at"] = clock.due_at
    updates["appointment_at"] = clock.appointment
    if clock.due_at != d.due_at:
        warn = move.compiled.procedure.deadline.warn_before
        updates["warn_at"] = None if warn is None else before_due(setting.calendar, clock.due_at, warn)
    return True


def _start_clock(setting: Setting, move: Move, dest: State, updates: RecordUpdate, changes: Changes) -> Clock:
    """Receipt: the legal clock starts (Decree 61/2018/ND-CP Art. 17), paused at once when the
    dossier goes straight to a paused state. The due moment is computed once; its reasoning in
    words is not built here — the audit entry keeps the clock it started (the inputs of the
    computation) and `Engine.explain_due` renders the words from it on request."""
    deadline, channel = move.compiled.procedure.deadline, move.record.channel
    result = compute_due(
        setting.calendar, deadline, move.at, channel=channel, data=move.data, policy=setting.policy.start,
        guards=setting.guards,
    )  # fmt: skip
    updates["received_at"] = move.at
    changes["received_at"] = {"from": None, "to": move.at.isoformat()}
    clock = Clock.from_due(result, deadline, move.at, channel=channel)
    return clock.pause(setting.calendar, move.at) if dest.clock == "paused" else clock


def _change_clock(setting: Setting, move: Move, dest: State, clock: Clock, updates: RecordUpdate) -> Clock:
    """A running (or paused) clock: restart, resume or pause, then extend and reschedule."""
    cal, effects, at = setting.calendar, move.effects, move.at
    if "restart_clock" in effects:
        clock = clock.restart(cal, at, policy=setting.policy.start)
        if dest.clock == "paused":
            clock = clock.pause(cal, at)
    elif move.source_clock == "paused" and dest.clock != "paused" and clock.paused_at is not None:
        clock = clock.resume(cal, at)
    elif dest.clock == "paused" and clock.paused_at is None:
        clock = clock.pause(cal, at)
    if _reassess(move, dest) or "restart_clock" in effects:
        clock = _newly_applicable(setting, move, clock)
    action = move.action
    if "extend" in effects and action is not None and action.extension is not None:
        clock = clock.extend(cal, move.compiled.extensions[action.extension])
    if "reschedule" in effects and move.new_appointment is not None:
        if clock.appointment_at is not None:  # allowed again by policy (checked before planning)
            clock = attrs.evolve(clock, appointment_at=None)
        clock = clock.reschedule(move.new_appointment)
        updates["reschedules"] = move.record.reschedules + 1
    return clock


def _reassess(move: Move, dest: State) -> bool:
    """Whether the move may make a conditional extension applicable: the act changed the data of a
    received dossier whose deadline has conditions, and the legal time goes on after it."""
    return (
        move.data is not move.record.data
        and bool(move.compiled.conditional)
        and move.record.clock is not None
        and dest.outcome is None
        and dest.clock != "stopped"
    )


def _newly_applicable(setting: Setting, move: Move, clock: Clock) -> Clock:
    """Extend `clock` by every conditional extension whose condition the data now meets (data set by
    a later act, e.g. the judicial-record look-up of Law on Judicial Records 2009 Art. 48(2), or the
    complete dossier after a restart). A granted extension is never withdrawn when the data changes
    back: the applicant was promised the later date (docs/deadlines.md, "Extensions")."""
    for ext in move.compiled.conditional:
        applies = ext.when is not None and setting.guards.decide(ext.when, move.data)
        if applies and ext.name not in clock.extensions:
            clock = clock.extend(setting.calendar, ext)
    return clock


def _finish(setting: Setting, move: Move, dest: State, updates: RecordUpdate, changes: Changes) -> None:
    """The end of the legal time (a stopped state), its reopening (sent back for rework), the
    outcome of a final state and the timeliness of the finish — of the outcomes that are measured
    (EnginePolicy.outcomes): a withdrawn or cancelled dossier has none, even when its legal time
    had stopped before."""
    d, at = move.record, move.at
    finished_at = d.finished_at
    if dest.clock == "stopped" and finished_at is None:
        finished_at = at
    elif (
        move.source_clock == "stopped"
        and dest.outcome is None
        and dest.clock in ("runs", "paused")
        and finished_at is not None
    ):
        finished_at = None  # sent back for rework: the legal time is open again
    untimed = False
    if dest.outcome is not None:
        updates["outcome"] = dest.outcome
        changes["outcome"] = {"from": None, "to": dest.outcome}
        if finished_at is None:
            finished_at = at
        untimed = not timed(setting.policy.outcomes, dest.outcome)
    if finished_at == d.finished_at and not (untimed and d.timeliness is not None):
        return
    if finished_at != d.finished_at:
        updates["finished_at"] = finished_at
        changes["finished_at"] = {"from": iso(d.finished_at), "to": iso(finished_at)}
        clock = updates.get("clock", d.clock)
        counted = clock is not None and finished_at is not None
        updates["worked_minutes"] = worked_minutes(setting.calendar, clock, finished_at) if counted else None
    due_at = updates.get("due_at", d.due_at)
    timeliness = None if untimed or finished_at is None or due_at is None else classify(due_at, finished_at)
    if timeliness == d.timeliness:
        return
    updates["timeliness"] = timeliness
    changes["timeliness"] = {"from": d.timeliness, "to": timeliness}
    if timeliness in ("early", "on_time") and d.overdue_for is not None:
        # a back-dated finish within time (the act's `at` decides, not when it was recorded):
        # the overdue notice a sweep recorded meanwhile no longer stands
        updates["overdue_for"] = None
        changes["overdue_for"] = {"from": iso(d.overdue_for), "to": None}


def worked_minutes(calendar: WorkCalendar, clock: Clock | None, finished_at: dt.datetime | None) -> int:
    """The working minutes the legal clock counted from its start (or last restart) to `finished_at`,
    the time paused excluded: the processing time reports average (records/status.py). A finish
    before a deferred start counted nothing."""
    assert clock is not None and finished_at is not None
    paused = clock.paused_hours
    if clock.paused_at is not None and finished_at > clock.paused_at:
        paused += calendar.working_hours_between(clock.paused_at, finished_at)
    start = clock.started_at
    hours = calendar.working_hours_between(start, finished_at) if finished_at > start else 0.0
    return max(0, round((hours - paused) * 60))


def _hand_over(setting: Setting, move: Move, dest: State, updates: RecordUpdate) -> None:
    """A new state: the open step of the control slip closes (with its timeliness against its
    budget), the next one opens with its budget, and the state's timers are set."""
    cal, d, at = setting.calendar, move.record, move.at
    # one zone conversion serves the hand-over and every budget below: classify and due_after give
    # the same answers for any aware moment of the same instant
    local = at.astimezone(cal.tz)
    steps = d.steps
    if steps and steps[-1].finished_at is None:
        last = steps[-1]
        timeliness = None if last.due_at is None else classify_aware(last.due_at, local)
        closed = Step(
            last.state, last.agency, last.entered_at, last.entered_by, last.due_at, at, move.actor_id,
            timeliness, last.counted,
        )  # fmt: skip
        steps = (*steps[:-1], closed)
    if dest.outcome is None:
        step_due = None if dest.budget is None else due_after(cal, dest.budget, local)
        steps = (*steps, Step(move.target, dest.agency, at, move.actor_id, step_due, counted=dest.counted))
    updates["steps"] = steps
    updates["state_entered_at"] = at
    timers = move.compiled.timers.get(move.target)
    updates["timer_at"] = (
        min(due_after(cal, t.after, local) for t in timers) if timers and dest.outcome is None else None
    )


def _due_changes(d: Dossier, updates: RecordUpdate, changes: Changes) -> None:
    """The due and appointment moments that moved, for the audit entry."""
    if "due_at" in updates and updates["due_at"] != d.due_at:
        changes["due_at"] = {"from": iso(d.due_at), "to": iso(updates["due_at"])}
    if "appointment_at" in updates and updates["appointment_at"] != d.appointment_at:
        changes["appointment_at"] = {"from": iso(d.appointment_at), "to": iso(updates["appointment_at"])}
