"""The legal sub-deadlines an act is checked against, the flags it leaves (sla/subdeadlines.py), and
the warning thresholds the sweep will send (deadline.warnings).

A flag records, on the dossier and in the audit entry of the act that broke the rule, that a
supplement request came late or again, or that an apology came too late: reports count them and the
forms show them. The act itself is not refused (the documented default; the law sanctions the agency,
not the applicant's dossier).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tthc_engine.records import Dossier, RecordUpdate
from tthc_engine.runtime.compiled import Compiled, Setting
from tthc_engine.sla import before_due, due_after, warning_moment
from tthc_engine.sla.subdeadlines import (
    LATE_APOLOGY,
    LATE_CONSULTATION,
    LATE_SUPPLEMENT_REQUEST,
    REPEATED_SUPPLEMENT_REQUEST,
    late,
    with_flag,
)


def flag_subdeadlines(
    setting: Setting,
    compiled: Compiled,
    d: Dossier,
    action: str,
    at: dt.datetime,
    updates: RecordUpdate,
    changes: dict[str, Any],
) -> None:
    """Count supplement requests and raise the flags `action` at `at` earns on `d` (it may also be
    the act that leaves a consultation: the consulted agency's answer)."""
    rules, cal = setting.policy.subdeadlines, setting.calendar
    flags = d.flags
    if action in compiled.supplement_requests:
        count = d.supplement_requests + 1
        updates["supplement_requests"] = count
        if count > 1:
            flags = with_flag(flags, REPEATED_SUPPLEMENT_REQUEST)
        clock = d.clock
        if clock is not None and d.received_at is not None:
            # counted from the receipt, or from the complete dossier after a restart (Art. 19(4))
            since = clock.started_at if clock.restarts else d.received_at
            if late(at, due_after(cal, rules.supplement_request_within, since)):
                flags = with_flag(flags, LATE_SUPPLEMENT_REQUEST)
    if action in compiled.apologies and d.due_at is not None:
        limit = before_due(cal, d.due_at, rules.apology_before)
        if late(at, limit):
            flags = with_flag(flags, LATE_APOLOGY)
    if d.state in compiled.consultations and d.steps and d.steps[-1].finished_at is None:
        asked = d.steps[-1]  # the consultation's step closes with this act: its budget is the deadline
        if asked.due_at is not None and late(at, asked.due_at):
            flags = with_flag(flags, LATE_CONSULTATION)
    if flags != d.flags:
        updates["flags"] = flags
        changes["flags"] = {"from": list(d.flags), "to": list(flags)}


def plan_warnings(
    setting: Setting, compiled: Compiled, d: Dossier, updates: RecordUpdate, state: str
) -> tuple[tuple[str, dt.datetime], ...]:
    """The procedure's warnings still to send for the dossier's due moment in `state`, (kind, moment)
    earliest first: re-planned whenever the due moment or the state changes, without those already
    sent for this due moment; none while the clock is paused, once the legal time is over or the
    outcome is set."""
    clock = updates.get("clock", d.clock)
    due = updates.get("due_at", d.due_at)
    if clock is None or due is None or clock.paused_at is not None:
        return ()  # not received, or paused: the due moment is not running towards anything yet
    if updates.get("outcome", d.outcome) is not None:
        return ()
    if updates.get("finished_at", d.finished_at) is not None:
        return ()
    sent = set(d.warnings_sent)
    planned = [
        (rule.kind, warning_moment(setting.calendar, rule, clock.started_at, due))
        for rule in compiled.warnings
        if (not rule.states or state in rule.states) and (rule.kind, due) not in sent
    ]
    return tuple(sorted(planned, key=lambda item: (item[1], item[0])))
