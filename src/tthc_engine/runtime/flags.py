"""The legal sub-deadlines an act is checked against, and the flags it leaves (sla/subdeadlines.py).

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
from tthc_engine.sla import before_due, due_after
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
